/**
 * Score histogram helpers: bin once per set of scores, then answer threshold questions cheaply
 * (the threshold moves on every pointer event while the analyst drags it).
 */

export interface ScoreBins {
  /** Lower edge of the first bin. */
  min: number;
  /** Upper edge of the last bin. */
  max: number;
  /** Width of every bin. */
  width: number;
  counts: Uint32Array;
  /** Finite scores binned (NaN and ±Infinity are left out). */
  total: number;
}

export const DEFAULT_BIN_COUNT = 50;

/**
 * Equal-width histogram of the finite scores between their min and max. The max falls in the last bin.
 * When every score is equal, the single value sits in the middle of a unit-wide range.
 */
export function binScores(scores: ArrayLike<number>, binCount = DEFAULT_BIN_COUNT): ScoreBins {
  const bins = Math.max(1, Math.floor(binCount));
  let lo = Infinity;
  let hi = -Infinity;
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) continue;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
    total++;
  }
  const counts = new Uint32Array(bins);
  if (total === 0) return { min: 0, max: 1, width: 1 / bins, counts, total };
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) continue;
    const b = Math.floor((s - lo) / width);
    counts[b >= bins ? bins - 1 : b < 0 ? 0 : b]++;
  }
  return { min: lo, max: hi, width, counts, total };
}

/** Finite scores sorted ascending: lets `countFlaggedSorted` answer in O(log n) while dragging. */
export function sortedFiniteScores(scores: ArrayLike<number>): Float64Array {
  let n = 0;
  let ascending = true;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isFinite(scores[i])) n++;
    if (i > 0 && scores[i] < scores[i - 1]) ascending = false;
  }
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isFinite(s)) out[j++] = s;
  }
  // The worker sends the distribution already sorted: no need to sort a million scores here.
  return ascending ? out : out.sort();
}

/** Log-compressed count: 0 stays 0, 1 → 0.30, 9 → 1, 99 → 2. Keeps single rare records visible. */
export function logCount(count: number): number {
  return Math.log10(1 + Math.max(0, count));
}

/** Inverse of `logCount`, rounded to a whole count. */
export function countFromLog(value: number): number {
  return Math.max(0, Math.round(10 ** value - 1));
}

/** Y-axis ticks for log-compressed counts: 0, 1, 10, 100, ... up to the first power of ten ≥ maxCount. */
export function logCountTicks(maxCount: number): number[] {
  const ticks = [0];
  for (let p = 1; ; p *= 10) {
    ticks.push(logCount(p));
    if (p >= maxCount || p >= 1e12) break;
  }
  return ticks;
}

/** One point of the step outline drawn for the histogram; a series is null where it is not drawn. */
export interface HistogramStep {
  x: number;
  below: number | null;
  above: number | null;
}

/**
 * The histogram as step points (drawn with a `stepAfter` area: one SVG path per series, whatever the data),
 * split at the threshold into the part below it and the part at or above it. A point at the threshold itself
 * joins the two series; a closing point at `max` ends the last bin.
 */
export function histogramSteps(bins: ScoreBins, threshold: number, scaleCount: (count: number) => number = (c) => c): HistogramStep[] {
  const steps: HistogramStep[] = [];
  const n = bins.counts.length;
  const t = Number.isNaN(threshold) ? Infinity : threshold;
  let joined = !(t > bins.min && t < bins.max);
  for (let i = 0; i < n; i++) {
    const x = bins.min + i * bins.width;
    const value = scaleCount(bins.counts[i]);
    if (!joined && t <= x) {
      // The threshold falls in the previous bin (or exactly on this bin's start).
      const previous = i > 0 ? scaleCount(bins.counts[i - 1]) : value;
      steps.push({ x: t, below: previous, above: t === x ? value : previous });
      joined = true;
      if (t === x) continue;
    }
    steps.push(x < t ? { x, below: value, above: null } : { x, below: null, above: value });
  }
  if (!joined) {
    const last = scaleCount(bins.counts[n - 1]);
    steps.push({ x: t, below: last, above: last });
  }
  const last = scaleCount(bins.counts[n - 1]);
  steps.push(t < bins.max ? { x: bins.max, below: null, above: last } : { x: bins.max, below: last, above: null });
  return steps;
}

/** The largest bin count. */
export function maxBinCount(bins: ScoreBins): number {
  let m = 0;
  for (const c of bins.counts) if (c > m) m = c;
  return m;
}

/**
 * The x range of the histogram: the binned range, stretched to include the threshold when it lies just
 * outside (by at most `maxStretch` of the range). A threshold farther out is drawn pinned to the edge
 * rather than squashing the histogram into a sliver.
 */
export function histogramDomain(bins: ScoreBins, threshold: number, maxStretch = 0.25): [number, number] {
  const reach = (bins.max - bins.min) * maxStretch;
  let lo = bins.min;
  let hi = bins.max;
  if (Number.isFinite(threshold)) {
    if (threshold < lo && threshold >= lo - reach) lo = threshold;
    if (threshold > hi && threshold <= hi + reach) hi = threshold;
  }
  return [lo, hi];
}

/** What the histogram draws and counts from one array of scores. */
export interface PreparedScores {
  binned: ScoreBins;
  sorted: Float64Array;
}

const preparedCache = new WeakMap<Float32Array, Map<number, PreparedScores>>();

/**
 * binScores and sortedFiniteScores of `scores`, computed once per array and bin count: the panel
 * computes them in a task of its own before the histogram's turn to draw (a million scores take
 * tens of ms), and the histogram's render then finds them here.
 */
export function preparedScores(scores: Float32Array, binCount = DEFAULT_BIN_COUNT): PreparedScores {
  let byBins = preparedCache.get(scores);
  if (!byBins) preparedCache.set(scores, (byBins = new Map()));
  let prepared = byBins.get(binCount);
  if (!prepared) byBins.set(binCount, (prepared = { binned: binScores(scores, binCount), sorted: sortedFiniteScores(scores) }));
  return prepared;
}
