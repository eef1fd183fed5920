/**
 * Small scale functions shared by the charts: pointer position → value, point sizes and colours,
 * and thinning of long series so no chart draws more than a few thousand SVG nodes.
 */
import type { MapPoint, Metrics } from '../../core/analysis/types';

/** The value at a fraction of the way along [lo, hi] (fraction clamped to [0, 1]). */
export function valueAtFraction(fraction: number, lo: number, hi: number): number {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return lo + f * (hi - lo);
}

/** The fraction of the way along [lo, hi] where a value sits (clamped; a flat range gives 0). */
export function fractionOfValue(value: number, lo: number, hi: number): number {
  if (!(hi > lo) || !Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
}

/** Min and max of the finite values, or [0, 1] when there are none. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Pads a range by a share of its width on each side (a flat range gets ±0.5). */
export function padExtent([lo, hi]: [number, number], share = 0.05): [number, number] {
  if (hi === lo) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * share;
  return [lo - pad, hi + pad];
}

/**
 * Square-root size scale: area proportional to count, so a template seen 100× covers 100× the ink
 * of one seen once. Counts at `maxCount` get `maxRadius`; any positive count gets at least `minRadius`.
 */
export function sqrtRadius(count: number, maxCount: number, minRadius = 2.5, maxRadius = 14): number {
  if (!(count > 0) || !(maxCount > 0)) return minRadius;
  const r = maxRadius * Math.sqrt(Math.min(count, maxCount) / maxCount);
  return Math.max(minRadius, r);
}

/**
 * Points to draw on the embedding map, at most `maxPoints`: all of them when they fit; otherwise the
 * selected template, the highest-scoring half of the budget and the most frequent rest. Returned in drawing
 * order, lowest score first, so anomalous templates sit on top.
 */
export function mapPointsToDraw(points: readonly MapPoint[], maxPoints: number, selectedTemplate?: number): MapPoint[] {
  let kept: MapPoint[];
  if (points.length <= maxPoints) {
    kept = points.slice();
  } else {
    const chosen = new Set<MapPoint>();
    const selected = points.find((p) => p.templateId === selectedTemplate);
    if (selected) chosen.add(selected);
    const byScore = points.slice().sort((a, b) => b.score - a.score);
    for (const p of byScore) {
      if (chosen.size >= Math.ceil(maxPoints / 2)) break;
      chosen.add(p);
    }
    const byCount = points.slice().sort((a, b) => b.count - a.count);
    for (const p of byCount) {
      if (chosen.size >= maxPoints) break;
      chosen.add(p);
    }
    kept = [...chosen];
  }
  return kept.sort((a, b) => a.score - b.score || a.templateId - b.templateId);
}

export type PrPoint = Metrics['pr'][number];

/**
 * Thins a precision-recall curve to at most `maxPoints`, keeping its ends and, within each recall slice,
 * the point of highest precision (the envelope the analyst reads; AP is computed elsewhere from all points).
 * Points are returned sorted by recall.
 */
export function thinPrCurve(pr: readonly PrPoint[], maxPoints: number): PrPoint[] {
  const finite = pr.filter((p) => Number.isFinite(p.recall) && Number.isFinite(p.precision));
  const sorted = finite.slice().sort((a, b) => a.recall - b.recall || b.precision - a.precision);
  if (sorted.length <= maxPoints) return sorted;
  const slices = Math.max(1, maxPoints - 2);
  const best: Array<PrPoint | undefined> = new Array(slices);
  const [lo, hi] = [sorted[0].recall, sorted[sorted.length - 1].recall];
  const span = hi - lo || 1;
  for (const p of sorted.slice(1, -1)) {
    const s = Math.min(slices - 1, Math.floor(((p.recall - lo) / span) * slices));
    const current = best[s];
    if (!current || p.precision > current.precision) best[s] = p;
  }
  const out: PrPoint[] = [sorted[0]];
  for (const p of best) if (p) out.push(p);
  out.push(sorted[sorted.length - 1]);
  return out;
}

/** Rough width of 11px UI text: enough to choose a side for a label without measuring the DOM. */
export function approxTextWidth(text: string, fontSize = 11): number {
  return text.length * fontSize * 0.58;
}

/**
 * Where to put a label beside a vertical line at `x` inside [left, right]: to its right when it fits,
 * else to its left, else null (the caller tries a shorter text).
 */
export function placeLabelBeside(
  x: number,
  width: number,
  left: number,
  right: number,
  gap = 8,
): { x: number; anchor: 'start' | 'end' } | null {
  if (x + gap + width <= right) return { x: x + gap, anchor: 'start' };
  if (x - gap - width >= left) return { x: x - gap, anchor: 'end' };
  return null;
}

/**
 * Round tick values inside [lo, hi] (steps of 1, 2 or 5 × 10^k), about `count` of them: for axes whose
 * domain is pinned to data edges, where the edges themselves are odd numbers.
 */
export function niceTicksWithin(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo) || count < 1) return [];
  const rough = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
    // Multiplying the integer index (not adding steps) keeps ticks free of accumulated float error.
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}
