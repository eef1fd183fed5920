/**
 * Which evidence moved a score: for each named feature the text forest reads (core/detect
 * textFeatures), the change of the SHOWN score when that feature alone is set to its typical value
 * (the median over the population the forest was fitted on), re-scored on the fitted forest. For
 * the surprise and fused detectors, surprise also enters the score directly; its entry sets it
 * to typical in both places. Generic over the list of features: new evidence added to
 * TEXT_FEATURES is explained the same way, in generic words until it gets words of its own.
 */
import { anomalyScore } from '../detect/forestCommon';
import { detectorScores } from '../detect/fusion';
import type { DetectorKind } from '../detect/settings';
import { TEXT_FEATURES, textFeatureColumns, type TextExtras } from '../detect/textFeatures';
import { featureRows, type FittedTextForest } from '../detect/textForest';
import { LEVELS } from '../parse/level';
import type { TextTable } from '../types';

/** What explaining a text needs: the fitted forest, the shown detector and the populations. */
export interface EvidenceContext {
  forest: FittedTextForest;
  detector: DetectorKind;
  dims: number;
  /** The target's texts with their forest scores and surprise: the scale the shown score is on. */
  target: { textForest: Float32Array; surprise?: Float32Array };
  /** The population the forest was fitted on, and whether it was sampled by line (else distinct texts). */
  population: { texts: TextTable; vectors: Float32Array; surprise?: Float32Array; byLine: boolean };
}

/** One text to explain: its vector and what the forest reads beside it. */
export interface EvidenceRow {
  vector: Float32Array;
  templateOf: number;
  levelOf: number;
  surprise: number;
  /** Its index among the population's texts (-1 when it is not one of them). */
  selfIndex: number;
}

/** One piece of evidence the detector used, and how much it moved a unit's score. */
export interface Contribution {
  /** The feature's name in core/detect (templateRarity, level, novelty, surprise...). */
  name: string;
  /** Its name in the analyst's words ("template rarity"). */
  label: string;
  value: number;
  /** Its typical value: the median over the population the detector was fitted on. */
  typical: number;
  /**
   * Score − score with this evidence set to its typical value, on the shown score's scale:
   * positive = this evidence raised the score.
   */
  effect: number;
  /** The value in the analyst's words ("rare template: seen 1 time in 20,000 lines"). */
  words: string;
}

/** Median of values, each counted `weights[i]` times (all once without weights). */
export function weightedMedian(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? weights[i] : 1;
  let acc = 0;
  for (const i of order) {
    acc += weights ? weights[i] : 1;
    if (acc >= total / 2) return values[i];
  }
  return values[order[n - 1]];
}

interface Typical {
  features: Record<string, number>;
  /** Per whitened component (the text's wording as the forest sees it). */
  components: Float64Array;
  /** Lines (or texts) in the population, for "seen 1 time in 20,000 lines". */
  populationLines: number;
}

const typicalCache = new WeakMap<FittedTextForest, Typical>();

/** Typical value of every feature over the fitting population (computed once per fitted forest). */
function typicalValues(ctx: EvidenceContext): Typical {
  const cached = typicalCache.get(ctx.forest);
  if (cached) return cached;
  const { texts, vectors, surprise, byLine } = ctx.population;
  const n = texts.texts.length;
  const extras: TextExtras = {
    templateOf: texts.templateOf,
    levelOf: texts.levelOf,
    surprise: surprise ?? new Float32Array(n),
    selfIndex: Int32Array.from({ length: n }, (_, i) => i),
  };
  const columns = textFeatureColumns(ctx.forest, vectors, n, extras);
  const weights = byLine ? texts.counts : undefined;
  const features: Record<string, number> = {};
  for (const name of TEXT_FEATURES) features[name] = weightedMedian(columns[name], weights);
  const { X, width, base } = featureRows(ctx.forest, vectors, n, columns);
  const components = new Float64Array(base);
  const column = new Float64Array(n);
  for (let k = 0; k < base; k++) {
    for (let r = 0; r < n; r++) column[r] = X[r * width + k];
    components[k] = weightedMedian(column, weights);
  }
  let populationLines = 0;
  for (let i = 0; i < n; i++) populationLines += byLine ? texts.counts[i] : 1;
  const typical = { features, components, populationLines };
  typicalCache.set(ctx.forest, typical);
  return typical;
}

/**
 * Maps forest scores and surprise of extra rows onto the shown detector's scale, by scoring them
 * beside the log's own texts (so rescaling or calibration over the log applies to them as well).
 */
export function shownScores(ctx: EvidenceContext, forest: Float32Array, surprise: Float32Array): Float32Array {
  const { textForest, surprise: targetSurprise } = ctx.target;
  if (ctx.detector === 'forest' || !targetSurprise) return forest;
  const n = textForest.length;
  const allForest = new Float32Array(n + forest.length);
  allForest.set(textForest);
  allForest.set(forest, n);
  const allSurprise = new Float32Array(n + surprise.length);
  allSurprise.set(targetSurprise);
  allSurprise.set(surprise, n);
  return detectorScores(ctx.detector, allForest, allSurprise).subarray(n);
}

const LABELS: Record<string, string> = {
  templateRarity: 'template rarity',
  level: 'level',
  pcaResidual: 'unusual wording',
  novelty: 'novelty',
  surprise: 'surprise',
  wording: 'what the line says',
};

const integer = new Intl.NumberFormat('en-US');
const count = (n: number) => integer.format(Math.round(n));
const plural = (n: number, one: string, many: string) => (Math.round(n) === 1 ? one : many);
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** A feature's value in the analyst's words. */
export function describeEvidence(name: string, value: number, typical: number, populationLines: number, byLine: boolean): string {
  const unit = byLine ? 'lines' : 'known texts';
  switch (name) {
    case 'templateRarity': {
      const seen = populationLines * Math.exp(-value);
      if (seen < 0.75) return `new template: never seen in the ${byLine ? 'log' : 'reference'}`;
      const share = seen / Math.max(1, populationLines);
      const kind = share < 0.001 ? 'rare template' : share < 0.05 ? 'uncommon template' : 'common template';
      return `${kind}: seen ${count(seen)} ${plural(seen, 'time', 'times')} in ${count(populationLines)} ${unit}`;
    }
    case 'level': {
      const level = LEVELS[Math.round(value)] || 'no level';
      const usual = LEVELS[Math.round(typical)] || 'no level';
      return level === usual ? `level ${level}, like most lines` : `level ${level} (most lines: ${usual})`;
    }
    case 'pcaResidual':
      return `wording unlike the common lines: ${num(value)} off their subspace (typical ${num(typical)})`;
    case 'novelty': {
      const similar = Math.round((1 - value) * 100);
      return `nearest other known line is ${similar}% similar (typical ${Math.round((1 - typical) * 100)}%)`;
    }
    case 'surprise':
      return `the model found its words ${value > typical ? 'surprising' : 'expected'}: ${num(value)} nats per token (typical ${num(typical)})`;
    case 'wording':
      return 'where its vector lies among the common lines';
    default:
      return `${LABELS[name] ?? name}: ${num(value)} (typical ${num(typical)})`;
  }
}

/**
 * The contribution of every piece of evidence to each row's shown score, largest |effect| first.
 * All variants of all rows are scored in one forest batch.
 */
export function explainEvidence(ctx: EvidenceContext, rows: EvidenceRow[]): Contribution[][] {
  if (rows.length === 0) return [];
  const { forest, dims } = ctx;
  const typical = typicalValues(ctx);
  const hasSurprise = !!ctx.population.surprise;
  const features = TEXT_FEATURES.filter((f) => f !== 'surprise' || hasSurprise);
  // Variants per row: the row itself, one per feature at its typical value, and the wording.
  const perRow = 2 + features.length;
  const m = rows.length;
  const vectors = new Float32Array(m * dims);
  rows.forEach((r, i) => vectors.set(r.vector, i * dims));
  const columns = textFeatureColumns(forest, vectors, m, {
    templateOf: rows.map((r) => r.templateOf),
    levelOf: rows.map((r) => r.levelOf),
    surprise: rows.map((r) => r.surprise),
    selfIndex: rows.map((r) => r.selfIndex),
  });
  const own = featureRows(forest, vectors, m, columns);
  const { width, base } = own;
  const X = new Float32Array(m * perRow * width);
  const surprise = new Float32Array(m * perRow);
  for (let i = 0; i < m; i++) {
    const row = own.X.subarray(i * width, (i + 1) * width);
    for (let v = 0; v < perRow; v++) {
      const at = (i * perRow + v) * width;
      X.set(row, at);
      surprise[i * perRow + v] = rows[i].surprise;
      if (v >= 1 && v <= features.length) {
        const name = features[v - 1];
        const k = TEXT_FEATURES.indexOf(name);
        X[at + base + k] = (typical.features[name] - forest.featureMeans[name]) / forest.featureScales[name];
        if (name === 'surprise') surprise[i * perRow + v] = typical.features.surprise;
      } else if (v === perRow - 1) {
        for (let k = 0; k < base; k++) X[at + k] = typical.components[k];
      }
    }
  }
  const forestScores = anomalyScore(forest.forest.scoreSamples(X, m * perRow));
  const shown = shownScores(ctx, forestScores, surprise);
  const byLine = ctx.population.byLine;
  return rows.map((_, i) => {
    const score = shown[i * perRow];
    const out: Contribution[] = features.map((name, f) => {
      const value = columns[name][i];
      return {
        name,
        label: LABELS[name] ?? name,
        value,
        typical: typical.features[name],
        effect: score - shown[i * perRow + 1 + f],
        words: describeEvidence(name, value, typical.features[name], typical.populationLines, byLine),
      };
    });
    if (base > 0) {
      out.push({
        name: 'wording',
        label: LABELS.wording,
        value: Number.NaN,
        typical: Number.NaN,
        effect: score - shown[i * perRow + perRow - 1],
        words: describeEvidence('wording', 0, 0, typical.populationLines, byLine),
      });
    }
    return out.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  });
}

/** The one-line reason of a unit: the evidence that raised its score most. */
export function reasonOf(contributions: Contribution[]): string {
  const top = contributions.find((c) => c.effect > 0);
  return top ? top.words : 'no single piece of evidence stands out';
}
