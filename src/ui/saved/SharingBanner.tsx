/** What saving, exporting or opening is doing, and what went wrong, under the header. */
import { useSharing } from '../../state/store';
import { ErrorBanner, NoticeBanner } from '../Banner';

export function SharingBanner() {
  const busy = useSharing((s) => s.busy);
  const message = useSharing((s) => s.message);
  const error = useSharing((s) => s.error);
  const reopened = useSharing((s) => s.reopened);
  const dismiss = useSharing((s) => s.dismiss);
  return (
    <>
      {busy && <NoticeBanner testId="sharing-busy">{busy}</NoticeBanner>}
      {error && <ErrorBanner error={error} onDismiss={dismiss} testId="sharing-error" />}
      {message && !error && (
        <NoticeBanner onDismiss={dismiss} dismissLabel="Dismiss" testId="sharing-message">
          {message}
        </NoticeBanner>
      )}
      {reopened && !reopened.hasLines && (
        <NoticeBanner announce={false} testId="reopened-note">
          Reopened {reopened.source === 'bundle' ? 'bundle' : 'saved analysis'} “{reopened.name}” without its log lines: each line shows its
          masked text.
        </NoticeBanner>
      )}
    </>
  );
}
