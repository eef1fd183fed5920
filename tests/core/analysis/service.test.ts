import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AnalysisService, PREVIEW_MIN_RECORDS } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS, type AnalysisSettings, type AnalysisSummary, type StageProgress } from '../../../src/core/analysis/types';
import { generateLog } from '../../../src/core/generate';
import { evaluateScores } from '../../../src/core/evaluate';

const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const hasShared = existsSync(SHARED);

/** TF-IDF vectors (no encoder factory): fast, and the same code paths as with a model. */
const settings = (over: Partial<AnalysisSettings> = {}): AnalysisSettings => ({ ...DEFAULT_SETTINGS, detector: 'forest', ...over });

function generated(lines: number, seed = 11): { text: string; lines: string[]; anomalies: Set<number>; kinds: Map<number, string> } {
  const out: string[] = [];
  const anomalies = new Set<number>();
  const kinds = new Map<number, string>();
  let i = 0;
  for (const line of generateLog({ seed, lines, layout: 'iso' })) {
    out.push(line.text);
    if (line.anomaly) {
      anomalies.add(i);
      kinds.set(i, line.kind ?? '');
    }
    i++;
  }
  return { text: out.join('\n') + '\n', lines: out, anomalies, kinds };
}

describe('AnalysisService on generated logs', () => {
  it('parses, mines templates and scores every line, ranking planted anomalies high', async () => {
    const log = generated(6000);
    const service = new AnalysisService();
    const stages: StageProgress[] = [];
    const summary = await service.analyze({ files: [{ name: 'gen.log', data: new Blob([log.text]), role: 'target' }] }, settings(), (p) =>
      stages.push(p),
    );
    expect(summary.records).toBe(6000);
    expect(summary.files[0].layoutName).toMatch(/ISO/i);
    expect(summary.templates.length).toBeGreaterThan(20);
    expect(summary.templates.length).toBeLessThan(400);
    const unitScores = await service.unitScores();
    expect(unitScores.length).toBe(6000);
    expect(summary.scoreDistribution.length).toBe(6000);
    expect(new Set(stages.map((s) => s.stage))).toEqual(new Set(['read', 'parse', 'embed', 'score']));
    // Rare error lines (the ERROR/FATAL line itself, not the ordinary lines of its session) rank
    // above normal lines.
    const rareErrors = new Int8Array(6000);
    for (const [i, kind] of log.kinds) if (kind === 'rare-error' && /\b(ERROR|FATAL)\b/.test(log.lines[i])) rareErrors[i] = 1;
    expect(rareErrors.reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
    expect(evaluateScores(unitScores, rareErrors).auroc).toBeGreaterThan(0.95);
  });

  it('answers rows, filters, anomaly jumps and line details with saliency', async () => {
    const log = generated(3000, 5);
    const service = new AnalysisService();
    const summary = await service.analyze(
      { files: [{ name: 'gen.log', data: new Blob([log.text]), role: 'target' }] },
      settings(),
      () => {},
    );
    const page = await service.rows({}, 10, 5);
    expect(page.total).toBe(3000);
    expect(page.rows.map((r) => r.lineNumber)).toEqual([11, 12, 13, 14, 15]);
    const errors = await service.rows({ levels: ['ERROR'] }, 0, 50);
    expect(errors.total).toBeGreaterThan(0);
    expect(errors.rows.every((r) => r.level === 'ERROR')).toBe(true);
    const text = await service.rows({ text: 'PAYMENT' }, 0, 10);
    expect(text.rows.every((r) => r.raw.toLowerCase().includes('payment'))).toBe(true);
    const top = summary.unitRows[0].index;
    expect(await service.positionOf({}, top)).toBe(top);
    const next = await service.nextAnomaly(-1, 1, summary.threshold);
    expect(next).toBeGreaterThanOrEqual(0);
    expect((await service.unitScores())[next]).toBeGreaterThanOrEqual(summary.threshold);
    const detail = await service.detail(top);
    expect(detail.rank).toBe(1);
    expect(detail.saliency.length).toBeGreaterThan(0);
    expect(detail.saliency.every((w) => Number.isFinite(w.masked) && Number.isFinite(w.effect))).toBe(true);
    expect(detail.neighbours.length).toBeGreaterThan(0);
  });

  it('re-scores by unit and detector parameters without re-reading, and threshold views count live', async () => {
    const log = generated(4000, 9);
    const service = new AnalysisService();
    const first = await service.analyze({ files: [{ name: 'gen.log', data: new Blob([log.text]), role: 'target' }] }, settings(), () => {});
    const byTemplate = await service.rescore({ ...first.settings, unit: 'template' });
    expect(byTemplate.scoreDistribution.length).toBe(byTemplate.templates.length);
    const bySession = await service.rescore({ ...first.settings, unit: 'session' });
    expect(bySession.sessions.length).toBeGreaterThan(10);
    const byWindow = await service.rescore({ ...first.settings, unit: 'window', window: { kind: 'count', size: 100, step: 100 } });
    expect(byWindow.scoreDistribution.length).toBe(40);
    const back = await service.rescore({ ...first.settings, unit: 'line' });
    const low = await service.thresholdView(0);
    const high = await service.thresholdView(back.threshold);
    expect(low.linesAbove).toBe(4000);
    expect(high.linesAbove).toBeLessThan(low.linesAbove);
    expect(high.timeline.reduce((s, b) => s + b.countAbove, 0)).toBe(high.linesAbove);
  });

  it('keeps the previous analysis when a new one fails or is cancelled', async () => {
    const service = new AnalysisService();
    await service.analyze({ files: [{ name: 'a.log', data: new Blob([generated(500).text]), role: 'target' }] }, settings(), () => {});
    const binary = new Uint8Array(4096);
    binary.set([0x7f, 0x45, 0x4c, 0x46]);
    await expect(
      service.analyze({ files: [{ name: 'b.bin', data: new Blob([binary]), role: 'target' }] }, settings(), () => {}),
    ).rejects.toThrow(/binary/i);
    expect((await service.rows({}, 0, 1)).total).toBe(500);
    const zipped = gzipSync(Buffer.from(generated(2000, 3).text));
    const corrupt = zipped.subarray(0, zipped.length >> 1);
    await expect(
      service.analyze({ files: [{ name: 'c.log.gz', data: new Blob([corrupt]), role: 'target' }] }, settings(), () => {}),
    ).rejects.toThrow(/gzip|corrupt|truncated/i);
    const pending = service.analyze(
      { files: [{ name: 'd.log', data: new Blob([generated(20000).text]), role: 'target' }] },
      settings(),
      () => {},
    );
    service.cancel();
    await expect(pending).rejects.toThrow(/cancel|abort/i);
    expect((await service.rows({}, 0, 1)).total).toBe(500);
  });

  it('reads gzip, merges several files by time, and reports an empty file clearly', async () => {
    const a = generated(1000, 1).text;
    const b = generated(1000, 2).text;
    const service = new AnalysisService();
    const summary = await service.analyze(
      {
        files: [
          { name: 'a.log.gz', data: new Blob([gzipSync(Buffer.from(a))]), role: 'target' },
          { name: 'b.log', data: new Blob([b]), role: 'target' },
        ],
      },
      settings(),
      () => {},
    );
    expect(summary.records).toBe(2000);
    const rows = (await service.rows({}, 0, 2000)).rows;
    for (let i = 1; i < rows.length; i++) expect(rows[i].timestamp).toBeGreaterThanOrEqual(rows[i - 1].timestamp);
    expect(new Set(rows.map((r) => r.file))).toEqual(new Set([0, 1]));
    await expect(
      service.analyze({ files: [{ name: 'empty.log', data: new Blob([]), role: 'target' }] }, settings(), () => {}),
    ).rejects.toThrow(/no log lines/);
  });

  it('lays out the template map by PCA, and by UMAP on demand', async () => {
    const service = new AnalysisService();
    const summary = await service.analyze(
      { files: [{ name: 'a.log', data: new Blob([generated(3000).text]), role: 'target' }] },
      settings(),
      () => {},
    );
    expect(summary.map.length).toBe(summary.templates.length);
    const umap = await service.projectMap('umap');
    expect(umap.map((p) => p.templateId).sort()).toEqual(summary.map.map((p) => p.templateId).sort());
    expect(umap.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
    expect(umap.some((p, i) => p.x !== summary.map[i].x)).toBe(true);
  });
});

describe.skipIf(!hasShared)('AnalysisService on shared Loghub data', () => {
  it('takes BGL label prefixes as line ground truth and evaluates against them', async () => {
    const text = readFileSync(join(SHARED, 'loghub_2k', 'BGL', 'BGL_2k.log'));
    const service = new AnalysisService();
    const summary = await service.analyze(
      { files: [{ name: 'BGL_2k.log', data: new Blob([text]), role: 'target' }] },
      settings(),
      () => {},
    );
    expect(summary.files[0].labelledRecords).toBe(2000);
    expect(summary.metrics).toBeDefined();
    expect(summary.metrics!.auroc).toBeGreaterThan(0.7);
  });

  it('scores HDFS blocks as sessions with block labels from a CSV', async () => {
    const log = readFileSync(join(SHARED, 'hdfs', 'HDFS_AD_5k.log'));
    const labels = readFileSync(join(SHARED, 'hdfs', 'HDFS_AD_5k.block_labels.csv'));
    const service = new AnalysisService();
    const summary = await service.analyze(
      {
        files: [{ name: 'HDFS_AD_5k.log', data: new Blob([log]), role: 'target' }],
        labels: { name: 'labels.csv', data: new Blob([labels]) },
      },
      settings({ unit: 'session' }),
      () => {},
    );
    expect(summary.scoreDistribution.length).toBe(110);
    expect(summary.metrics?.unit).toBe('session');
    expect(summary.metrics!.auroc).toBeGreaterThan(0.8);
  });
});

describe('AnalysisService on a large log', () => {
  it('sends preliminary TF-IDF results before the encoder runs', async () => {
    const previews: AnalysisSummary[] = [];
    // An encoder that cannot load: the final analysis falls back too, but the preview comes first.
    const service = new AnalysisService(async () => {
      throw new Error('no model here');
    });
    const summary = await service.analyze(
      { files: [{ name: 'big.log', data: new Blob([generated(PREVIEW_MIN_RECORDS, 8).text]), role: 'target' }] },
      settings(),
      (p) => {
        if (p.preview) previews.push(p.preview);
      },
    );
    expect(previews).toHaveLength(1);
    expect(previews[0].records).toBe(PREVIEW_MIN_RECORDS);
    expect(previews[0].scoreDistribution.length).toBe(PREVIEW_MIN_RECORDS);
    expect(previews[0].encoder?.fallbackReason).toMatch(/Preliminary/);
    expect(summary.encoder?.fallbackReason).toMatch(/no model here/);
  });
});

describe('AnalysisService row filters', () => {
  it('a brushed time range keeps only the lines inside it', async () => {
    const service = new AnalysisService();
    await service.analyze({ files: [{ name: 'a.log', data: new Blob([generated(2000, 4).text]), role: 'target' }] }, settings(), () => {});
    const all = (await service.rows({}, 0, 2000)).rows;
    const from = all[500].timestamp;
    const to = all[900].timestamp;
    const inside = await service.rows({ range: [from, to] }, 0, 2000);
    expect(inside.total).toBeGreaterThanOrEqual(401);
    expect(inside.rows.every((r) => r.timestamp >= from && r.timestamp <= to)).toBe(true);
    const combined = await service.rows({ range: [from, to], levels: ['INFO'] }, 0, 2000);
    expect(combined.total).toBeLessThan(inside.total);
  });
});

describe('AnalysisService on inputs too large to hold as strings', () => {
  it('reads lines back from the files by byte offset and answers exactly as in memory', async () => {
    const log = generated(3000, 12);
    // CRLF endings, a stack trace folded into its record, and a gzip copy as a second file.
    const lines = log.lines.slice(0, 1500);
    lines.splice(
      200,
      0,
      '2026-03-14T00:10:00.000Z ERROR [orders] java.lang.IllegalStateException: boom',
      '\tat com.shop.Orders.place(Orders.java:42)',
      '\tat com.shop.Api.handle(Api.java:7)',
    );
    const crlf = lines.join('\r\n') + '\r\n';
    const second = gzipSync(Buffer.from(log.lines.slice(1500).join('\n') + '\n'));
    const input = {
      files: [
        { name: 'a.log', data: new Blob([crlf]), role: 'target' as const },
        { name: 'b.log.gz', data: new Blob([second]), role: 'target' as const },
      ],
    };
    const inMemory = new AnalysisService();
    const lazy = new AnalysisService(undefined, { textInMemoryLimit: 0 });
    const a = await inMemory.analyze(input, settings(), () => {});
    const b = await lazy.analyze(input, settings(), () => {});
    expect(b.records).toBe(a.records);
    expect(Array.from(b.scoreDistribution)).toEqual(Array.from(a.scoreDistribution));
    expect(b.sessions.map((s) => s.id)).toEqual(a.sessions.map((s) => s.id));
    const pageA = await inMemory.rows({}, 0, 3002);
    const pageB = await lazy.rows({}, 0, 3002);
    expect(pageB.rows.map((r) => r.raw)).toEqual(pageA.rows.map((r) => r.raw));
    expect(pageB.rows.map((r) => r.message)).toEqual(pageA.rows.map((r) => r.message));
    expect(pageB.rows.some((r) => r.raw.includes('\tat com.shop.Orders.place'))).toBe(true);
    const searchA = await inMemory.rows({ text: 'PAYMENT' }, 0, 100);
    const searchB = await lazy.rows({ text: 'PAYMENT' }, 0, 100);
    expect(searchB.total).toBe(searchA.total);
    expect(searchB.total).toBeGreaterThan(0);
    const top = a.unitRows[0].index;
    expect((await lazy.detail(top)).row.raw).toBe((await inMemory.detail(top)).row.raw);
    const regex = { ...a.settings, unit: 'session' as const, sessionRegex: 'req-([0-9a-f]{8})' };
    expect((await lazy.rescore(regex)).scoreDistribution.length).toBe((await inMemory.rescore(regex)).scoreDistribution.length);
  });
});
