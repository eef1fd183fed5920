/**
 * Explanations on real analyses: the evidence chart measures the fitted forest (the explainer's
 * forest input reproduces the detector's scores exactly), its effects are on the shown score's
 * scale, words are bounded and cancelable, nearest normal lines are normal, and the Top
 * anomalies list gives the flagged units with the line to open and a reason.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS, type AnalysisSummary } from '../../../src/core/analysis/types';
import { createTransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import { describeEvidence, weightedMedian } from '../../../src/core/explain/evidence';
import { anomalyScore } from '../../../src/core/detect/forestCommon';
import { featureRows, scoreWithForest } from '../../../src/core/detect/textForest';
import { textFeatureColumns } from '../../../src/core/detect/textFeatures';
import { fitTextForest } from '../../../src/core/detect/textForest';
import { generateLog } from '../../../src/core/generate';

const MODELS = resolve(import.meta.dirname, '..', '..', '..', 'public', 'models');
const hasModel = existsSync(join(MODELS, 'loupe-log-bert', 'onnx', 'model.onnx'));

function generated(lines: number, seed: number): { text: string; labels: string } {
  const out: string[] = [];
  const labels: string[] = [];
  let i = 0;
  for (const line of generateLog({ seed, lines, layout: 'iso' })) {
    out.push(line.text);
    labels.push(`${++i},${line.anomaly ? 1 : 0}`);
  }
  return { text: out.join('\n'), labels: labels.join('\n') };
}

describe('evidence arithmetic', () => {
  it('takes the weighted median', () => {
    expect(weightedMedian([5, 1, 3])).toBe(3);
    expect(weightedMedian([1, 9], [10, 1])).toBe(1);
    expect(weightedMedian([])).toBe(0);
  });

  it('says rarity, level and novelty in the analyst words', () => {
    expect(describeEvidence('templateRarity', -Math.log(1 / 20000), 1, 20000, true)).toBe('rare template: seen 1 time in 20,000 lines');
    expect(describeEvidence('templateRarity', -Math.log(0.25 / 20000), 1, 20000, false)).toMatch(/never seen in the reference/);
    expect(describeEvidence('level', 6, 3, 100, true)).toBe('level ERROR (most lines: INFO)');
    expect(describeEvidence('novelty', 0.62, 0.01, 100, true)).toBe('nearest other known line is 38% similar (typical 99%)');
    expect(describeEvidence('sequencePosition', 2.5, 0.5, 100, true)).toBe('sequencePosition: 2.50 (typical 0.50)');
  });

  it('builds the forest input exactly as the detector does', () => {
    const rows = 300;
    const dims = 8;
    const vectors = Float32Array.from({ length: rows * dims }, (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 13) / 13);
    const texts = {
      texts: Array.from({ length: rows }, (_, i) => `t${i}`),
      counts: Uint32Array.from({ length: rows }, (_, i) => 1 + (i % 5)),
      templateOf: Int32Array.from({ length: rows }, (_, i) => i % 7),
      levelOf: Uint8Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? 6 : 3)),
    };
    const forest = fitTextForest(texts, vectors, dims, { ...DEFAULT_SETTINGS.forest, pcaComponents: 3 });
    const extras = { ...texts, selfIndex: Int32Array.from({ length: rows }, (_, i) => i) };
    const expected = scoreWithForest(forest, vectors, rows, extras);
    const { X } = featureRows(forest, vectors, rows, textFeatureColumns(forest, vectors, rows, extras));
    expect(Array.from(anomalyScore(forest.forest.scoreSamples(X, rows)))).toEqual(Array.from(expected));
  });
});

describe('line details and top anomalies (TF-IDF vectors)', () => {
  let service: AnalysisService;
  let summary: AnalysisSummary;
  const log = generated(4000, 23);

  beforeAll(async () => {
    service = new AnalysisService();
    summary = await service.analyze(
      {
        files: [{ name: 'gen.log', data: new Blob([log.text]), role: 'target' }],
        labels: { name: 'gen.labels.csv', data: new Blob([log.labels]) },
      },
      { ...DEFAULT_SETTINGS, detector: 'forest' },
      () => {},
    );
  });

  it('explains the top line by evidence whose effects are on the score scale', async () => {
    const top = summary.unitRows[0].index;
    const detail = await service.detail(top, undefined, { words: false });
    expect(detail.saliency).toEqual([]);
    expect(detail.evidence.length).toBeGreaterThanOrEqual(4);
    const names = detail.evidence.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['templateRarity', 'level', 'novelty', 'pcaResidual']));
    // Largest effect first, each with words and finite numbers.
    for (let i = 1; i < detail.evidence.length; i++)
      expect(Math.abs(detail.evidence[i - 1].effect)).toBeGreaterThanOrEqual(Math.abs(detail.evidence[i].effect));
    expect(detail.evidence.every((e) => Number.isFinite(e.effect) && e.words.length > 5)).toBe(true);
    // Something raised the top line's score, by no more than the score's own spread.
    expect(detail.evidence[0].effect).toBeGreaterThan(0);
    const spread = summary.scoreDistribution.at(-1)! - summary.scoreDistribution[0];
    expect(Math.abs(detail.evidence[0].effect)).toBeLessThanOrEqual(spread);
  });

  it('lists only normal neighbours: below the threshold and not labelled anomalous', async () => {
    const detail = await service.detail(summary.unitRows[0].index, undefined, { words: false });
    expect(detail.neighbours.length).toBeGreaterThan(0);
    const labels = new Map(log.labels.split('\n').map((l) => l.split(',').map(Number) as [number, number]));
    for (const n of detail.neighbours) {
      expect(n.score).toBeLessThan(summary.threshold);
      const [row] = (await service.rows({}, n.record, 1)).rows;
      expect(labels.get(row.lineNumber)).toBe(0);
    }
  });

  it('lists flagged units with their worst line and a reason', async () => {
    const top = await service.topAnomalies(summary.threshold, 50);
    expect(top.length).toBeGreaterThan(0);
    expect(top.every((t) => t.score >= summary.threshold && t.reason.length > 5 && t.record >= 0)).toBe(true);
    for (let i = 1; i < top.length; i++) expect(top[i - 1].score).toBeGreaterThanOrEqual(top[i].score);
    const templates = await service.rescore({ ...DEFAULT_SETTINGS, detector: 'forest', unit: 'template' });
    // Whatever the automatic threshold flags, the ten highest templates at a threshold set to flag them.
    const tenth = templates.unitRows[9].score;
    const byTemplate = await service.topAnomalies(tenth, 10);
    expect(byTemplate.length).toBe(templates.unitRows.filter((r) => r.score >= tenth).slice(0, 10).length);
    for (const t of byTemplate) {
      expect(t.unit).toBe('template');
      expect(t.record).toBe(await service.highestScored({ templateId: t.index }));
    }
    await service.rescore({ ...DEFAULT_SETTINGS, detector: 'forest', unit: 'line' });
  });

  it('explains words with TF-IDF too, with a noise floor', async () => {
    const words = await service.words(summary.unitRows[0].index);
    expect(words.words.length).toBeGreaterThan(0);
    expect(words.noiseFloor).toBeGreaterThan(0);
    expect(words.words.every((w) => Number.isFinite(w.effect))).toBe(true);
  });
});

describe.skipIf(!hasModel)('words with the bundled encoder (fused)', () => {
  let service: AnalysisService;
  let summary: AnalysisSummary;
  const base = generated(1500, 41).text.split('\n');
  // One very long line (cut at 64 KiB when read): thousands of words, far past what the encoder reads.
  const long = `${base[10].slice(0, 24)} ERROR payload ${Array.from({ length: 60_000 }, (_, i) => `w${i % 97}x`).join(' ')}`;
  const lines = [...base.slice(0, 700), long, ...base.slice(700)];

  beforeAll(async () => {
    service = new AnalysisService(() => createTransformersEncoder({ source: { kind: 'bundled' }, device: 'cpu', localModelPath: MODELS }));
    summary = await service.analyze(
      { files: [{ name: 'gen.log', data: new Blob([lines.join('\n')]), role: 'target' }] },
      { ...DEFAULT_SETTINGS, detector: 'fused' },
      () => {},
    );
  }, 300_000);

  it('puts word effects on the fused scale: forest part plus surprise share', async () => {
    const words = await service.words(summary.unitRows[0].index);
    expect(words.detector).toBe(summary.settings.detector);
    const explained = words.words.filter((w) => Number.isFinite(w.effect));
    expect(explained.length).toBeGreaterThan(0);
    // Both parts are on the fused scale (0..1), so every effect is well inside it.
    for (const w of explained) {
      expect(Math.abs(w.effect)).toBeLessThan(1);
      expect(Number.isFinite(w.surpriseEffect) && Number.isFinite(w.forestEffect)).toBe(true);
    }
    // Taking a word's share of the surprise away never raises the fused score.
    expect(explained.every((w) => w.surpriseEffect >= -1e-6)).toBe(true);
  }, 120_000);

  it('cuts a long line to what the encoder reads, says so, and stays bounded', async () => {
    const record = lines.indexOf(long);
    const started = performance.now();
    const progress: number[] = [];
    const words = await service.words(record, (p) => progress.push(p.done / p.total));
    const ms = performance.now() - started;
    expect(words.wordsTotal).toBeGreaterThan(10_000);
    expect(words.words.length).toBeLessThanOrEqual(126);
    // At most MAX_OCCLUSIONS encoder passes whatever the length: words share their group's effect.
    expect(words.cutNote).toMatch(/masked in \d+ groups/);
    expect(words.cutNote).toMatch(/first \d+ of its \d+,\d{3} words/);
    expect(progress.at(-1)).toBe(1);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);

  it('cancels an older word explanation when a newer one starts', async () => {
    const first = service.words(summary.unitRows[0].index);
    const second = service.words(summary.unitRows[1].index);
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect((await second).record).toBe(summary.unitRows[1].index);
  }, 120_000);
});
