import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { generateLogText } from '../../../src/core/generate';

describe('Top anomalies for line units', () => {
  it('lists one entry per distinct text, with how many flagged lines share it', async () => {
    const lines = generateLogText({ seed: 5, lines: 3000, layout: 'iso' }).split('\n');
    // One alarm repeated 40 times, spread over the log: it would fill the list 40 times over.
    for (let k = 0; k < 40; k++)
      lines.splice(100 + k * 70, 0, `2026-03-14T00:0${k % 10}:00.000Z FATAL [disk] controller reset: array degraded`);
    const service = new AnalysisService();
    const summary = await service.analyze(
      { files: [{ name: 'app.log', data: new Blob([lines.join('\n')]), role: 'target' }] },
      DEFAULT_SETTINGS,
      () => undefined,
    );
    // Down to the alarm's own score (no encoder here: severity alone does not flag it by default).
    const first = await service.detail(100, summary.threshold, { words: false });
    expect(first.row.message).toBe('controller reset: array degraded');
    const threshold = Math.min(summary.threshold, first.row.score);
    const top = await service.topAnomalies(threshold, 200);
    expect(top.length).toBeGreaterThan(1);
    const detail = await Promise.all(top.map((t) => service.detail(t.record, threshold, { words: false })));
    const texts = detail.map((d) => d.row.message);
    expect(new Set(texts).size).toBe(texts.length);
    const alarm = top.find((_, i) => texts[i] === 'controller reset: array degraded');
    expect(alarm!.count).toBeGreaterThan(1);
    expect(alarm!.count).toBeLessThanOrEqual(40);
    expect(top.every((t) => t.count >= 1)).toBe(true);
    // Ranks are places among all lines (ties share one): the first is the top line, and they never fall.
    expect(top[0].rank).toBe(1);
    for (let i = 1; i < top.length; i++) expect(top[i].rank).toBeGreaterThanOrEqual(top[i - 1].rank);
    // However many lines repeat the top texts, a short list still holds that many distinct texts.
    expect(await service.topAnomalies(threshold, 3)).toEqual(top.slice(0, 3));
  });
});
