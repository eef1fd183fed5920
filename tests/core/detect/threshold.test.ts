import { describe, expect, it } from 'vitest';
import {
  automaticThreshold,
  countFlagged,
  countFlaggedSorted,
  lineCutoff,
  rankOf,
  sortedScores,
  thresholdFor,
  thresholdForShare,
} from '../../../src/core/detect/threshold';

describe('the flagged rule and its counts', () => {
  const scores = Float32Array.from({ length: 1000 }, (_, i) => i);

  it('counts units at or above the threshold, ignoring NaN, the same sorted or not', () => {
    expect(countFlagged(scores, 900)).toBe(100);
    expect(countFlagged(Float32Array.from([NaN, 1, 2]), 0)).toBe(2);
    const sorted = sortedScores(Float32Array.from([3, NaN, 1, 2, 2, Infinity]));
    expect(Array.from(sorted)).toEqual([1, 2, 2, 3]);
    for (const t of [0, 1, 2, 2.5, 3, 4]) expect(countFlaggedSorted(sorted, t)).toBe(countFlagged(sorted, t));
  });

  it('ranks ties together: 1 + the units strictly above', () => {
    const s = [5, 3, 5, 1];
    expect(rankOf(s, 5)).toBe(1);
    expect(rankOf(s, 3)).toBe(3);
    expect(rankOf(s, 1)).toBe(4);
  });

  it('a share maps to the threshold that flags that share', () => {
    const sorted = sortedScores(scores);
    for (const share of [0.01, 0.05, 0.1, 0.5])
      expect(countFlaggedSorted(sorted, thresholdForShare(sorted, share))).toBe(Math.round(share * 1000));
    expect(countFlaggedSorted(sorted, thresholdForShare(sorted, 0))).toBe(0);
    expect(countFlaggedSorted(sorted, thresholdForShare(sorted, 1))).toBe(1000);
    expect(thresholdForShare(new Float32Array(0), 0.1)).toBe(0);
  });

  it('ties never push the flagged share over what was asked', () => {
    // A uniform log: every unit tied. Flagging 5% cannot split the tie, so nothing is flagged.
    const uniform = new Float32Array(1000).fill(0.42);
    expect(countFlagged(uniform, thresholdFor(uniform, 0.05))).toBe(0);
    expect(countFlagged(uniform, thresholdFor(uniform, 'auto'))).toBe(0);
    // One-byte lines: 10% share one top score; the 5% cap must hold.
    const tiedTop = Float32Array.from({ length: 1000 }, (_, i) => (i < 100 ? 0.9 : i / 2000));
    expect(countFlagged(tiedTop, thresholdFor(tiedTop, 'auto'))).toBeLessThanOrEqual(50);
    expect(countFlagged(tiedTop, thresholdFor(tiedTop, 0.05))).toBeLessThanOrEqual(50);
  });

  it('the automatic threshold flags the outlier of a log with one, and little of a clean log', () => {
    const oneOutlier = Float32Array.from({ length: 1001 }, (_, i) => (i === 500 ? 0.9 : 0.3 + (i % 7) * 0.001));
    expect(countFlagged(oneOutlier, automaticThreshold(oneOutlier))).toBe(1);
    const clean = Float32Array.from({ length: 1000 }, (_, i) => 0.4 + Math.sin(i) * 0.01);
    expect(countFlagged(clean, automaticThreshold(clean))).toBeLessThanOrEqual(50);
  });

  it('lines of a session or window unit are flagged on the line scale', () => {
    expect(lineCutoff('line', 0.7, 0.5)).toBe(0.7);
    expect(lineCutoff('template', 0.7, 0.5)).toBe(0.7);
    expect(lineCutoff('session', 0.99, 0.5)).toBe(0.5);
    expect(lineCutoff('window', 0.99, 0.5)).toBe(0.5);
  });
});
