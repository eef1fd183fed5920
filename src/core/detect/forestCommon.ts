/**
 * What the isolation forests share: options with scikit-learn's meaning, the average path length
 * c(n), the score formula, the contamination offset and the -1/1 prediction. The two forests differ
 * only in how a tree splits (axis-parallel vs random hyperplane) and how a row walks a tree.
 */
import { maxNodesPerTree } from './forestStorage';
import { SeededRandom } from './random';

/** Options of both forests, named and defaulted as in scikit-learn's IsolationForest. */
export interface ForestOptions {
  /** Number of trees. Default 100. */
  nEstimators?: number;
  /**
   * Rows drawn (without replacement) for each tree. 'auto' (default) = min(256, nRows); a value in
   * (0, 1] is a fraction of the rows; a value > 1 is a row count, capped at nRows.
   */
  maxSamples?: number | 'auto';
  /** Features drawn for each tree: a value in (0, 1] is a fraction, > 1 a count. Default 1.0 (all). */
  maxFeatures?: number;
  /**
   * 'auto' (default): offset = -0.5 as in the original paper. A fraction in (0, 0.5]: offset = that
   * percentile of the training scores, so about that share of the training rows is flagged.
   */
  contamination?: 'auto' | number;
  /** Seed of the PRNG: the same seed and data give the same forest. Default 42. */
  seed?: number;
}

export interface ResolvedForestOptions {
  nEstimators: number;
  maxSamples: number | 'auto';
  maxFeatures: number;
  contamination: 'auto' | number;
  seed: number;
}

/**
 * An unsupervised anomaly model over row-major float vectors. Conventions follow scikit-learn:
 * LOWER scoreSamples = more anomalous; use `anomalyScore` for "higher = more anomalous".
 */
export interface AnomalyForest {
  /** Fits on `nRows` rows of `nDims` floats, row-major. Returns this. */
  fit(X: Float32Array, nRows: number, nDims: number): this;
  /** -2^(-E[h(x)] / c(ψ)) in [-1, 0): lower = more anomalous (sklearn's score_samples). */
  scoreSamples(X: Float32Array, nRows: number): Float32Array;
  /** scoreSamples - offset: negative = outlier (sklearn's decision_function). */
  decisionFunction(X: Float32Array, nRows: number): Float32Array;
  /** -1 for outliers (decisionFunction < 0), 1 for inliers, as sklearn's predict. */
  predict(X: Float32Array, nRows: number): Int8Array;
  /** 1 for outliers, 0 for inliers: the same decision as `predict`, as a label mask. */
  predictMask(X: Float32Array, nRows: number): Uint8Array;
  /** Threshold on scoreSamples: -0.5 for contamination 'auto', else the training-score percentile. */
  readonly offset: number;
  /** Rows per tree actually used (sklearn's max_samples_). */
  readonly maxSamplesUsed: number;
  readonly nDims: number;
}

const EULER_GAMMA = 0.5772156649015329;

/** Rows scored together, tree by tree, so a block of rows and one tree share the cache. */
export const SCORING_BLOCK = 512;

/**
 * Average path length of an unsuccessful search in a binary search tree of n points, c(n), as in
 * scikit-learn's `_average_path_length`: 0 for n ≤ 1, 1 for n = 2.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** "Higher = more anomalous" scores (the app's convention) from sklearn-style scoreSamples. */
export function anomalyScore(scoreSamples: Float32Array): Float32Array {
  const out = new Float32Array(scoreSamples.length);
  for (let i = 0; i < out.length; i++) out[i] = -scoreSamples[i];
  return out;
}

export function resolveForestOptions(opts: ForestOptions): ResolvedForestOptions {
  const resolved: ResolvedForestOptions = {
    nEstimators: opts.nEstimators ?? 100,
    maxSamples: opts.maxSamples ?? 'auto',
    maxFeatures: opts.maxFeatures ?? 1.0,
    contamination: opts.contamination ?? 'auto',
    seed: opts.seed ?? 42,
  };
  if (!Number.isInteger(resolved.nEstimators) || resolved.nEstimators < 1) {
    throw new RangeError(`nEstimators must be a positive integer, got ${resolved.nEstimators}`);
  }
  const m = resolved.maxSamples;
  // 1.5 would silently floor to one row per tree: a count must be whole.
  if (m !== 'auto' && (!(m > 0) || (m > 1 && !Number.isInteger(m)))) {
    throw new RangeError(`maxSamples must be 'auto', a fraction in (0, 1] or a whole count > 1, got ${m}`);
  }
  if (!(resolved.maxFeatures > 0)) {
    throw new RangeError(`maxFeatures must be a fraction in (0, 1] or a count > 1, got ${resolved.maxFeatures}`);
  }
  const c = resolved.contamination;
  if (c !== 'auto' && !(c > 0 && c <= 0.5)) {
    throw new RangeError(`contamination must be 'auto' or in (0, 0.5], got ${c}`);
  }
  return resolved;
}

/** Rows per tree, as sklearn's max_samples_: 'auto' → min(256, n), fraction → floor(f·n), count → min(count, n). */
export function resolveMaxSamples(maxSamples: number | 'auto', nRows: number): number {
  if (maxSamples === 'auto') return Math.min(256, nRows);
  if (maxSamples <= 1) return Math.max(1, Math.floor(maxSamples * nRows));
  return Math.min(Math.floor(maxSamples), nRows);
}

/** Features per tree, as sklearn's max_features: fraction → max(1, floor(f·d)), count → min(count, d). */
export function resolveMaxFeatures(maxFeatures: number, nDims: number): number {
  if (maxFeatures <= 1) return Math.max(1, Math.floor(maxFeatures * nDims));
  return Math.min(Math.floor(maxFeatures), nDims);
}

/** sklearn's max_depth for isolation trees: ceil(log2(max(ψ, 2))). */
export function isolationDepthLimit(maxSamplesUsed: number): number {
  return Math.ceil(Math.log2(Math.max(maxSamplesUsed, 2)));
}

/** numpy.percentile with linear interpolation (the default), q in [0, 100]. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

/** NaN or ±Infinity would make split thresholds and path lengths meaningless: refused, as sklearn does. */
function checkFinite(X: Float32Array, nRows: number, nDims: number): void {
  const total = nRows * nDims;
  for (let i = 0; i < total; i++) {
    if (!Number.isFinite(X[i])) {
      throw new RangeError(`X has a non-finite value (${X[i]}) at row ${Math.floor(i / nDims)}, column ${i % nDims}`);
    }
  }
}

export function checkFitInput(X: Float32Array, nRows: number, nDims: number): void {
  if (!Number.isInteger(nRows) || nRows < 1) throw new RangeError(`nRows must be a positive integer, got ${nRows}`);
  if (!Number.isInteger(nDims) || nDims < 1) throw new RangeError(`nDims must be a positive integer, got ${nDims}`);
  if (X.length < nRows * nDims) {
    throw new RangeError(`X holds ${X.length} values, fewer than nRows·nDims = ${nRows * nDims}`);
  }
  checkFinite(X, nRows, nDims);
}

export function checkScoreInput(X: Float32Array, nRows: number, nDims: number, fitted: boolean): void {
  if (!fitted) throw new Error('The forest is not fitted: call fit() first');
  if (!Number.isInteger(nRows) || nRows < 0) throw new RangeError(`nRows must be a non-negative integer, got ${nRows}`);
  if (X.length < nRows * nDims) {
    throw new RangeError(`X holds ${X.length} values, fewer than nRows·nDims = ${nRows * nDims} (nDims = ${nDims})`);
  }
  checkFinite(X, nRows, nDims);
}

/**
 * Scores from summed path lengths: -2^(-mean / c(ψ)). When c(ψ) = 0 (ψ = 1) sklearn uses a ratio
 * of 1, i.e. every score is -0.5.
 */
export function scoresFromPathSums(pathSums: Float64Array, nTrees: number, maxSamplesUsed: number): Float32Array {
  const denominator = nTrees * averagePathLength(maxSamplesUsed);
  const out = new Float32Array(pathSums.length);
  for (let i = 0; i < out.length; i++) {
    const ratio = denominator !== 0 ? pathSums[i] / denominator : 1;
    out[i] = -Math.pow(2, -ratio);
  }
  return out;
}

/** Offset on scoreSamples from the contamination setting, given the training scores. */
export function offsetFor(contamination: 'auto' | number, trainingScores: Float32Array): number {
  return contamination === 'auto' ? -0.5 : percentile(trainingScores, 100 * contamination);
}

export function subtractOffset(scores: Float32Array, offset: number): Float32Array {
  const out = new Float32Array(scores.length);
  for (let i = 0; i < out.length; i++) out[i] = scores[i] - offset;
  return out;
}

/** -1 where decision < 0 (outlier), 1 elsewhere (sklearn's predict). */
export function predictFromDecision(decision: Float32Array): Int8Array {
  const out = new Int8Array(decision.length);
  for (let i = 0; i < out.length; i++) out[i] = decision[i] < 0 ? -1 : 1;
  return out;
}

export function maskFromDecision(decision: Float32Array): Uint8Array {
  const out = new Uint8Array(decision.length);
  for (let i = 0; i < out.length; i++) out[i] = decision[i] < 0 ? 1 : 0;
  return out;
}

/**
 * What both forests share once their trees are grown: turning summed path lengths into scores,
 * decisions and predictions. A subclass grows trees (`fit`) and walks them (`pathLengthSums`).
 */
export abstract class ForestBase implements AnomalyForest {
  abstract readonly options: ResolvedForestOptions;
  offset = NaN;
  maxSamplesUsed = 0;
  nDims = 0;
  /** Root node id of each tree. */
  treeRoots = new Int32Array(0);
  protected fitted = false;

  abstract fit(X: Float32Array, nRows: number, nDims: number): this;

  /**
   * What both forests do to fit: draw each tree's rows and features as scikit-learn does and let
   * `grow` build the tree on them (returning its root); then the offset. `prepare` gets the sizes
   * first and returns the tree grower and what to do once every tree is grown.
   */
  protected growTrees(
    X: Float32Array,
    nRows: number,
    nDims: number,
    prepare: (sizes: { psi: number; nFeat: number; depthLimit: number; perTree: number }) => {
      grow: (rowPool: Int32Array, featPool: Int32Array, rng: SeededRandom) => number;
      done: () => void;
    },
  ): this {
    checkFitInput(X, nRows, nDims);
    const { nEstimators, seed } = this.options;
    const psi = resolveMaxSamples(this.options.maxSamples, nRows);
    const nFeat = resolveMaxFeatures(this.options.maxFeatures, nDims);
    const depthLimit = isolationDepthLimit(psi);
    const rng = new SeededRandom(seed);
    this.nDims = nDims;
    this.maxSamplesUsed = psi;
    const trees = prepare({ psi, nFeat, depthLimit, perTree: maxNodesPerTree(psi, depthLimit) });
    const roots = new Int32Array(nEstimators);
    const rowPool = Int32Array.from({ length: nRows }, (_, i) => i);
    const featPool = Int32Array.from({ length: nDims }, (_, f) => f);
    for (let t = 0; t < nEstimators; t++) {
      rng.sampleInPlace(rowPool, psi);
      if (nFeat < nDims) rng.sampleInPlace(featPool, nFeat);
      roots[t] = trees.grow(rowPool, featPool, rng);
    }
    trees.done();
    this.treeRoots = roots;
    this.fitted = true;
    const c = this.options.contamination;
    // Only a contamination fraction needs the training scores; 'auto' is a fixed offset.
    this.offset = c === 'auto' ? -0.5 : offsetFor(c, this.scoreSamples(X, nRows));
    return this;
  }

  /** Sum over trees of each row's path length (depth plus c(leaf size)). */
  protected abstract pathLengthSums(X: Float32Array, nRows: number): Float64Array;

  scoreSamples(X: Float32Array, nRows: number): Float32Array {
    return scoresFromPathSums(this.pathLengthSums(X, nRows), this.treeRoots.length, this.maxSamplesUsed);
  }

  decisionFunction(X: Float32Array, nRows: number): Float32Array {
    return subtractOffset(this.scoreSamples(X, nRows), this.offset);
  }

  predict(X: Float32Array, nRows: number): Int8Array {
    return predictFromDecision(this.decisionFunction(X, nRows));
  }

  predictMask(X: Float32Array, nRows: number): Uint8Array {
    return maskFromDecision(this.decisionFunction(X, nRows));
  }
}
