/**
 * The rows the head learns from, apart from the fitting: the analyst's labels checked and counted,
 * identical feature rows merged, one judgement's rows sharing its weight, and the background sample
 * of unlabelled units taken as normal. Kept apart from head.ts because what the head is shown (and
 * how much each row weighs) is a question of its own, tested on its own, and the cross-validation
 * folds in blend.ts reuse these rows without refitting them.
 */
import { createRandom } from '../detect/random';
import { FeatureError, type PreparedFeatures } from './features';

/** The seed of every draw when the caller gives none (the head's fits use the same default). */
export const DEFAULT_HEAD_SEED = 1;
/**
 * Distinct labelled rows of each class trained on at most (a seeded sample beyond): a normal label
 * spread over a template can name thousands of lines that differ only in their values, and the fit,
 * the folds and the retraining time grow with the rows, not with what the analyst said.
 */
const MAX_PER_CLASS = 256;
/** Rows kept of one judgement (a seeded sample beyond): they share its weight anyway. */
const PER_JUDGEMENT = 16;

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
  seed = DEFAULT_HEAD_SEED,
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

/** A seeded Fisher-Yates shuffle of a copy. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
