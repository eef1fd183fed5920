/** Rank utilities (src/core/detect/rank.ts): rank normalisation and Spearman's rho. */
import { describe, expect, it } from 'vitest';
import { averageRanks, rankNormalize, spearman } from '../../../src/core/detect/rank';

describe('rankNormalize', () => {
  it('maps to [0, 1] by average rank, ties sharing a value', () => {
    expect(Array.from(averageRanks([10, 30, 20, 20]))).toEqual([1, 4, 2.5, 2.5]);
    expect(Array.from(rankNormalize([10, 30, 20, 20]))).toEqual([0, 1, 0.5, 0.5]);
    expect(Array.from(rankNormalize([-5, 7]))).toEqual([0, 1]);
    expect(Array.from(rankNormalize([42]))).toEqual([0.5]);
    expect(rankNormalize([])).toHaveLength(0);
  });
});

describe('spearman', () => {
  it('is ±1 for monotone relations and handles ties with average ranks', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 10000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    // Ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): 4.5 / √(4.5 · 5).
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});
