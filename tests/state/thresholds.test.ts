import { describe, expect, it } from 'vitest';
import { countAbove, shareAbove, thresholdForShare } from '../../src/state/thresholds';

describe('thresholds', () => {
  const scores = Float32Array.from({ length: 1000 }, (_, i) => i);

  it('counts units at or above the threshold, ignoring NaN', () => {
    expect(countAbove(scores, 900)).toBe(100);
    expect(countAbove(Float32Array.from([NaN, 1, 2]), 0)).toBe(2);
  });

  it('a share of units maps to the threshold that flags that share', () => {
    for (const share of [0.01, 0.05, 0.1, 0.5]) {
      const t = thresholdForShare(scores, share);
      expect(countAbove(scores, t)).toBe(Math.round(share * 1000));
      expect(shareAbove(scores, t)).toBeCloseTo(share, 6);
    }
    expect(countAbove(scores, thresholdForShare(scores, 0))).toBe(0);
    expect(countAbove(scores, thresholdForShare(scores, 1))).toBe(1000);
  });

  it('copes with no scores', () => {
    expect(thresholdForShare(new Float32Array(0), 0.1)).toBe(0);
    expect(shareAbove([], 0)).toBe(0);
  });
});
