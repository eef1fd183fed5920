/**
 * The header's Save / Export menu: save in this browser (with or without the log lines), an
 * analysis bundle to hand over, CSV of lines (filtered or all), templates and sessions, an HTML
 * report, and the analysis notes that travel with them.
 */
import { useState, type ReactNode } from 'react';
import './sharing.css';
import { useLoupe, useSharing } from '../../state/store';

/** One action of the menu; what it starts reports its own progress and errors (SharingBanner). */
function MenuAction(props: { disabled: boolean; onRun(): Promise<unknown>; testId: string; title?: string; children: ReactNode }) {
  return (
    <button className="btn" disabled={props.disabled} onClick={() => void props.onRun()} data-testid={props.testId} title={props.title}>
      {props.children}
    </button>
  );
}

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
        <MenuAction disabled={disabled} onRun={() => saveCurrent({ includeLines: withLines })} testId="save-analysis">
          Save in this browser
        </MenuAction>
        <MenuAction
          disabled={disabled}
          onRun={() => exportBundle({ includeLines: withLines })}
          testId="export-bundle"
          title="One .loupe.gz file: drop it on any Loupe to reopen this analysis with your labels and notes"
        >
          Export bundle
        </MenuAction>
        <hr />
        <MenuAction disabled={disabled} onRun={() => exportCsv('lines', 'filter')} testId="export-csv-filtered">
          Lines CSV (current filter)
        </MenuAction>
        <MenuAction disabled={disabled} onRun={() => exportCsv('lines', 'all')} testId="export-csv-lines">
          Lines CSV (all)
        </MenuAction>
        <MenuAction disabled={disabled} onRun={() => exportCsv('templates', 'all')} testId="export-csv-templates">
          Templates CSV
        </MenuAction>
        {hasSessions && (
          <MenuAction disabled={disabled} onRun={() => exportCsv('sessions', 'all')} testId="export-csv-sessions">
            Sessions CSV
          </MenuAction>
        )}
        <MenuAction disabled={disabled} onRun={() => exportReport()} testId="export-report">
          HTML report
        </MenuAction>
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
