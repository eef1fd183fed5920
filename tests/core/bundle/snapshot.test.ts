import { describe, expect, it } from 'vitest';
import { readInput, withEvidence } from '../../../src/core/analysis/fit';
import { scoreFit } from '../../../src/core/analysis/scoring';
import { restoreSnapshot } from '../../../src/core/analysis/restoreSnapshot';
import { snapshotOf, type AnalysisSnapshot } from '../../../src/core/analysis/snapshot';
import { summarise } from '../../../src/core/analysis/summary';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../../src/core/analysis/types';
import { generateLog } from '../../../src/core/generate';
import { scoreWithForest } from '../../../src/core/detect/textForest';

const settings = (over: Partial<AnalysisSettings> = {}): AnalysisSettings => ({ ...DEFAULT_SETTINGS, detector: 'forest', ...over });

function generated(lines: number, seed = 5): string {
  const out: string[] = [];
  for (const line of generateLog({ seed, lines, layout: 'iso' })) out.push(line.text);
  return out.join('\n') + '\n';
}

async function analysed(text: string, s: AnalysisSettings = settings(), reference?: string) {
  const files: Array<{ name: string; data: Blob; role: 'target' | 'reference'; size: number }> = [
    { name: 'app.log', data: new Blob([text]), role: 'target', size: text.length },
  ];
  if (reference) files.unshift({ name: 'good.log', data: new Blob([reference]), role: 'reference', size: reference.length });
  const base = await readInput(files, s, undefined, () => undefined, new AbortController().signal);
  const fit = await withEvidence(base, undefined, undefined, () => undefined, new AbortController().signal);
  const scoring = await scoreFit(fit, {
    detector: s.detector,
    unit: s.unit,
    forest: s.forest,
    window: s.window,
    sessionRegex: s.sessionRegex,
  });
  return { fit, scoring };
}

describe('analysis snapshot', () => {
  it('restores a scored fit with the same summary, scores and lines, without the encoder', async () => {
    const { fit, scoring } = await analysed(generated(3000));
    const snapshot = await snapshotOf(fit, scoring, { includeLines: true });
    const restored = restoreSnapshot(snapshot);
    const before = summarise(fit, scoring, [], {});
    const after = summarise(restored.fit, restored.scoring, [], {});
    expect(after.records).toBe(3000);
    expect(after.templates).toEqual(before.templates);
    expect(after.unitRows).toEqual(before.unitRows);
    expect(after.threshold).toBe(before.threshold);
    expect(after.timeline).toEqual(before.timeline);
    expect(Array.from(restored.scoring.scores.line)).toEqual(Array.from(scoring.scores.line));
    expect(restored.fit.records.target.raw).toEqual(fit.records.target.raw);
    expect(restored.fit.records.target.message).toEqual(fit.records.target.message);
    // The re-fitted forest is the one that scored the texts: explanations stay consistent.
    const n = fit.records.targetTexts.texts.length;
    const rescored = scoreWithForest(restored.scoring.scores.forest, restored.fit.evidence.vectors, n, {
      ...restored.fit.records.targetTexts,
      selfIndex: Int32Array.from({ length: n }, (_, i) => i),
      surprise: restored.fit.evidence.surprise,
    });
    expect(Array.from(rescored)).toEqual(Array.from(scoring.scores.textForest));
  });

  it('without the lines, each record shows its masked text', async () => {
    const { fit, scoring } = await analysed(generated(800));
    const restored = restoreSnapshot(await snapshotOf(fit, scoring));
    expect(restored.hasLines).toBe(false);
    const t = fit.records.target;
    expect(restored.fit.records.target.raw[10]).toBe(fit.records.targetTexts.texts[t.textIndex[10]]);
  });

  it('keeps session scores and groups, and a reference log', async () => {
    const s = settings({ unit: 'window', window: { kind: 'count', size: 100, step: 50 } });
    const { fit, scoring } = await analysed(generated(1500, 9), s, generated(1500, 3));
    const restored = restoreSnapshot(await snapshotOf(fit, scoring));
    expect(restored.fit.records.reference?.texts.texts).toEqual(fit.records.reference?.texts.texts);
    expect(Array.from(restored.scoring.scores.unit)).toEqual(Array.from(scoring.scores.unit));
    expect(restored.scoring.windows.keys).toEqual(scoring.windows.keys);
  });

  describe('refuses damaged snapshots with a readable error', () => {
    let good: AnalysisSnapshot;
    const clone = (): AnalysisSnapshot => ({
      meta: structuredClone(good.meta),
      columns: { ...good.columns },
      strings: { ...good.strings },
    });
    const refuse = (s: unknown, pattern: RegExp) => expect(() => restoreSnapshot(s)).toThrow(pattern);

    it('checks the schema, lengths and index ranges', async () => {
      const { fit, scoring } = await analysed(generated(600));
      good = await snapshotOf(fit, scoring, { includeLines: true });
      expect(() => restoreSnapshot(good)).not.toThrow();
      refuse(null, /not a saved analysis/);
      let s = clone();
      (s.meta as { version: number }).version = 3;
      refuse(s, /damaged at "version"/);
      s = clone();
      s.meta.settings.forest.nEstimators = 1e9;
      refuse(s, /settings\.forest\.nEstimators/);
      s = clone();
      (s.meta as Record<string, unknown>).__proto__ = { polluted: true };
      refuse(s, /Unrecognized key: "polluted"/);
      s = clone();
      s.meta = JSON.parse(JSON.stringify(s.meta).replace('"format"', '"__proto__":{"x":1},"format"'));
      refuse(s, /damaged/);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      s = clone();
      const textIndex = new Uint32Array(good.columns['target.textIndex']);
      textIndex[5] = 1e6;
      s.columns['target.textIndex'] = textIndex;
      refuse(s, /target\.textIndex" value 5 is 1000000/);
      s = clone();
      s.columns['evidence.vectors'] = good.columns['evidence.vectors'].subarray(1);
      refuse(s, /evidence\.vectors" has/);
      s = clone();
      const vectors = new Float32Array(good.columns['evidence.vectors']);
      vectors[3] = Infinity;
      s.columns['evidence.vectors'] = vectors;
      refuse(s, /value 3 is Infinity/);
      s = clone();
      s.columns['target.level'] = new Uint16Array(good.meta.counts.records);
      refuse(s, /not a Uint8Array/);
      s = clone();
      s.columns['evil'] = new Uint8Array(1);
      refuse(s, /unknown column "evil"/);
      s = clone();
      s.strings['texts.texts'] = good.strings['texts.texts'].slice(1);
      refuse(s, /texts\.texts" has/);
      s = clone();
      s.meta.counts.records = 5e7 + 1;
      refuse(s, /counts\.records/);
    });
  });
});
