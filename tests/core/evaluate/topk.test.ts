import { describe, expect, it } from 'vitest';
import { metricsWithShare, precisionAtK, rPrecision } from '../../../src/core/evaluate';

describe('what the analyst sees first', () => {
  // Anomalies at 0.9, 0.7, 0.4; normal units at 0.8, 0.6, 0.5.
  const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
  const labels = [1, 0, 1, 0, 0, 1];

  it('P@k counts anomalies among the k highest scores', () => {
    expect(precisionAtK(scores, labels, 1)).toBe(1);
    expect(precisionAtK(scores, labels, 2)).toBe(0.5);
    expect(precisionAtK(scores, labels, 3)).toBeCloseTo(2 / 3, 12);
    // k beyond the labelled units shrinks to their number.
    expect(precisionAtK(scores, labels, 100)).toBe(0.5);
  });

  it('R-precision is P@(number of anomalies)', () => {
    expect(rPrecision(scores, labels)).toBeCloseTo(2 / 3, 12);
    expect(rPrecision(scores, [0, 0, 0, 0, 0, 0])).toBeNaN();
  });

  it('a tie straddling k counts by the share of it that fits, not by input order', () => {
    // Four units tied at the top, two of them anomalies; the order they come in must not matter.
    const tied = [1, 1, 1, 1, 0];
    expect(precisionAtK(tied, [1, 0, 0, 1, 0], 2)).toBe(0.5);
    expect(precisionAtK(tied, [1, 1, 0, 0, 0], 2)).toBe(0.5);
    expect(precisionAtK(tied, [0, 0, 1, 1, 0], 1)).toBe(0.5);
  });

  it('skips unknown labels and rejects a bad k or NaN scores', () => {
    expect(precisionAtK([0.9, 0.8, 0.1], [-1, 1, 0], 1)).toBe(1);
    expect(precisionAtK([0.9], [-1], 1)).toBeNaN();
    expect(() => precisionAtK(scores, labels, 0)).toThrow(RangeError);
    expect(() => precisionAtK([Number.NaN, 1], [1, 0], 1)).toThrow(RangeError);
  });

  it('reports the share flagged at a threshold beside precision and recall', () => {
    const m = metricsWithShare(scores, labels, 0.7);
    expect([m.tp, m.fp, m.flagged]).toEqual([2, 1, 3]);
    expect(m.shareFlagged).toBe(0.5);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    // Unlabelled units still count as flagged.
    expect(metricsWithShare([1, 1], [-1, 1], 0.5).flagged).toBe(2);
  });
});
