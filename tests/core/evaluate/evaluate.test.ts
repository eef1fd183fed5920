import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  bestF1,
  downsampleCurve,
  evaluateScores,
  metricsAtThreshold,
  prCurve,
  rocAuc,
  rocCurve,
} from '../../../src/core/evaluate';

// Hand case: anomalies at 0.9, 0.7, 0.4; normal units at 0.8, 0.6, 0.5.
const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
const labels = new Uint8Array([1, 0, 1, 0, 0, 1]);

describe('metrics on a hand-computed case', () => {
  it('ROC-AUC = share of (anomaly, normal) pairs ordered correctly = 5/9', () => {
    expect(rocAuc(scores, labels)).toBeCloseTo(5 / 9, 12);
  });

  it('average precision = 1/3·1 + 1/3·2/3 + 1/3·1/2 = 13/18', () => {
    expect(averagePrecision(scores, labels)).toBeCloseTo(13 / 18, 12);
  });

  it('best F1 = 2/3, at the highest threshold reaching it (0.7)', () => {
    const best = bestF1(scores, labels);
    expect(best.f1).toBeCloseTo(2 / 3, 12);
    expect(best.threshold).toBe(0.7);
    expect([best.tp, best.fp, best.fn, best.tn]).toEqual([2, 1, 1, 2]);
  });

  it('precision / recall / F1 at a threshold flag score ≥ threshold', () => {
    const m = metricsAtThreshold(scores, labels, 0.8);
    expect([m.tp, m.fp, m.fn, m.tn]).toEqual([1, 1, 2, 2]);
    expect(m.precision).toBe(0.5);
    expect(m.recall).toBeCloseTo(1 / 3, 12);
    expect(m.f1).toBeCloseTo(0.4, 12);
    const none = metricsAtThreshold(scores, labels, 2);
    expect([none.precision, none.recall, none.f1]).toEqual([0, 0, 0]);
  });

  it('curves start at their corners and follow the thresholds', () => {
    const roc = rocCurve(scores, labels);
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0, threshold: Infinity });
    expect(roc.at(-1)).toMatchObject({ fpr: 1, tpr: 1, threshold: 0.4 });
    expect(roc).toHaveLength(7);
    const pr = prCurve(scores, labels);
    expect(pr[0]).toEqual({ recall: 0, precision: 1, threshold: Infinity });
    expect(pr[1]).toEqual({ recall: 1 / 3, precision: 1, threshold: 0.9 });
    expect(pr.at(-1)).toEqual({ recall: 1, precision: 0.5, threshold: 0.4 });
  });
});

describe('ties, unknown labels and bad input', () => {
  it('counts a tied (anomaly, normal) pair as half, as sklearn does', () => {
    expect(rocAuc([1, 1, 0, 0], [1, 0, 1, 0])).toBe(0.5);
    expect(averagePrecision([1, 1, 0, 0], [1, 0, 1, 0])).toBe(0.5);
    // All scores equal: one threshold, AUC exactly 0.5, AP = prevalence.
    expect(rocAuc([3, 3, 3, 3, 3], [1, 0, 0, 0, 1])).toBe(0.5);
    expect(averagePrecision([3, 3, 3, 3, 3], [1, 0, 0, 0, 1])).toBeCloseTo(0.4, 12);
  });

  it('accepts boolean labels and skips negative (unknown) ones', () => {
    expect(rocAuc(scores, [true, false, true, false, false, true])).toBeCloseTo(5 / 9, 12);
    const withUnknown = [...scores, 100, -100];
    const labelsWithUnknown = new Int8Array([1, 0, 1, 0, 0, 1, -1, -1]);
    expect(rocAuc(withUnknown, labelsWithUnknown)).toBeCloseTo(5 / 9, 12);
    expect(evaluateScores(withUnknown, labelsWithUnknown).positives).toBe(3);
  });

  it('returns NaN AUC / AP without both classes, and rejects mismatched or NaN input', () => {
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNaN();
    expect(averagePrecision([0.1, 0.2], [0, 0])).toBeNaN();
    expect(bestF1([0.1, 0.2], [0, 0]).f1).toBe(0);
    expect(rocCurve([0.1, 0.2], [1, 1])).toEqual([]);
    expect(() => rocAuc([0.1, 0.2], [0, 1, 1])).toThrow(RangeError);
    expect(() => rocAuc([0.1, NaN], [0, 1])).toThrow(/NaN/);
  });
});

describe('curves for charts', () => {
  it('thins 100k-point curves to ≤ 200 points, keeping both ends and the shape', () => {
    const n = 100_000;
    const s = new Float32Array(n);
    const l = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = i;
      // Anomalies mostly among high scores.
      l[i] = (i > n - 500 && i % 3 === 0) || i % 997 === 0 ? 1 : 0;
    }
    const result = evaluateScores(s, l, n - 200);
    expect(result.pr.length).toBeLessThanOrEqual(200);
    expect(result.roc.length).toBeLessThanOrEqual(200);
    expect(result.pr.length).toBeGreaterThan(50);
    const fullPr = prCurve(s, l);
    expect(result.pr[0]).toEqual(fullPr[0]);
    expect(result.pr.at(-1)).toEqual(fullPr.at(-1));
    // Recall never decreases along the thinned curve, as along the full one.
    for (let i = 1; i < result.pr.length; i++) expect(result.pr[i].recall).toBeGreaterThanOrEqual(result.pr[i - 1].recall);
    let expectedTp = 0;
    for (let i = n - 200; i < n; i++) expectedTp += l[i];
    expect(result.atThreshold).toMatchObject({ tp: expectedTp, fp: 200 - expectedTp });
    expect(result.auroc).toBeGreaterThan(0.5);
  });

  it('keeps short curves untouched', () => {
    const pts = [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ];
    expect(
      downsampleCurve(
        pts,
        (p) => p.x,
        (p) => p.y,
        200,
      ),
    ).toEqual(pts);
  });
});
