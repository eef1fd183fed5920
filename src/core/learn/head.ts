/**
 * The head trained on the analyst's labels: a class-weighted logistic regression with L2, or a
 * one-hidden-layer MLP once there are enough labels of each class, fitted by Adam on the frozen
 * feature rows (see features.ts). Deterministic for a seed; early stopping on held-out labels when
 * each class has enough of them to hold some out.
 */
import { createRandom } from '../detect/random';
import { copyFeatureRow, featureWidth, FeatureError, type PreparedFeatures } from './features';

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

const DEFAULTS = { seed: 1, l2: 0.05, hidden: 8, maxIterations: 300, logisticRate: 0.1, mlpRate: 0.03 };
/** Share of each class held out for early stopping. */
const HOLDOUT_SHARE = 0.2;
/** Held-out loss is checked this often, and fitting stops after PATIENCE checks without a better one. */
const CHECK_EVERY = 10;
const PATIENCE = 5;
/**
 * Distinct labelled rows of each class trained on at most (a seeded sample beyond): a normal label
 * spread over a template can name thousands of lines that differ only in their values, and the fit,
 * the folds and the retraining time grow with the rows, not with what the analyst said.
 */
const MAX_PER_CLASS = 256;
/** Rows kept of one judgement (a seeded sample beyond): they share its weight anyway. */
const PER_JUDGEMENT = 16;

interface HeadWeights {
  /** logistic: width weights; mlp: hidden × width, row-major. */
  inputWeights: Float32Array;
  /** mlp only: hidden biases. */
  hiddenBias: Float32Array;
  /** mlp only: hidden → output weights. */
  outputWeights: Float32Array;
  bias: number;
}

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

/**
 * Unlabelled units taken as normal beside the analyst's labels, by a seeded uniform draw. The
 * analyst labels what ranks high, so labels alone are a biased sample: every labelled normal is a
 * high-scoring false alarm, and a head fitted on them alone learns that "more anomalous-looking means
 * normal" (measured on BGL_2k: AUROC 0.37 on the unlabelled lines after 10 suggested labels).
 * Anomalies are rare, so a random unlabelled unit is almost always normal: this background tells the
 * head what the bulk of the log looks like (positive-unlabelled learning).
 */
export const BACKGROUND_SAMPLE = 256;

/** Labelled units as the head trains on them: one row per distinct feature row. */
export interface TrainingSet {
  /** A representative unit of each example. */
  units: Uint32Array;
  y: Uint8Array;
  /**
   * Weight of each example before the classes are balanced: 1 per analyst label; the background
   * together weighs as much as the analyst's normal labels (at least 1).
   */
  weight: Float64Array;
  /** 1 for background examples (unlabelled units taken as normal). */
  background: Uint8Array;
  /** Judgement of each example (background rows: each its own, negative): folds keep one judgement together. */
  judgement: Float64Array;
  /** The analyst's judgements per class (distinct labelled rows when no judgements are given). */
  anomalous: number;
  normal: number;
}

/**
 * Counts labels per class: -1 (or any negative) = unlabelled, 0 normal, 1 anomalous.
 * Throws on anything else so that a wrong array is not silently learned from.
 */
export function countLabels(labels: ArrayLike<number>): { anomalous: number; normal: number } {
  let anomalous = 0;
  let normal = 0;
  for (let u = 0; u < labels.length; u++) {
    const v = labels[u];
    if (v === 1) anomalous++;
    else if (v === 0) normal++;
    else if (!(v < 0)) throw new FeatureError(`label of unit ${u} is ${v}: use 1 anomalous, 0 normal, -1 unlabelled`);
  }
  return { anomalous, normal };
}

/**
 * The labelled units with identical feature rows merged (the same text labelled on many lines is
 * one judgement, not many), plus the background sample (identical background rows add up, so the
 * background keeps the population's mix). With `judgementOf`, the labelled rows of one judgement
 * and class share one unit of weight (a template dismissed as noise counts as one label however
 * many lines it has) and at most PER_JUDGEMENT of them are kept; without it each row weighs 1.
 * Beyond MAX_PER_CLASS rows of a class a seeded sample is kept.
 */
export function trainingSet(
  prepared: PreparedFeatures,
  labels: ArrayLike<number>,
  seed = DEFAULTS.seed,
  background = BACKGROUND_SAMPLE,
  judgementOf?: ArrayLike<number>,
): TrainingSet {
  if (labels.length !== prepared.count) throw new FeatureError(`${labels.length} labels for ${prepared.count} units`);
  if (judgementOf && judgementOf.length !== prepared.count)
    throw new FeatureError(`judgementOf has ${judgementOf.length} entries for ${prepared.count} units`);
  countLabels(labels);
  const e = prepared.evidenceNames.length;
  const bits = new Uint32Array(prepared.evidence.buffer, prepared.evidence.byteOffset, prepared.evidence.length);
  const hashOf = (u: number, tag: number): number => {
    let h = Math.imul(prepared.vectorRow[u] ^ 0x9e3779b9, 0x85ebca6b) ^ tag;
    for (let k = 0; k < e; k++) h = Math.imul(h ^ bits[u * e + k], 0xc2b2ae35) >>> 0;
    return h;
  };
  const random = createRandom(seed);
  // Analyst labels: one example per distinct (row, label), grouped by judgement and class.
  const groups = new Map<string, number[]>();
  const seen = new Map<number, number[]>();
  for (let u = 0; u < labels.length; u++) {
    const label = labels[u];
    if (label !== 0 && label !== 1) continue;
    const h = hashOf(u, label);
    const same = seen.get(h);
    if (same?.some((v) => labels[v] === label && sameRow(prepared, v, u))) continue;
    if (same) same.push(u);
    else seen.set(h, [u]);
    const j = judgementOf && judgementOf[u] >= 0 ? judgementOf[u] : -1 - u;
    const key = `${label}:${j}`;
    const group = groups.get(key);
    if (group) group.push(u);
    else groups.set(key, [u]);
  }
  let labelled: Array<{ unit: number; y: number; weight: number; judgement: number }> = [];
  let anomalous = 0;
  let normal = 0;
  for (const [key, units] of groups) {
    const y = key.startsWith('1') ? 1 : 0;
    const kept =
      judgementOf && units.length > PER_JUDGEMENT
        ? shuffle(units, random)
            .slice(0, PER_JUDGEMENT)
            .sort((a, b) => a - b)
        : units;
    const j = Number(key.slice(2));
    const weight = judgementOf ? 1 / kept.length : 1;
    for (const u of kept) labelled.push({ unit: u, y, weight, judgement: j });
    if (y) anomalous += judgementOf ? 1 : kept.length;
    else normal += judgementOf ? 1 : kept.length;
  }
  labelled.sort((a, b) => a.unit - b.unit);
  for (const label of [0, 1]) {
    const of = labelled.filter((x) => x.y === label);
    if (of.length <= MAX_PER_CLASS) continue;
    const keep = new Set(shuffle(of, random).slice(0, MAX_PER_CLASS));
    labelled = labelled.filter((x) => x.y !== label || keep.has(x));
  }
  let normalWeight = 0;
  for (const x of labelled) if (!x.y) normalWeight += x.weight;
  // Background: a uniform draw of unlabelled units; identical rows merge and add their weight.
  const drawn = drawUnlabelled(labels, Math.max(0, Math.floor(background)), random);
  const bgUnits: number[] = [];
  const bgCount: number[] = [];
  const bgByHash = new Map<number, number[]>();
  for (const u of drawn) {
    const h = hashOf(u, 2);
    const same = bgByHash.get(h);
    const at = same?.find((i) => sameRow(prepared, bgUnits[i], u));
    if (at !== undefined) {
      bgCount[at]++;
      continue;
    }
    if (same) same.push(bgUnits.length);
    else bgByHash.set(h, [bgUnits.length]);
    bgUnits.push(u);
    bgCount.push(1);
  }
  const bgWeight = drawn.length ? Math.max(1, normalWeight) / drawn.length : 0;
  return {
    units: Uint32Array.from([...labelled.map((x) => x.unit), ...bgUnits]),
    y: Uint8Array.from([...labelled.map((x) => x.y), ...bgUnits.map(() => 0)]),
    weight: Float64Array.from([...labelled.map((x) => x.weight), ...bgCount.map((c) => c * bgWeight)]),
    background: Uint8Array.from([...labelled.map(() => 0), ...bgUnits.map(() => 1)]),
    judgement: Float64Array.from([...labelled.map((x) => x.judgement), ...bgUnits.map((u) => -1 - prepared.count - u)]),
    anomalous,
    normal,
  };
}

/** Up to `k` distinct unlabelled units drawn uniformly (seeded), in draw order. */
function drawUnlabelled(labels: ArrayLike<number>, k: number, random: () => number): number[] {
  const n = labels.length;
  let open = 0;
  for (let u = 0; u < n; u++) if (!(labels[u] >= 0)) open++;
  if (open <= k) return Array.from({ length: n }, (_, u) => u).filter((u) => !(labels[u] >= 0));
  const out: number[] = [];
  const taken = new Set<number>();
  if (open * 4 >= n) {
    // Rejection sampling while unlabelled units are common (the usual case: labels are few).
    while (out.length < k) {
      const u = Math.floor(random() * n);
      if (labels[u] >= 0 || taken.has(u)) continue;
      taken.add(u);
      out.push(u);
    }
    return out;
  }
  const pool = Array.from({ length: n }, (_, u) => u).filter((u) => !(labels[u] >= 0));
  return shuffle(pool, random).slice(0, k);
}

function sameRow(prepared: PreparedFeatures, a: number, b: number): boolean {
  if (prepared.vectorRow[a] !== prepared.vectorRow[b]) return false;
  const e = prepared.evidenceNames.length;
  for (let k = 0; k < e; k++) if (prepared.evidence[a * e + k] !== prepared.evidence[b * e + k]) return false;
  return true;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
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
    const group = Uint8Array.from(set.y, (y, i) => (set.background[i] ? 2 : y));
    const { train, test } = holdoutSplit(group, set.judgement, createRandom(seed ^ 0x5bd1e995));
    heldOut = test.filter((i) => !set.background[i]).length;
    const trainProblem = subset(problem, train);
    const testProblem = subset(problem, test);
    const params = initialParams(width, hidden, seed);
    let best = Infinity;
    let bestAt = CHECK_EVERY;
    let worse = 0;
    adam(params, trainProblem, rate, maxIterations, (step) => {
      if (step % CHECK_EVERY !== 0) return true;
      const loss = lossAndGradient(params, testProblem, undefined, false);
      if (loss < best - 1e-9) {
        best = loss;
        bestAt = step;
        worse = 0;
      } else worse++;
      return worse < PATIENCE;
    });
    iterations = bestAt;
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

// --- fitting -------------------------------------------------------------------------------------

interface Problem {
  X: Float64Array;
  y: Uint8Array;
  /** Example weights before class balancing. */
  weight: Float64Array;
  width: number;
  hidden: number;
  l2: number;
}

function subset(p: Problem, rows: number[]): Problem {
  const X = new Float64Array(rows.length * p.width);
  rows.forEach((r, i) => X.set(p.X.subarray(r * p.width, (r + 1) * p.width), i * p.width));
  return { ...p, X, y: Uint8Array.from(rows, (r) => p.y[r]), weight: Float64Array.from(rows, (r) => p.weight[r]) };
}

/**
 * Stratified by group (normal, anomalous, background): HOLDOUT_SHARE of each group's judgements (at
 * least one) held out, seeded; the rows of one judgement stay on one side.
 */
function holdoutSplit(group: Uint8Array, judgement: Float64Array, random: () => number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (const g of [0, 1, 2]) {
    const rows = Array.from(group.keys()).filter((i) => group[i] === g);
    const judgements = shuffle([...new Set(rows.map((i) => judgement[i]))], random);
    if (!judgements.length) continue;
    const held = new Set(judgements.slice(0, Math.max(1, Math.round(judgements.length * HOLDOUT_SHARE))));
    for (const i of rows) (held.has(judgement[i]) ? test : train).push(i);
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Parameter layout: logistic [w (width), b]; mlp [W1 (hidden × width), b1 (hidden), w2 (hidden), b2]. */
function parameterCount(width: number, hidden: number): number {
  return hidden ? hidden * width + 2 * hidden + 1 : width + 1;
}

function initialParams(width: number, hidden: number, seed: number): Float64Array {
  const params = new Float64Array(parameterCount(width, hidden));
  if (!hidden) return params;
  // Glorot-uniform for tanh; zero biases. The seed alone decides the start, so fits repeat exactly.
  const random = createRandom(seed);
  const a1 = Math.sqrt(6 / (width + hidden));
  for (let i = 0; i < hidden * width; i++) params[i] = (2 * random() - 1) * a1;
  const a2 = Math.sqrt(6 / (hidden + 1));
  const w2 = hidden * width + hidden;
  for (let h = 0; h < hidden; h++) params[w2 + h] = (2 * random() - 1) * a2;
  return params;
}

function unpack(params: Float64Array, width: number, hidden: number): HeadWeights {
  if (!hidden) {
    return {
      inputWeights: Float32Array.from(params.subarray(0, width)),
      hiddenBias: new Float32Array(0),
      outputWeights: new Float32Array(0),
      bias: params[width],
    };
  }
  const w1 = hidden * width;
  return {
    inputWeights: Float32Array.from(params.subarray(0, w1)),
    hiddenBias: Float32Array.from(params.subarray(w1, w1 + hidden)),
    outputWeights: Float32Array.from(params.subarray(w1 + hidden, w1 + 2 * hidden)),
    bias: params[w1 + 2 * hidden],
  };
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Class-weighted mean log-loss (each class weighs half, examples by their weight within it) plus L2 on the weights; fills `grad` when
 * given. With `penalised` false, the plain weighted log-loss (held-out monitoring).
 */
function lossAndGradient(params: Float64Array, p: Problem, grad: Float64Array | undefined, penalised = true): number {
  const { X, y, width, hidden, l2 } = p;
  const n = y.length;
  const classTotal = [0, 0];
  for (let i = 0; i < n; i++) classTotal[y[i]] += p.weight[i];
  // Balanced: each class carries half the loss whatever its count.
  const scaleOf = [classTotal[0] ? 0.5 / classTotal[0] : 0, classTotal[1] ? 0.5 / classTotal[1] : 0];
  grad?.fill(0);
  let loss = 0;
  if (!hidden) {
    const b = params[width];
    for (let i = 0; i < n; i++) {
      const row = i * width;
      let z = b;
      for (let d = 0; d < width; d++) z += params[d] * X[row + d];
      const c = scaleOf[y[i]] * p.weight[i];
      loss += c * (y[i] ? softplus(-z) : softplus(z));
      if (grad) {
        const g = c * (sigmoid(z) - y[i]);
        for (let d = 0; d < width; d++) grad[d] += g * X[row + d];
        grad[width] += g;
      }
    }
    if (penalised) {
      for (let d = 0; d < width; d++) {
        loss += 0.5 * l2 * params[d] * params[d];
        if (grad) grad[d] += l2 * params[d];
      }
    }
    return loss;
  }
  const w1 = hidden * width;
  const b1 = w1;
  const w2 = w1 + hidden;
  const b2 = w2 + hidden;
  const act = new Float64Array(hidden);
  for (let i = 0; i < n; i++) {
    const row = i * width;
    let z = params[b2];
    for (let h = 0; h < hidden; h++) {
      let a = params[b1 + h];
      const wh = h * width;
      for (let d = 0; d < width; d++) a += params[wh + d] * X[row + d];
      act[h] = Math.tanh(a);
      z += params[w2 + h] * act[h];
    }
    const c = scaleOf[y[i]] * p.weight[i];
    loss += c * (y[i] ? softplus(-z) : softplus(z));
    if (grad) {
      const g = c * (sigmoid(z) - y[i]);
      grad[b2] += g;
      for (let h = 0; h < hidden; h++) {
        grad[w2 + h] += g * act[h];
        const gh = g * params[w2 + h] * (1 - act[h] * act[h]);
        if (gh === 0) continue;
        grad[b1 + h] += gh;
        const wh = h * width;
        for (let d = 0; d < width; d++) grad[wh + d] += gh * X[row + d];
      }
    }
  }
  if (penalised) {
    const penalise = (from: number, to: number): void => {
      for (let j = from; j < to; j++) {
        loss += 0.5 * l2 * params[j] * params[j];
        if (grad) grad[j] += l2 * params[j];
      }
    };
    penalise(0, w1);
    penalise(w2, w2 + hidden);
  }
  return loss;
}

/**
 * Full-batch Adam (Kingma & Ba) for `iterations` steps; `onStep` may stop it early by returning
 * false. Stops on its own once the largest gradient entry is negligible.
 */
function adam(params: Float64Array, p: Problem, rate: number, iterations: number, onStep?: (step: number) => boolean): number {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  for (let t = 1; t <= iterations; t++) {
    lossAndGradient(params, p, grad);
    let largest = 0;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let j = 0; j < params.length; j++) {
      const g = grad[j];
      if (Math.abs(g) > largest) largest = Math.abs(g);
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      params[j] -= (rate * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
    }
    if (onStep && !onStep(t)) return t;
    if (largest < 1e-6) return t;
  }
  return iterations;
}
