/** Per-stage progress of the running analysis with counts, time left and Cancel. */
import type { StageName } from '../../core/analysis/types';
import { useLoupe } from '../../state/store';
import { formatCount, formatEta } from '../format';

const STAGES: Array<{ name: StageName; unit: string }> = [
  { name: 'read', unit: 'lines' },
  { name: 'parse', unit: 'records' },
  { name: 'templates', unit: 'records' },
  { name: 'embed', unit: 'texts' },
  { name: 'score', unit: 'units' },
];

export function ProgressPanel({ card }: { card?: boolean }) {
  const run = useLoupe((s) => s.run);
  const cancel = useLoupe((s) => s.cancel);
  const previewing = useLoupe((s) => s.previewBackup !== null);
  if (!run) return null;
  const currentIndex = STAGES.findIndex((s) => s.name === run.current);
  const eta = run.current ? (run.stages[run.current]?.etaSeconds ?? NaN) : NaN;
  return (
    <section className={`progress${card ? ' progress-card' : ''}`} aria-label="Analysis progress" data-testid="progress">
      <strong style={{ gridColumn: '1 / 3' }}>
        Analysing {run.fileNames.join(', ')}
        <span className="muted" style={{ fontWeight: 400 }}>
          {' '}
          {formatEta(eta)}
        </span>
        {previewing && (
          <span className="muted" style={{ fontWeight: 400 }} data-testid="preview-note">
            {' '}
            · showing preliminary scores (template rarity + TF-IDF); the model's scores replace them when ready
          </span>
        )}
      </strong>
      <button className="btn small" onClick={cancel} disabled={run.cancelling}>
        {run.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
      {STAGES.map((stage, i) => {
        const p = run.stages[stage.name];
        const finished = i < currentIndex || (p !== undefined && p.done === p.total);
        const known = p !== undefined && Number.isFinite(p.total) && p.total > 0;
        const share = finished ? 1 : known ? Math.min(p.done / p.total, 1) : 0;
        const active = stage.name === run.current;
        return (
          <div key={stage.name} className={`stage${active ? ' active' : ''}`}>
            <span className="stage-name">{stage.name}</span>
            <div className={`bar${active && !known ? ' indeterminate' : ''}`}>
              <span style={{ width: `${share * 100}%` }} />
            </div>
            <span className="stage-count">
              {finished
                ? known
                  ? `${formatCount(p.total)} ${stage.unit}`
                  : 'done'
                : p
                  ? `${formatCount(p.done)}${known ? ` / ${formatCount(p.total)}` : ''} ${stage.unit}`
                  : ''}
              {active && p?.message ? ` · ${p.message}` : ''}
            </span>
          </div>
        );
      })}
    </section>
  );
}
