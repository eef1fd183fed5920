/** What reading the files altered (cut lines, invalid bytes, NULs, no log lines): said, not silent. */
import type { FileNotes } from '../core/ingest/notes';

export function IngestNotes({ files, onDismiss }: { files: FileNotes[]; onDismiss: () => void }) {
  if (files.length === 0) return null;
  return (
    <div className="banner notice" role="status" data-testid="ingest-notes">
      <span className="grow">
        <strong>Read with changes:</strong>{' '}
        {files.map((f, i) => (
          <span key={f.name + i}>
            {i > 0 && ' · '}
            {f.name}: {f.notes.join('; ')}
          </span>
        ))}
      </span>
      <button className="btn small ghost" onClick={onDismiss} aria-label="Dismiss reading notes">
        ✕
      </button>
    </div>
  );
}
