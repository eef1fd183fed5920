/**
 * The head trained on the analyst's labels: a class-weighted logistic regression with L2, or a
 * one-hidden-layer MLP once there are enough labels of each class, fitted by Adam on the frozen
 * feature rows (see features.ts). Deterministic for a seed; early stopping on held-out labels when
 * each class has enough of them to hold some out.
 */
import { copyFeatureRow, featureWidth, FeatureError, type PreparedFeatures } from './features';
import { adam } from './adam';
import { bestStepCount } from './earlyStopping';
import { initialParams, sigmoid, unpack, type HeadWeights, type Problem } from './headModel';
import { BACKGROUND_SAMPLE, DEFAULT_HEAD_SEED, trainingSet, type TrainingSet } from './trainingSet';

export type HeadKind = 'logistic' | 'mlp';

/**
 * Labels of each class needed before the MLP is used. Below it a held-out split (needed to stop an
 * MLP before it memorises) leaves too few labels to fit a non-linear boundary: with 8 of each, 2 of
 * each are held out and 6 of each train, about the least a 2-class curve with 8 hidden units and
 * early stopping can use; a linear boundary is all fewer points support. (bench:fewshot found the
 * same AP with either model up to 50 labels, e.g. BGL_2k after 50: 0.983 MLP, 0.984 logistic.)
 */
export const MLP_MIN_PER_CLASS = 8;
/** Labels of each class needed before some are held out for early stopping (1 of each at 5). */
export const HOLDOUT_MIN_PER_CLASS = 5;

export interface HeadOptions {
  seed?: number;
  /** Force a model; by default logistic below MLP_MIN_PER_CLASS labels of a class, MLP from it. */
  kind?: HeadKind;
  /** L2 penalty on the weights (not the biases). */
  l2?: number;
  /** Hidden units of the MLP. */
  hidden?: number;
  /** Most Adam steps of one fit. */
  maxIterations?: number;
  learningRate?: number;
  /**
   * The judgement each unit's label comes from (a line's template, when a normal label spreads over
   * its template); negative or absent: each unit is its own. See trainingSet.
   */
  judgementOf?: ArrayLike<number>;
}

const DEFAULTS = { seed: DEFAULT_HEAD_SEED, l2: 0.05, hidden: 8, maxIterations: 300, logisticRate: 0.1, mlpRate: 0.03 };

export interface TrainedHead extends HeadWeights {
  kind: HeadKind;
  /** 0 for logistic. */
  hidden: number;
  /** Feature layout the weights expect: vector dims, then these evidence columns. */
  dims: number;
  evidenceNames: string[];
  /** What it learned from. */
  anomalous: number;
  normal: number;
  /** Distinct labelled feature rows (identical rows count once). */
  examples: number;
  /** Distinct background rows (unlabelled units taken as normal). */
  background: number;
  iterations: number;
  /** Labels held out for early stopping (0 without). */
  heldOut: number;
}

/** The model a label count calls for (see MLP_MIN_PER_CLASS). */
export function headKindFor(anomalous: number, normal: number): HeadKind {
  return Math.min(anomalous, normal) >= MLP_MIN_PER_CLASS ? 'mlp' : 'logistic';
}

/**
 * Trains the head on the labelled units; undefined while the labels hold only one class (there is
 * nothing to separate: the unsupervised score stands alone).
 */
export function trainHead(prepared: PreparedFeatures, labels: ArrayLike<number>, options: HeadOptions = {}): TrainedHead | undefined {
  const seed = options.seed ?? DEFAULTS.seed;
  return trainOnSet(prepared, trainingSet(prepared, labels, seed, BACKGROUND_SAMPLE, options.judgementOf), options);
}

/** trainHead on a training set already built (cross-validation folds reuse the rows). */
export function trainOnSet(
  prepared: PreparedFeatures,
  set: TrainingSet,
  options: HeadOptions = {},
  fixedIterations?: number,
): TrainedHead | undefined {
  if (set.anomalous === 0 || set.normal === 0) return undefined;
  const seed = options.seed ?? DEFAULTS.seed;
  const kind = options.kind ?? headKindFor(set.anomalous, set.normal);
  const hidden = kind === 'mlp' ? Math.max(1, Math.round(options.hidden ?? DEFAULTS.hidden)) : 0;
  const l2 = options.l2 ?? DEFAULTS.l2;
  if (!(l2 >= 0)) throw new FeatureError(`l2 must be ≥ 0 (got ${l2})`);
  const maxIterations = Math.max(1, Math.round(options.maxIterations ?? DEFAULTS.maxIterations));
  const rate = options.learningRate ?? (kind === 'mlp' ? DEFAULTS.mlpRate : DEFAULTS.logisticRate);
  const width = featureWidth(prepared);
  const X = new Float64Array(set.units.length * width);
  set.units.forEach((u, i) => copyFeatureRow(prepared, u, X, i * width));
  const problem: Problem = { X, y: set.y, weight: set.weight, width, hidden, l2 };

  let iterations = fixedIterations ?? maxIterations;
  let heldOut = 0;
  if (fixedIterations === undefined && Math.min(set.anomalous, set.normal) >= HOLDOUT_MIN_PER_CLASS) {
    // Early stopping: the step count that did best on held-out labels, then a refit on all of them.
    ({ iterations, heldOut } = bestStepCount(problem, set, rate, maxIterations, seed));
  }
  const params = initialParams(width, hidden, seed);
  adam(params, problem, rate, iterations);
  return {
    kind,
    hidden,
    dims: prepared.dims,
    evidenceNames: prepared.evidenceNames.slice(),
    anomalous: set.anomalous,
    normal: set.normal,
    examples: set.anomalous + set.normal,
    background: set.units.length - set.anomalous - set.normal,
    iterations,
    heldOut,
    ...unpack(params, width, hidden),
  };
}

/**
 * Probability of "anomalous" for every unit (class-weighted, so 0.5 is the balanced boundary, not a
 * calibrated rate). The vector part is computed once per distinct vector row.
 */
export function scoreWithHead(head: TrainedHead, prepared: PreparedFeatures, units?: ArrayLike<number>): Float32Array {
  if (head.dims !== prepared.dims || head.evidenceNames.join('\u0000') !== prepared.evidenceNames.join('\u0000')) {
    throw new FeatureError(
      `the head was trained on ${head.dims} dims + [${head.evidenceNames.join(', ')}], not ${prepared.dims} + [${prepared.evidenceNames.join(', ')}]`,
    );
  }
  const { dims, rows } = prepared;
  const e = prepared.evidenceNames.length;
  const width = dims + e;
  const outputs = Math.max(1, head.hidden);
  const n = units ? units.length : prepared.count;
  // Which vector rows are needed: all of them for a full pass, only the units' rows otherwise.
  const need = new Uint8Array(rows);
  for (let i = 0; i < n; i++) need[prepared.vectorRow[units ? units[i] : i]] = 1;
  const vectorPart = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    if (!need[r]) continue;
    const base = r * dims;
    for (let h = 0; h < outputs; h++) {
      const w = h * width;
      let s = 0;
      for (let d = 0; d < dims; d++) s += head.inputWeights[w + d] * prepared.vectors[base + d];
      vectorPart[r * outputs + h] = s;
    }
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = units ? units[i] : i;
    const r = prepared.vectorRow[u];
    let z = head.bias;
    for (let h = 0; h < outputs; h++) {
      const w = h * width + dims;
      let a = vectorPart[r * outputs + h];
      for (let k = 0; k < e; k++) a += head.inputWeights[w + k] * prepared.evidence[u * e + k];
      z += head.hidden ? head.outputWeights[h] * Math.tanh(a + head.hiddenBias[h]) : a;
    }
    out[i] = sigmoid(z);
  }
  return out;
}
