/**
 * A labels CSV says what it matched: session ids switch the evaluation to sessions (with a note)
 * while lines are scored; ids that match nothing, or only some, are counted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';

const HDFS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'hdfs');
const hasHdfs = existsSync(join(HDFS, 'HDFS_5000.log'));

describe.skipIf(!hasHdfs)('labels report on HDFS (shared data)', () => {
  const log = hasHdfs ? readFileSync(join(HDFS, 'HDFS_5000.log')) : Buffer.alloc(0);
  const labels = hasHdfs ? readFileSync(join(HDFS, 'HDFS_5000.block_labels.csv'), 'utf8') : '';
  const settings = { ...DEFAULT_SETTINGS, detector: 'forest' as const };

  it('evaluates block labels per session while lines are scored, and says all ids matched', async () => {
    const service = new AnalysisService();
    const summary = await service.analyze(
      { files: [{ name: 'hdfs.log', data: new Blob([log]), role: 'target' }], labels: { name: 'blocks.csv', data: new Blob([labels]) } },
      settings,
      () => {},
    );
    expect(summary.settings.unit).toBe('line');
    const view = await service.thresholdView(summary.threshold);
    expect(view.metrics?.unit).toBe('session');
    expect(view.metrics?.note).toMatch(/labels name sessions/);
    const ids = labels.trim().split('\n').length - 1;
    expect(view.labels).toMatchObject({ ids, sessionIds: ids, lineIds: 0 });
    expect(view.labels!.matched).toBe(ids);
  });

  it('counts ids that match nothing', async () => {
    const rows = labels.trim().split('\n');
    const wrong = ['BlockId,Label', ...rows.slice(1, 41), ...Array.from({ length: 60 }, (_, i) => `blk_nowhere${i},Anomaly`)].join('\n');
    const service = new AnalysisService();
    await service.analyze(
      { files: [{ name: 'hdfs.log', data: new Blob([log]), role: 'target' }], labels: { name: 'x.csv', data: new Blob([wrong]) } },
      settings,
      () => {},
    );
    const view = await service.thresholdView(0.5);
    expect(view.labels).toMatchObject({ ids: 100, matched: 40, matchedSessions: 40, sessionIds: 100 });
    const none = ['id,label', ...Array.from({ length: 30 }, (_, i) => `blk_none${i},1`)].join('\n');
    await service.analyze(
      { files: [{ name: 'hdfs.log', data: new Blob([log]), role: 'target' }], labels: { name: 'y.csv', data: new Blob([none]) } },
      settings,
      () => {},
    );
    expect((await service.thresholdView(0.5)).labels).toMatchObject({ ids: 30, matched: 0 });
  });
});
