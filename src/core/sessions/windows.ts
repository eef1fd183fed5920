/**
 * Windows over records: fixed and sliding time windows, and fixed-count windows. All return CSR
 * groups (see `RecordGroups`); empty windows are left out, so a quiet night costs nothing.
 */
import type { RecordGroups } from './groups';

/** Time windows: CSR groups plus each window's span `[from[i], to[i])` in epoch ms. */
export interface TimeWindows extends RecordGroups {
  from: Float64Array;
  to: Float64Array;
}

/**
 * Each record's effective time: records without a timestamp (NaN; often continuation lines) take
 * the last known timestamp before them, and those before any timestamp take the first one.
 * Returns null when no record has a timestamp.
 */
function effectiveTimes(timestamps: ArrayLike<number>): Float64Array | null {
  const n = timestamps.length;
  const times = new Float64Array(n);
  let first = NaN;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(timestamps[i])) {
      first = timestamps[i];
      break;
    }
  }
  if (Number.isNaN(first)) return null;
  let last = first;
  for (let i = 0; i < n; i++) {
    const t = timestamps[i];
    if (Number.isFinite(t)) last = t;
    times[i] = last;
  }
  return times;
}

function checkPositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
}

/**
 * Sliding time windows of `sizeMs`, one starting every `stepMs`, aligned to multiples of `stepMs`
 * since the epoch (so 1-minute windows start on whole minutes). A record at time t belongs to every
 * window with from ≤ t < from + sizeMs. Keys are the windows' ISO start times. Records need not be
 * in time order; members of a window stay in record order.
 */
export function slidingTimeWindows(timestamps: ArrayLike<number>, sizeMs: number, stepMs: number): TimeWindows {
  checkPositive('sizeMs', sizeMs);
  checkPositive('stepMs', stepMs);
  const times = effectiveTimes(timestamps);
  const empty: TimeWindows = {
    keys: [],
    starts: new Uint32Array(1),
    members: new Uint32Array(0),
    from: new Float64Array(0),
    to: new Float64Array(0),
  };
  if (times === null) return empty;
  const n = times.length;
  let minTime = Infinity;
  for (let i = 0; i < n; i++) if (times[i] < minTime) minTime = times[i];
  const origin = Math.floor(minTime / stepMs) * stepMs;

  // Window numbers k (window k starts at origin + k * step) of each record: [lo, hi].
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const d = times[i] - origin;
    const kHi = Math.floor(d / stepMs);
    const kLo = Math.max(0, Math.floor((d - sizeMs) / stepMs) + 1);
    lo[i] = kLo;
    hi[i] = kHi;
    for (let k = kLo; k <= kHi; k++) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const windowNumbers = [...counts.keys()].sort((a, b) => a - b);
  const slot = new Map<number, number>();
  const w = windowNumbers.length;
  const starts = new Uint32Array(w + 1);
  const from = new Float64Array(w);
  const to = new Float64Array(w);
  const keys: string[] = new Array(w);
  for (let j = 0; j < w; j++) {
    const k = windowNumbers[j];
    slot.set(k, j);
    starts[j + 1] = starts[j] + (counts.get(k) as number);
    from[j] = origin + k * stepMs;
    to[j] = from[j] + sizeMs;
    keys[j] = windowKey(from[j]);
  }
  const members = new Uint32Array(starts[w]);
  const fill = starts.slice(0, w);
  for (let i = 0; i < n; i++) {
    for (let k = lo[i]; k <= hi[i]; k++) {
      const j = slot.get(k) as number;
      members[fill[j]++] = i;
    }
  }
  return { keys, starts, members, from, to };
}

/** Non-overlapping time windows of `sizeMs` (sliding windows whose step equals their size). */
export function fixedTimeWindows(timestamps: ArrayLike<number>, sizeMs: number): TimeWindows {
  return slidingTimeWindows(timestamps, sizeMs, sizeMs);
}

/**
 * Windows of `size` consecutive records, one starting every `step` records (default: `size`, i.e.
 * non-overlapping). The last window may be shorter. Keys read `records <first>-<last>`.
 */
export function countWindows(recordCount: number, size: number, step: number = size): RecordGroups {
  checkPositive('size', size);
  checkPositive('step', step);
  if (!Number.isInteger(size) || !Number.isInteger(step)) throw new RangeError('size and step must be whole numbers');
  const keys: string[] = [];
  const spans: Array<[number, number]> = [];
  for (let first = 0; first < recordCount; first += step) {
    const end = Math.min(recordCount, first + size);
    keys.push(`records ${first}-${end - 1}`);
    spans.push([first, end]);
    if (end === recordCount) break;
  }
  const starts = new Uint32Array(spans.length + 1);
  for (let j = 0; j < spans.length; j++) starts[j + 1] = starts[j] + spans[j][1] - spans[j][0];
  const members = new Uint32Array(starts[spans.length]);
  for (let j = 0; j < spans.length; j++) {
    for (let r = spans[j][0], at = starts[j]; r < spans[j][1]; r++, at++) members[at] = r;
  }
  return { keys, starts, members };
}

function windowKey(fromMs: number): string {
  const date = new Date(fromMs);
  return Number.isNaN(date.getTime()) ? String(fromMs) : date.toISOString();
}
