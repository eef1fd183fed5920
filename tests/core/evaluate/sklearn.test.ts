/** Metrics against scikit-learn 1.2 on the fixture scores (plain and coarsely rounded, with many ties). */
import { describe, expect, it } from 'vitest';
import { averagePrecision, bestF1, metricsAtThreshold, rocAuc } from '../../../src/core/evaluate';
import { FIXTURE_NAMES, loadFixture } from '../../fixtures/sklearn/load';

describe.each(FIXTURE_NAMES)('evaluate vs scikit-learn on %s', (name) => {
  const { reference } = loadFixture(name);
  const labels = new Uint8Array(reference.labels);
  const cases = [
    ['scores', reference.evaluate.scores, reference.evaluate.metrics],
    ['coarse (tied) scores', reference.evaluate.coarse_scores, reference.evaluate.coarse_metrics],
  ] as const;

  it.each(cases)('%s: ROC-AUC, AP, best F1 and P/R/F1 at thresholds', (_label, scores, expected) => {
    expect(rocAuc(scores, labels)).toBeCloseTo(expected.roc_auc, 10);
    expect(averagePrecision(scores, labels)).toBeCloseTo(expected.average_precision, 10);
    const best = bestF1(scores, labels);
    expect(best.f1).toBeCloseTo(expected.best_f1, 10);
    expect(best.threshold).toBe(expected.best_f1_threshold);
    for (const at of expected.at_thresholds) {
      const m = metricsAtThreshold(scores, labels, at.threshold);
      expect(m.precision).toBeCloseTo(at.precision, 10);
      expect(m.recall).toBeCloseTo(at.recall, 10);
      expect(m.f1).toBeCloseTo(at.f1, 10);
    }
  });
});
