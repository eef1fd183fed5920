import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../../src/core/analysis/types';
import { readBundle, writeBundle } from '../../../src/core/bundle/bundleFile';
import { generateLog } from '../../../src/core/generate';

const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const BGL = join(SHARED, 'loghub_2k', 'BGL', 'BGL_2k.log');

async function analysed(data: Blob, name: string, settings: AnalysisSettings = DEFAULT_SETTINGS): Promise<AnalysisService> {
  const service = new AnalysisService();
  await service.analyze({ files: [{ name, data, role: 'target' }] }, settings, () => undefined);
  return service;
}

async function bundleOf(service: AnalysisService, name: string): Promise<Blob> {
  const bytes = await service.exportAnalysisBundle({ name, includeLines: false, fileKeys: ['fx'], labels: [], notes: '' });
  return new Blob([bytes as Uint8Array<ArrayBuffer>]);
}

/** A labels CSV naming some BGL_2k lines by their own ground truth ("-" first: normal). */
function bglLabels(lines: string[], anomalous: number, normal: number): Blob {
  const rows: string[] = [];
  lines.forEach((line, i) => {
    const isNormal = line.startsWith('-');
    if (isNormal && normal-- > 0) rows.push(`${i + 1},0`);
    if (!isNormal && line.trim() && anomalous-- > 0) rows.push(`${i + 1},1`);
  });
  return new Blob([`id,label\n${rows.join('\n')}\n`]);
}

describe.skipIf(!existsSync(BGL))('a saved head (issue 12 §5), BGL_2k with the default detector', () => {
  it('a bundle of a blended analysis reopens with the same ranking, explanations and values, without retraining', async () => {
    const text = readFileSync(BGL, 'utf8');
    const first = await analysed(new Blob([text]), 'BGL_2k.log');
    const unsupervised = await first.unitScores();
    const view = await first.trainOnLabelFile(bglLabels(text.split('\n'), 4, 30), 'analyst.csv', { weight: 0.6 });
    expect(view.learning.trained).toBe(true);
    const blended = await first.unitScores();
    expect(Array.from(blended)).not.toEqual(Array.from(unsupervised));

    const second = new AnalysisService();
    const reopened = await second.importAnalysisBundle(await bundleOf(first, 'BGL_2k.log'));
    expect(reopened.learning).toMatchObject({ trained: true, weight: 0.6, weightFrom: 'analyst', trainMs: 0 });
    expect(reopened.headNote).toBeUndefined();
    expect(Array.from(await second.unitScores())).toEqual(Array.from(blended));
    expect(reopened.summary.threshold).toBe(view.summary.threshold);
    expect(reopened.summary.unitRows).toEqual(view.summary.unitRows);
    // The evaluation leaves out the units the head learned from, before and after reopening.
    expect(view.summary.metrics?.note).toMatch(/without the \d+ labelled lines the head learned from/);
    expect(reopened.summary.metrics).toEqual(view.summary.metrics);
    const top = view.summary.unitRows[0].index;
    expect(await second.learningScores(top)).toEqual(await first.learningScores(top));
    // Explanations: the default detector's parts and the template's value profile came back.
    const [a, b] = [await first.detail(top), await second.detail(top)];
    expect(a.evidence.length).toBeGreaterThan(0);
    expect(b.evidence).toEqual(a.evidence);
    expect(b.values).toEqual(a.values);
    // The same suggestions (the bundle has no lines: they show masked texts).
    const units = (s: Array<{ unit: number; reason: string }>) => s.map(({ unit, reason }) => ({ unit, reason }));
    expect(units(await second.labelNext())).toEqual(units(await first.labelNext()));
  }, 120_000);
});

describe('a saved head (issue 12 §5), generated sessions', () => {
  const lines = [...generateLog({ seed: 15, lines: 3000, layout: 'iso' })];
  const data = new Blob([lines.map((l) => l.text).join('\n') + '\n']);
  const settings: AnalysisSettings = { ...DEFAULT_SETTINGS, unit: 'session' };

  async function trained(): Promise<AnalysisService> {
    const service = await analysed(data, 'app.log', settings);
    const anomalous = lines.findIndex((l) => l.anomaly);
    const normal = lines.flatMap((l, i) => (l.anomaly ? [] : [i])).slice(0, 40);
    const rows = [`${anomalous + 1},1`, ...normal.map((i) => `${i + 1},0`)];
    const view = await service.trainOnLabelFile(new Blob([`id,label\n${rows.join('\n')}\n`]), 'analyst.csv');
    expect(view.learning.trained).toBe(true);
    return service;
  }

  it('reopens with the blended session ranking and keeps it when the same labels come again', async () => {
    const first = await trained();
    const blended = Array.from(await first.unitScores());
    const second = new AnalysisService();
    const reopened = await second.importAnalysisBundle(await bundleOf(first, 'app.log'));
    expect(reopened.learning?.trained).toBe(true);
    expect(Array.from(await second.unitScores())).toEqual(blended);
    // The page asks again with the analyst's labels: the same labels retrain nothing.
    const head = second.currentHead();
    const anomalous = lines.findIndex((l) => l.anomaly);
    const normal = lines.flatMap((l, i) => (l.anomaly ? [] : [i])).slice(0, 40);
    const rows = [`${anomalous + 1},1`, ...normal.map((i) => `${i + 1},0`)];
    const again = await second.trainOnLabelFile(new Blob([`id,label\n${rows.join('\n')}\n`]), 'analyst.csv');
    expect(again.unchanged).toBe(true);
    expect(second.currentHead()?.result).toBe(head?.result);
    // A label that changes a unit (another anomalous line, in a session not labelled yet): trained again.
    const next = lines.findIndex((l, i) => l.anomaly && i > anomalous + 50);
    const more = await second.trainOnLabelFile(new Blob([`id,label\n${[...rows, `${next + 1},1`].join('\n')}\n`]), 'analyst.csv');
    expect(more.unchanged).toBeUndefined();
    expect(second.currentHead()?.result).not.toBe(head?.result);
  }, 120_000);

  it('an analysis without a head reopens unsupervised; a head that does not fit is dropped with a reason', async () => {
    const plain = await analysed(data, 'app.log', settings);
    const other = new AnalysisService();
    const reopened = await other.importAnalysisBundle(await bundleOf(plain, 'app.log'));
    expect(reopened.learning).toBeUndefined();
    expect(Array.from(await other.unitScores())).toEqual(Array.from(await plain.unitScores()));
    expect(other.currentHead()).toBeUndefined();

    // A hostile edit: the head's weights no longer match its features. The analysis still opens.
    const contents = await readBundle(await bundleOf(await trained(), 'app.log'));
    const learning = contents.snapshot.meta.learning!;
    const damaged = { ...learning, head: { ...learning.head, inputWeights: learning.head.inputWeights.slice(1) } };
    const bytes = await writeBundle({
      ...contents,
      snapshot: { ...contents.snapshot, meta: { ...contents.snapshot.meta, learning: damaged } },
    });
    const third = new AnalysisService();
    const opened = await third.importAnalysisBundle(new Blob([bytes]));
    expect(opened.learning).toBeUndefined();
    expect(opened.headNote).toMatch(/not applied .*input weights/);
    expect(Array.from(await third.unitScores())).toEqual(Array.from(await plain.unitScores()));

    // Labels of another length, or weights that are not numbers: the file is refused as damaged.
    const labels = { ...contents.snapshot.columns, 'learning.labels': new Int8Array(3) };
    const short = await writeBundle({ ...contents, snapshot: { ...contents.snapshot, columns: labels } });
    await expect(third.importAnalysisBundle(new Blob([short]))).rejects.toThrow(/learning\.labels/);
    const nan = { ...learning, head: { ...learning.head, bias: 'x' as unknown as number } };
    const hostile = await writeBundle({
      ...contents,
      snapshot: { ...contents.snapshot, meta: { ...contents.snapshot.meta, learning: nan } },
    });
    await expect(third.importAnalysisBundle(new Blob([hostile]))).rejects.toThrow(/damaged at "learning\.head\.bias"/);
  }, 120_000);
});
