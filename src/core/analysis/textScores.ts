/**
 * Scores for unique message texts, the unit everything else aggregates from. The forest sees
 * what a text looks like (its vector, PCA-whitened) joined with how the log uses it (its template's
 * rarity, its level); surprise is the encoder's model of normal text; fused ranks both.
 */
import { anomalyScore, type AnomalyForest } from '../detect/forestCommon';
import { IsolationForest } from '../detect/forest';
import { ExtendedIsolationForest } from '../detect/extendedForest';
import { fitPca, type Pca } from '../detect/pca';
import { createRandom } from '../detect/random';
import type { DetectorKind, ForestSettings } from './types';

export interface TextTable {
  texts: string[];
  /** Records per text. */
  counts: Uint32Array;
  /** Template of each text. */
  templateOf: Int32Array;
  /** Most severe level index seen with each text. */
  levelOf: Uint8Array;
  /** Mean masked-token surprise of each text, when the encoder has an MLM head. */
  surprise?: ArrayLike<number>;
}

/** −log share of the fitting population's lines that belong to a template (unseen = rarer than any seen). */
export type TemplateRarity = (templateId: number) => number;

export function templateRarityOf(table: TextTable): TemplateRarity {
  const perTemplate = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < table.texts.length; i++) {
    perTemplate.set(table.templateOf[i], (perTemplate.get(table.templateOf[i]) ?? 0) + table.counts[i]);
    total += table.counts[i];
  }
  const unseen = -Math.log(0.5 / Math.max(1, total));
  return (t) => {
    const c = perTemplate.get(t);
    return c ? -Math.log(c / total) : unseen;
  };
}

/** A forest fitted on text features, kept so that saliency can re-score variants of a line. */
export interface FittedTextForest {
  forest: AnomalyForest;
  pca?: Pca;
  dims: number;
  rarity: TemplateRarity;
  novelty: NoveltyBasis;
  /** Means and scales standardising the extra features (template rarity, level, PCA residual, novelty, surprise). */
  extraMeans: Float64Array;
  extraScales: Float64Array;
}

export interface TextExtras {
  templateOf: ArrayLike<number>;
  levelOf: ArrayLike<number>;
  /** Mean masked-token surprise of each row (absent without an MLM head: the feature is then 0). */
  surprise?: ArrayLike<number>;
  /**
   * Index of each row's own text among the fitting population's texts (-1 when it is not one of
   * them): novelty is measured to the nearest OTHER known text, so a text is not its own neighbour.
   */
  selfIndex?: ArrayLike<number>;
}

/** The texts novelty is measured against: the population's most frequent distinct texts. */
export interface NoveltyBasis {
  vectors: Float32Array;
  /** Population index of each basis row. */
  textIds: Int32Array;
  /** Novelty of each population text, computed once: training rows repeat texts many times. */
  ofPopulation?: Float64Array;
}

/** Distinct texts kept as the novelty basis: bounds the cost at rows × this × dims. */
const NOVELTY_BASIS = 1000;

/** Training rows drawn in proportion to how often each text occurs, so common text is "normal". */
const TRAINING_ROWS = 8192;
const EXTRAS = 5;

/**
 * Distance of each row from the PCA subspace (the part of the vector the kept components do not
 * explain). Whitened components describe how a text varies like normal text; the residual says how
 * much of it is unlike anything common, which projection alone would hide.
 */
function pcaResiduals(pca: Pca, vectors: Float32Array, rows: number, dims: number): Float64Array {
  const out = new Float64Array(rows);
  const centred = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let d = 0; d < dims; d++) {
      centred[d] = vectors[r * dims + d] - pca.mean[d];
      total += centred[d] * centred[d];
    }
    let explained = 0;
    for (let k = 0; k < pca.components; k++) {
      let dot = 0;
      const base = k * dims;
      for (let d = 0; d < dims; d++) dot += pca.basis[base + d] * centred[d];
      explained += dot * dot;
    }
    out[r] = Math.sqrt(Math.max(0, total - explained));
  }
  return out;
}

/**
 * 1 − cosine similarity to the nearest known text other than the row's own (vectors are
 * L2-normalised): how far a text is from anything seen before. This is what makes a reference log
 * useful even when it holds only a handful of distinct texts.
 */
function noveltyOf(basis: NoveltyBasis, vectors: Float32Array, rows: number, dims: number, selfIndex?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows);
  const n = basis.textIds.length;
  for (let r = 0; r < rows; r++) {
    const self = selfIndex ? selfIndex[r] : -1;
    let best = -1;
    const base = r * dims;
    for (let b = 0; b < n; b++) {
      if (basis.textIds[b] === self) continue;
      let dot = 0;
      const other = b * dims;
      for (let d = 0; d < dims; d++) dot += vectors[base + d] * basis.vectors[other + d];
      if (dot > best) best = dot;
    }
    out[r] = n > (self >= 0 ? 1 : 0) ? 1 - best : 0;
  }
  return out;
}

function noveltyBasis(population: TextTable, vectors: Float32Array, dims: number): NoveltyBasis {
  const order = Array.from(population.counts.keys()).sort((a, b) => population.counts[b] - population.counts[a]).slice(0, NOVELTY_BASIS);
  const basis = new Float32Array(order.length * dims);
  order.forEach((t, i) => basis.set(vectors.subarray(t * dims, (t + 1) * dims), i * dims));
  const result: NoveltyBasis = { vectors: basis, textIds: Int32Array.from(order) };
  const n = population.texts.length;
  result.ofPopulation = noveltyOf(result, vectors, n, dims, Int32Array.from({ length: n }, (_, i) => i));
  return result;
}

/**
 * Raw extra features of each row: template rarity, level, PCA residual, novelty and the model's
 * surprise (how the log uses a text, and how unexpected the text is to a model of normal logs).
 */
function extraColumns(fitted: Pick<FittedTextForest, 'pca' | 'dims' | 'rarity' | 'novelty'>, vectors: Float32Array, rows: number, extras: TextExtras): Float64Array {
  const out = new Float64Array(rows * EXTRAS);
  const residuals = fitted.pca ? pcaResiduals(fitted.pca, vectors, rows, fitted.dims) : undefined;
  const known = fitted.novelty.ofPopulation;
  const self = extras.selfIndex;
  const novelty = known && self && Array.prototype.every.call(self, (i: number) => i >= 0)
    ? Float64Array.from({ length: rows }, (_, r) => known[self[r]])
    : noveltyOf(fitted.novelty, vectors, rows, fitted.dims, self);
  for (let r = 0; r < rows; r++) {
    out[r * EXTRAS] = fitted.rarity(extras.templateOf[r]);
    out[r * EXTRAS + 1] = extras.levelOf[r];
    out[r * EXTRAS + 2] = residuals ? residuals[r] : 0;
    out[r * EXTRAS + 3] = novelty[r];
    out[r * EXTRAS + 4] = extras.surprise ? extras.surprise[r] : 0;
  }
  return out;
}

/** Forest input rows: whitened vector components followed by the standardised extras. */
function featureRows(fitted: Omit<FittedTextForest, 'forest'>, vectors: Float32Array, rows: number, extras: TextExtras): { X: Float32Array; width: number } {
  const projected = fitted.pca ? fitted.pca.transform(vectors, rows) : vectors;
  const base = fitted.pca ? fitted.pca.components : fitted.dims;
  const width = base + EXTRAS;
  const raw = extraColumns(fitted, vectors, rows, extras);
  const X = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    X.set(projected.subarray(r * base, (r + 1) * base), r * width);
    for (let k = 0; k < EXTRAS; k++) X[r * width + base + k] = (raw[r * EXTRAS + k] - fitted.extraMeans[k]) / fitted.extraScales[k];
  }
  return { X, width };
}

/**
 * Fits the text forest on a population (the target itself, or a reference log). `pcaCache` keeps
 * PCA fits across re-scores: they depend only on the population, the seed and the components.
 */
export function fitTextForest(
  population: TextTable, vectors: Float32Array, dims: number, settings: ForestSettings, pcaCache?: Map<string, Pca>,
  sampling: 'lines' | 'distinct' = 'lines',
): FittedTextForest {
  const n = population.texts.length;
  const rarity = templateRarityOf(population);
  let sample: Uint32Array;
  if (sampling === 'distinct') {
    // A known-good reference: every text in it is normal, however rare, and what matters is how far
    // a target text lies from all of them (one dominant text must not hide the rest).
    sample = Uint32Array.from(population.texts.keys());
  } else {
    // Line-weighted sample of texts: the forest learns the log's normal mix, not the list of distinct texts.
    const cumulative = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) cumulative[i] = acc += population.counts[i];
    const random = createRandom(settings.seed);
    sample = new Uint32Array(Math.max(1, Math.min(TRAINING_ROWS, Math.round(acc))));
    for (let s = 0; s < sample.length; s++) sample[s] = upperBound(cumulative, random() * acc);
  }
  const sampleSize = sample.length;

  const sampleVectors = new Float32Array(sampleSize * dims);
  const sampleTemplates = new Int32Array(sampleSize);
  const sampleLevels = new Uint8Array(sampleSize);
  const sampleSurprise = new Float32Array(sampleSize);
  for (let s = 0; s < sampleSize; s++) {
    const t = sample[s];
    sampleVectors.set(vectors.subarray(t * dims, (t + 1) * dims), s * dims);
    sampleTemplates[s] = population.templateOf[t];
    sampleLevels[s] = population.levelOf[t];
    sampleSurprise[s] = population.surprise ? population.surprise[t] : 0;
  }
  const components = Math.min(settings.pcaComponents, dims, Math.max(1, n - 1));
  const pcaKey = `${components}:${settings.seed}:${sampling}`;
  let pca = pcaCache?.get(pcaKey);
  if (!pca && settings.pcaComponents > 0 && n > 2) {
    pca = fitPca(sampleVectors, sampleSize, dims, { components, whiten: true });
    pcaCache?.set(pcaKey, pca);
  }

  const novelty = noveltyBasis(population, vectors, dims);
  const sampleSelf = Int32Array.from(sample);
  const raw = extraColumns({ pca, dims, rarity, novelty }, sampleVectors, sampleSize, { templateOf: sampleTemplates, levelOf: sampleLevels, selfIndex: sampleSelf, surprise: sampleSurprise });
  const extraMeans = new Float64Array(EXTRAS);
  const sq = new Float64Array(EXTRAS);
  for (let s = 0; s < sampleSize; s++) {
    for (let k = 0; k < EXTRAS; k++) {
      const v = raw[s * EXTRAS + k];
      extraMeans[k] += v;
      sq[k] += v * v;
    }
  }
  const extraScales = new Float64Array(EXTRAS);
  for (let k = 0; k < EXTRAS; k++) {
    extraMeans[k] /= sampleSize;
    extraScales[k] = Math.sqrt(Math.max(sq[k] / sampleSize - extraMeans[k] * extraMeans[k], 0)) || 1;
  }
  const partial = { pca, dims, rarity, novelty, extraMeans, extraScales };
  const train = featureRows(partial, sampleVectors, sampleSize, { templateOf: sampleTemplates, levelOf: sampleLevels, selfIndex: sampleSelf, surprise: sampleSurprise });
  const options = {
    nEstimators: settings.nEstimators, maxSamples: Math.min(settings.maxSamples, sampleSize),
    contamination: settings.contamination, seed: settings.seed,
  };
  const forest: AnomalyForest = settings.extended ? new ExtendedIsolationForest(options) : new IsolationForest(options);
  forest.fit(train.X, sampleSize, train.width);
  return { forest, ...partial };
}

/** Higher = more anomalous forest scores for rows of vectors with their template and level. */
export function scoreWithForest(fitted: FittedTextForest, vectors: Float32Array, rows: number, extras: TextExtras): Float32Array {
  if (rows === 0) return new Float32Array(0);
  const { X } = featureRows(fitted, vectors, rows, extras);
  return anomalyScore(fitted.forest.scoreSamples(X, rows));
}

function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Percentile of each score among a weighted population (weights = occurrences), in [0, 1]: the
 * scale on which detectors with different units can be averaged. Ties share their mid-rank.
 */
export function weightedPercentile(scores: Float32Array, weights: ArrayLike<number>): Float32Array {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const out = new Float32Array(n);
  let below = 0;
  for (let k = 0; k < n; ) {
    let j = k;
    let tied = 0;
    while (j < n && scores[order[j]] === scores[order[k]]) tied += weights[order[j++]];
    const p = (below + tied / 2) / Math.max(total, 1);
    for (let m = k; m < j; m++) out[order[m]] = p;
    below += tied;
    k = j;
  }
  return out;
}

/** Scores rescaled to [0, 1] between their lowest and highest value in this log. */
function rescaled(scores: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  const span = hi - lo || 1;
  return Float32Array.from(scores, (s) => (s - lo) / span);
}

/**
 * Fused score: the mean of the two detectors' scores, each rescaled to [0, 1] over this log. Unlike
 * a rank average it keeps each detector's margins, so a line that one detector finds far out
 * still stands out (measured on BGL_2k: AP 0.65 against 0.49 for the rank average).
 */
export function fuseScores(forest: Float32Array, surprise: Float32Array): Float32Array {
  const a = rescaled(forest);
  const b = rescaled(surprise);
  const out = new Float32Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = (a[i] + b[i]) / 2;
  return out;
}

export function detectorScores(detector: DetectorKind, forest: Float32Array | undefined, surprise: Float32Array | undefined): Float32Array {
  if (detector === 'surprise' && surprise) return surprise;
  if (detector === 'fused' && surprise && forest) return fuseScores(forest, surprise);
  if (forest) return forest;
  if (surprise) return surprise;
  throw new Error('No detector could score: the encoder produced neither vectors nor surprise.');
}
