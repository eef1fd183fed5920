/** Values the views derive from the store, memoised so dragging the threshold stays cheap. */
import { useMemo } from 'react';
import { useLoupe } from '../state/store';
import { countAbove } from '../state/thresholds';

/** Units (of the current scoring unit) at or above the threshold, counted on the page. */
export function useUnitsAbove(): number {
  const scores = useLoupe((s) => s.summary?.unitScores);
  const threshold = useLoupe((s) => s.threshold);
  return useMemo(() => (scores ? countAbove(scores, threshold) : 0), [scores, threshold]);
}

/** Maps a score onto [0, 1] for colouring, from the spread of the current unit scores. */
export function useScoreScale(): (score: number) => number {
  const scores = useLoupe((s) => s.summary?.unitScores);
  return useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    if (scores) for (const s of scores) if (Number.isFinite(s)) { if (s < lo) lo = s; if (s > hi) hi = s; }
    const span = hi > lo ? hi - lo : 1;
    const base = Number.isFinite(lo) ? lo : 0;
    return (score: number) => Math.min(1, Math.max(0, (score - base) / span));
  }, [scores]);
}

export const UNIT_NAMES = { line: 'lines', template: 'templates', session: 'sessions', window: 'windows' } as const;
