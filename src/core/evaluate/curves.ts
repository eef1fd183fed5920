/**
 * ROC and precision-recall curves, ROC-AUC, average precision and the best F1, with
 * scikit-learn's definitions (roc_auc_score, average_precision_score, precision_recall_curve).
 */
import type { LabelArray } from './labels';
import { type ThresholdSweep, thresholdSweep } from './sweep';
import { type ThresholdMetrics, metricsFromCounts } from './threshold';

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Flag score ≥ threshold; Infinity for the (0, 0) corner. */
  threshold: number;
}

export interface PrPoint {
  recall: number;
  precision: number;
  /** Flag score ≥ threshold; Infinity for the (recall 0, precision 1) start. */
  threshold: number;
}

function sweepOf(scoresOrSweep: ArrayLike<number> | ThresholdSweep, labels?: LabelArray): ThresholdSweep {
  if ('thresholds' in scoresOrSweep) return scoresOrSweep;
  if (!labels) throw new TypeError('labels are required with raw scores');
  return thresholdSweep(scoresOrSweep, labels);
}

/** ROC points from (0, 0) through every distinct threshold to (1, 1); empty without both classes. */
export function rocCurve(scores: ArrayLike<number> | ThresholdSweep, labels?: LabelArray): RocPoint[] {
  const sw = sweepOf(scores, labels);
  if (sw.positives === 0 || sw.negatives === 0) return [];
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  for (let k = 0; k < sw.thresholds.length; k++) {
    points.push({ fpr: sw.fp[k] / sw.negatives, tpr: sw.tp[k] / sw.positives, threshold: sw.thresholds[k] });
  }
  return points;
}

/** Area under the ROC curve by the trapezoid rule over distinct thresholds; NaN without both classes. */
export function rocAuc(scores: ArrayLike<number> | ThresholdSweep, labels?: LabelArray): number {
  const sw = sweepOf(scores, labels);
  if (sw.positives === 0 || sw.negatives === 0) return NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < sw.thresholds.length; k++) {
    area += (sw.fp[k] - prevFp) * (sw.tp[k] + prevTp);
    prevTp = sw.tp[k];
    prevFp = sw.fp[k];
  }
  return area / (2 * sw.positives * sw.negatives);
}

/**
 * Precision-recall points by decreasing threshold, starting at (recall 0, precision 1) and ending
 * where recall first reaches 1 (as scikit-learn's precision_recall_curve). Empty without anomalies.
 */
export function prCurve(scores: ArrayLike<number> | ThresholdSweep, labels?: LabelArray): PrPoint[] {
  const sw = sweepOf(scores, labels);
  if (sw.positives === 0) return [];
  const points: PrPoint[] = [{ recall: 0, precision: 1, threshold: Infinity }];
  for (let k = 0; k < sw.thresholds.length; k++) {
    const tp = sw.tp[k];
    points.push({ recall: tp / sw.positives, precision: tp / (tp + sw.fp[k]), threshold: sw.thresholds[k] });
    if (tp === sw.positives) break;
  }
  return points;
}

/** Step-wise average precision: Σ (R_k − R_{k−1}) · P_k over distinct thresholds; NaN without anomalies. */
export function averagePrecision(scores: ArrayLike<number> | ThresholdSweep, labels?: LabelArray): number {
  const sw = sweepOf(scores, labels);
  if (sw.positives === 0) return NaN;
  let ap = 0;
  let prevTp = 0;
  for (let k = 0; k < sw.thresholds.length; k++) {
    const tp = sw.tp[k];
    if (tp !== prevTp) ap += ((tp - prevTp) / sw.positives) * (tp / (tp + sw.fp[k]));
    prevTp = tp;
  }
  return ap;
}

/**
 * The threshold (one of the scores) with the highest F1, and its metrics. Ties go to the highest
 * threshold, i.e. the fewest flagged units. Without anomalies every F1 is 0: threshold Infinity.
 */
export function bestF1(scores: ArrayLike<number> | ThresholdSweep, labels?: LabelArray): ThresholdMetrics {
  const sw = sweepOf(scores, labels);
  let best = metricsFromCounts(0, 0, sw.positives, sw.negatives, Infinity);
  for (let k = 0; k < sw.thresholds.length; k++) {
    const tp = sw.tp[k];
    const fp = sw.fp[k];
    const m = metricsFromCounts(tp, fp, sw.positives - tp, sw.negatives - fp, sw.thresholds[k]);
    if (m.f1 > best.f1) best = m;
  }
  return best;
}
