/**
 * The threshold, and the one rule every view uses: a unit is flagged when its score is at or above
 * the threshold. Counts, ranks, j/k, the viewer's marks and the exports all go through here.
 */
import type { ScoringUnit } from './settings';

/** Share of units flagged at most by the automatic rule, so a noisy log does not flood the views. */
const MAX_AUTO_SHARE = 0.05;

export function isFlagged(score: number, threshold: number): boolean {
  return score >= threshold;
}

export function countFlagged(scores: ArrayLike<number>, threshold: number): number {
  let c = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold) c++;
  return c;
}

/**
 * First index in ascending `sorted` whose value is ≥ `value` (or > `value` when `strictly`), its
 * length when none is: the one binary search of Loupe.
 */
export function searchSorted(sorted: ArrayLike<number>, value: number, strictly = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value || (strictly && sorted[mid] === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The q-quantile (0..1) of ascending values, interpolated between neighbours; NaN when empty. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Units flagged, from the scores sorted ascending (a binary search: instant while dragging). */
export function countFlaggedSorted(sorted: ArrayLike<number>, threshold: number): number {
  return Number.isNaN(threshold) ? 0 : sorted.length - searchSorted(sorted, threshold);
}

/** Rank of a score among scores: 1 + how many score strictly higher (ties share the best rank). */
export function rankOf(scores: ArrayLike<number>, score: number): number {
  let c = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > score) c++;
  return 1 + c;
}

/** Finite scores sorted ascending. */
export function sortedScores(scores: ArrayLike<number>): Float32Array {
  return Float32Array.from(scores)
    .filter((s) => Number.isFinite(s))
    .sort();
}

/** A threshold above every score: flags nothing. */
function above(x: number): number {
  return x + Math.max(Math.abs(x) * 1e-6, 1e-9);
}

/**
 * The threshold that flags at most `share` (0..1) of the units, given their scores sorted ascending.
 * Tied units are flagged together or not at all, so ties never push the share over what was asked:
 * a log whose scores are all equal flags nothing rather than everything.
 */
export function thresholdForShare(sorted: ArrayLike<number>, share: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const wanted = Math.floor(Math.min(Math.max(share, 0), 1) * n + 1e-9);
  if (wanted === 0) return above(sorted[n - 1]);
  const candidate = sorted[n - wanted];
  if (n - searchSorted(sorted, candidate) <= wanted) return candidate;
  const next = searchSorted(sorted, candidate, true);
  return next < n ? sorted[next] : above(sorted[n - 1]);
}

function median(sorted: Float32Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * The threshold the scores suggest: robust outliers (median + 5 scaled MADs), flagging at most 5% of
 * the units. A log whose scores hardly vary flags nothing.
 */
export function automaticThreshold(scores: ArrayLike<number>): number {
  const sorted = sortedScores(scores);
  if (sorted.length === 0) return 0;
  const m = median(sorted);
  const deviations = sorted.map((s) => Math.abs(s - m)).sort();
  const mad = 1.4826 * median(deviations);
  const robust = m + 5 * (mad || 1e-6);
  return Math.max(robust, thresholdForShare(sorted, MAX_AUTO_SHARE));
}

/** The analyst's contamination share when given, else the automatic threshold. */
export function thresholdFor(scores: ArrayLike<number>, contamination: 'auto' | number): number {
  return contamination === 'auto' ? automaticThreshold(scores) : thresholdForShare(sortedScores(scores), contamination);
}

/**
 * The threshold on LINE scores that goes with a threshold on the unit's scores. Lines and templates
 * share a scale, so the unit's threshold applies; sessions and windows are on a scale of their own,
 * so their lines are flagged by the automatic threshold of the line scores.
 */
export function lineCutoff(unit: ScoringUnit, unitThreshold: number, lineThreshold: number): number {
  return unit === 'line' || unit === 'template' ? unitThreshold : lineThreshold;
}
