/** Values the views derive from the store, memoised so dragging the threshold stays cheap. */
import { useMemo } from 'react';
import { useLoupe } from '../state/store';
import { countFlaggedSorted, lineCutoff } from '../core/detect/threshold';

/**
 * Units (of the current scoring unit) flagged at the threshold: the page owns this count, from the
 * sorted distribution it already holds, so dragging never waits for the worker.
 */
export function useUnitsAbove(): number {
  const sorted = useLoupe((s) => s.summary?.scoreDistribution);
  const threshold = useLoupe((s) => s.threshold);
  return useMemo(() => (sorted ? countFlaggedSorted(sorted, threshold) : 0), [sorted, threshold]);
}

/** The threshold on line scores that goes with the current threshold (the one rule, core/detect). */
export function useLineCutoff(): number {
  const unit = useLoupe((s) => s.summary?.settings.unit ?? 'line');
  const lineThreshold = useLoupe((s) => s.summary?.lineThreshold ?? Infinity);
  const threshold = useLoupe((s) => s.threshold);
  return lineCutoff(unit, threshold, lineThreshold);
}

/** Maps a score onto [0, 1] for colouring, from the spread of the current unit scores. */
export function useScoreScale(): (score: number) => number {
  const sorted = useLoupe((s) => s.summary?.scoreDistribution);
  return useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    // Ascending: the ends are the extremes (skipping infinities).
    if (sorted)
      for (const s of sorted)
        if (Number.isFinite(s)) {
          lo = s;
          break;
        }
    if (sorted)
      for (let i = sorted.length - 1; i >= 0; i--)
        if (Number.isFinite(sorted[i])) {
          hi = sorted[i];
          break;
        }
    const span = hi > lo ? hi - lo : 1;
    const base = Number.isFinite(lo) ? lo : 0;
    return (score: number) => Math.min(1, Math.max(0, (score - base) / span));
  }, [sorted]);
}

export const UNIT_NAMES = { line: 'lines', template: 'templates', session: 'sessions', window: 'windows' } as const;
