/** Errors and notices as dismissible lines under the header; the views below stay as they were. */
import { useLoupe } from '../state/store';

export function Banners() {
  const error = useLoupe((s) => s.error);
  const notice = useLoupe((s) => s.notice);
  const dismissError = useLoupe((s) => s.dismissError);
  const dismissNotice = useLoupe((s) => s.dismissNotice);
  return (
    <div className="banners">
      {error && (
        <div className="banner error" role="alert" data-testid="error-banner">
          <strong>Problem:</strong>
          <span className="grow">{error}</span>
          <button className="btn small" onClick={dismissError} aria-label="Dismiss error">Dismiss</button>
        </div>
      )}
      {notice && (
        <div className="banner notice" role="status">
          <span className="grow">{notice}</span>
          <button className="btn small ghost" onClick={dismissNotice} aria-label="Dismiss notice">✕</button>
        </div>
      )}
    </div>
  );
}
