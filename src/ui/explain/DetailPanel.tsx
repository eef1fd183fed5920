/**
 * The selected line: raw text, template, score and rank, the analyst's own verdict, which evidence
 * moved its score (a bar chart), which of its words did (a heatmap, computed after the rest and
 * cancelled by the next selection), and its nearest normal lines.
 */
import { ValueProfile } from './ValueProfile';
import { useState } from 'react';
import { isFlagged } from '../../core/detect/threshold';
import { noiseFloor } from '../../core/explain/noise';
import { useLoupe } from '../../state/store';
import { LabelControls } from '../labels/LabelControls';
import { LearnedScoresOf } from '../labels/Learning';
import { levelColor } from '../charts/palette';
import { useLineCutoff } from '../derived';
import { formatCount, formatDateTime, formatScore } from '../format';
import { TemplateText } from '../tables/TemplateText';
import { EvidenceChart } from './EvidenceChart';
import { SaliencyHeatmap, type SaliencyMeasure } from './SaliencyHeatmap';

const TRUTH: Record<number, string> = { 1: 'anomalous', 0: 'normal' };
const DETECTOR_NAMES = { evidence: 'evidence score', fused: 'fused score', forest: 'forest score', surprise: 'surprise score' } as const;
/** Characters of the raw line shown in the panel (a 1 MB line is cut, and says so). */
const RAW_SHOWN = 20_000;

function WordsSection() {
  const words = useLoupe((s) => s.words);
  const progress = useLoupe((s) => s.wordsProgress);
  const mode = useLoupe((s) => s.saliencyMode);
  const setMode = useLoupe((s) => s.setSaliencyMode);
  const [forestMeasure, setForestMeasure] = useState<Exclude<SaliencyMeasure, 'surprise'>>('effect');
  const hasSurprise = !!words?.words.some((w) => Number.isFinite(w.surprise));
  const measure: SaliencyMeasure = mode === 'surprise' && hasSurprise ? 'surprise' : forestMeasure;
  return (
    <div>
      <div className="row" style={{ justifyContent: 'flex-start', marginBottom: 4, gap: 8, flexWrap: 'wrap' }}>
        <span className="section-title">Which words</span>
        <div className="tabs" role="tablist">
          <button className="tab" role="tab" aria-selected={measure !== 'surprise'} onClick={() => setMode('occlusion')}>
            What moved the score
          </button>
          {hasSurprise && (
            <button className="tab" role="tab" aria-selected={measure === 'surprise'} onClick={() => setMode('surprise')}>
              What the model found unusual
            </button>
          )}
        </div>
        {measure !== 'surprise' && words && (
          <select
            value={forestMeasure}
            onChange={(e) => setForestMeasure(e.currentTarget.value as typeof forestMeasure)}
            aria-label="Which effect"
          >
            <option value="effect">on the {DETECTOR_NAMES[words.detector]}</option>
            <option value="masked">forest only (word masked)</option>
          </select>
        )}
        {words && (
          <span className="muted" style={{ fontSize: 11 }} data-testid="saliency-ms">
            {words.ms.toFixed(0)} ms
          </span>
        )}
      </div>
      {progress && !words && (
        <div className="row" style={{ gap: 8, justifyContent: 'flex-start' }} data-testid="saliency-progress">
          <span className="muted">
            Explaining the words… {formatCount(progress.done)} of {formatCount(progress.total)} variants
          </span>
          <span className="progress-thin">
            <span style={{ width: `${Math.round((100 * progress.done) / Math.max(1, progress.total))}%` }} />
          </span>
          <span className="hint">a new click cancels it</span>
        </div>
      )}
      {words && words.cutNote && (
        <p className="hint" data-testid="saliency-cut">
          Cut: {words.cutNote}
        </p>
      )}
      {words &&
        (words.words.length > 0 ? (
          <SaliencyHeatmap words={words.words} measure={measure} noiseFloor={words.noiseFloor} />
        ) : (
          <p className="hint">No words to explain in this line.</p>
        ))}
    </div>
  );
}

export function DetailPanel() {
  const detail = useLoupe((s) => s.detail);
  const loading = useLoupe((s) => s.detailLoading);
  const files = useLoupe((s) => s.summary?.files);
  const records = useLoupe((s) => s.summary?.records ?? 0);
  const detector = useLoupe((s) => s.summary?.settings.detector ?? 'evidence');
  const distribution = useLoupe((s) => s.summary?.scoreDistribution);
  const cutoff = useLineCutoff();
  const selectRecord = useLoupe((s) => s.selectRecord);

  if (!detail) {
    return (
      <section className="panel" data-testid="detail-panel">
        <div className="panel-head">
          <span className="panel-title">Line detail</span>
        </div>
        <div className="panel-body muted">{loading ? 'Explaining the line…' : 'Could not explain this line.'}</div>
      </section>
    );
  }
  const { row } = detail;
  const fileName = files?.[row.file]?.name ?? '';
  const spread = distribution && distribution.length ? distribution[distribution.length - 1] - distribution[0] : 1;
  const raw = row.raw.length > RAW_SHOWN ? `${row.raw.slice(0, RAW_SHOWN)}…` : row.raw;
  return (
    <section className="panel" data-testid="detail-panel">
      <div className="panel-head">
        <span className="panel-title">Line {formatCount(row.lineNumber)}</span>
        <span className={isFlagged(row.score, cutoff) ? 'flagged' : 'muted'} data-testid="detail-score">
          {DETECTOR_NAMES[detector]} {formatScore(row.score)} · rank {formatCount(detail.rank)} of {formatCount(records)}
        </span>
      </div>
      <div className="panel-body detail">
        <div className="raw" data-testid="detail-raw">
          {raw}
          {raw !== row.raw && (
            <span className="muted">
              {' '}
              (showing {formatCount(RAW_SHOWN)} of {formatCount(row.raw.length)} characters)
            </span>
          )}
        </div>
        <dl className="kv">
          <dt>template</dt>
          <dd className="mono">
            <TemplateText text={detail.template.length > 2000 ? `${detail.template.slice(0, 2000)}…` : detail.template} />
          </dd>
          <dt>file</dt>
          <dd>
            {fileName} {Number.isFinite(row.timestamp) && <span className="muted">· {formatDateTime(row.timestamp)}</span>}
            {row.level && (
              <>
                {' '}
                ·{' '}
                <span className="badge" style={{ background: levelColor(row.level) }}>
                  {row.level}
                </span>
              </>
            )}
            {row.label >= 0 && <span className={row.label === 1 ? 'flagged' : 'muted'}> · ground truth: {TRUTH[row.label]}</span>}
          </dd>
          <dt>your verdict</dt>
          <dd>
            <LabelControls subject={{ target: 'line', row }} />
            <LearnedScoresOf record={row.record} />
          </dd>
        </dl>
        <div>
          <div className="section-title">Which evidence moved the score</div>
          <EvidenceChart evidence={detail.evidence} noiseFloor={noiseFloor(spread)} />
        </div>
        <ValueProfile values={detail.values} />
        <WordsSection />
        {detail.neighbours.length > 0 && (
          <div>
            <div className="section-title">
              Nearest normal lines{' '}
              <span className="muted" style={{ textTransform: 'none', fontWeight: 400 }}>
                (below the threshold, not labelled anomalous)
              </span>
            </div>
            <ul className="neighbours" data-testid="neighbours">
              {detail.neighbours.map((n) => (
                <li key={n.record} onClick={() => n.record >= 0 && void selectRecord(n.record, { jump: true })} title={n.message}>
                  <span className="muted">
                    {Math.round(n.similarity * 100)}% similar · score {formatScore(n.score, 2)} ·{' '}
                  </span>
                  {n.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
