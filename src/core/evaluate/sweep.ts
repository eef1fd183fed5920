/**
 * The threshold sweep behind every curve: units sorted by score, descending, with cumulative true
 * and false positives at each distinct score (ties move together, as in scikit-learn).
 */
import { type LabelArray, checkScoresAndLabels, labelOf } from './labels';

export interface ThresholdSweep {
  /** Distinct scores of labelled units, descending: each is a threshold (flag score ≥ it). */
  thresholds: Float64Array;
  /** Anomalies and normal units flagged at each threshold. */
  tp: Float64Array;
  fp: Float64Array;
  positives: number;
  negatives: number;
}

export function thresholdSweep(scores: ArrayLike<number>, labels: LabelArray): ThresholdSweep {
  checkScoresAndLabels(scores, labels);
  const n = scores.length;
  let m = 0;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) if (labelOf(labels, i) >= 0) order[m++] = i;
  const kept = order.subarray(0, m);
  const s = Float64Array.from(scores);
  kept.sort((a, b) => s[b] - s[a]);

  const thresholds = new Float64Array(m);
  const tp = new Float64Array(m);
  const fp = new Float64Array(m);
  let count = 0;
  let tpAcc = 0;
  let fpAcc = 0;
  for (let k = 0; k < m; k++) {
    const i = kept[k];
    if (labelOf(labels, i) === 1) tpAcc++;
    else fpAcc++;
    // Record a point only after the last unit of a run of equal scores.
    if (k === m - 1 || s[kept[k + 1]] !== s[i]) {
      thresholds[count] = s[i];
      tp[count] = tpAcc;
      fp[count] = fpAcc;
      count++;
    }
  }
  return {
    thresholds: thresholds.slice(0, count),
    tp: tp.slice(0, count),
    fp: fp.slice(0, count),
    positives: tpAcc,
    negatives: fpAcc,
  };
}
