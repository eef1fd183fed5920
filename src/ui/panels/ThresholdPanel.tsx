/**
 * The score histogram with its draggable threshold, and two exact controls: the threshold itself
 * and the share of units it flags (a contamination). Counts here update as the threshold moves.
 */
import { memo, useState } from 'react';
import { useLoupe } from '../../state/store';
import { preparedScores } from '../charts/binning';
import { ScoreHistogram } from '../charts/ScoreHistogram';
import { UNIT_NAMES, useUnitsAbove } from '../derived';
import { formatCount, formatShare } from '../format';
import { useMountTurn, usePrepareTurn, useStaggeredWith } from '../useStaggered';

const EMPTY = new Float32Array(0);
/** Bins and sorts new scores in a task before the histogram's turn (see usePrepareTurn). */
const prepareHistogram = (scores: Float32Array) => void preparedScores(scores);

/** A number box that lets the analyst type freely and commits on Enter or blur. */
function NumberBox(props: { value: number; digits: number; step: number; label: string; testId: string; onCommit(v: number): void }) {
  const shown = Number.isFinite(props.value) ? props.value.toFixed(props.digits) : '';
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const v = Number(draft);
    setDraft(null);
    if (draft.trim() !== '' && Number.isFinite(v)) props.onCommit(v);
  };
  return (
    <input
      type="number"
      step={props.step}
      aria-label={props.label}
      data-testid={props.testId}
      value={draft ?? shown}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

// Memoised (no props): the row's and the workspace's staged mounts re-render their children, and
// a recharts chart re-rendered for nothing cost 130 ms at first scores (bench:e2e trace).
export const ThresholdPanel = memo(function ThresholdPanel() {
  // Staggered (empty at first mount): a new analysis renders and commits this heavy panel in a
  // task of its own, not in one commit with the other charts (see useStaggered).
  // The threshold drawn travels with the scores it was chosen for: a new analysis changes both,
  // and the histogram is drawn once, when its turn comes, not twice (see useStaggeredWith).
  const threshold = useLoupe((s) => s.threshold);
  const latestScores = useLoupe((s) => s.summary?.scoreDistribution ?? EMPTY);
  const mounted = useMountTurn(latestScores.length > 0);
  usePrepareTurn(latestScores, prepareHistogram);
  const [scores, drawnThreshold] = useStaggeredWith(latestScores, EMPTY, threshold);
  const unit = useLoupe((s) => s.summary?.settings.unit ?? 'line');
  const setThreshold = useLoupe((s) => s.setThreshold);
  const setFlaggedShare = useLoupe((s) => s.setFlaggedShare);
  const unitsAbove = useUnitsAbove();
  // How the default threshold was chosen; once the analyst moves it, it is theirs.
  const explanation = useLoupe((s) => (s.summary && s.threshold === s.summary.threshold ? s.summary.thresholdExplanation : ''));
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <div style={{ flex: '1 1 auto', minHeight: 0 }}>
        <ScoreHistogram scores={scores} threshold={drawnThreshold} onThresholdChange={setThreshold} mountHidden={mounted} />
      </div>
      <div className="threshold-controls">
        <label>
          threshold{' '}
          <NumberBox value={threshold} digits={3} step={0.01} label="Threshold" testId="threshold-input" onCommit={setThreshold} />
        </label>
        <label>
          flag{' '}
          <NumberBox
            value={(scores.length ? unitsAbove / scores.length : 0) * 100}
            digits={2}
            step={0.5}
            label="Share flagged (%)"
            testId="share-input"
            onCommit={(pct) => setFlaggedShare(pct / 100)}
          />
          %
        </label>
        <span data-testid="units-above">
          <b className="flagged">{formatCount(unitsAbove)}</b> of {formatCount(scores.length)} {UNIT_NAMES[unit]} (
          {formatShare(scores.length ? unitsAbove / scores.length : 0)})
        </span>
      </div>
      {explanation && (
        <div className="hint threshold-why" data-testid="threshold-why" title={explanation}>
          {explanation}
        </div>
      )}
    </div>
  );
});
