/**
 * The text forest: an isolation forest over what a text looks like (its vector, PCA-whitened) joined
 * with the named evidence of how the log uses it (textFeatures.ts). Fitted once per analysis on the
 * target itself or on a reference log, and kept so that saliency can re-score variants of a line.
 */
import type { TextTable } from '../types';
import { anomalyScore, type AnomalyForest } from './forestCommon';
import { IsolationForest } from './forest';
import { ExtendedIsolationForest } from './extendedForest';
import { fitPca, type Pca } from './pca';
import { createRandom } from './random';
import type { ForestSettings } from './settings';
import { searchSorted } from './threshold';
import {
  noveltyBasis,
  templateRarityOf,
  TEXT_FEATURES,
  textFeatureColumns,
  type FeatureBasis,
  type FeatureColumns,
  type TextExtras,
  type TextFeature,
} from './textFeatures';

export interface FittedTextForest extends FeatureBasis {
  forest: AnomalyForest;
  /** Mean and scale standardising each named feature on the fitting sample. */
  featureMeans: Record<TextFeature, number>;
  featureScales: Record<TextFeature, number>;
}

/** Training rows drawn in proportion to how often each text occurs, so common text is "normal". */
const TRAINING_ROWS = 8192;

/**
 * Forest input rows: whitened vector components (the first `base` columns) followed by the
 * standardised named features. Explanations build their variants on the same layout.
 */
export function featureRows(
  fitted: Omit<FittedTextForest, 'forest'>,
  vectors: Float32Array,
  rows: number,
  columns: FeatureColumns,
): { X: Float32Array; width: number; base: number } {
  const projected = fitted.pca ? fitted.pca.transform(vectors, rows) : vectors;
  const base = fitted.pca ? fitted.pca.components : fitted.dims;
  const width = base + TEXT_FEATURES.length;
  const X = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    X.set(projected.subarray(r * base, (r + 1) * base), r * width);
    TEXT_FEATURES.forEach((name, k) => {
      X[r * width + base + k] = (columns[name][r] - fitted.featureMeans[name]) / fitted.featureScales[name];
    });
  }
  return { X, width, base };
}

/** Line-weighted sample of texts: the forest learns the log's normal mix, not the list of distinct texts. */
function lineWeightedSample(counts: Uint32Array, seed: number): Uint32Array {
  const n = counts.length;
  const cumulative = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cumulative[i] = acc += counts[i];
  const random = createRandom(seed);
  const sample = new Uint32Array(Math.max(1, Math.min(TRAINING_ROWS, Math.round(acc))));
  for (let s = 0; s < sample.length; s++) sample[s] = Math.min(n - 1, searchSorted(cumulative, random() * acc, true));
  return sample;
}

function meanAndScale(values: Float64Array): { mean: number; scale: number } {
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / Math.max(1, values.length);
  return { mean, scale: Math.sqrt(Math.max(sq / Math.max(1, values.length) - mean * mean, 0)) || 1 };
}

/**
 * Fits the text forest on a population (the target itself, or a reference log). `pcaCache` keeps
 * PCA fits across re-scores: they depend only on the population, the seed and the components.
 */
export function fitTextForest(
  population: TextTable & { surprise?: ArrayLike<number> },
  vectors: Float32Array,
  dims: number,
  settings: ForestSettings,
  pcaCache?: Map<string, Pca>,
  sampling: 'lines' | 'distinct' = 'lines',
): FittedTextForest {
  const n = population.texts.length;
  // A known-good reference: every text in it is normal, however rare, and what matters is how far
  // a target text lies from all of them (one dominant text must not hide the rest).
  const sample = sampling === 'distinct' ? Uint32Array.from(population.texts.keys()) : lineWeightedSample(population.counts, settings.seed);
  const sampleSize = sample.length;
  const sampleVectors = new Float32Array(sampleSize * dims);
  for (let s = 0; s < sampleSize; s++) sampleVectors.set(vectors.subarray(sample[s] * dims, (sample[s] + 1) * dims), s * dims);
  const extras: TextExtras = {
    templateOf: Int32Array.from(sample, (t) => population.templateOf[t]),
    levelOf: Uint8Array.from(sample, (t) => population.levelOf[t]),
    surprise: Float32Array.from(sample, (t) => (population.surprise ? population.surprise[t] : 0)),
    selfIndex: Int32Array.from(sample),
  };

  const components = Math.min(settings.pcaComponents, dims, Math.max(1, n - 1));
  const pcaKey = `${components}:${settings.seed}:${sampling}`;
  let pca = pcaCache?.get(pcaKey);
  if (!pca && settings.pcaComponents > 0 && n > 2) {
    pca = fitPca(sampleVectors, sampleSize, dims, { components, whiten: true });
    pcaCache?.set(pcaKey, pca);
  }
  const basis: FeatureBasis = { pca, dims, rarity: templateRarityOf(population), novelty: noveltyBasis(population, vectors, dims) };
  const columns = textFeatureColumns(basis, sampleVectors, sampleSize, extras);
  const featureMeans = {} as Record<TextFeature, number>;
  const featureScales = {} as Record<TextFeature, number>;
  for (const name of TEXT_FEATURES) {
    const { mean, scale } = meanAndScale(columns[name]);
    featureMeans[name] = mean;
    featureScales[name] = scale;
  }
  const partial = { ...basis, featureMeans, featureScales };
  const train = featureRows(partial, sampleVectors, sampleSize, columns);
  const options = {
    nEstimators: settings.nEstimators,
    maxSamples: Math.min(settings.maxSamples, sampleSize),
    contamination: settings.contamination,
    seed: settings.seed,
  };
  const forest: AnomalyForest = settings.extended ? new ExtendedIsolationForest(options) : new IsolationForest(options);
  forest.fit(train.X, sampleSize, train.width);
  return { forest, ...partial };
}

/** Higher = more anomalous forest scores for rows of vectors with their template and level. */
export function scoreWithForest(fitted: FittedTextForest, vectors: Float32Array, rows: number, extras: TextExtras): Float32Array {
  if (rows === 0) return new Float32Array(0);
  const { X } = featureRows(fitted, vectors, rows, textFeatureColumns(fitted, vectors, rows, extras));
  return anomalyScore(fitted.forest.scoreSamples(X, rows));
}
