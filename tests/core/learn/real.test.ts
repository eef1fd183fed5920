/**
 * The head on a real log: BGL_2k from the shared Loghub data with the bundled encoder's vectors and
 * surprise (skipped when ../shared/data or the model is absent). bench:fewshot measures the same
 * over more sets, seeds and label counts.
 */
import { existsSync, openAsBlob } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRecords } from '../../../src/core/analysis/records';
import { gatherEvidence } from '../../../src/core/analysis/evidence';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { scoreAnalysis } from '../../../src/core/detect/score';
import { textFeatureColumns } from '../../../src/core/detect/textFeatures';
import { createTransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import { averagePrecision } from '../../../src/core/evaluate';
import { BUNDLED, hasBundledModel } from '../embed/helpers';
import { learnFromLabels, lineLabelsWithTemplates, prepareFeatures, rankingChange, suggestLabels } from '../../../src/core/learn';

const BGL = join(resolve(import.meta.dirname, '..', '..', '..'), '..', 'shared', 'data', 'loghub_2k', 'BGL', 'BGL_2k.log');
const present = existsSync(BGL) && hasBundledModel;
if (!present) console.warn(`learn.real.test: ${BGL} or the bundled model is absent; the real-log test is skipped.`);

describe.skipIf(!present)('the head on BGL_2k (real log, line units)', () => {
  it('20 suggested labels raise AP on the lines not labelled, the same for a seed', { timeout: 180_000 }, async () => {
    const records = await buildRecords([{ name: 'BGL_2k.log', data: await openAsBlob(BGL), role: 'target' }], DEFAULT_SETTINGS);
    const encoder = await createTransformersEncoder({ source: { kind: 'local', files: BUNDLED }, device: 'cpu' });
    const evidence = await gatherEvidence(records, encoder);
    await encoder.dispose();
    const t = records.target;
    const texts = records.targetTexts;
    const empty = { keys: [], starts: new Uint32Array(1), members: new Uint32Array(0) };
    const scores = scoreAnalysis(
      {
        target: { texts, vectors: evidence.vectors, surprise: evidence.surprise },
        dims: evidence.dims,
        records: { count: t.count, textIndex: t.textIndex, templateId: t.templateId, level: t.level },
        templateCount: records.templates.length,
        windows: empty,
      },
      { detector: 'fused', unit: 'line', forest: DEFAULT_SETTINGS.forest },
    );
    const n = texts.texts.length;
    const columns = textFeatureColumns(scores.forest, evidence.vectors, n, {
      templateOf: texts.templateOf,
      levelOf: texts.levelOf,
      surprise: evidence.surprise,
      selfIndex: Int32Array.from({ length: n }, (_, i) => i),
    });
    const perLine = (perText: ArrayLike<number>): Float64Array => Float64Array.from({ length: t.count }, (_, i) => perText[t.textIndex[i]]);
    const truth = t.label.subarray(0, t.count);
    const template = t.templateId.subarray(0, t.count);
    const prepared = prepareFeatures({
      count: t.count,
      vectors: evidence.vectors,
      dims: evidence.dims,
      vectorRow: t.textIndex.subarray(0, t.count),
      evidence: [
        { name: 'unsupervised', values: scores.line },
        { name: 'level', values: t.level.subarray(0, t.count) },
        { name: 'templateRarity', values: perLine(columns.templateRarity) },
        { name: 'novelty', values: perLine(columns.novelty) },
        { name: 'surprise', values: perLine(columns.surprise) },
      ],
    });
    const clicks = new Int8Array(t.count).fill(-1);
    let labels: Int8Array = clicks.slice();
    for (let k = 0; k < 20; k++) {
      const result = learnFromLabels(prepared, labels, scores.line, { seed: 1, judgementOf: template });
      const [next] = suggestLabels({
        unsupervised: scores.line,
        labels,
        learned: result.learned,
        blended: result.blended,
        diversityKey: template,
      });
      clicks[next.unit] = truth[next.unit];
      labels = lineLabelsWithTemplates(template, clicks);
    }
    const result = learnFromLabels(prepared, labels, scores.line, { seed: 1, judgementOf: template });
    expect(result.head).toBeDefined();
    const unlabelled = Int8Array.from(truth, (v, u) => (labels[u] >= 0 ? -1 : v));
    const before = averagePrecision(scores.line, unlabelled);
    const after = averagePrecision(result.blended, unlabelled);
    expect(after).toBeGreaterThan(before + 0.1);
    expect(after).toBeGreaterThan(0.85);
    expect(rankingChange(scores.line, result.blended, 50).movedIn).toBeGreaterThan(0);
    const again = learnFromLabels(prepared, labels, scores.line, { seed: 1, judgementOf: template });
    expect(Array.from(again.blended)).toEqual(Array.from(result.blended));
  });
});
