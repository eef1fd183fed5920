import { describe, expect, it } from 'vitest';
import { fitPca, symmetricEigen } from '../../../src/core/detect/pca';
import { SeededRandom } from '../../../src/core/detect/random';
import { loadFixture } from '../../fixtures/sklearn/load';

describe('symmetricEigen', () => {
  it('solves a 2 × 2 case by hand: [[2, 1], [1, 2]] has eigenvalues 1 and 3', () => {
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(1, 12);
    expect(values[1]).toBeCloseTo(3, 12);
    // Eigenvector of 3 is ±(1, 1)/√2.
    expect(Math.abs(vectors[1])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[1] * vectors[3]).toBeCloseTo(0.5, 12);
  });

  it('reconstructs random symmetric matrices (residual and orthogonality ~1e-12)', () => {
    for (const n of [1, 3, 17, 90]) {
      const rng = new SeededRandom(n);
      const M = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) M[i * n + j] = M[j * n + i] = rng.nextGaussian();
      }
      const { values, vectors } = symmetricEigen(M, n);
      for (let c = 1; c < n; c++) expect(values[c]).toBeGreaterThanOrEqual(values[c - 1]);
      let residual = 0;
      let orthogonality = 0;
      for (let a = 0; a < n; a++) {
        for (let i = 0; i < n; i++) {
          let mv = 0;
          for (let j = 0; j < n; j++) mv += M[i * n + j] * vectors[j * n + a];
          residual = Math.max(residual, Math.abs(mv - values[a] * vectors[i * n + a]));
        }
        for (let b = 0; b < n; b++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[i * n + a] * vectors[i * n + b];
          orthogonality = Math.max(orthogonality, Math.abs(dot - (a === b ? 1 : 0)));
        }
      }
      expect(residual).toBeLessThan(1e-10);
      expect(orthogonality).toBeLessThan(1e-10);
    }
  });
});

describe.each(['clearcut', 'mixed', 'wide'] as const)('fitPca vs scikit-learn PCA(whiten=True) on %s', (name) => {
  const { data, reference } = loadFixture(name);
  const ref = reference.pca;
  const pca = fitPca(data.X, data.nRows, data.nDims, { components: ref.components, whiten: true });

  it('matches mean, variances and sign-fixed components', () => {
    expect(pca.components).toBe(ref.components);
    for (let j = 0; j < data.nDims; j++) expect(pca.mean[j]).toBeCloseTo(ref.mean[j], 6);
    for (let c = 0; c < ref.components; c++) {
      expect(pca.explainedVariance[c] / ref.explained_variance[c]).toBeCloseTo(1, 9);
      for (let j = 0; j < data.nDims; j++) expect(pca.basis[c * data.nDims + j]).toBeCloseTo(ref.basis[c][j], 6);
    }
  });

  it('transforms rows as sklearn does, with unit variance on the training rows', () => {
    const Y = pca.transform(data.X, data.nRows);
    for (let r = 0; r < 10; r++) {
      for (let c = 0; c < ref.components; c++) expect(Y[r * ref.components + c]).toBeCloseTo(ref.transform_head[r][c], 4);
    }
    for (let c = 0; c < ref.components; c++) {
      let sq = 0;
      for (let r = 0; r < data.nRows; r++) sq += Y[r * ref.components + c] ** 2;
      expect(sq / (data.nRows - 1)).toBeCloseTo(1, 4);
    }
  });
});

describe('fitPca edge cases', () => {
  it('keeps a constant feature out of the whitened output instead of dividing by zero', () => {
    const { data, reference } = loadFixture('mixed');
    // Feature 14 is constant: its variance is the smallest and exactly 0.
    const all = fitPca(data.X, data.nRows, data.nDims, { components: 16, whiten: true });
    expect(all.explainedVariance[15]).toBeLessThan(1e-9);
    expect(reference.pca.all_variances[15]).toBeLessThan(1e-9);
    const Y = all.transform(data.X, 5);
    for (const v of Y) expect(Number.isFinite(v)).toBe(true);
    for (let r = 0; r < 5; r++) expect(Y[r * 16 + 15]).toBe(0);
  });

  it('clips components to nDims, leaves scale alone without whiten, and rejects bad input', () => {
    const X = new Float32Array([0, 0, 2, 0, 4, 0, 6, 0]);
    const pca = fitPca(X, 4, 2, { components: 5 });
    expect(pca.components).toBe(2);
    const Y = pca.transform(X, 4);
    expect(Array.from(Y.filter((_, i) => i % 2 === 0))).toEqual([-3, -1, 1, 3]);
    expect(() => fitPca(X, 1, 2, { components: 1 })).toThrow(RangeError);
    expect(() => fitPca(X, 4, 2, { components: 0 })).toThrow(RangeError);
  });
});
