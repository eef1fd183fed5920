/**
 * Timeline helpers: merge buckets so a chart draws at most a few hundred of them, list the levels present,
 * and format bucket positions as the analyst reads them (time of day, dates, or record numbers).
 */
import type { TimelineBucket } from '../../core/analysis/types';
import { LEVEL_ORDER, canonicalLevel, levelRank, type CanonicalLevel } from './palette';

/** A drawable bucket: one or more consecutive pipeline buckets merged. */
export interface TimelinePoint extends TimelineBucket {
  /** Index range [from, to) of the merged buckets in the original array. */
  from: number;
  to: number;
}

/**
 * Merges consecutive buckets into at most `maxPoints` groups of (nearly) equal size: max of the max score,
 * sum of the counts, the first record of the first bucket. The input is not modified.
 */
export function mergeBuckets(buckets: readonly TimelineBucket[], maxPoints: number, offset = 0): TimelinePoint[] {
  const n = buckets.length;
  const groups = Math.max(1, Math.min(n, Math.floor(maxPoints)));
  const out: TimelinePoint[] = [];
  for (let g = 0; g < groups && n > 0; g++) {
    const from = Math.floor((g * n) / groups);
    const to = Math.floor(((g + 1) * n) / groups);
    const first = buckets[from];
    const point: TimelinePoint = {
      start: first.start,
      end: buckets[to - 1].end,
      maxScore: -Infinity,
      countAbove: 0,
      levels: {},
      firstRecord: first.firstRecord,
      from: from + offset,
      to: to + offset,
    };
    for (let i = from; i < to; i++) {
      const b = buckets[i];
      if (b.maxScore > point.maxScore) point.maxScore = b.maxScore;
      point.countAbove += b.countAbove;
      for (const [level, count] of Object.entries(b.levels)) point.levels[level] = (point.levels[level] ?? 0) + count;
    }
    // Empty buckets carry NaN or -Infinity: draw a gap rather than a dip to a made-up value.
    if (!Number.isFinite(point.maxScore)) point.maxScore = NaN;
    out.push(point);
  }
  return out;
}

/** Level names present in the buckets, most severe first (ties by name for a stable order). */
export function levelsPresent(buckets: readonly TimelineBucket[]): string[] {
  const seen = new Set<string>();
  for (const b of buckets) for (const [level, count] of Object.entries(b.levels)) if (count > 0) seen.add(level);
  return [...seen].sort((a, b) => levelRank(a) - levelRank(b) || a.localeCompare(b));
}

/**
 * The colour groups of the given level names (TRACE joins DEBUG, NOTICE joins INFO, CRITICAL joins FATAL...),
 * most severe first: one stacked series per colour, so two series never share a colour.
 */
export function levelGroups(levels: readonly string[]): CanonicalLevel[] {
  const present = new Set(levels.map(canonicalLevel));
  return LEVEL_ORDER.filter((group) => present.has(group));
}

/** Records of a bucket in one colour group. */
export function levelGroupCount(levels: Record<string, number>, group: CanonicalLevel): number {
  let total = 0;
  for (const [level, count] of Object.entries(levels)) if (canonicalLevel(level) === group) total += count;
  return total;
}

/** Total records in a bucket, all levels together. */
export function bucketVolume(bucket: TimelineBucket): number {
  let total = 0;
  for (const count of Object.values(bucket.levels)) total += count;
  return total;
}

const pad2 = (v: number) => String(v).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A tick formatter for epoch-ms positions spanning `spanMs`: seconds for spans under 10 minutes, time of day
 * under 2 days, date and hour under 60 days, dates beyond. Times are UTC: log timestamps without a zone are
 * read as UTC by the parser, so showing them in the viewer's zone would shift them.
 */
export function timeTickFormatter(spanMs: number): (ms: number) => string {
  return (ms: number) => {
    if (!Number.isFinite(ms)) return '';
    const d = new Date(ms);
    const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
    const date = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
    if (spanMs < 10 * MINUTE) return `${hm}:${pad2(d.getUTCSeconds())}`;
    if (spanMs < 2 * DAY) return hm;
    if (spanMs < 60 * DAY) return `${date} ${hm}`;
    return `${date} ${d.getUTCFullYear()}`;
  };
}

/** Full timestamp for tooltips: `2005-06-03 15:42:50.363 UTC`. */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const millis = d.getUTCMilliseconds();
  const base =
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${base}${millis ? `.${String(millis).padStart(3, '0')}` : ''} UTC`;
}

/**
 * Record position as a tick: `#1,234` (records count from 1 for the analyst, from 0 in the data). A fractional
 * position (a bucket edge) names the first record at or after it.
 */
export function formatRecordTick(index: number): string {
  return Number.isFinite(index) ? `#${(Math.ceil(index - 1e-9) + 1).toLocaleString('en-US')}` : '';
}

/** Label of a bucket range for tooltips and the brush. */
export function bucketRangeLabel(bucket: Pick<TimelineBucket, 'start' | 'end'>, timed: boolean): string {
  if (!timed) {
    // Record-order buckets have fractional edges: they hold the records i with start <= i < end.
    const first = Math.ceil(bucket.start);
    const last = Math.max(first, Math.ceil(bucket.end) - 1);
    return `records ${formatRecordTick(first)}–${formatRecordTick(last)}`;
  }
  return `${formatTimestamp(bucket.start)} → ${formatTimestamp(bucket.end)}`;
}
