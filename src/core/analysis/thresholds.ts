/**
 * Default thresholds: where "anomalous" starts on each detector's scale when the analyst has not
 * dragged it. A contamination fraction always wins: the top fraction of units is flagged.
 */
import type { DetectorKind, ScoringUnit } from './types';

/** Share of units flagged at most by the automatic rule, so a noisy log does not flood the views. */
const MAX_AUTO_SHARE = 0.05;
const MIN_AUTO_SHARE = 0.001;

/** The score above which a `share` of units lie (the (1 − share) quantile). */
export function quantileThreshold(scores: Float32Array, share: number): number {
  if (scores.length === 0) return 0;
  const sorted = Float32Array.from(scores).sort();
  const k = Math.min(sorted.length - 1, Math.max(0, Math.floor((1 - share) * sorted.length)));
  return sorted[k];
}

/** A share of units to flag, kept within the automatic rule's bounds. */
export function clampShare(share: number): number {
  return Math.min(MAX_AUTO_SHARE, Math.max(MIN_AUTO_SHARE, share));
}

function median(sorted: Float32Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Robust outlier rule (median + 5 scaled MADs) kept between 0.1% and 5% of units. The isolation
 * forest on lines keeps scikit-learn's meaning: a score above 0.5 is an outlier.
 */
export function automaticThreshold(scores: Float32Array, detector: DetectorKind, unit: ScoringUnit): number {
  if (scores.length === 0) return 0;
  if (detector === 'forest' && (unit === 'line' || unit === 'template')) return 0.5;
  const sorted = Float32Array.from(scores).sort();
  const m = median(sorted);
  const deviations = sorted.map((s) => Math.abs(s - m)).sort();
  const mad = 1.4826 * median(deviations);
  let t = m + 5 * (mad || 1e-6);
  const lo = quantileThreshold(scores, MAX_AUTO_SHARE);
  const hi = quantileThreshold(scores, MIN_AUTO_SHARE);
  if (t < lo) t = lo;
  if (t > hi) t = hi;
  return t;
}

export function thresholdFor(scores: Float32Array, detector: DetectorKind, unit: ScoringUnit, contamination: 'auto' | number): number {
  return contamination === 'auto' ? automaticThreshold(scores, detector, unit) : quantileThreshold(scores, contamination);
}

export function countAtOrAbove(scores: ArrayLike<number>, threshold: number): number {
  let c = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold) c++;
  return c;
}
