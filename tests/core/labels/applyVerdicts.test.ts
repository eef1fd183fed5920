import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { lineKey, type AnalystLabel } from '../../../src/core/labels/labels';

const BGL = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'loghub_2k', 'BGL', 'BGL_2k.log');

describe.skipIf(!existsSync(BGL))('analyst verdicts feed the evaluation (BGL_2k)', () => {
  it('overrides the log’s own labels where the analyst said otherwise, and clearing restores them', async () => {
    const service = new AnalysisService();
    const summary = await service.analyze(
      { files: [{ name: 'BGL_2k.log', data: new Blob([readFileSync(BGL)]), role: 'target' }] },
      { ...DEFAULT_SETTINGS, detector: 'forest' },
      () => undefined,
    );
    // The analyst calls the 40 top-scored lines normal (false positives): precision among them drops.
    const top = summary.unitRows.slice(0, 40);
    const at = top[39].score;
    const before = (await service.thresholdView(at)).metrics!;
    expect(before.precision).toBeGreaterThan(0);
    const labels: AnalystLabel[] = top.map((u) => ({
      key: lineKey('fBGL', Number(u.id)),
      target: 'line',
      verdict: 0,
      note: '',
      updatedAt: 1,
    }));
    expect(await service.useAnalystLabels(labels, ['fBGL'])).toBe(40);
    const after = (await service.thresholdView(at)).metrics!;
    expect(after.precision).toBeLessThan(before.precision);
    expect((await service.rows({}, 0, 2000)).rows.filter((r) => top.some((u) => u.index === r.record)).every((r) => r.label === 0)).toBe(
      true,
    );
    // Labels of another file change nothing; no labels bring the log's own back.
    expect(await service.useAnalystLabels(labels, ['fOther'])).toBe(0);
    expect((await service.thresholdView(at)).metrics).toEqual(before);
  });
});
