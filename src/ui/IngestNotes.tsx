/** What reading the files altered (cut lines, invalid bytes, NULs, no log lines): said, not silent. */
import type { FileNotes } from '../core/ingest/notes';
import { NoticeBanner } from './Banner';

export function IngestNotes({ files, onDismiss }: { files: FileNotes[]; onDismiss: () => void }) {
  if (files.length === 0) return null;
  return (
    <NoticeBanner onDismiss={onDismiss} dismissLabel="Dismiss reading notes" testId="ingest-notes">
      <strong>Read with changes:</strong>{' '}
      {files.map((f, i) => (
        <span key={f.name + i}>
          {i > 0 && ' · '}
          {f.name}: {f.notes.join('; ')}
        </span>
      ))}
    </NoticeBanner>
  );
}
