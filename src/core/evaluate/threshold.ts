/** Precision, recall and F1 when every unit scoring at or above a threshold is called anomalous. */
import { type LabelArray, checkScoresAndLabels, labelOf } from './labels';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ThresholdMetrics extends Confusion {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Counts with "anomalous" = score ≥ threshold; units with unknown labels are skipped. */
export function confusionAt(scores: ArrayLike<number>, labels: LabelArray, threshold: number): Confusion {
  checkScoresAndLabels(scores, labels);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const label = labelOf(labels, i);
    if (label < 0) continue;
    const flagged = scores[i] >= threshold;
    if (label === 1) {
      if (flagged) c.tp++;
      else c.fn++;
    } else if (flagged) c.fp++;
    else c.tn++;
  }
  return c;
}

/**
 * Precision / recall / F1 from counts. Like scikit-learn with zero_division=0: precision is 0 when
 * nothing is flagged, recall 0 when there are no anomalies, F1 0 when both are 0.
 */
export function metricsFromCounts(tp: number, fp: number, fn: number, tn: number, threshold: number): ThresholdMetrics {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, tp, fp, tn, fn, precision, recall, f1 };
}

export function metricsAtThreshold(scores: ArrayLike<number>, labels: LabelArray, threshold: number): ThresholdMetrics {
  const c = confusionAt(scores, labels, threshold);
  return metricsFromCounts(c.tp, c.fp, c.fn, c.tn, threshold);
}
