/**
 * The blended score: the head's learned score and the unsupervised score on one scale, weighted by
 * how well each ranks the labelled units (stratified k-fold on the labels), or by the analyst.
 *
 * Scale: each score becomes its tail share among the units (the share of units scoring at least as
 * high, mid-ties; the top unit of n has 0.5/n), and the blend is a weighted geometric mean of the
 * tail shares, shown as 1 − tail: blended = 1 − tail_learned^w · tail_unsupervised^(1−w).
 * Tail shares make the scores comparable whatever their units (a class-weighted probability and a
 * forest or surprise score are not), and the geometric mean keeps what a plain mean of percentiles
 * loses: a unit in the top 0.1 % of one score stays near the top even when the other ranks it in
 * the top 10 %, which is how anomalies look (rare, far out on one view).
 */
import { trainOnSet, trainHead, scoreWithHead, type HeadOptions, type TrainedHead } from './head';
import { BACKGROUND_SAMPLE, countLabels, trainingSet } from './trainingSet';
import type { PreparedFeatures } from './features';
import { FeatureError } from './features';
import { createRandom } from '../detect/random';

/** Units a fold's learned scores are ranked against (a stride sample of the population). */
const POPULATION_SAMPLE = 2048;
/** Folds at most: 5 for the logistic head; 3 for the MLP, whose fits cost more (retraining stays fast). */
const MAX_FOLDS = { logistic: 5, mlp: 3 } as const;
/** Weights tried: 0, 0.05, ..., 1. */
const WEIGHT_STEPS = 20;
/**
 * The least weight chosen from the labels. The analyst labels what the unsupervised score ranks
 * high, so the held-out anomalies are ones it already found: the folds cannot show the anomalies it
 * misses and the head finds (tests/core/learn/head.test.ts). At this weight a unit the head alone
 * puts at the very top still rises, and a head that ranks worse costs little (bench:fewshot).
 */
export const MIN_LEARNED_WEIGHT = 0.2;
/** The weight while the labels cannot tell (fewer than 2 labels of a class: no fold can test). */
export const DEFAULT_BLEND_WEIGHT = 0.5;

/** Tail share of each score among all units: (units above + half the ties, itself included) / n. */
export function tailShares(scores: ArrayLike<number>): Float64Array {
  const n = scores.length;
  // A native numeric sort of a copy, then two binary searches per unit: fast for millions of lines.
  const sorted = Float64Array.from(scores).sort();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const below = lowerBound(sorted, scores[i]);
    const notAbove = upperBound(sorted, scores[i]);
    out[i] = (n - notAbove + (notAbove - below) / 2) / n;
  }
  return out;
}

/** 1 − tail_l^w · tail_u^(1−w): in [0, 1), higher = more anomalous. */
function combine(learnedTail: number, unsupervisedTail: number, weight: number): number {
  return 1 - Math.exp(weight * Math.log(learnedTail) + (1 - weight) * Math.log(unsupervisedTail));
}

/** The blended score of every unit; weight 0 (or no learned score) ranks as the unsupervised score. */
export function blendScores(learned: ArrayLike<number> | undefined, unsupervised: ArrayLike<number>, weight: number): Float32Array {
  if (!(weight >= 0 && weight <= 1)) throw new FeatureError(`blend weight must lie in [0, 1] (got ${weight})`);
  checkFinite(unsupervised, 'unsupervised score');
  const u = tailShares(unsupervised);
  if (!learned) return Float32Array.from(u, (t) => 1 - t);
  if (learned.length !== unsupervised.length) throw new FeatureError(`${learned.length} learned scores for ${unsupervised.length} units`);
  checkFinite(learned, 'learned score');
  const l = tailShares(learned);
  return Float32Array.from(u, (t, i) => combine(l[i], t, weight));
}

function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new FeatureError(`${what} of unit ${i} is ${values[i]}: every unit needs a finite score`);
  }
}

/**
 * Area under the ROC curve over labelled pairs, each pair weighing the product of its examples'
 * weights (ties count half); NaN without both classes.
 */
export function pairAuc(scores: ArrayLike<number>, y: ArrayLike<number>, weight?: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const w = (i: number): number => (weight ? weight[i] : 1);
  let positives = 0;
  let negatives = 0;
  let wins = 0;
  for (let k = 0; k < idx.length;) {
    let j = k;
    let tiedPos = 0;
    let tiedNeg = 0;
    while (j < idx.length && scores[idx[j]] === scores[idx[k]]) {
      if (y[idx[j]] === 1) tiedPos += w(idx[j]);
      else tiedNeg += w(idx[j]);
      j++;
    }
    // Positives here beat every negative below, and half of the tied ones.
    wins += tiedPos * (negatives + tiedNeg / 2);
    positives += tiedPos;
    negatives += tiedNeg;
    k = j;
  }
  if (!positives || !negatives) return NaN;
  return wins / (positives * negatives);
}

export interface BlendWeightChoice {
  /** Weight of the learned score in the blend. */
  weight: number;
  /** How 'labels' chose it: by the folds; 'default' when too few labels of a class to test. */
  chosenBy: 'labels' | 'default';
  /**
   * ROC-AUC of the labelled anomalies against the background (unlabelled units taken as normal):
   * the learned score out of fold, the unsupervised score and the best blend.
   */
  learnedAuc: number;
  unsupervisedAuc: number;
  blendedAuc: number;
  folds: number;
}

/**
 * Chooses the blend weight by k-fold on the analyst's anomalies and the background: each anomaly
 * and background unit gets a learned score from a head that did not see it, ranked against the
 * population, and the weight whose blend ranks the held-out anomalies above the held-out
 * background best wins (ties: the one nearest the middle of the tied range, so neither score is
 * dropped on a tie), and at least MIN_LEARNED_WEIGHT.
 *
 * The analyst's normal labels train the folds' heads but are not judged on. The analyst labels what
 * ranks high, so every normal label is a false alarm the unsupervised score put near the top: judged
 * on pairs against them, the unsupervised score lost by construction and the weight went to the head
 * even where the head ranked the units left to rank worse (measured on BGL_2k after 20 suggested
 * labels: weight 0.71 where 0.08 was best, AP 0.929 for 0.960; tests/core/learn/blend.test.ts). Those
 * units leave the ranking anyway (a normal label spreads over its template); the background, a
 * uniform draw of the unlabelled units, stands for the normal units still to rank.
 */
export function chooseBlendWeight(
  prepared: PreparedFeatures,
  labels: ArrayLike<number>,
  unsupervised: ArrayLike<number>,
  head: TrainedHead,
  options: HeadOptions = {},
): BlendWeightChoice {
  const seed = options.seed ?? 1;
  const set = trainingSet(prepared, labels, seed, BACKGROUND_SAMPLE, options.judgementOf);
  const unsupervisedTail = tailShares(unsupervised);
  const n = set.units.length;
  const { y, weight } = set;
  // Judged: the analyst's anomalies and the background; the analyst's normals only train.
  const judged = (i: number): boolean => y[i] === 1 || set.background[i] === 1;
  const uTail = Float64Array.from(set.units, (u) => unsupervisedTail[u]);
  const judgedRows = Array.from(y.keys()).filter(judged);
  const unsupervisedAuc = pairAuc(
    Float64Array.from(judgedRows, (i) => -uTail[i]),
    Uint8Array.from(judgedRows, (i) => y[i]),
    Float64Array.from(judgedRows, (i) => weight[i]),
  );
  const minority = Math.min(set.anomalous, set.normal);
  if (minority < 2) {
    return { weight: DEFAULT_BLEND_WEIGHT, chosenBy: 'default', learnedAuc: NaN, unsupervisedAuc, blendedAuc: NaN, folds: 0 };
  }
  const folds = Math.min(MAX_FOLDS[head.kind], minority);
  const foldOf = new Int32Array(n);
  const random = createRandom(seed ^ 0x27d4eb2f);
  // Stratified by group: analyst normals, analyst anomalies, background. Folds split rows, not
  // judgements: keeping a template's rows in one fold measured the same on bench:fewshot and worse on
  // generated logs (it tests the head on templates it never saw, while the units left to rank
  // mostly share a labelled template). Normals are held out too (not judged): training every fold
  // on all of them measured worse on the demo's lines (AP 0.521 for 0.557 after 10 suggested labels).
  for (const group of [0, 1, 2]) {
    const rows = Array.from(y.keys()).filter((i) => (set.background[i] ? 2 : y[i]) === group);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    rows.forEach((r, k) => (foldOf[r] = k % folds));
  }
  const step = Math.max(1, Math.floor(prepared.count / POPULATION_SAMPLE));
  const sample = Uint32Array.from({ length: Math.ceil(prepared.count / step) }, (_, k) => k * step);
  const lTail = new Float64Array(n).fill(NaN);
  const pick = <T extends Uint32Array | Uint8Array | Float64Array>(a: T, rows: number[]): T => {
    const out = new (a.constructor as new (n: number) => T)(rows.length);
    rows.forEach((r, i) => (out[i] = a[r]));
    return out;
  };
  for (let f = 0; f < folds; f++) {
    const train = Array.from(y.keys()).filter((i) => foldOf[i] !== f);
    const test = Array.from(y.keys()).filter((i) => foldOf[i] === f);
    const trainY = pick(y, train);
    const judgementsOf = (label: number): number =>
      new Set(train.filter((i) => y[i] === label && !set.background[i]).map((i) => set.judgement[i])).size;
    const foldSet = {
      units: pick(set.units, train),
      y: trainY,
      weight: pick(weight, train),
      background: pick(set.background, train),
      judgement: pick(set.judgement, train),
      anomalous: judgementsOf(1),
      normal: judgementsOf(0),
    };
    const foldHead = trainOnSet(prepared, foldSet, { ...options, kind: head.kind }, head.iterations);
    if (!foldHead) continue;
    const population = Float64Array.from(scoreWithHead(foldHead, prepared, sample)).sort();
    const held = scoreWithHead(foldHead, prepared, pick(set.units, test));
    test.forEach((i, k) => (lTail[i] = tailAgainst(population, held[k])));
  }
  const tested = Array.from(y.keys()).filter((i) => judged(i) && !Number.isNaN(lTail[i]));
  const ty = pick(y, tested);
  const tw = pick(weight, tested);
  const learnedAuc = pairAuc(
    Float64Array.from(tested, (i) => -lTail[i]),
    ty,
    tw,
  );
  if (Number.isNaN(learnedAuc)) {
    return { weight: DEFAULT_BLEND_WEIGHT, chosenBy: 'default', learnedAuc, unsupervisedAuc, blendedAuc: NaN, folds };
  }
  const aucs: number[] = [];
  for (let s = 0; s <= WEIGHT_STEPS; s++) {
    const w = s / WEIGHT_STEPS;
    aucs.push(
      pairAuc(
        Float64Array.from(tested, (i) => combine(lTail[i], uTail[i], w)),
        ty,
        tw,
      ),
    );
  }
  const best = Math.max(...aucs);
  const tied = aucs.flatMap((a, s) => (a >= best - 1e-12 ? [s] : []));
  const middle = (tied[0] + tied[tied.length - 1]) / 2;
  const chosen = tied.reduce((a, b) => (Math.abs(b - middle) < Math.abs(a - middle) ? b : a));
  return {
    weight: Math.max(MIN_LEARNED_WEIGHT, chosen / WEIGHT_STEPS),
    chosenBy: 'labels',
    learnedAuc,
    unsupervisedAuc,
    blendedAuc: best,
    folds,
  };
}

/** Tail share of a score against a sorted population sample, counting the unit itself in. */
function tailAgainst(sortedAscending: Float64Array, score: number): number {
  const m = sortedAscending.length;
  const below = lowerBound(sortedAscending, score);
  const notAbove = upperBound(sortedAscending, score);
  const above = m - notAbove;
  const equal = notAbove - below;
  return (above + (equal + 1) / 2) / (m + 1);
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Units in the top `top` by score, highest first (ties by unit index, so the list is stable). */
export function topUnits(scores: ArrayLike<number>, top: number): Uint32Array {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  return Uint32Array.from(order.slice(0, Math.max(0, top)));
}

/** How much a ranking changed: units in the new top `top` that were not in the old one. */
export function rankingChange(
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  top = 50,
): { top: number; movedIn: number; movedInUnits: Uint32Array } {
  if (before.length !== after.length) throw new FeatureError(`rankings of ${before.length} and ${after.length} units cannot be compared`);
  const old = new Set(topUnits(before, top));
  const movedInUnits = topUnits(after, top).filter((u) => !old.has(u));
  return { top: Math.min(top, after.length), movedIn: movedInUnits.length, movedInUnits };
}

export interface LearnOptions extends HeadOptions {
  /** The analyst's weight for the learned score (the slider); chosen from the labels when absent. */
  weight?: number;
}

export interface LearnResult {
  /** Undefined while the labels hold one class only (or none). */
  head?: TrainedHead;
  /** The head's score of every unit (probability of anomalous, class-balanced). */
  learned?: Float32Array;
  /** The score every view follows: the unsupervised tail share alone when there is no head. */
  blended: Float32Array;
  weight: number;
  weightFrom: 'labels' | 'default' | 'analyst' | 'no head';
  choice?: BlendWeightChoice;
  anomalous: number;
  normal: number;
}

/** Trains the head on the labels, chooses the weight (or takes the analyst's) and blends. */
export function learnFromLabels(
  prepared: PreparedFeatures,
  labels: ArrayLike<number>,
  unsupervised: ArrayLike<number>,
  options: LearnOptions = {},
): LearnResult {
  if (unsupervised.length !== prepared.count)
    throw new FeatureError(`${unsupervised.length} unsupervised scores for ${prepared.count} units`);
  const { anomalous, normal } = countLabels(labels);
  const head = trainHead(prepared, labels, options);
  if (!head) return { blended: blendScores(undefined, unsupervised, 0), weight: 0, weightFrom: 'no head', anomalous, normal };
  const learned = scoreWithHead(head, prepared);
  if (options.weight !== undefined) {
    return {
      head,
      learned,
      blended: blendScores(learned, unsupervised, options.weight),
      weight: options.weight,
      weightFrom: 'analyst',
      anomalous,
      normal,
    };
  }
  const choice = chooseBlendWeight(prepared, labels, unsupervised, head, options);
  return {
    head,
    learned,
    blended: blendScores(learned, unsupervised, choice.weight),
    weight: choice.weight,
    weightFrom: choice.chosenBy,
    choice,
    anomalous,
    normal,
  };
}
