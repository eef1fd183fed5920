/**
 * Why is this line anomalous? On a generated log whose anomaly is one planted word in an otherwise
 * normal template, that word must carry the largest saliency in both views: what moved the
 * forest score (occlusion) and what the model of normal text found unusual (surprise).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { createTransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import { generateLog, type GeneratedLine } from '../../../src/core/generate';

const MODELS = resolve(import.meta.dirname, '..', '..', '..', 'public', 'models');
const hasModel = existsSync(join(MODELS, 'loupe-log-bert', 'onnx', 'model.onnx'));

/** The word of `line` that differs from its normal twin. */
function plantedWord(line: GeneratedLine): string {
  const words = line.text.split(/\s+/);
  const twin = line.twin!.split(/\s+/);
  const differing = words.filter((w, i) => w !== twin[i]);
  expect(differing).toHaveLength(1);
  return differing[0];
}

describe.skipIf(!hasModel)('per-word saliency with the bundled encoder', () => {
  it('puts the planted word on top in both the forest and the surprise view', async () => {
    const lines = [...generateLog({ seed: 31, lines: 4000, layout: 'iso' })];
    const planted = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.kind === 'planted-word' && l.twin);
    expect(planted.length).toBeGreaterThan(0);
    const service = new AnalysisService(() =>
      createTransformersEncoder({ source: { kind: 'bundled' }, device: 'cpu', localModelPath: MODELS }),
    );
    const summary = await service.analyze(
      { files: [{ name: 'planted.log', data: new Blob([lines.map((l) => l.text).join('\n')]), role: 'target' }] },
      { ...DEFAULT_SETTINGS, detector: 'fused' },
      () => {},
    );
    expect(summary.encoder?.hasMlmHead).toBe(true);
    for (const { l, i } of planted.slice(0, 3)) {
      const word = plantedWord(l);
      const detail = await service.detail(i);
      const top = (key: 'masked' | 'surprise') => [...detail.saliency].sort((a, b) => b[key] - a[key])[0].word;
      expect(top('masked')).toBe(word);
      expect(top('surprise')).toBe(word);
      expect(detail.saliency.every((w) => Number.isFinite(w.masked) && Number.isFinite(w.effect) && Number.isFinite(w.surprise))).toBe(
        true,
      );
    }
  }, 180_000);
});
