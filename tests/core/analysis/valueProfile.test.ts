/**
 * A line's detail carries its template's value profile: what the log wrote behind each wildcard,
 * with the unusual values marked, and the default detector ranks the outlier value first.
 */
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';

describe('values behind the wildcards', () => {
  it('profiles a numeric position and explains the outlier line by its value', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const ms = 30 + (i % 20);
      lines.push(
        `2026-03-14T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z INFO [db] query took ${ms} ms on pool ${['a', 'b', 'c'][i % 3]}`,
      );
    }
    lines[300] = lines[300].replace(/took \d+ ms/, 'took 93000 ms');
    const service = new AnalysisService();
    const summary = await service.analyze(
      { files: [{ name: 'db.log', data: new Blob([lines.join('\n') + '\n']), role: 'target' }] },
      { ...DEFAULT_SETTINGS },
      () => {},
    );
    expect(summary.unitRows[0].index).toBe(300);
    const detail = await service.detail(300);
    expect(detail.evidence[0].name).toBe('values');
    expect(detail.evidence[0].words).toMatch(/"93000"/);
    const numeric = detail.values.find((p) => p.kind === 'numeric');
    expect(numeric?.ordinary?.[1]).toBeLessThan(93000);
    // The ordinary range is the usual 30-49 ms, not stretched by the outlier.
    expect(numeric?.ordinary?.[0]).toBeGreaterThan(0);
    expect(numeric?.quantiles?.[3]).toBeGreaterThanOrEqual(30);
    expect(numeric?.quantiles?.[3]).toBeLessThan(50);
  });
});
