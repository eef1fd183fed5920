/**
 * The score timeline: records aggregated into at most a few hundred buckets (by time when the log
 * has timestamps, by record order otherwise), so charts never draw one point per line.
 */
import { LEVELS } from '../parse/level';
import type { RecordTable } from './recordTable';
import type { TimelineBucket } from './types';

export interface TimelineLayout {
  timed: boolean;
  /** Bucket index of every record. */
  bucketOf: Uint16Array;
  starts: Float64Array;
  ends: Float64Array;
  firstRecord: Uint32Array;
}

const MAX_BUCKETS = 240;

/** Share of records with a timestamp above which the timeline uses time rather than record order. */
const TIMED_SHARE = 0.9;

export function layoutTimeline(records: RecordTable): TimelineLayout {
  const n = records.count;
  let timedCount = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = records.timestamp[i];
    if (Number.isNaN(t)) continue;
    timedCount++;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const timed = n > 0 && timedCount / n >= TIMED_SHARE && max > min;
  const buckets = Math.max(1, Math.min(MAX_BUCKETS, n));
  const lo = timed ? min : 0;
  const span = timed ? max - min : n;
  const width = span / buckets || 1;
  const bucketOf = new Uint16Array(n);
  const firstRecord = new Uint32Array(buckets).fill(0xffffffff);
  let lastTime = lo;
  for (let i = 0; i < n; i++) {
    let position: number;
    if (timed) {
      const t = records.timestamp[i];
      // Untimed lines (continuations, odd lines) stay with the record before them.
      if (!Number.isNaN(t)) lastTime = t;
      position = lastTime;
    } else position = i;
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((position - lo) / width)));
    bucketOf[i] = b;
    if (firstRecord[b] === 0xffffffff) firstRecord[b] = i;
  }
  const starts = new Float64Array(buckets);
  const ends = new Float64Array(buckets);
  for (let b = 0; b < buckets; b++) {
    starts[b] = lo + b * width;
    ends[b] = lo + (b + 1) * width;
  }
  return { timed, bucketOf, starts, ends, firstRecord };
}

/** Buckets with max line score, lines at or above the threshold and volume by level. */
export function timelineBuckets(
  layout: TimelineLayout,
  records: RecordTable,
  lineScores: Float32Array,
  threshold: number,
): TimelineBucket[] {
  const buckets = layout.starts.length;
  const maxScore = new Float32Array(buckets).fill(-Infinity);
  const above = new Uint32Array(buckets);
  const levelCounts = new Uint32Array(buckets * LEVELS.length);
  for (let i = 0; i < records.count; i++) {
    const b = layout.bucketOf[i];
    const s = lineScores[i];
    if (s > maxScore[b]) maxScore[b] = s;
    if (s >= threshold) above[b]++;
    levelCounts[b * LEVELS.length + records.level[i]]++;
  }
  const out: TimelineBucket[] = [];
  for (let b = 0; b < buckets; b++) {
    if (layout.firstRecord[b] === 0xffffffff) continue;
    const levels: Record<string, number> = {};
    for (let l = 0; l < LEVELS.length; l++) {
      const c = levelCounts[b * LEVELS.length + l];
      if (c) levels[LEVELS[l] || 'OTHER'] = c;
    }
    out.push({
      start: layout.starts[b],
      end: layout.ends[b],
      maxScore: maxScore[b],
      countAbove: above[b],
      levels,
      firstRecord: layout.firstRecord[b],
    });
  }
  return out;
}
