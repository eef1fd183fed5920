import { describe, expect, it } from 'vitest';
import { IsolationForest, anomalyScore, averagePathLength } from '../../../src/core/detect/forest';
import { isolationDepthLimit, percentile, resolveMaxSamples } from '../../../src/core/detect/forestCommon';
import { SeededRandom } from '../../../src/core/detect/random';

function gaussianRows(nRows: number, nDims: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const X = new Float32Array(nRows * nDims);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextGaussian();
  return X;
}

describe('averagePathLength', () => {
  it('follows sklearn: 0, 0, 1, then 2(ln(n−1) + γ) − 2(n−1)/n', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(3)).toBeCloseTo(2 * (Math.log(2) + 0.5772156649) - 4 / 3, 9);
    expect(averagePathLength(256)).toBeCloseTo(10.244770920116851, 9);
  });
});

describe('option semantics', () => {
  it('maxSamples: auto = min(256, n), fraction, count capped at n', () => {
    expect(resolveMaxSamples('auto', 100)).toBe(100);
    expect(resolveMaxSamples('auto', 10_000)).toBe(256);
    expect(resolveMaxSamples(0.5, 1001)).toBe(500);
    expect(resolveMaxSamples(1, 1001)).toBe(1001);
    expect(resolveMaxSamples(64, 1001)).toBe(64);
    expect(resolveMaxSamples(5000, 1001)).toBe(1001);
    expect(isolationDepthLimit(256)).toBe(8);
    expect(isolationDepthLimit(257)).toBe(9);
    expect(isolationDepthLimit(1)).toBe(1);
  });

  it('percentile interpolates linearly like numpy', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 5)).toBeCloseTo(1.2, 12);
    expect(percentile([7], 30)).toBe(7);
  });

  it('rejects bad options and bad input', () => {
    expect(() => new IsolationForest({ nEstimators: 0 })).toThrow(RangeError);
    expect(() => new IsolationForest({ contamination: 0.7 })).toThrow(RangeError);
    expect(() => new IsolationForest({ maxSamples: -1 })).toThrow(RangeError);
    const X = gaussianRows(10, 2, 1);
    X[5] = NaN;
    expect(() => new IsolationForest().fit(X, 10, 2)).toThrow(/non-finite.*row 2, column 1/);
    expect(() => new IsolationForest().fit(new Float32Array(5), 3, 2)).toThrow(RangeError);
    expect(() => new IsolationForest().scoreSamples(new Float32Array(4), 2)).toThrow(/not fitted/);
    const fitted = new IsolationForest().fit(gaussianRows(10, 2, 1), 10, 2);
    expect(() => fitted.scoreSamples(new Float32Array(3), 2)).toThrow(RangeError);
    // Scoring refuses what fitting refuses: a NaN or an infinity has no place on a path.
    expect(() => fitted.scoreSamples(Float32Array.from([0, 0, NaN, 1]), 2)).toThrow(/non-finite value \(NaN\) at row 1, column 0/);
    expect(() => fitted.scoreSamples(Float32Array.from([Infinity, 0]), 1)).toThrow(/non-finite value \(Infinity\)/);
    // 1.5 rows per tree is not a count: it must not floor silently to one.
    expect(() => new IsolationForest({ maxSamples: 1.5 })).toThrow(/whole count/);
  });
});

describe('IsolationForest', () => {
  const n = 2000;
  const d = 8;
  const X = gaussianRows(n, d, 11);
  // Row 0 is far out on every feature.
  for (let f = 0; f < d; f++) X[f] = 6;

  it('is deterministic for a seed and differs across seeds', () => {
    const a = new IsolationForest({ seed: 5 }).fit(X, n, d).scoreSamples(X, n);
    const b = new IsolationForest({ seed: 5 }).fit(X, n, d).scoreSamples(X, n);
    const c = new IsolationForest({ seed: 6 }).fit(X, n, d).scoreSamples(X, n);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('scores in [-1, 0), the far row lowest, and builds bounded flat trees', () => {
    const forest = new IsolationForest({ seed: 1 }).fit(X, n, d);
    const scores = forest.scoreSamples(X, n);
    let argmin = 0;
    for (let i = 0; i < n; i++) {
      expect(scores[i]).toBeGreaterThanOrEqual(-1);
      expect(scores[i]).toBeLessThan(0);
      if (scores[i] < scores[argmin]) argmin = i;
    }
    expect(argmin).toBe(0);
    expect(forest.maxSamplesUsed).toBe(256);
    expect(forest.treeRoots.length).toBe(100);
    expect(forest.nodes.count).toBeLessThanOrEqual(100 * 511);
    // Every leaf holds depth + c(size) with depth ≤ 8; sizes of a tree's leaves sum to ψ.
    const { feature, left, right, size, leafValue } = forest.nodes;
    const root = forest.treeRoots[3];
    let leafRows = 0;
    const stack: Array<[number, number]> = [[root, 0]];
    while (stack.length) {
      const [node, depth] = stack.pop()!;
      if (feature[node] < 0) {
        leafRows += size[node];
        expect(depth).toBeLessThanOrEqual(8);
        expect(leafValue[node]).toBeCloseTo(depth + averagePathLength(size[node]), 5);
      } else {
        expect(size[left[node]] + size[right[node]]).toBe(size[node]);
        stack.push([left[node], depth + 1], [right[node], depth + 1]);
      }
    }
    expect(leafRows).toBe(256);
  });

  it('decisionFunction = scoreSamples − offset; predict −1/1 and mask agree', () => {
    const forest = new IsolationForest({ seed: 2, contamination: 0.01 }).fit(X, n, d);
    const scores = forest.scoreSamples(X, n);
    const decision = forest.decisionFunction(X, n);
    const predicted = forest.predict(X, n);
    const mask = forest.predictMask(X, n);
    let flagged = 0;
    for (let i = 0; i < n; i++) {
      expect(decision[i]).toBeCloseTo(scores[i] - forest.offset, 6);
      expect(predicted[i]).toBe(decision[i] < 0 ? -1 : 1);
      expect(mask[i]).toBe(predicted[i] === -1 ? 1 : 0);
      flagged += mask[i];
    }
    // Offset at the 1st percentile of training scores: 1% of rows (20) fall strictly below it.
    expect(flagged).toBeGreaterThanOrEqual(19);
    expect(flagged).toBeLessThanOrEqual(20);
    expect(mask[0]).toBe(1);
    expect(anomalyScore(scores)[0]).toBe(-scores[0]);
  });

  it('gives every row -0.5 on constant data (the root is a leaf of ψ rows)', () => {
    const constant = new Float32Array(300 * 3).fill(2.5);
    const forest = new IsolationForest().fit(constant, 300, 3);
    expect(forest.nodes.count).toBe(100);
    for (const s of forest.scoreSamples(constant, 300)) expect(s).toBeCloseTo(-0.5, 6);
    // A single row: c(1) = 0, sklearn's convention gives -0.5 too.
    expect(new IsolationForest().fit(new Float32Array([1, 2]), 1, 2).scoreSamples(new Float32Array([1, 2]), 1)[0]).toBe(-0.5);
  });

  it('never splits on a constant feature and honours maxFeatures', () => {
    const rows = 500;
    const Y = gaussianRows(rows, 4, 3);
    for (let r = 0; r < rows; r++) Y[r * 4 + 2] = 7;
    const forest = new IsolationForest({ maxFeatures: 0.5, seed: 4 }).fit(Y, rows, 4);
    const used = new Set<number>();
    for (let i = 0; i < forest.nodes.count; i++) if (forest.nodes.feature[i] >= 0) used.add(forest.nodes.feature[i]);
    expect(used.has(2)).toBe(false);
    expect([...used].sort()).toEqual([0, 1, 3]);
    // maxFeatures 0.5 of 4 = 2 features per tree: each tree splits on at most 2 distinct features.
    const perTree = new Set<number>();
    const stack = [forest.treeRoots[0]];
    while (stack.length) {
      const node = stack.pop()!;
      if (forest.nodes.feature[node] >= 0) {
        perTree.add(forest.nodes.feature[node]);
        stack.push(forest.nodes.left[node], forest.nodes.right[node]);
      }
    }
    expect(perTree.size).toBeLessThanOrEqual(2);
  });

  it('uses all rows with maxSamples 1.0 and a deeper limit', () => {
    const forest = new IsolationForest({ maxSamples: 1.0, nEstimators: 10 }).fit(X, n, d);
    expect(forest.maxSamplesUsed).toBe(n);
    expect(forest.nodes.size[forest.treeRoots[0]]).toBe(n);
  });
});
