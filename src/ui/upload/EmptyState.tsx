/** What the analyst sees before any analysis: what to do, and the demo. */
import { useLoupe } from '../../state/store';
import { FilePickerButton } from './FilePickerButton';
import { ProgressPanel } from './ProgressPanel';

export function EmptyState({ onOpenSettings }: { onOpenSettings(): void }) {
  const running = useLoupe((s) => s.run !== null);
  const openDemo = useLoupe((s) => s.openDemo);
  const references = useLoupe((s) => s.sources.references);
  if (running) {
    return (
      <div className="empty">
        <ProgressPanel card />
      </div>
    );
  }
  return (
    <div className="empty">
      <div className="dropzone">
        <h1>Drop a log file anywhere, or open the demo log</h1>
        <p>Plain text logs, .gz and .jsonl, several files at once. Add a labels CSV (id,label) to see precision and recall.</p>
        <p>Everything runs in this browser tab: nothing is uploaded.</p>
        <div className="row" style={{ marginTop: 14 }}>
          <FilePickerButton primary />
          <button className="btn" onClick={() => void openDemo()}>
            Open demo log
          </button>
          <FilePickerButton role="reference" label="Add a known-good reference…" />
          <button className="btn ghost" onClick={onOpenSettings}>
            Settings
          </button>
        </div>
        {references.length > 0 && (
          <p style={{ marginTop: 10 }}>
            Reference ready: <b>{references.map((f) => f.name).join(', ')}</b>. Now open the log to check.
          </p>
        )}
      </div>
    </div>
  );
}
