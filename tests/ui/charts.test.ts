import { formatCompactCount, formatScoreShort } from '../../src/ui/format';
import { countFlaggedSorted as countAtOrAbove } from '../../src/core/detect/threshold';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MapPoint, TimelineBucket } from '../../src/core/analysis/types';
import {
  binScores,
  countFromLog,
  histogramDomain,
  histogramSteps,
  logCount,
  logCountTicks,
  maxBinCount,
  preparedScores,
  sortedFiniteScores,
} from '../../src/ui/charts/binning';
import { LEVEL_COLORS, canonicalLevel, levelColor, scoreColor, scoreGradientCss } from '../../src/ui/charts/palette';
import {
  approxTextWidth,
  extent,
  niceTicksWithin,
  fractionOfValue,
  mapPointsToDraw,
  padExtent,
  placeLabelBeside,
  sqrtRadius,
  thinPrCurve,
  valueAtFraction,
} from '../../src/ui/charts/scales';
import {
  bucketRangeLabel,
  bucketVolume,
  levelGroupCount,
  levelGroups,
  formatRecordTick,
  formatTimestamp,
  levelsPresent,
  mergeBuckets,
  timeTickFormatter,
} from '../../src/ui/charts/timeline';

const BGL = '../shared/data/loghub_2k/BGL/BGL_2k.log';
const hasData = existsSync(BGL);
if (!hasData) console.warn(`charts.test: ${BGL} not found, skipping the real-log tests`);

/** BGL records with a rarity score (−log share of the record's level+component pair) and the alert label. */
function bglRecords() {
  const lines = readFileSync(BGL, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const rows = lines.map((line) => {
    const f = line.split(' ');
    return { alert: f[0] !== '-', epochMs: Number(f[1]) * 1000, key: `${f[7]} ${f[8]}`, level: f[8] };
  });
  const freq = new Map<string, number>();
  for (const r of rows) freq.set(r.key, (freq.get(r.key) ?? 0) + 1);
  return rows.map((r) => ({ ...r, score: -Math.log((freq.get(r.key) ?? 1) / rows.length) }));
}

function linearCount(scores: ArrayLike<number>, t: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= t) n++;
  return n;
}

describe('binScores', () => {
  it('puts every finite score in exactly one bin, the max in the last', () => {
    const bins = binScores([0, 0.1, 0.5, 0.99, 1], 10);
    expect(bins.min).toBe(0);
    expect(bins.max).toBe(1);
    expect(bins.total).toBe(5);
    expect([...bins.counts]).toEqual([1, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
  });

  it('skips NaN and infinities and survives empty or constant input', () => {
    const bins = binScores(new Float32Array([NaN, Infinity, -Infinity, 2, 2, 2]), 40);
    expect(bins.total).toBe(3);
    expect(bins.min).toBe(1.5);
    expect(bins.max).toBe(2.5);
    expect(bins.counts[20]).toBe(3);
    const empty = binScores(new Float32Array(0));
    expect(empty.total).toBe(0);
    expect(maxBinCount(empty)).toBe(0);
    expect(empty.counts.length).toBe(50);
  });

  it('bins one million Float32 scores quickly and exactly', () => {
    const scores = new Float32Array(1_000_000);
    let seed = 7;
    for (let i = 0; i < scores.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      scores[i] = seed / 2 ** 31;
    }
    const started = performance.now();
    const bins = binScores(scores, 50);
    const sorted = sortedFiniteScores(scores);
    const ms = performance.now() - started;
    expect(bins.counts.reduce((a, b) => a + b, 0)).toBe(1_000_000);
    expect(sorted.length).toBe(1_000_000);
    expect(countAtOrAbove(sorted, 0.9)).toBe(linearCount(scores, 0.9));
    expect(ms).toBeLessThan(2000);
  });
});

describe('preparedScores', () => {
  it('bins and sorts once per array and bin count, as binScores and sortedFiniteScores do', () => {
    const scores = new Float32Array([0.5, NaN, 2, 1, Infinity, 1, 3]);
    const prepared = preparedScores(scores, 10);
    expect(prepared.binned).toEqual(binScores(scores, 10));
    expect([...prepared.sorted]).toEqual([...sortedFiniteScores(scores)]);
    // The histogram's render finds what the panel's earlier turn computed.
    expect(preparedScores(scores, 10)).toBe(prepared);
    expect(preparedScores(scores, 20).binned.counts.length).toBe(20);
    // Another array with the same values is its own entry, not a stale one.
    const other = new Float32Array(scores);
    other[0] = 3;
    expect(preparedScores(other, 10).binned).toEqual(binScores(other, 10));
    expect(preparedScores(other, 10).binned).not.toEqual(prepared.binned);
  });
});

describe('countAtOrAbove', () => {
  it('counts scores >= threshold, including ties, at the ends and for NaN', () => {
    const sorted = sortedFiniteScores([3, 1, 2, 2, NaN, 5]);
    expect([...sorted]).toEqual([1, 2, 2, 3, 5]);
    expect(countAtOrAbove(sorted, 2)).toBe(4);
    expect(countAtOrAbove(sorted, 2.0001)).toBe(2);
    expect(countAtOrAbove(sorted, -Infinity)).toBe(5);
    expect(countAtOrAbove(sorted, 6)).toBe(0);
    expect(countAtOrAbove(sorted, NaN)).toBe(0);
  });

  it.skipIf(!hasData)('agrees with a linear scan on real BGL rarity scores at every bin edge', () => {
    const records = bglRecords();
    const scores = new Float32Array(records.map((r) => r.score));
    const sorted = sortedFiniteScores(scores);
    const bins = binScores(scores, 50);
    expect(bins.total).toBe(2000);
    for (let i = 0; i <= 50; i++) {
      const t = bins.min + i * bins.width;
      expect(countAtOrAbove(sorted, t)).toBe(linearCount(scores, t));
    }
    // The rarest level+component pairs hold a far larger share of alerts than the common ones.
    const t = sorted[Math.floor(sorted.length * 0.9)];
    const flagged = records.filter((r) => r.score >= t);
    const alertShare = flagged.filter((r) => r.alert).length / flagged.length;
    expect(alertShare).toBeGreaterThan(143 / 2000);
  });
});

describe('log counts', () => {
  it('maps 0 to 0, keeps 1 visible and round-trips', () => {
    expect(logCount(0)).toBe(0);
    expect(logCount(9)).toBeCloseTo(1);
    expect(logCount(1)).toBeGreaterThan(0.29);
    for (const c of [0, 1, 7, 143, 2000, 1_000_000]) expect(countFromLog(logCount(c))).toBe(c);
    expect(logCount(-5)).toBe(0);
  });

  it('ticks at powers of ten up to the max', () => {
    expect(logCountTicks(0).map(countFromLog)).toEqual([0, 1]);
    expect(logCountTicks(143).map(countFromLog)).toEqual([0, 1, 10, 100, 1000]);
    expect(logCountTicks(100).map(countFromLog)).toEqual([0, 1, 10, 100]);
  });
});

describe('histogramSteps', () => {
  const bins = binScores([0, 0.1, 0.2, 0.3, 0.35, 0.9, 1], 10);

  it('splits at a threshold inside a bin, joining both series there', () => {
    const steps = histogramSteps(bins, 0.35);
    const at = steps.find((s) => s.x === 0.35);
    expect(at).toEqual({ x: 0.35, below: bins.counts[3], above: bins.counts[3] });
    for (const s of steps) {
      if (s.x < 0.35) expect(s.above).toBeNull();
      if (s.x > 0.35) expect(s.below).toBeNull();
    }
    expect(steps[steps.length - 1]).toEqual({ x: 1, below: null, above: bins.counts[9] });
    expect(steps.length).toBe(10 + 2);
    for (let i = 1; i < steps.length; i++) expect(steps[i].x).toBeGreaterThan(steps[i - 1].x);
  });

  it('puts everything below or above when the threshold is outside the range', () => {
    expect(histogramSteps(bins, 5).every((s) => s.above === null)).toBe(true);
    expect(histogramSteps(bins, -1).every((s) => s.below === null)).toBe(true);
    expect(histogramSteps(bins, NaN).every((s) => s.above === null)).toBe(true);
  });

  it('joins on a bin edge without duplicating the edge, and in the last bin', () => {
    const onEdge = histogramSteps(bins, bins.min + 5 * bins.width);
    expect(onEdge.length).toBe(11);
    const edge = onEdge[5];
    expect(edge.below).toBe(bins.counts[4]);
    expect(edge.above).toBe(bins.counts[5]);
    const inLast = histogramSteps(bins, 0.95, logCount);
    expect(inLast[inLast.length - 2]).toEqual({ x: 0.95, below: logCount(bins.counts[9]), above: logCount(bins.counts[9]) });
  });
});

describe('histogramDomain', () => {
  it('stretches to a nearby threshold and pins a far one to the edge', () => {
    const bins = binScores([0, 1], 10);
    expect(histogramDomain(bins, 0.5)).toEqual([0, 1]);
    expect(histogramDomain(bins, 1.2)).toEqual([0, 1.2]);
    expect(histogramDomain(bins, -0.25)).toEqual([-0.25, 1]);
    expect(histogramDomain(bins, 40)).toEqual([0, 1]);
    expect(histogramDomain(bins, NaN)).toEqual([0, 1]);
    expect(histogramDomain(bins, Infinity)).toEqual([0, 1]);
  });
});

describe('palette', () => {
  it('maps level spellings to Okabe-Ito colours', () => {
    expect(levelColor('INFO')).toBe('#0072B2');
    expect(levelColor('warning')).toBe(LEVEL_COLORS.WARN);
    expect(levelColor(' Error ')).toBe('#D55E00');
    expect(levelColor('SEVERE')).toBe('#D55E00'); // java.util.logging SEVERE is ERROR in the one vocabulary (core/parse/level.ts)
    expect(levelColor('crit')).toBe('#CC79A7');
    expect(levelColor('trace')).toBe('#999999');
    expect(levelColor('')).toBe('#56B4E9');
    expect(canonicalLevel('E')).toBe('ERROR');
  });

  it('scoreColor runs viridis from purple to yellow, clamped, hex', () => {
    expect(scoreColor(0)).toBe('#440154');
    expect(scoreColor(1)).toBe('#fde725');
    expect(scoreColor(-3)).toBe(scoreColor(0));
    expect(scoreColor(7)).toBe(scoreColor(1));
    expect(scoreColor(NaN)).toBe(scoreColor(0));
    expect(scoreColor(0.5)).toBe('#21908d');
    // Lightness rises with the score: a greyscale print still orders them.
    const luma = (hex: string) =>
      0.2126 * parseInt(hex.slice(1, 3), 16) + 0.7152 * parseInt(hex.slice(3, 5), 16) + 0.0722 * parseInt(hex.slice(5, 7), 16);
    for (let i = 1; i <= 20; i++) expect(luma(scoreColor(i / 20))).toBeGreaterThan(luma(scoreColor((i - 1) / 20)));
    expect(scoreGradientCss()).toMatch(/^linear-gradient\(to right, #440154 0%, .* #fde725 100%\)$/);
  });
});

describe('timeline', () => {
  const bucket = (start: number, maxScore: number, countAbove: number, levels: Record<string, number>): TimelineBucket => ({
    start,
    end: start + 10,
    maxScore,
    countAbove,
    levels,
    firstRecord: start,
  });

  it('merges buckets keeping max, sums and first record; never exceeds the budget', () => {
    const buckets = Array.from({ length: 1001 }, (_, i) =>
      bucket(i * 10, i === 500 ? 9 : i % 7, i % 3 === 0 ? 1 : 0, { INFO: 2, ERROR: i % 2 }),
    );
    const merged = mergeBuckets(buckets, 300);
    expect(merged.length).toBe(300);
    expect(merged[0].from).toBe(0);
    expect(merged[merged.length - 1].to).toBe(1001);
    for (let i = 1; i < merged.length; i++) expect(merged[i].from).toBe(merged[i - 1].to);
    expect(Math.max(...merged.map((m) => m.maxScore))).toBe(9);
    expect(merged.reduce((a, m) => a + m.countAbove, 0)).toBe(buckets.reduce((a, b) => a + b.countAbove, 0));
    expect(merged.reduce((a, m) => a + bucketVolume(m), 0)).toBe(1001 * 2 + 500);
    expect(merged[1].firstRecord).toBe(buckets[merged[1].from].firstRecord);
    expect(merged[0].end).toBe(buckets[merged[0].to - 1].end);
    expect(buckets[0].levels).toEqual({ INFO: 2, ERROR: 0 });
  });

  it('keeps short series as they are, offsets indices, and leaves empty buckets as gaps', () => {
    const buckets = [bucket(0, 1, 0, {}), bucket(10, -Infinity, 0, {}), bucket(20, NaN, 0, {})];
    const merged = mergeBuckets(buckets, 300, 40);
    expect(merged.map((m) => [m.from, m.to])).toEqual([
      [40, 41],
      [41, 42],
      [42, 43],
    ]);
    expect(merged[1].maxScore).toBeNaN();
    expect(merged[2].maxScore).toBeNaN();
    expect(mergeBuckets([], 300)).toEqual([]);
  });

  it.skipIf(!hasData)('buckets real BGL records by hour and lists levels most severe first', () => {
    const records = bglRecords();
    const hour = 3_600_000;
    const byHour = new Map<number, TimelineBucket>();
    records.forEach((r, i) => {
      const start = Math.floor(r.epochMs / hour) * hour;
      const b = byHour.get(start) ?? { start, end: start + hour, maxScore: -Infinity, countAbove: 0, levels: {}, firstRecord: i };
      b.maxScore = Math.max(b.maxScore, r.score);
      b.countAbove += r.alert ? 1 : 0;
      b.levels[r.level] = (b.levels[r.level] ?? 0) + 1;
      byHour.set(start, b);
    });
    const buckets = [...byHour.values()].sort((a, b) => a.start - b.start);
    const levels = levelsPresent(buckets);
    expect(levels[0]).toBe('FATAL');
    expect(levels).toContain('INFO');
    expect(levels.indexOf('ERROR')).toBeLessThan(levels.indexOf('INFO'));
    const merged = mergeBuckets(buckets, 20);
    expect(merged.reduce((a, m) => a + m.countAbove, 0)).toBe(143);
    expect(merged.reduce((a, m) => a + bucketVolume(m), 0)).toBe(2000);
    const span = buckets[buckets.length - 1].end - buckets[0].start;
    expect(span).toBeGreaterThan(60 * 24 * hour);
    expect(timeTickFormatter(span)(buckets[0].start)).toBe('Jun 3 2005');
    expect(formatTimestamp(records[0].epochMs)).toBe('2005-06-03 22:42:50 UTC');
  });

  it('groups levels by colour so stacked series never share one', () => {
    const names = ['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'CRITICAL', 'OTHER'];
    expect(levelGroups(names)).toEqual(['FATAL', 'WARN', 'INFO', 'DEBUG', 'OTHER']);
    const counts = { TRACE: 2, DEBUG: 5, NOTICE: 1, INFO: 10, CRITICAL: 3 };
    expect(levelGroupCount(counts, 'DEBUG')).toBe(7);
    expect(levelGroupCount(counts, 'INFO')).toBe(11);
    expect(levelGroupCount(counts, 'ERROR')).toBe(0);
    expect(levelGroups([])).toEqual([]);
  });

  it('formats ticks by span, timestamps, records and counts', () => {
    const t = Date.UTC(2024, 2, 9, 7, 5, 3, 40);
    expect(timeTickFormatter(5 * 60_000)(t)).toBe('07:05:03');
    expect(timeTickFormatter(3_600_000)(t)).toBe('07:05');
    expect(timeTickFormatter(5 * 86_400_000)(t)).toBe('Mar 9 07:05');
    expect(timeTickFormatter(400 * 86_400_000)(t)).toBe('Mar 9 2024');
    expect(timeTickFormatter(1)(NaN)).toBe('');
    expect(formatTimestamp(t)).toBe('2024-03-09 07:05:03.040 UTC');
    expect(formatTimestamp(NaN)).toBe('—');
    expect(formatRecordTick(0)).toBe('#1');
    expect(formatRecordTick(12344)).toBe('#12,345');
    expect(bucketRangeLabel({ start: 0, end: 100 }, false)).toBe('records #1–#100');
    // Fractional record-order edges (n / buckets): bucket [8.33, 16.67) holds records 9..16.
    expect(bucketRangeLabel({ start: 25 / 3, end: 50 / 3 }, false)).toBe('records #10–#17');
    expect(formatRecordTick(25 / 3)).toBe('#10');
    expect(formatRecordTick(9)).toBe('#10');
    expect(bucketRangeLabel({ start: t, end: t + 1000 }, true)).toBe('2024-03-09 07:05:03.040 UTC → 2024-03-09 07:05:04.040 UTC');
    expect([950, 1200, 34_000, 1_500_000].map(formatCompactCount)).toEqual(['950', '1.2k', '34k', '1.5M']);
    expect([0.123456, 12.5, 0, 0.0000123, NaN].map(formatScoreShort)).toEqual(['0.123', '12.5', '0', '1.23e-5', '—']);
  });
});

describe('scales', () => {
  it('maps pointer fractions to values and back, clamped', () => {
    expect(valueAtFraction(0.25, 2, 6)).toBe(3);
    expect(valueAtFraction(-1, 2, 6)).toBe(2);
    expect(valueAtFraction(3, 2, 6)).toBe(6);
    expect(valueAtFraction(NaN, 2, 6)).toBe(2);
    expect(fractionOfValue(3, 2, 6)).toBe(0.25);
    expect(fractionOfValue(9, 2, 6)).toBe(1);
    expect(fractionOfValue(3, 2, 2)).toBe(0);
    expect(extent([3, NaN, -1, 8])).toEqual([-1, 8]);
    expect(extent([])).toEqual([0, 1]);
    expect(padExtent([0, 10])).toEqual([-0.5, 10.5]);
    expect(padExtent([4, 4])).toEqual([3.5, 4.5]);
  });

  it('places a label on the side of the line that has room, or nowhere', () => {
    expect(placeLabelBeside(50, 100, 0, 300)).toEqual({ x: 58, anchor: 'start' });
    expect(placeLabelBeside(250, 100, 0, 300)).toEqual({ x: 242, anchor: 'end' });
    expect(placeLabelBeside(150, 200, 0, 300)).toBeNull();
    expect(approxTextWidth('1,911 above threshold 0.55')).toBeGreaterThan(approxTextWidth('1.9k above'));
  });

  it('puts round ticks inside odd data edges', () => {
    expect(niceTicksWithin(0.424, 0.624, 5)).toEqual([0.45, 0.5, 0.55, 0.6]);
    expect(niceTicksWithin(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(niceTicksWithin(-3.2, 17.9, 5)).toEqual([0, 5, 10, 15]);
    expect(niceTicksWithin(2, 2)).toEqual([]);
    expect(niceTicksWithin(NaN, 1)).toEqual([]);
    for (const t of niceTicksWithin(0.1, 0.7, 6)) expect(String(t).length).toBeLessThanOrEqual(4);
  });

  it('sizes points by the square root of their count', () => {
    expect(sqrtRadius(100, 100)).toBe(14);
    expect(sqrtRadius(25, 100)).toBe(7);
    expect(sqrtRadius(1, 1_000_000)).toBe(2.5);
    expect(sqrtRadius(0, 10)).toBe(2.5);
    expect(sqrtRadius(500, 100)).toBe(14);
  });

  it('keeps the selected, the highest-scoring and the most frequent points within budget, anomalies on top', () => {
    const points: MapPoint[] = Array.from({ length: 5000 }, (_, i) => ({
      templateId: i,
      x: i % 71,
      y: i % 37,
      count: (i * 7919) % 1000,
      score: ((i * 104729) % 5000) / 5000,
      text: `t${i}`,
    }));
    const drawn = mapPointsToDraw(points, 2000, 4321);
    expect(drawn.length).toBe(2000);
    expect(drawn.some((p) => p.templateId === 4321)).toBe(true);
    const topScore = points.reduce((a, b) => (b.score > a.score ? b : a));
    expect(drawn[drawn.length - 1]).toBe(topScore);
    for (let i = 1; i < drawn.length; i++) expect(drawn[i].score).toBeGreaterThanOrEqual(drawn[i - 1].score);
    expect(new Set(drawn.map((p) => p.templateId)).size).toBe(2000);
    expect(mapPointsToDraw(points.slice(0, 10), 2000).length).toBe(10);
  });

  it('thins a PR curve keeping its ends and its upper envelope', () => {
    const pr = Array.from({ length: 10_000 }, (_, i) => ({ recall: i / 9999, precision: i % 2 ? 0.2 : 1 - i / 20000 }));
    pr.push({ recall: NaN, precision: 1 });
    const thin = thinPrCurve(pr, 500);
    expect(thin.length).toBeLessThanOrEqual(500);
    expect(thin[0]).toEqual({ recall: 0, precision: 1 });
    expect(thin[thin.length - 1].recall).toBe(1);
    for (const p of thin.slice(1, -1)) expect(p.precision).toBeGreaterThan(0.2);
    for (let i = 1; i < thin.length; i++) expect(thin[i].recall).toBeGreaterThanOrEqual(thin[i - 1].recall);
    expect(
      thinPrCurve(
        [
          { recall: 1, precision: 0.5 },
          { recall: 0, precision: 1 },
        ],
        500,
      ),
    ).toEqual([
      { recall: 0, precision: 1 },
      { recall: 1, precision: 0.5 },
    ]);
  });
});
