import { describe, expect, it } from 'vitest';
import { readInput, withEvidence } from '../../../src/core/analysis/fit';
import { scoreFit } from '../../../src/core/analysis/scoring';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../../src/core/analysis/types';
import { labelNext, learnScoring, scoringWithHead } from '../../../src/core/analysis/learning';
import { learningFeatures } from '../../../src/core/analysis/learningFeatures';
import { restoreLearning, savedLearningOf, type SavedLearning } from '../../../src/core/analysis/savedLearning';
import { generateLog } from '../../../src/core/generate';
import { FeatureError } from '../../../src/core/learn';
import { restoreSnapshot } from '../../../src/core/analysis/restoreSnapshot';
import { snapshotOf } from '../../../src/core/analysis/snapshot';

async function analysed(seed: number, lines: number, over: Partial<AnalysisSettings> = {}) {
  const generated = Array.from(generateLog({ seed, lines, layout: 'iso' }));
  const text = generated.map((l) => l.text).join('\n') + '\n';
  const s: AnalysisSettings = { ...DEFAULT_SETTINGS, ...over };
  const signal = new AbortController().signal;
  const base = await readInput(
    [{ name: 'app.log', data: new Blob([text]), role: 'target', size: text.length }],
    s,
    undefined,
    () => undefined,
    signal,
  );
  // No encoder: TF-IDF vectors stand in for the model's (the head treats them alike).
  const fit = await withEvidence(base, undefined, undefined, () => undefined, signal);
  const scoring = await scoreFit(fit, {
    detector: s.detector,
    unit: s.unit,
    forest: s.forest,
    window: s.window,
    sessionRegex: s.sessionRegex,
  });
  const truth = Int8Array.from({ length: fit.records.target.count }, (_, i) =>
    generated[fit.records.target.lineNumber[i]].anomaly ? 1 : 0,
  );
  return { fit, scoring, truth };
}

describe('learning from the analyst (analysis/learning.ts)', () => {
  it('a noise verdict sinks its template, an incident verdict lifts the lines like it; the unsupervised scoring is kept', async () => {
    const { fit, scoring, truth } = await analysed(11, 3000);
    const t = fit.records.target;
    const s0 = scoring.scores.unit;
    const byScore = Array.from(truth.keys()).sort((a, b) => s0[b] - s0[a] || a - b);
    // The analyst dismisses the highest-scored false alarm and confirms the lowest-ranked true
    // anomaly whose template has other anomalous lines.
    const noise = byScore.find((u) => truth[u] === 0)!;
    const anomalyTemplates = new Map<number, number>();
    for (let u = 0; u < truth.length; u++)
      if (truth[u] === 1) anomalyTemplates.set(t.templateId[u], (anomalyTemplates.get(t.templateId[u]) ?? 0) + 1);
    const incident = [...byScore].reverse().find((u) => truth[u] === 1 && anomalyTemplates.get(t.templateId[u])! > 1)!;
    const verdicts = new Int8Array(truth.length).fill(-1);
    verdicts[noise] = 0;
    verdicts[incident] = 1;
    const learned = learnScoring(fit, scoring, { line: verdicts });
    expect(learned.summary.trained).toBe(true);
    expect(learned.summary.anomalous).toBe(1);
    // The normal verdict spread over its template.
    expect(learned.summary.normal).toBeGreaterThan(1);
    const s1 = learned.scoring.scores.unit;
    const meanRank = (scores: ArrayLike<number>, units: number[]): number => {
      const order = Array.from(truth.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
      const rank = new Map(order.map((u, r) => [u, r]));
      return units.reduce((sum, u) => sum + rank.get(u)!, 0) / units.length;
    };
    const noiseLines = Array.from(truth.keys()).filter((u) => t.templateId[u] === t.templateId[noise]);
    const incidentLike = Array.from(truth.keys()).filter(
      (u) => u !== incident && truth[u] === 1 && t.templateId[u] === t.templateId[incident],
    );
    expect(meanRank(s1, noiseLines)).toBeGreaterThan(meanRank(s0, noiseLines));
    expect(meanRank(s1, incidentLike)).toBeLessThan(meanRank(s0, incidentLike));
    // Every view reads the blended scoring: its lines and unit follow the blend; texts take their worst line.
    expect(learned.scoring.scores.line).toBe(learned.blended);
    expect(learned.scoring.scores.unit).toBe(learned.blended);
    expect(learned.scoring.scores.text[t.textIndex[incident]]).toBeGreaterThanOrEqual(learned.blended![incident]);
    expect(learned.summary.movedIntoTop).toBeGreaterThan(0);
    // The unsupervised scoring is untouched and kept beside it.
    expect(learned.unsupervised).toBe(scoring);
    expect(scoring.scores.unit).toBe(s0);
    // The blended threshold flags the share the unsupervised one flagged (within ties).
    const flagged = (s: ArrayLike<number>, th: number) => Array.prototype.filter.call(s, (v: number) => v >= th).length;
    expect(learned.scoring.scores.threshold).toBeGreaterThan(0);
    expect(learned.scoring.scores.threshold).toBeLessThan(1);
    expect(Math.abs(flagged(s1, learned.scoring.scores.threshold) - flagged(s0, scoring.scores.threshold))).toBeLessThanOrEqual(2);
    // The "Label next" list: at most 10, none labelled, no two of one template.
    const next = labelNext(fit, learned);
    expect(next.length).toBeGreaterThan(0);
    expect(next.length).toBeLessThanOrEqual(10);
    expect(next.every((x) => learned.labels[x.unit] < 0)).toBe(true);
    expect(new Set(next.map((x) => t.templateId[x.unit])).size).toBe(next.length);
  });

  it('labels of one class only train no head: the unsupervised scoring stays', async () => {
    const { fit, scoring, truth } = await analysed(12, 1500);
    const verdicts = new Int8Array(truth.length).fill(-1);
    const normal = Array.from(truth.keys())
      .filter((u) => truth[u] === 0)
      .slice(0, 5);
    normal.forEach((u) => (verdicts[u] = 0));
    const learned = learnScoring(fit, scoring, { line: verdicts });
    expect(learned.summary.trained).toBe(false);
    expect(learned.summary.weightFrom).toBe('no head');
    expect(learned.scoring).toBe(scoring);
    expect(learned.head).toBeUndefined();
    // The normal label spread over each labelled line's template.
    expect(learned.summary.normal).toBeGreaterThan(normal.length);
  });

  it('a saved head and weight give the same blended ranking without retraining; features are cached', async () => {
    const { fit, scoring, truth } = await analysed(13, 2000);
    const verdicts = new Int8Array(truth.length).fill(-1);
    const anomalies = Array.from(truth.keys())
      .filter((u) => truth[u] === 1)
      .slice(0, 3);
    anomalies.forEach((u) => (verdicts[u] = 1));
    const normals = Array.from(truth.keys())
      .filter((u) => truth[u] === 0)
      .slice(0, 3);
    normals.forEach((u) => (verdicts[u] = 0));
    const first = learnScoring(fit, scoring, { line: verdicts }, { weight: 0.7 });
    expect(first.summary.weightFrom).toBe('analyst');
    expect(first.summary.weight).toBe(0.7);
    expect(learningFeatures(fit, scoring)).toBe(learningFeatures(fit, scoring));
    const again = scoringWithHead(fit, scoring, first.head!, 0.7);
    expect(Array.from(again.scoring.scores.unit)).toEqual(Array.from(first.scoring.scores.unit));
    expect(again.scoring.scores.threshold).toBe(first.scoring.scores.threshold);
    // Through JSON, as a saved analysis or bundle keeps it.
    const saved = JSON.parse(JSON.stringify(savedLearningOf(first))) as SavedLearning;
    const restored = restoreLearning(fit, scoring, saved);
    expect(Array.from(restored.scoring.scores.unit)).toEqual(Array.from(first.scoring.scores.unit));
    expect(restored.summary).toMatchObject({ trained: true, weight: 0.7, weightFrom: 'analyst', movedIntoTop: first.summary.movedIntoTop });
    // A damaged or foreign head is refused, not applied.
    expect(() =>
      restoreLearning(fit, scoring, { ...saved, head: { ...saved.head, inputWeights: saved.head.inputWeights.slice(1) } }),
    ).toThrow(FeatureError);
    expect(() => restoreLearning(fit, scoring, { ...saved, head: { ...saved.head, bias: Number.NaN } })).toThrow(FeatureError);
    expect(() => restoreLearning(fit, scoring, { ...saved, unit: 'session' })).toThrow(/ranks sessions/);
    expect(savedLearningOf(learnScoring(fit, scoring, {}))).toBeUndefined();
  });

  it('a saved analysis of a blended scoring reopens with the same blended ranking and threshold, without retraining', async () => {
    const { fit, scoring, truth } = await analysed(15, 2000);
    const verdicts = new Int8Array(truth.length).fill(-1);
    verdicts[Array.from(truth.keys()).find((u) => truth[u] === 1)!] = 1;
    verdicts[Array.from(truth.keys()).find((u) => truth[u] === 0)!] = 0;
    const learned = learnScoring(fit, scoring, { line: verdicts }, { weight: 0.8 });
    const restored = restoreSnapshot(await snapshotOf(fit, learned.scoring, { includeLines: false }));
    expect(Array.from(restored.scoring.scores.unit)).toEqual(Array.from(learned.scoring.scores.unit));
    expect(restored.scoring.scores.threshold).toBe(learned.scoring.scores.threshold);
  });

  it('sessions learn from session verdicts; a bad weight is refused', async () => {
    const { fit, scoring } = await analysed(14, 3000, { unit: 'session' });
    expect(scoring.sessions).toBeDefined();
    const keys = scoring.sessions!.keys;
    const order = Array.from(keys.keys()).sort((a, b) => scoring.scores.unit[b] - scoring.scores.unit[a]);
    // Top two called noise, a low one called the incident: the head must lift it.
    const incident = order[order.length - 5];
    const session = new Map<string, 0 | 1>([
      [keys[order[0]], 0],
      [keys[order[1]], 0],
      [keys[incident], 1],
    ]);
    const learned = learnScoring(fit, scoring, { session });
    expect(learned.summary.trained).toBe(true);
    expect(learned.scoring.scores.session).toBe(learned.blended);
    const rank = (s: ArrayLike<number>, u: number) => Array.prototype.filter.call(s, (v: number) => v > s[u]).length;
    expect(rank(learned.scoring.scores.unit, incident)).toBeLessThan(rank(scoring.scores.unit, incident));
    expect(() => learnScoring(fit, scoring, { session }, { weight: 1.5 })).toThrow(FeatureError);
  });
});
