import { describe, expect, it } from 'vitest';
import { countWindows, fixedTimeWindows, membersOf, slidingTimeWindows } from '../../../src/core/sessions';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('fixedTimeWindows', () => {
  it('puts records into minute windows aligned to the minute, skipping empty ones', () => {
    const times = [T0 + 5_000, T0 + 59_999, T0 + MIN, T0 + 3 * MIN + 1, T0 + 10];
    const w = fixedTimeWindows(times, MIN);
    expect(w.keys).toEqual(['2026-11-22T12:00:00.000Z', '2026-11-22T12:01:00.000Z', '2026-11-22T12:03:00.000Z']);
    expect([...membersOf(w, 0)]).toEqual([0, 1, 4]);
    expect([...membersOf(w, 1)]).toEqual([2]);
    expect([...membersOf(w, 2)]).toEqual([3]);
    expect([...w.from]).toEqual([T0, T0 + MIN, T0 + 3 * MIN]);
    expect([...w.to]).toEqual([T0 + MIN, T0 + 2 * MIN, T0 + 4 * MIN]);
  });

  it('gives records without a timestamp the last known one (the first for leading ones)', () => {
    const w = fixedTimeWindows([NaN, T0 + MIN + 1, NaN, T0 + 5, NaN], MIN);
    expect(w.keys).toHaveLength(2);
    expect([...membersOf(w, 0)]).toEqual([3, 4]);
    expect([...membersOf(w, 1)]).toEqual([0, 1, 2]);
  });

  it('returns no windows when no record has a time, and rejects bad sizes', () => {
    const w = fixedTimeWindows([NaN, NaN], MIN);
    expect(w.keys).toEqual([]);
    expect([...w.starts]).toEqual([0]);
    expect(() => fixedTimeWindows([T0], 0)).toThrow(RangeError);
    expect(() => slidingTimeWindows([T0], MIN, -1)).toThrow(RangeError);
  });
});

describe('slidingTimeWindows', () => {
  it('puts each record into every window that covers it', () => {
    // 2-minute windows every minute: a record at 12:01:30 is in [12:00,12:02) and [12:01,12:03).
    const times = [T0 + 10_000, T0 + 90_000, T0 + 150_000];
    const w = slidingTimeWindows(times, 2 * MIN, MIN);
    expect([...w.from]).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
    expect([...membersOf(w, 0)]).toEqual([0, 1]);
    expect([...membersOf(w, 1)]).toEqual([1, 2]);
    expect([...membersOf(w, 2)]).toEqual([2]);
    expect(w.members.length).toBe(5);
  });

  it('agrees with a brute-force check on random timestamps', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const times = Array.from({ length: 500 }, () => T0 + Math.floor(rand() * 3_600_000));
    const size = 5 * MIN;
    const step = 2 * MIN;
    const w = slidingTimeWindows(times, size, step);
    for (let j = 0; j < w.keys.length; j++) {
      const expected = times.flatMap((t, i) => (t >= w.from[j] && t < w.to[j] ? [i] : []));
      expect([...membersOf(w, j)]).toEqual(expected);
    }
    const memberships = times.reduce((n, t) => n + w.keys.filter((_, j) => t >= w.from[j] && t < w.to[j]).length, 0);
    expect(w.members.length).toBe(memberships);
  });
});

describe('countWindows', () => {
  it('cuts records into fixed-count windows, the last one shorter', () => {
    const w = countWindows(7, 3);
    expect(w.keys).toEqual(['records 0-2', 'records 3-5', 'records 6-6']);
    expect([...w.starts]).toEqual([0, 3, 6, 7]);
    expect([...w.members]).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('slides by a step and stops at the end', () => {
    const w = countWindows(5, 4, 2);
    expect(w.keys).toEqual(['records 0-3', 'records 2-4']);
    expect([...membersOf(w, 1)]).toEqual([2, 3, 4]);
    expect(countWindows(0, 3).keys).toEqual([]);
    expect(() => countWindows(5, 2.5)).toThrow(RangeError);
  });
});
