/** Detection quality of the current unit against ground truth, when any is known. */
import { evaluateScores } from '../evaluate';
import type { AnalysisSettings, Metrics } from './types';

export function computeMetrics(settings: AnalysisSettings, labels: Int8Array | undefined, scores: Float32Array, threshold: number): Metrics | undefined {
  if (!labels) return undefined;
  const evaluation = evaluateScores(scores, labels, threshold);
  if (evaluation.positives === 0 || evaluation.negatives === 0) return undefined;
  const at = evaluation.atThreshold!;
  return {
    unit: settings.unit, detector: settings.detector, auroc: evaluation.auroc, ap: evaluation.ap, bestF1: evaluation.best.f1,
    precision: at.precision, recall: at.recall, f1: at.f1, threshold,
    pr: evaluation.pr.map((p) => ({ recall: p.recall, precision: p.precision })),
  };
}
