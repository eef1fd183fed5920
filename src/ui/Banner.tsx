/**
 * The one-line banners under the header (errors, notices, ingest notes, sharing progress): one
 * markup for all of them, so they look and announce themselves the same way.
 */
import type { ReactNode } from 'react';

interface ErrorBannerProps {
  error: string;
  onDismiss(): void;
  /** For screen readers where "Dismiss" alone is ambiguous. */
  dismissLabel?: string;
  testId?: string;
}

/** A problem, announced at once (role="alert"), until dismissed. */
export function ErrorBanner({ error, onDismiss, dismissLabel, testId }: ErrorBannerProps) {
  return (
    <div className="banner error" role="alert" data-testid={testId}>
      <strong>Problem:</strong>
      <span className="grow">{error}</span>
      <button className="btn small" onClick={onDismiss} aria-label={dismissLabel}>
        Dismiss
      </button>
    </div>
  );
}

interface NoticeBannerProps {
  children: ReactNode;
  /** Without it the notice has no ✕ (it goes away by itself). */
  onDismiss?(): void;
  dismissLabel?: string;
  testId?: string;
  /** Announced politely (role="status"); false for a standing note. */
  announce?: boolean;
}

export function NoticeBanner({ children, onDismiss, dismissLabel, testId, announce = true }: NoticeBannerProps) {
  return (
    <div className="banner notice" role={announce ? 'status' : undefined} data-testid={testId}>
      <span className="grow">{children}</span>
      {onDismiss && (
        <button className="btn small ghost" onClick={onDismiss} aria-label={dismissLabel}>
          ✕
        </button>
      )}
    </div>
  );
}
