/**
 * Learning from the analyst (issue 12), as the page shows it: what the head learned from and how
 * much the ranking moved, the blend-weight slider (the analyst's override of the weight chosen
 * from the labels), and the "Label next" list. A suggestion is picked like any line: selecting it
 * puts it in the viewer and the detail panel, where the verdict keys of `ui/keys.ts` (a anomaly,
 * x normal) label it. Presentational: the store hands it the summary, suggestions and callbacks.
 */
import { describeLearning, WEIGHT_FROM, type LabelSuggestion, type LearningSummary } from '../../core/analysis/learning';
import type { ScoringUnit } from '../../core/analysis/types';

/** A suggestion as the list shows it: the unit's line (number and text) when known. */
export interface ShownSuggestion extends LabelSuggestion {
  lineNumber?: number;
  text?: string;
}

export interface LearningPanelProps {
  unit: ScoringUnit;
  learning: LearningSummary | null;
  /** The analyst's weight; null while the weight is chosen from the labels. */
  weight: number | null;
  onWeight: (weight: number | null) => void;
  suggestions: ShownSuggestion[];
  /** The record selected in the viewer (its suggestion is highlighted). */
  selectedRecord: number | null;
  onSelect: (record: number) => void;
  busy?: boolean;
}

const REASON: Record<LabelSuggestion['reason'], string> = {
  uncertain: 'the head is unsure',
  'top anomaly': 'high unsupervised score, not reviewed',
};

/** Text of a suggestion's line, cut for the list. */
const SHOWN_CHARS = 160;

export function LearningPanel(props: LearningPanelProps) {
  const { unit, learning, weight, onWeight, suggestions, selectedRecord, onSelect, busy } = props;
  const shownWeight = weight ?? learning?.weight ?? 0.5;
  const trained = !!learning?.trained;
  return (
    <div className="learning-panel" data-testid="learning-panel">
      <div className="section-title">Learning from your labels</div>
      <p className="muted" data-testid="learning-summary" data-train-ms={learning ? Math.round(learning.trainMs) : undefined}>
        {learning ? describeLearning(learning, unit) : 'Label a few lines as anomaly (a) or normal (x): one of each trains a head on them.'}
      </p>
      <label className="inline" title="How much the learned score counts against the unsupervised one in the ranking every view shows">
        <span>learned score weight</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={shownWeight}
          disabled={!trained || busy}
          data-testid="blend-weight"
          aria-label="Weight of the learned score in the blended ranking"
          onChange={(e) => onWeight(Number(e.currentTarget.value))}
        />
        <span className="mono" data-testid="blend-weight-value">
          {shownWeight.toFixed(2)}
        </span>
        <span className="muted">{weight === null ? (learning ? WEIGHT_FROM[learning.weightFrom] : '') : WEIGHT_FROM.analyst}</span>
        {weight !== null && (
          <button className="btn small ghost" onClick={() => onWeight(null)} title="Let the labels choose the weight again">
            from labels
          </button>
        )}
      </label>
      <div className="section-title">Label next</div>
      {suggestions.length === 0 ? (
        <p className="muted">Nothing to suggest.</p>
      ) : (
        <ol className="label-next" data-testid="label-next">
          {suggestions.map((s) => (
            <li key={s.unit}>
              <button
                className={`btn small ghost${s.record === selectedRecord ? ' on' : ''}`}
                aria-pressed={s.record === selectedRecord}
                data-testid="label-next-item"
                data-record={s.record}
                onClick={() => onSelect(s.record)}
                title={`Select it, then label it: a anomaly, x normal (${REASON[s.reason]})`}
              >
                {s.lineNumber !== undefined ? `line ${s.lineNumber}` : `${unit} ${s.unit + 1}`}
              </button>{' '}
              <span className="mono">{s.text && s.text.length > SHOWN_CHARS ? `${s.text.slice(0, SHOWN_CHARS)}…` : (s.text ?? '')}</span>{' '}
              <span className="muted">· {REASON[s.reason]}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The detail panel's three scores of a unit: blended (what every view ranks by), learned and unsupervised. */
export function LearnedScores({ scores }: { scores: { unsupervised: number; learned?: number; blended?: number } }) {
  if (scores.blended === undefined || scores.learned === undefined) return null;
  return (
    <span className="learned-scores" data-testid="learned-scores">
      blended <span className="mono">{scores.blended.toFixed(3)}</span> · learned <span className="mono">{scores.learned.toFixed(3)}</span>{' '}
      · unsupervised <span className="mono">{scores.unsupervised.toFixed(3)}</span>
    </span>
  );
}
