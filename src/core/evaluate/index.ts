/**
 * Evaluation of anomaly scores against ground truth. Scores: higher = more anomalous. Labels:
 * 1 / true = anomaly, 0 / false = normal, negative = unknown (skipped).
 */
import { averagePrecision, bestF1, prCurve, rocAuc, rocCurve, type PrPoint, type RocPoint } from './curves';
import { downsampleCurve } from './downsample';
import type { LabelArray } from './labels';
import { thresholdSweep } from './sweep';
import { type ThresholdMetrics, metricsAtThreshold } from './threshold';

export * from './curves';
export * from './downsample';
export * from './labels';
export * from './sweep';
export * from './threshold';
export * from './topk';

/** Most points a chart gets per curve. */
export const CHART_POINTS = 200;

export interface ScoreEvaluation {
  /** NaN when the labelled units lack one of the classes. */
  auroc: number;
  ap: number;
  best: ThresholdMetrics;
  /** Metrics at the analyst's threshold, when one was given. */
  atThreshold?: ThresholdMetrics;
  positives: number;
  negatives: number;
  /** Curves thinned to ≤ CHART_POINTS points. */
  pr: PrPoint[];
  roc: RocPoint[];
}

/** Everything the metrics panel shows, from one sort of the scores. */
export function evaluateScores(scores: ArrayLike<number>, labels: LabelArray, threshold?: number): ScoreEvaluation {
  const sweep = thresholdSweep(scores, labels);
  return {
    auroc: rocAuc(sweep),
    ap: averagePrecision(sweep),
    best: bestF1(sweep),
    atThreshold: threshold === undefined ? undefined : metricsAtThreshold(scores, labels, threshold),
    positives: sweep.positives,
    negatives: sweep.negatives,
    pr: downsampleCurve(
      prCurve(sweep),
      (p) => p.recall,
      (p) => p.precision,
      CHART_POINTS,
    ),
    roc: downsampleCurve(
      rocCurve(sweep),
      (p) => p.fpr,
      (p) => p.tpr,
      CHART_POINTS,
    ),
  };
}
