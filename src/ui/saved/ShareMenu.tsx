/**
 * The header's Save / Export menu: save in this browser (with or without the log lines), an
 * analysis bundle to hand over, CSV of lines (filtered or all), templates and sessions, an HTML
 * report, and the analysis notes that travel with them.
 */
import { useState } from 'react';
import './sharing.css';
import { useLoupe, useSharing } from '../../state/store';

export function ShareMenu() {
  const hasSummary = useLoupe((s) => s.summary !== null);
  const hasSessions = useLoupe((s) => (s.summary?.sessions.length ?? 0) > 0);
  const running = useLoupe((s) => s.run !== null);
  const busy = useSharing((s) => s.busy);
  const notes = useSharing((s) => s.notes);
  const saveCurrent = useSharing((s) => s.saveCurrent);
  const exportBundle = useSharing((s) => s.exportBundle);
  const exportCsv = useSharing((s) => s.exportCsv);
  const exportReport = useSharing((s) => s.exportReport);
  const setNotes = useSharing((s) => s.setNotes);
  const [withLines, setWithLines] = useState(false);
  const [draft, setDraft] = useState<string | null>(null);
  if (!hasSummary) return null;
  const disabled = !!busy || running;
  return (
    <details className="share-menu" data-testid="share-menu">
      <summary className="btn">Save / Export</summary>
      <div className="share-menu-body panel">
        <label className="toggle" title="The log lines make the save or bundle larger; without them each line shows its masked text.">
          <input
            type="checkbox"
            checked={withLines}
            onChange={(e) => setWithLines(e.currentTarget.checked)}
            data-testid="share-with-lines"
          />
          include the log lines
        </label>
        <button
          className="btn"
          disabled={disabled}
          onClick={() => void saveCurrent({ includeLines: withLines })}
          data-testid="save-analysis"
        >
          Save in this browser
        </button>
        <button
          className="btn"
          disabled={disabled}
          onClick={() => void exportBundle({ includeLines: withLines })}
          data-testid="export-bundle"
          title="One .loupe.gz file: drop it on any Loupe to reopen this analysis with your labels and notes"
        >
          Export bundle
        </button>
        <hr />
        <button className="btn" disabled={disabled} onClick={() => void exportCsv('lines', 'filter')} data-testid="export-csv-filtered">
          Lines CSV (current filter)
        </button>
        <button className="btn" disabled={disabled} onClick={() => void exportCsv('lines', 'all')} data-testid="export-csv-lines">
          Lines CSV (all)
        </button>
        <button className="btn" disabled={disabled} onClick={() => void exportCsv('templates', 'all')} data-testid="export-csv-templates">
          Templates CSV
        </button>
        {hasSessions && (
          <button className="btn" disabled={disabled} onClick={() => void exportCsv('sessions', 'all')} data-testid="export-csv-sessions">
            Sessions CSV
          </button>
        )}
        <button className="btn" disabled={disabled} onClick={() => void exportReport()} data-testid="export-report">
          HTML report
        </button>
        <hr />
        <label className="muted" htmlFor="analysis-notes">
          Notes on this analysis (saved, in bundles and the report)
        </label>
        <textarea
          id="analysis-notes"
          rows={4}
          value={draft ?? notes}
          data-testid="analysis-notes"
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={() => {
            if (draft !== null && draft !== notes) void setNotes(draft);
            setDraft(null);
          }}
        />
      </div>
    </details>
  );
}
