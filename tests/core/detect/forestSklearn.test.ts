/**
 * Loupe's isolation forest against scikit-learn 1.2 on the same data (tests/fixtures/sklearn,
 * regenerated bit-for-bit from a seed). Individual trees differ (different PRNGs), so scores are
 * compared by rank, averaged over seeds on both sides to compare the forests' expectations.
 */
import { describe, expect, it } from 'vitest';
import { IsolationForest } from '../../../src/core/detect/forest';
import { spearman } from '../../../src/core/detect/rank';
import { checksum } from '../../fixtures/sklearn/datasets';
import { FIXTURE_NAMES, loadFixture } from '../../fixtures/sklearn/load';

const SEEDS = [0, 1, 2, 3, 4];

function meanScores(X: Float32Array, nRows: number, nDims: number): Float64Array {
  const mean = new Float64Array(nRows);
  for (const seed of SEEDS) {
    const scores = new IsolationForest({ seed }).fit(X, nRows, nDims).scoreSamples(X, nRows);
    for (let i = 0; i < nRows; i++) mean[i] += scores[i] / SEEDS.length;
  }
  return mean;
}

function topIndices(scores: ArrayLike<number>, k: number, lowestFirst: boolean): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => (lowestFirst ? scores[a] - scores[b] : scores[b] - scores[a]));
  return idx.slice(0, k).sort((a, b) => a - b);
}

describe.each(FIXTURE_NAMES)('isolation forest vs scikit-learn on %s', (name) => {
  const { data, reference } = loadFixture(name);

  it('regenerates the exact data sklearn saw', () => {
    expect(data.nRows).toBe(reference.nRows);
    expect(data.nDims).toBe(reference.nDims);
    const c = checksum(data.X);
    expect(c.head).toEqual(reference.checksum.head);
    expect(c.sum).toBe(reference.checksum.sum);
  });

  it('ranks rows as sklearn does (Spearman ≥ 0.98, 5-seed means)', () => {
    const loupe = meanScores(data.X, data.nRows, data.nDims);
    const rho = spearman(loupe, reference.score_samples_mean);
    expect(rho).toBeGreaterThanOrEqual(0.98);
    // Same scale, not just the same order: the mean scores agree to a few thousandths.
    let meanAbsDiff = 0;
    for (let i = 0; i < data.nRows; i++) meanAbsDiff += Math.abs(loupe[i] - reference.score_samples_mean[i]);
    expect(meanAbsDiff / data.nRows).toBeLessThan(0.01);
  });

  it('one seed agrees with sklearn about as well as sklearn agrees with itself', () => {
    const single = new IsolationForest({ seed: 7 }).fit(data.X, data.nRows, data.nDims).scoreSamples(data.X, data.nRows);
    const sklearnSelf = spearman(reference.auto.score_samples, reference.score_samples_mean);
    expect(spearman(single, reference.score_samples_mean)).toBeGreaterThan(sklearnSelf - 0.02);
  });

  it('offset: -0.5 for auto, near sklearn for contamination 0.05', () => {
    const auto = new IsolationForest({ seed: 0 }).fit(data.X, data.nRows, data.nDims);
    expect(auto.offset).toBe(-0.5);
    expect(reference.auto.offset).toBe(-0.5);
    const c05 = new IsolationForest({ seed: 0, contamination: 0.05 }).fit(data.X, data.nRows, data.nDims);
    expect(Math.abs(c05.offset - reference['contamination_0.05'].offset)).toBeLessThan(0.02);
    const flagged = c05.predictMask(data.X, data.nRows).reduce((a, b) => a + b, 0);
    // Both flag the rows strictly below the 5th percentile of their own training scores.
    expect(Math.abs(flagged - reference['contamination_0.05'].predict_outliers)).toBeLessThanOrEqual(2);
  });
});

describe('clear-cut fixture', () => {
  const { data, reference } = loadFixture('clearcut');
  const planted = Array.from(data.labels.keys()).filter((i) => data.labels[i] === 1);

  it('flags the same outliers as sklearn: exactly the 10 planted rows', () => {
    const loupe = new IsolationForest({ seed: 0 }).fit(data.X, data.nRows, data.nDims).scoreSamples(data.X, data.nRows);
    expect(topIndices(loupe, 10, true)).toEqual(planted);
    expect(topIndices(reference.auto.score_samples, 10, true)).toEqual(planted);
    // A contamination of 10 / 310 puts the offset between the planted rows and the blob.
    const c = new IsolationForest({ seed: 0, contamination: 10 / 310 }).fit(data.X, data.nRows, data.nDims);
    const mask = c.predictMask(data.X, data.nRows);
    expect(Array.from(mask.keys()).filter((i) => mask[i] === 1)).toEqual(planted);
  });
});
