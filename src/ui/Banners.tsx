/** Errors and notices as dismissible lines under the header; the views below stay as they were. */
import { useMemo, useState } from 'react';
import { filesNotes } from '../core/ingest/notes';
import { useLoupe } from '../state/store';
import { ErrorBanner, NoticeBanner } from './Banner';
import { IngestNotes } from './IngestNotes';

export function Banners() {
  const error = useLoupe((s) => s.error);
  const notice = useLoupe((s) => s.notice);
  const dismissError = useLoupe((s) => s.dismissError);
  const dismissNotice = useLoupe((s) => s.dismissNotice);
  const summary = useLoupe((s) => s.summary);
  const files = summary?.files;
  const notes = useMemo(() => (files ? filesNotes(files) : []), [files]);
  // Dismissed for this analysis's files only: the next analysis says its own.
  const [dismissed, setDismissed] = useState<unknown>(undefined);
  return (
    <div className="banners">
      {error && <ErrorBanner error={error} onDismiss={dismissError} dismissLabel="Dismiss error" testId="error-banner" />}
      {files && dismissed !== files && <IngestNotes files={notes} onDismiss={() => setDismissed(files)} />}
      {notice && (
        <NoticeBanner onDismiss={dismissNotice} dismissLabel="Dismiss notice">
          {notice}
        </NoticeBanner>
      )}
    </div>
  );
}
