/**
 * Feature rows for the head trained on the analyst's labels: the encoder's frozen vector of each
 * unit's text joined with named evidence columns (template rarity, level, novelty, surprise, the
 * unsupervised score...), standardised on the unit population.
 *
 * Vectors are kept per distinct row (lines share their text's vector), so a model's vector part is
 * computed once per text and not once per line: that is what keeps retraining fast on large logs.
 */
import { fitPca } from '../detect/pca';

/** One named evidence column: one value per unit. */
export interface EvidenceColumn {
  name: string;
  values: ArrayLike<number>;
}

export interface UnitFeatures {
  /** Number of units (lines, sessions, templates...). */
  count: number;
  /** The encoder's frozen vectors, row-major, `dims` per row (empty with dims 0). */
  vectors: Float32Array;
  dims: number;
  /** Row of `vectors` of each unit (e.g. a line's text index); unit u uses row u when absent. */
  vectorRow?: ArrayLike<number>;
  /** Named evidence columns, each with `count` values. */
  evidence: EvidenceColumn[];
}

/** Standardised features, computed once per analysis and reused by every retraining. */
export interface PreparedFeatures {
  count: number;
  /** Width of the vector part after projection (≤ the encoder's dims). */
  dims: number;
  /** Distinct vector rows: standardised, projected on their leading principal components, scaled (rows × dims). */
  vectors: Float32Array;
  rows: number;
  vectorRow: Uint32Array;
  /** Standardised evidence, unit-major (count × evidenceNames.length). */
  evidence: Float32Array;
  evidenceNames: string[];
  /** Means and scales used (encoder dims first, then evidence). */
  means: Float64Array;
  scales: Float64Array;
  /** Principal directions of the standardised vectors, row-major (dims × encoder dims); empty without vectors. */
  basis: Float64Array;
  /** Multiplier on the whole standardised vector block (see VECTOR_BLOCK_SHARE). */
  vectorScale: number;
}

/** Thrown for features the head cannot learn from (NaN, wrong lengths): names what and where. */
export class FeatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeatureError';
  }
}

/**
 * The vector block is scaled so that all its dims together weigh as much as this many evidence
 * columns under the same L2 penalty. Standardised one by one, 192 vector dims would outvote the few
 * evidence columns (which carry most of what the detectors know) before a handful of labels could
 * say which matter; measured by bench:fewshot (see the report in bench/results/fewshot.json).
 */
export const VECTOR_BLOCK_SHARE = 4;

/**
 * Principal components of the vectors the head sees. A few labels cannot weigh 192 dims; the leading
 * components hold most of what tells texts apart, and a narrower row makes every retraining
 * proportionally faster (the 10k-unit retraining time is measured by bench:fewshot).
 */
export const VECTOR_COMPONENTS = 32;
/** Rows the components are fitted on at most (a stride sample): bounds the one-off cost. */
const PCA_ROWS = 2048;

export interface PrepareOptions {
  /** Overrides VECTOR_BLOCK_SHARE (0 drops the vectors). */
  vectorShare?: number;
  /** Overrides VECTOR_COMPONENTS. */
  components?: number;
}

/** Validates and standardises unit features on the unit population (each unit counts once). */
export function prepareFeatures(features: UnitFeatures, options: PrepareOptions = {}): PreparedFeatures {
  const { count, dims } = features;
  if (!Number.isInteger(count) || count < 0) throw new FeatureError(`unit count must be a non-negative integer (got ${count})`);
  if (!Number.isInteger(dims) || dims < 0) throw new FeatureError(`vector dims must be a non-negative integer (got ${dims})`);
  if (dims > 0 && features.vectors.length % dims !== 0) {
    throw new FeatureError(`vectors hold ${features.vectors.length} values, not a multiple of dims ${dims}`);
  }
  const rows = dims > 0 ? features.vectors.length / dims : 0;
  const vectorRow = new Uint32Array(count);
  if (dims > 0) {
    if (features.vectorRow) {
      if (features.vectorRow.length !== count)
        throw new FeatureError(`vectorRow has ${features.vectorRow.length} entries for ${count} units`);
      for (let u = 0; u < count; u++) {
        const r = features.vectorRow[u];
        if (!Number.isInteger(r) || r < 0 || r >= rows)
          throw new FeatureError(`unit ${u} points at vector row ${r}, outside 0..${rows - 1}`);
        vectorRow[u] = r;
      }
    } else {
      if (rows !== count) throw new FeatureError(`${rows} vector rows for ${count} units: give vectorRow to share rows`);
      for (let u = 0; u < count; u++) vectorRow[u] = u;
    }
  }
  const names = features.evidence.map((c) => c.name);
  const seen = new Set<string>();
  for (const c of features.evidence) {
    if (seen.has(c.name)) throw new FeatureError(`evidence column "${c.name}" is given twice`);
    seen.add(c.name);
    if (c.values.length !== count) throw new FeatureError(`evidence column "${c.name}" has ${c.values.length} values for ${count} units`);
  }
  const width = dims + names.length;
  const means = new Float64Array(width);
  const scales = new Float64Array(width).fill(1);

  // Vector dims: weighted by how many units use each row, so the population is the units.
  const uses = new Float64Array(rows);
  for (let u = 0; u < count; u++) if (dims > 0) uses[vectorRow[u]]++;
  const sq = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    if (uses[r] === 0) continue;
    const base = r * dims;
    for (let d = 0; d < dims; d++) {
      const v = features.vectors[base + d];
      if (!Number.isFinite(v)) throw new FeatureError(`vector row ${r} holds ${v} at dim ${d}: vectors must be finite`);
      means[d] += uses[r] * v;
      sq[d] += uses[r] * v * v;
    }
  }
  for (let d = 0; d < dims && count > 0; d++) {
    means[d] /= count;
    scales[d] = Math.sqrt(Math.max(sq[d] / count - means[d] * means[d], 0)) || 1;
  }
  const share = options.vectorShare ?? VECTOR_BLOCK_SHARE;
  if (!(share >= 0) || !Number.isFinite(share)) throw new FeatureError(`vectorShare must be a finite number ≥ 0 (got ${share})`);
  const standardised = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    const base = r * dims;
    for (let d = 0; d < dims; d++) standardised[base + d] = (features.vectors[base + d] - means[d]) / scales[d];
  }
  const { vectors, basis, width: projected } = project(standardised, rows, dims, uses, options.components ?? VECTOR_COMPONENTS);
  // Scale the block so that its total variance over the units equals `share` standardised columns.
  let variance = 0;
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < projected; d++) variance += uses[r] * vectors[r * projected + d] ** 2;
  }
  variance = count ? variance / count : 0;
  const vectorScale = variance > 0 ? Math.sqrt(share / variance) : 0;
  for (let i = 0; i < vectors.length; i++) vectors[i] *= vectorScale;

  const e = names.length;
  const evidence = new Float32Array(count * e);
  features.evidence.forEach((column, k) => {
    let sum = 0;
    let sum2 = 0;
    for (let u = 0; u < count; u++) {
      const v = column.values[u];
      if (!Number.isFinite(v))
        throw new FeatureError(`evidence column "${column.name}" is ${v} at unit ${u}: every unit needs a finite value`);
      sum += v;
      sum2 += v * v;
    }
    const mean = count ? sum / count : 0;
    const scale = count ? Math.sqrt(Math.max(sum2 / count - mean * mean, 0)) || 1 : 1;
    means[dims + k] = mean;
    scales[dims + k] = scale;
    for (let u = 0; u < count; u++) evidence[u * e + k] = (column.values[u] - mean) / scale;
  });
  return { count, dims: projected, vectors, rows, vectorRow, evidence, evidenceNames: names, means, scales, basis, vectorScale };
}

/**
 * Rows projected on the leading principal directions of the rows in use (centred on the units'
 * mean; standardised input). Fewer rows than components: as many components as the rows support.
 */
function project(
  X: Float32Array,
  rows: number,
  dims: number,
  uses: Float64Array,
  components: number,
): { vectors: Float32Array; basis: Float64Array; width: number } {
  const used = Array.from({ length: rows }, (_, r) => r).filter((r) => uses[r] > 0);
  const k = Math.min(Math.max(0, Math.floor(components)), dims, Math.max(0, used.length - 1));
  if (k === 0) return { vectors: new Float32Array(0), basis: new Float64Array(0), width: 0 };
  const step = Math.max(1, Math.floor(used.length / PCA_ROWS));
  const sampled = used.filter((_, i) => i % step === 0);
  const sample = new Float32Array(sampled.length * dims);
  sampled.forEach((r, i) => sample.set(X.subarray(r * dims, (r + 1) * dims), i * dims));
  const pca = fitPca(sample, sampled.length, dims, { components: k });
  // Centred on the unit mean (0 after standardising), not the sample's: units are the population.
  const vectors = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const base = r * dims;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      const b = c * dims;
      for (let d = 0; d < dims; d++) dot += pca.basis[b + d] * X[base + d];
      vectors[r * k + c] = dot;
    }
  }
  return { vectors, basis: Float64Array.from(pca.basis.subarray(0, k * dims)), width: k };
}

/** Width of a prepared feature row: vector dims, then evidence columns. */
export function featureWidth(prepared: PreparedFeatures): number {
  return prepared.dims + prepared.evidenceNames.length;
}

/** Writes unit u's full feature row into `out` at `offset`. */
export function copyFeatureRow(prepared: PreparedFeatures, u: number, out: Float64Array, offset: number): void {
  const { dims } = prepared;
  const e = prepared.evidenceNames.length;
  const vBase = prepared.vectorRow[u] * dims;
  for (let d = 0; d < dims; d++) out[offset + d] = prepared.vectors[vBase + d];
  for (let k = 0; k < e; k++) out[offset + dims + k] = prepared.evidence[u * e + k];
}
