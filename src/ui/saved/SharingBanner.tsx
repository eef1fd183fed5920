/** What saving, exporting or opening is doing, and what went wrong, under the header. */
import { useSharing } from '../../state/store';

export function SharingBanner() {
  const busy = useSharing((s) => s.busy);
  const message = useSharing((s) => s.message);
  const error = useSharing((s) => s.error);
  const reopened = useSharing((s) => s.reopened);
  const dismiss = useSharing((s) => s.dismiss);
  return (
    <>
      {busy && (
        <div className="banner notice" role="status" data-testid="sharing-busy">
          <span className="grow">{busy}</span>
        </div>
      )}
      {error && (
        <div className="banner error" role="alert" data-testid="sharing-error">
          <strong>Problem:</strong>
          <span className="grow">{error}</span>
          <button className="btn small" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {message && !error && (
        <div className="banner notice" role="status" data-testid="sharing-message">
          <span className="grow">{message}</span>
          <button className="btn small ghost" onClick={dismiss} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      {reopened && !reopened.hasLines && (
        <div className="banner notice" data-testid="reopened-note">
          <span className="grow">
            Reopened {reopened.source === 'bundle' ? 'bundle' : 'saved analysis'} “{reopened.name}” without its log lines: each line shows
            its masked text.
          </span>
        </div>
      )}
    </>
  );
}
