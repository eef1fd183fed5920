import { describe, expect, it } from 'vitest';
import { noveltyBasis, textFeatureColumns, templateRarityOf } from '../../../src/core/detect/textFeatures';
import { createRandom } from '../../../src/core/detect/random';

/** Novelty as defined: 1 − the highest cosine to a basis text other than the row's own. */
function reference(
  basis: { vectors: Float32Array; textIds: Int32Array },
  vectors: Float32Array,
  rows: number,
  dims: number,
  self: number[],
) {
  return Array.from({ length: rows }, (_, r) => {
    let best = -1;
    let others = 0;
    basis.textIds.forEach((id, b) => {
      if (id === self[r]) return;
      others++;
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += vectors[r * dims + d] * basis.vectors[b * dims + d];
      best = Math.max(best, dot);
    });
    return others > 0 ? 1 - best : 0;
  });
}

function unitVectors(rows: number, dims: number, seed: number, sparse = false): Float32Array {
  const random = createRandom(seed);
  // Sparse rows stand for TF-IDF vectors: a few non-zero terms each.
  const v = Float32Array.from({ length: rows * dims }, (_, i) => (sparse && (i * 7919 + seed) % 6 !== 0 ? 0 : random() - 0.5 || 0.25));
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += v[r * dims + d] ** 2;
    for (let d = 0; d < dims; d++) v[r * dims + d] /= Math.sqrt(norm);
  }
  return v;
}

describe('novelty (nearest known text)', () => {
  it.each([
    ['dense rows (the encoder)', false],
    ['mostly-zero rows (TF-IDF)', true],
  ])('equals the definition for every row, whatever the row count modulo the block of four: %s', (_what, sparse) => {
    const dims = 24;
    for (const n of [1, 2, 5, 11, 37]) {
      const vectors = unitVectors(n, dims, n, sparse);
      const table = {
        texts: Array.from({ length: n }, (_, i) => `t${i}`),
        counts: Uint32Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 5)),
        templateOf: new Int32Array(n),
        levelOf: new Uint8Array(n),
      };
      const basis = noveltyBasis(table, vectors, dims);
      const self = Array.from({ length: n }, (_, i) => i);
      const expected = reference(basis, vectors, n, dims, self);
      Array.from(basis.ofPopulation!).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
      // Rows that are not population texts (a target against a reference): no row is skipped.
      const others = unitVectors(n + 2, dims, 100 + n, sparse);
      const columns = textFeatureColumns({ dims, rarity: templateRarityOf(table), novelty: basis }, others, n + 2, {
        templateOf: new Int32Array(n + 2),
        levelOf: new Uint8Array(n + 2),
        selfIndex: Int32Array.from({ length: n + 2 }, () => -1),
      });
      const outside = reference(basis, others, n + 2, dims, new Array(n + 2).fill(-1));
      Array.from(columns.novelty).forEach((v, i) => expect(v).toBeCloseTo(outside[i], 12));
    }
  });
});
