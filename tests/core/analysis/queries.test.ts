/**
 * The viewer's queries on a real (generated) analysis: score order, regular expressions, negative
 * filters, score ranges, the "flagged only" rule for every unit, stepping through flagged lines in
 * the current order, and the highest-scored line of a template or a stretch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { SearchError, compileSearch, searchTerms } from '../../../src/core/analysis/search';
import { DEFAULT_SETTINGS, type AnalysisSummary, type LogRow, type RowFilter } from '../../../src/core/analysis/types';
import { generateLog } from '../../../src/core/generate';

const LINES = 3000;

async function allRows(service: AnalysisService, filter: RowFilter): Promise<LogRow[]> {
  const { total } = await service.rows(filter, 0, 0);
  return (await service.rows(filter, 0, total)).rows;
}

describe('row queries', () => {
  const lines: string[] = [];
  let service: AnalysisService;
  let summary: AnalysisSummary;

  beforeAll(async () => {
    for (const line of generateLog({ seed: 5, lines: LINES, layout: 'iso' })) lines.push(line.text);
    service = new AnalysisService();
    summary = await service.analyze(
      { files: [{ name: 'gen.log', data: new Blob([lines.join('\n')]), role: 'target' }] },
      { ...DEFAULT_SETTINGS, detector: 'forest' },
      () => {},
    );
  });

  it('orders rows by score, highest first, ties in file order, and finds positions in that order', async () => {
    const rows = await allRows(service, { order: 'score' });
    expect(rows).toHaveLength(LINES);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1];
      const b = rows[i];
      expect(a.score > b.score || (a.score === b.score && a.record < b.record)).toBe(true);
    }
    const pick = rows[137].record;
    expect(await service.positionOf({ order: 'score' }, pick)).toBe(137);
    expect(await service.recordAt({ order: 'score' }, 137)).toBe(pick);
    expect(await service.recordAt({ order: 'score' }, LINES)).toBe(-1);
    // File order is unchanged by asking for the score order first (the same cached rows).
    expect((await service.rows({}, 0, 3)).rows.map((r) => r.record)).toEqual([0, 1, 2]);
  });

  it('searches by regular expression, case-insensitively, and counts what matches', async () => {
    const re = /error|warn/i;
    const expected = lines.filter((l) => re.test(l)).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(LINES);
    const { total } = await service.rows({ text: 'ERROR|Warn', regex: true }, 0, 1);
    expect(total).toBe(expected);
    // Without the regex switch the same text is a literal word, found nowhere.
    expect((await service.rows({ text: 'ERROR|Warn' }, 0, 1)).total).toBe(0);
  });

  it('rejects an invalid regular expression with a readable error', async () => {
    await expect(service.rows({ text: 'a(b', regex: true }, 0, 1)).rejects.toThrow(/Not a regular expression/);
    expect(() => compileSearch('[', true)).toThrow(SearchError);
  });

  it('excludes words with -word and keeps the complement with negate', async () => {
    const word = 'INFO';
    const withWord = lines.filter((l) => l.toLowerCase().includes('info')).length;
    expect((await service.rows({ text: `-${word}` }, 0, 1)).total).toBe(LINES - withWord);
    expect((await service.rows({ text: word, negate: true }, 0, 1)).total).toBe(LINES - withWord);
    // Words AND together; a phrase in quotes is one term.
    const both = lines.filter((l) => /info/i.test(l) && !/error/i.test(l)).length;
    expect((await service.rows({ text: 'info -error' }, 0, 1)).total).toBe(both);
    expect(searchTerms('a -b "c d" -"e f"')).toEqual({ include: ['a', 'c d'], exclude: ['b', 'e f'] });
  });

  it('filters a score range', async () => {
    const sorted = [...summary.scoreDistribution];
    const lo = sorted[Math.floor(sorted.length * 0.25)];
    const hi = sorted[Math.floor(sorted.length * 0.75)];
    const rows = await allRows(service, { minScore: lo, maxScore: hi });
    expect(rows.length).toBe(sorted.filter((s) => s >= lo && s <= hi).length);
    expect(rows.every((r) => r.score >= lo && r.score <= hi)).toBe(true);
  });

  it('steps through flagged lines in the current order', async () => {
    const threshold = summary.threshold;
    const flagged = (await allRows(service, { order: 'score' })).filter((r) => r.score >= threshold).map((r) => r.record);
    expect(flagged.length).toBeGreaterThan(2);
    const walk: number[] = [];
    for (let at = -1, n = 0; n < flagged.length + 1; n++) {
      at = await service.stepFlagged({ order: 'score' }, at, 1, threshold);
      if (at < 0) break;
      walk.push(at);
    }
    expect(walk).toEqual(flagged);
    expect(await service.stepFlagged({ order: 'score' }, flagged[2], -1, threshold)).toBe(flagged[1]);
    // In file order it agrees with the unfiltered walk, from any line.
    expect(await service.stepFlagged({}, 10, 1, threshold)).toBe(await service.nextAnomaly(10, 1, threshold));
    const lastFlagged = [...flagged].sort((a, b) => a - b).at(-1)!;
    expect(await service.stepFlagged({}, lastFlagged, 1, threshold)).toBe(-1);
  });

  it('opens the highest-scored line of a template and of a stretch of the log', async () => {
    const template = summary.templates[summary.templates.length - 1];
    const rows = await allRows(service, { templateId: template.id });
    const best = await service.highestScored({ templateId: template.id });
    expect(rows.some((r) => r.record === best)).toBe(true);
    expect(rows.every((r) => r.score <= rows.find((x) => x.record === best)!.score)).toBe(true);
    const stretch = await service.highestScored({ range: [summary.timeline[0].start, summary.timeline[0].end] });
    const firstBucket = await allRows(service, { range: [summary.timeline[0].start, summary.timeline[0].end] });
    expect(Math.max(...firstBucket.map((r) => r.score))).toBe(firstBucket.find((r) => r.record === stretch)!.score);
    expect(await service.highestScored({ text: 'no line says this' })).toBe(-1);
  });

  it('names the sessions holding a line of any boxed template, and only those', async () => {
    // The rarest template among the lines of the top session.
    const lines = await allRows(service, { session: summary.sessions[0].id });
    const counts = new Map(summary.templates.map((t) => [t.id, t.count]));
    const templateId = lines.map((r) => r.templateId).sort((a, b) => counts.get(a)! - counts.get(b)!)[0];
    const template = { id: templateId };
    const holding = new Set(await service.sessionsHolding([template.id]));
    expect(holding.size).toBeGreaterThan(0);
    expect(holding.size).toBeLessThan(summary.sessions.length);
    // Every line of the template sits in a named session's rows, and a session left out holds none.
    for (const session of summary.sessions.slice(0, 60)) {
      const rows = await allRows(service, { session: session.id });
      expect(rows.some((r) => r.templateId === template.id)).toBe(holding.has(session.id));
    }
    expect(await service.sessionsHolding([])).toEqual([]);
  });

  it('flags lines by the line cutoff, not the unit threshold, when the unit is a window', async () => {
    const windows = await service.rescore({ ...DEFAULT_SETTINGS, detector: 'forest', unit: 'window' });
    const view = await service.thresholdView(windows.threshold);
    const { total } = await service.rows({ flaggedAt: windows.threshold }, 0, 1);
    expect(total).toBe(view.linesAbove);
    const rows = await allRows(service, { flaggedAt: windows.threshold });
    expect(rows.every((r) => r.score >= windows.lineThreshold)).toBe(true);
    await service.rescore({ ...DEFAULT_SETTINGS, detector: 'forest', unit: 'line' });
  });
});
