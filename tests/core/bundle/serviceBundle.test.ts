import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';

const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const BGL = join(SHARED, 'loghub_2k', 'BGL', 'BGL_2k.log');

describe.skipIf(!existsSync(BGL))('analysis bundle through the service (BGL_2k)', () => {
  it('exports, then reopens in another service with the same views, rows and labels; a bad bundle changes nothing', async () => {
    const settings = { ...DEFAULT_SETTINGS, detector: 'forest' as const };
    const first = new AnalysisService();
    const text = readFileSync(BGL);
    const summary = await first.analyze(
      { files: [{ name: 'BGL_2k.log', data: new Blob([text]), role: 'target' }] },
      settings,
      () => undefined,
    );
    const label = {
      key: 'fx:L5',
      target: 'line' as const,
      verdict: 1 as const,
      note: 'kernel panic',
      updatedAt: 5,
      file: 'BGL_2k.log',
      line: 5,
    };
    const bytes = await first.exportAnalysisBundle({
      name: 'BGL_2k.log',
      includeLines: true,
      fileKeys: ['fx'],
      labels: [label],
      notes: 'on call',
    });
    expect(bytes.length).toBeLessThan(text.length); // gzip of lines + vectors is smaller than the log

    const second = new AnalysisService();
    const reopened = await second.importAnalysisBundle(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    expect(reopened.labels).toEqual([label]);
    expect(reopened.notes).toBe('on call');
    expect(reopened.hasLines).toBe(true);
    const { summary: again } = reopened;
    expect(again.records).toBe(2000);
    expect(again.unitRows).toEqual(summary.unitRows);
    expect(again.templates).toEqual(summary.templates);
    expect(again.metrics?.auroc).toBe(summary.metrics?.auroc);
    expect(await second.rows({ minScore: summary.threshold }, 0, 50)).toEqual(await first.rows({ minScore: summary.threshold }, 0, 50));
    const top = summary.unitRows[0].index;
    const [a, b] = [await first.detail(top), await second.detail(top)];
    expect(b.row).toEqual(a.row);
    expect(b.neighbours).toEqual(a.neighbours);
    expect(b.saliency).toEqual(a.saliency);

    // A damaged bundle: a readable error, and the reopened analysis is still the one shown.
    const damaged = bytes.slice(0, bytes.length - 200);
    await expect(second.importAnalysisBundle(new Blob([damaged]))).rejects.toThrow(/truncated or damaged/);
    await expect(second.importAnalysisBundle(new Blob(['BGL_2k log text']))).rejects.toThrow(/not gzip/);
    expect((await second.rows({}, 0, 3)).rows).toEqual((await first.rows({}, 0, 3)).rows);
  });
});
