/**
 * The selected line: raw text, template, score and rank, the analyst's own verdict, what made it
 * score as it did (word saliency), and its nearest normal neighbours.
 */
import { useState } from 'react';
import { isFlagged } from '../../core/detect/threshold';
import { useLoupe } from '../../state/store';
import { analystLabelKey } from '../../state/droppedFiles';
import { levelColor } from '../charts/palette';
import { useLineCutoff } from '../derived';
import { formatCount, formatDateTime, formatScore } from '../format';
import { TemplateText } from '../tables/TemplateText';
import { SaliencyHeatmap } from './SaliencyHeatmap';

const TRUTH: Record<number, string> = { 1: 'anomalous', 0: 'normal' };

export function DetailPanel() {
  const detail = useLoupe((s) => s.detail);
  const loading = useLoupe((s) => s.detailLoading);
  const files = useLoupe((s) => s.summary?.files);
  const records = useLoupe((s) => s.summary?.records ?? 0);
  const cutoff = useLineCutoff();
  const mode = useLoupe((s) => s.saliencyMode);
  const setMode = useLoupe((s) => s.setSaliencyMode);
  const selectRecord = useLoupe((s) => s.selectRecord);
  const labelRow = useLoupe((s) => s.labelRow);
  const analystLabels = useLoupe((s) => s.analystLabels);
  const [occlusion, setOcclusion] = useState<'masked' | 'deleted'>('masked');

  if (!detail) {
    return (
      <section className="panel" data-testid="detail-panel">
        <div className="panel-head"><span className="panel-title">Line detail</span></div>
        <div className="panel-body muted">
          {loading ? 'Explaining the line…' : <>Click a line, a template or a timeline bar, or press <kbd>j</kbd> / <kbd>k</kbd> to walk the anomalies.</>}
        </div>
      </section>
    );
  }
  const { row } = detail;
  const fileName = files?.[row.file]?.name ?? '';
  const key = analystLabelKey(fileName, row.lineNumber);
  const verdict = analystLabels[key];
  const hasSurprise = detail.saliency.some((w) => Number.isFinite(w.surprise));
  const measure = mode === 'surprise' && hasSurprise ? 'surprise' : occlusion;
  return (
    <section className="panel" data-testid="detail-panel">
      <div className="panel-head">
        <span className="panel-title">Line {formatCount(row.lineNumber)}</span>
        <span className={isFlagged(row.score, cutoff) ? 'flagged' : 'muted'} data-testid="detail-score">
          score {formatScore(row.score)} · rank {formatCount(detail.rank)} of {formatCount(records)}
        </span>
      </div>
      <div className="panel-body detail">
        <div className="raw" data-testid="detail-raw">{row.raw}</div>
        <dl className="kv">
          <dt>template</dt>
          <dd className="mono"><TemplateText text={detail.template} /></dd>
          <dt>file</dt>
          <dd>{fileName} {Number.isFinite(row.timestamp) && <span className="muted">· {formatDateTime(row.timestamp)}</span>}
            {row.level && <> · <span className="badge" style={{ background: levelColor(row.level) }}>{row.level}</span></>}
            {row.label >= 0 && <span className={row.label === 1 ? 'flagged' : 'muted'}> · ground truth: {TRUTH[row.label]}</span>}
          </dd>
          <dt>your verdict</dt>
          <dd className="inline">
            <button className={`btn small${verdict === 1 ? ' on' : ''}`} onClick={() => labelRow(row, verdict === 1 ? null : 1)} aria-pressed={verdict === 1}>Anomalous</button>
            <button className={`btn small${verdict === 0 ? ' on' : ''}`} onClick={() => labelRow(row, verdict === 0 ? null : 0)} aria-pressed={verdict === 0}>Normal</button>
            <span className="muted">{verdict === undefined ? 'kept in this browser and in the export' : 'saved; click again to clear'}</span>
          </dd>
        </dl>
        <div>
          <div className="row" style={{ justifyContent: 'flex-start', marginBottom: 4 }}>
            <span className="section-title">Why this score</span>
            <div className="tabs" role="tablist">
              <button className="tab" role="tab" aria-selected={measure !== 'surprise'} onClick={() => setMode('occlusion')}>What moved the forest score</button>
              {hasSurprise && <button className="tab" role="tab" aria-selected={measure === 'surprise'} onClick={() => setMode('surprise')}>What the model found unusual</button>}
            </div>
            {measure !== 'surprise' && (
              <select value={occlusion} onChange={(e) => setOcclusion(e.currentTarget.value as 'masked' | 'deleted')} aria-label="Occlusion kind">
                <option value="masked">word masked</option>
                <option value="deleted">word deleted</option>
              </select>
            )}
            <span className="muted" style={{ fontSize: 11 }}>{detail.saliencyMs.toFixed(0)} ms</span>
          </div>
          {detail.saliency.length > 0 ? <SaliencyHeatmap words={detail.saliency} measure={measure} /> : <p className="hint">No words to explain in this line.</p>}
        </div>
        {detail.neighbours.length > 0 && (
          <div>
            <div className="section-title">Nearest normal lines</div>
            <ul className="neighbours">
              {detail.neighbours.map((n) => (
                <li key={n.record} onClick={() => void selectRecord(n.record, { jump: true })} title={n.message}>
                  <span className="muted">{n.similarity.toFixed(2)} sim · {formatScore(n.score, 2)} </span>{n.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
