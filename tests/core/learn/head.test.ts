import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/core/detect/random';
import { averagePrecision, rocAuc } from '../../../src/core/evaluate';
import {
  blendScores,
  BACKGROUND_SAMPLE,
  countLabels,
  groupFeatures,
  groupKeys,
  lineFeatures,
  FeatureError,
  groupLabels,
  headKindFor,
  learnFromLabels,
  lineLabelsWithTemplates,
  labelsOfUnits,
  MLP_MIN_PER_CLASS,
  pairAuc,
  prepareFeatures,
  rankingChange,
  scoreWithHead,
  suggestLabels,
  tailShares,
  trainHead,
  trainingSet,
  type UnitFeatures,
} from '../../../src/core/learn';

/**
 * A generated log seen as units: each unit is a line of a template (its text's vector is the
 * template's centre plus noise), with evidence columns the way the detectors give them. Normal
 * templates 0..7; anomalous templates 8..10 (2 % of lines). The unsupervised score finds the
 * anomalies only partly: templates 6 and 7 are rare normal templates that it ranks as high as the
 * anomalies (the false alarms an analyst dismisses), and it is noisy.
 */
interface GeneratedLog {
  features: UnitFeatures;
  unsupervised: Float32Array;
  truth: Int8Array;
  template: Int32Array;
}

function generatedLog(seed: number, count = 3000, dims = 24): GeneratedLog {
  const random = createRandom(seed);
  const gaussian = (): number => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const templates = 11;
  const centres = Float32Array.from({ length: templates * dims }, () => gaussian());
  // Anomalous templates share a direction (errors look alike to the encoder).
  for (let t = 8; t < templates; t++) for (let d = 0; d < 4; d++) centres[t * dims + d] += 3;
  const template = new Int32Array(count);
  const truth = new Int8Array(count);
  for (let u = 0; u < count; u++) {
    const r = random();
    template[u] = r < 0.02 ? 8 + Math.floor(random() * 3) : r < 0.05 ? 6 + Math.floor(random() * 2) : Math.floor(random() * 6);
    truth[u] = template[u] >= 8 ? 1 : 0;
  }
  const vectors = new Float32Array(count * dims);
  for (let u = 0; u < count; u++) {
    for (let d = 0; d < dims; d++) vectors[u * dims + d] = centres[template[u] * dims + d] + 0.3 * gaussian();
  }
  const rarity = Float64Array.from(template, (t) => (t >= 6 ? 4 : 1) + 0.2 * gaussian());
  const level = Float64Array.from(template, (t) => (t >= 8 ? 6 : t === 7 ? 6 : 3));
  const unsupervised = Float32Array.from(template, (t) => (t >= 6 ? 0.7 : 0.3) + 0.15 * gaussian());
  return {
    features: {
      count,
      vectors,
      dims,
      evidence: [
        { name: 'unsupervised', values: unsupervised },
        { name: 'templateRarity', values: rarity },
        { name: 'level', values: level },
      ],
    },
    unsupervised,
    truth,
    template,
  };
}

/** AP of `scores` on the units the analyst has not labelled. */
function apOnUnlabelled(scores: ArrayLike<number>, truth: Int8Array, labels: Int8Array): number {
  const y = Int8Array.from(truth, (v, u) => (labels[u] >= 0 ? -1 : v));
  return averagePrecision(scores, y);
}

/** The analyst labels `k` units from the suggestions, the head retrained after each. */
function labelFromSuggestions(log: GeneratedLog, k: number, seed: number): Int8Array {
  const prepared = prepareFeatures(log.features);
  const clicks = new Int8Array(log.truth.length).fill(-1);
  let labels: Int8Array = clicks.slice();
  for (let i = 0; i < k; i++) {
    const result = learnFromLabels(prepared, labels, log.unsupervised, { seed, judgementOf: log.template });
    const [next] = suggestLabels({ unsupervised: log.unsupervised, labels, learned: result.learned, diversityKey: log.template });
    clicks[next.unit] = log.truth[next.unit];
    labels = lineLabelsWithTemplates(log.template, clicks);
  }
  return labels;
}

describe('the head on generated data with known anomalies', () => {
  it('a few suggested labels improve AP on the units not labelled', () => {
    for (const seed of [1, 2]) {
      const log = generatedLog(seed);
      const labels = labelFromSuggestions(log, 10, seed);
      const { anomalous, normal } = countLabels(labels);
      expect(anomalous).toBeGreaterThan(0);
      expect(normal).toBeGreaterThan(0);
      const result = learnFromLabels(prepareFeatures(log.features), labels, log.unsupervised, { seed, judgementOf: log.template });
      const before = apOnUnlabelled(log.unsupervised, log.truth, labels);
      const after = apOnUnlabelled(result.blended, log.truth, labels);
      // The unsupervised score alone is poor here; the labels' own units removed it is better, and
      // the blend on the same units far better still.
      expect(averagePrecision(log.unsupervised, log.truth)).toBeLessThan(0.6);
      expect(after).toBeGreaterThan(before + 0.05);
      expect(after).toBeGreaterThan(0.9);
      expect(result.head).toBeDefined();
      expect(result.weightFrom).toMatch(/labels|default/);
    }
  });

  it('is deterministic for a seed', () => {
    const log = generatedLog(3, 1500);
    const labels = labelFromSuggestions(log, 12, 5);
    const a = learnFromLabels(prepareFeatures(log.features), labels, log.unsupervised, { seed: 5 });
    const b = learnFromLabels(prepareFeatures(log.features), labels, log.unsupervised, { seed: 5 });
    expect(Array.from(b.learned!)).toEqual(Array.from(a.learned!));
    expect(Array.from(b.blended)).toEqual(Array.from(a.blended));
    expect(b.weight).toBe(a.weight);
  });

  it('learns from a heavily imbalanced set: 2 anomalies against 60 normal labels', () => {
    const log = generatedLog(4);
    const labels = new Int8Array(log.truth.length).fill(-1);
    const anomalies = Array.from(log.truth.keys())
      .filter((u) => log.template[u] === 8)
      .slice(0, 2);
    const normals = Array.from(log.truth.keys())
      .filter((u) => log.truth[u] === 0)
      .slice(0, 60);
    for (const u of anomalies) labels[u] = 1;
    for (const u of normals) labels[u] = 0;
    const prepared = prepareFeatures(log.features);
    const head = trainHead(prepared, labels, { seed: 1 })!;
    expect(head.kind).toBe('logistic');
    expect(head.anomalous).toBe(2);
    const learned = scoreWithHead(head, prepared);
    // Class weights: the rare class is not drowned, its own labels score above the boundary.
    for (const u of anomalies) expect(learned[u]).toBeGreaterThan(0.5);
    // Unlabelled lines of the labelled anomalous template rank above nearly all normal lines.
    const y = Int8Array.from(log.truth, (v, u) => (labels[u] >= 0 || (v === 1 && log.template[u] !== 8) ? -1 : v));
    expect(rocAuc(learned, y)).toBeGreaterThan(0.95);
  });

  it('uses the MLP from MLP_MIN_PER_CLASS labels of each class, with early stopping', () => {
    expect(headKindFor(MLP_MIN_PER_CLASS - 1, 100)).toBe('logistic');
    expect(headKindFor(MLP_MIN_PER_CLASS, MLP_MIN_PER_CLASS)).toBe('mlp');
    const log = generatedLog(5);
    const labels = new Int8Array(log.truth.length).fill(-1);
    Array.from(log.truth.keys())
      .filter((u) => log.truth[u] === 1)
      .slice(0, 10)
      .forEach((u) => (labels[u] = 1));
    Array.from(log.truth.keys())
      .filter((u) => log.truth[u] === 0)
      .slice(0, 30)
      .forEach((u) => (labels[u] = 0));
    const prepared = prepareFeatures(log.features);
    const result = learnFromLabels(prepared, labels, log.unsupervised, { seed: 2 });
    expect(result.head!.kind).toBe('mlp');
    expect(result.head!.hidden).toBeGreaterThan(0);
    expect(result.head!.heldOut).toBeGreaterThan(0);
    expect(result.head!.iterations).toBeLessThanOrEqual(300);
    const y = Int8Array.from(log.truth, (v, u) => (labels[u] >= 0 ? -1 : v));
    expect(rocAuc(result.learned!, y)).toBeGreaterThan(0.95);
  });

  it('one class only: no head, and the blended ranking is the unsupervised one', () => {
    const log = generatedLog(6);
    const prepared = prepareFeatures(log.features);
    for (const only of [0, 1]) {
      const labels = new Int8Array(log.truth.length).fill(-1);
      Array.from(log.truth.keys())
        .filter((u) => log.truth[u] === only)
        .slice(0, 15)
        .forEach((u) => (labels[u] = only));
      const result = learnFromLabels(prepared, labels, log.unsupervised, { seed: 1 });
      expect(result.head).toBeUndefined();
      expect(result.learned).toBeUndefined();
      expect(result.weightFrom).toBe('no head');
      expect(rankingChange(log.unsupervised, result.blended, 100).movedIn).toBe(0);
      const order = (s: ArrayLike<number>): number[] => Array.from({ length: s.length }, (_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
      expect(order(result.blended)).toEqual(order(log.unsupervised));
    }
  });

  it("takes the analyst's weight over the one chosen from the labels", () => {
    const log = generatedLog(7, 1500);
    const labels = labelFromSuggestions(log, 10, 1);
    const prepared = prepareFeatures(log.features);
    const chosen = learnFromLabels(prepared, labels, log.unsupervised, { seed: 1 });
    const unsupervisedOnly = learnFromLabels(prepared, labels, log.unsupervised, { seed: 1, weight: 0 });
    const learnedOnly = learnFromLabels(prepared, labels, log.unsupervised, { seed: 1, weight: 1 });
    expect(unsupervisedOnly.weightFrom).toBe('analyst');
    expect(rankingChange(log.unsupervised, unsupervisedOnly.blended, 200).movedIn).toBe(0);
    expect(rankingChange(chosen.learned!, learnedOnly.blended, 200).movedIn).toBe(0);
    expect(chosen.choice?.folds).toBeGreaterThanOrEqual(0);
  });
});

describe('features and bad input', () => {
  const good = (): UnitFeatures => ({
    count: 3,
    dims: 2,
    vectors: Float32Array.from([1, 0, 0, 1, 1, 1]),
    evidence: [{ name: 'surprise', values: [0.1, 0.2, 0.3] }],
  });

  it('rejects NaN and infinite features with the column and unit named', () => {
    const f = good();
    f.evidence[0].values = [0.1, Number.NaN, 0.3];
    expect(() => prepareFeatures(f)).toThrow(FeatureError);
    expect(() => prepareFeatures(f)).toThrow(/"surprise" is NaN at unit 1/);
    const v = good();
    v.vectors[3] = Number.POSITIVE_INFINITY;
    expect(() => prepareFeatures(v)).toThrow(/vector row 1 holds Infinity at dim 1/);
  });

  it('rejects mismatched lengths, rows out of range, duplicate columns and bad labels', () => {
    expect(() => prepareFeatures({ ...good(), evidence: [{ name: 'x', values: [1, 2] }] })).toThrow(/2 values for 3 units/);
    expect(() => prepareFeatures({ ...good(), vectorRow: [0, 1, 5] })).toThrow(/vector row 5/);
    expect(() => prepareFeatures({ ...good(), vectors: new Float32Array(5) })).toThrow(/not a multiple/);
    expect(() =>
      prepareFeatures({
        ...good(),
        evidence: [
          { name: 'x', values: [1, 2, 3] },
          { name: 'x', values: [1, 2, 3] },
        ],
      }),
    ).toThrow(/given twice/);
    const prepared = prepareFeatures(good());
    expect(() => trainHead(prepared, [1, 0, 2])).toThrow(/label of unit 2 is 2/);
    expect(() => trainHead(prepared, [1, 0])).toThrow(/2 labels for 3 units/);
    expect(() => blendScores([0.1, 0.2, 0.3], [0.1, Number.NaN, 0.3], 0.5)).toThrow(/unsupervised score of unit 1 is NaN/);
    expect(() => blendScores([0.1, 0.2, 0.3], [0.1, 0.2, 0.3], 1.5)).toThrow(/weight must lie in \[0, 1\]/);
    expect(() => learnFromLabels(prepared, [1, 0, -1], [0.1, 0.2])).toThrow(/2 unsupervised scores for 3 units/);
  });

  it('a head refuses features of another layout', () => {
    const log = generatedLog(8, 400);
    const prepared = prepareFeatures(log.features);
    const labels = Int8Array.from(log.truth, (v, u) => (u < 200 ? v : -1));
    const head = trainHead(prepared, labels)!;
    const other = prepareFeatures({ ...log.features, evidence: log.features.evidence.slice(1) });
    expect(() => scoreWithHead(head, other)).toThrow(/trained on/);
  });

  it('lines sharing a text share a vector row, and identical labelled rows count once', () => {
    const features: UnitFeatures = {
      count: 6,
      dims: 2,
      vectors: Float32Array.from([0, 1, 1, 0]),
      vectorRow: [0, 0, 0, 1, 1, 1],
      evidence: [{ name: 'level', values: [3, 3, 3, 6, 6, 6] }],
    };
    const prepared = prepareFeatures(features);
    expect(prepared.rows).toBe(2);
    const set = trainingSet(prepared, [0, 0, 0, 1, 1, -1], 1, 0);
    expect(set.units.length).toBe(2);
    expect([set.normal, set.anomalous]).toEqual([1, 1]);
  });

  it('the background of unlabelled units weighs as much as the normal labels', () => {
    const log = generatedLog(9, 2000);
    const prepared = prepareFeatures(log.features);
    const labels = new Int8Array(log.truth.length).fill(-1);
    for (let u = 0; u < 40; u++) labels[u] = log.truth[u];
    const set = trainingSet(prepared, labels, 1);
    let background = 0;
    let normalWeight = 0;
    set.background.forEach((b, i) => {
      if (b) background += set.weight[i];
      else if (set.y[i] === 0) normalWeight += set.weight[i];
    });
    expect(set.background.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(BACKGROUND_SAMPLE);
    expect(background).toBeCloseTo(Math.max(1, normalWeight), 6);
    for (let i = 0; i < set.units.length; i++) if (set.background[i]) expect(labels[set.units[i]]).toBe(-1);
  });
});

describe('the blend', () => {
  it('tail shares: mid-ranks for ties, top unit of n at 0.5/n', () => {
    expect(Array.from(tailShares([5, 1, 5, 3]))).toEqual([0.25, 0.875, 0.25, 0.625]);
    expect(tailShares([9, 1, 2, 3])[0]).toBe(0.5 / 4);
  });

  it('a unit far out on one score stays near the top (geometric mean of tail shares)', () => {
    const n = 1000;
    const learned = Float32Array.from({ length: n }, (_, i) => i);
    const unsupervised = Float32Array.from({ length: n }, (_, i) => n - i);
    // Unit 0 is the top unsupervised unit and the bottom learned one; unit 500 is middling on both.
    unsupervised[500] = n + 0.5;
    learned[0] = n + 1;
    const blended = blendScores(learned, unsupervised, 0.5);
    expect(blended[0]).toBeGreaterThan(blended[500]);
    const atZero = blendScores(learned, unsupervised, 0);
    expect(rankingChange(unsupervised, atZero, 50).movedIn).toBe(0);
  });

  it('pair AUC counts ties half and weighs pairs', () => {
    expect(pairAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(pairAuc([1, 1, 3, 4], [0, 1, 1, 0])).toBe(0.375);
    expect(pairAuc([1, 2, 3], [0, 1, 0], [1, 1, 3])).toBe(0.25);
    expect(pairAuc([1, 2], [1, 1])).toBeNaN();
  });

  it('ranking change counts the units that moved into the top', () => {
    const before = [9, 8, 7, 6, 5, 4];
    const after = [9, 1, 7, 6, 5, 8];
    const change = rankingChange(before, after, 3);
    expect(change.movedIn).toBe(1);
    expect(Array.from(change.movedInUnits)).toEqual([5]);
    expect(() => rankingChange([1, 2], [1], 1)).toThrow(/cannot be compared/);
  });
});

describe('label propagation', () => {
  const templates = Int32Array.from([0, 0, 0, 1, 1, 2, 2]);

  it('a normal line label spreads to its template by default, an anomalous one does not', () => {
    const clicks = Int8Array.from([0, -1, -1, 1, -1, -1, -1]);
    expect(Array.from(lineLabelsWithTemplates(templates, clicks))).toEqual([0, 0, 0, 1, -1, -1, -1]);
    expect(Array.from(lineLabelsWithTemplates(templates, clicks, { normal: false, anomalous: true }))).toEqual([0, -1, -1, 1, 1, -1, -1]);
  });

  it("the analyst's own line labels win; a template labelled both ways spreads nothing", () => {
    const clicks = Int8Array.from([0, 1, -1, -1, -1, 0, -1]);
    const out = lineLabelsWithTemplates(
      templates,
      clicks,
      { normal: true, anomalous: true },
      new Map([
        [1, 1 as const],
        [2, 1 as const],
      ]),
    );
    expect(Array.from(out)).toEqual([0, 1, -1, 1, 1, 0, 1]);
  });

  it('a session label applies to its unit; otherwise it follows its lines', () => {
    const groups = {
      keys: ['blk_1', 'blk_2', 'blk_3', 'blk_4'],
      starts: Uint32Array.from([0, 2, 4, 6, 6]),
      members: Uint32Array.from([0, 1, 2, 3, 4, 5]),
    };
    const lineLabels = Int8Array.from([0, 0, 0, 1, -1, 0]);
    expect(Array.from(groupLabels(groups, new Map([['blk_1', 1 as const]]), lineLabels))).toEqual([1, 1, -1, -1]);
    expect(Array.from(groupLabels(groups, new Map(), lineLabels))).toEqual([0, 1, -1, -1]);
    expect(Array.from(groupLabels(groups, new Map(), lineLabels, { fromLines: false }))).toEqual([-1, -1, -1, -1]);
    expect(() => groupLabels({ ...groups, starts: Uint32Array.from([0, 2]) }, new Map())).toThrow(/starts/);
    expect(() => lineLabelsWithTemplates(templates, [0, 1, 2, -1, -1, -1, -1])).toThrow(/line 2 has label 2/);
  });

  it('unit labels from clicks', () => {
    expect(
      Array.from(
        labelsOfUnits(
          4,
          new Map([
            [1, 1 as const],
            [3, 0 as const],
          ]),
        ),
      ),
    ).toEqual([-1, 1, -1, 0]);
    expect(() => labelsOfUnits(2, new Map([[2, 1 as const]]))).toThrow(/outside/);
  });
});

describe('suggestions', () => {
  it('without a head: the top unsupervised units, no two from one template, labelled and reviewed skipped', () => {
    const unsupervised = [0.9, 0.95, 0.8, 0.7, 0.6, 0.5, 0.4];
    const diversityKey = [1, 1, 2, 2, 3, 4, 5];
    const labels = [-1, -1, -1, -1, 0, -1, -1];
    const reviewed = [0, 0, 0, 0, 0, 1, 0];
    const out = suggestLabels({ unsupervised, labels, diversityKey, reviewed, limit: 10 });
    expect(out.map((s) => s.unit)).toEqual([1, 2, 6]);
    expect(out.every((s) => s.reason === 'top anomaly')).toBe(true);
  });

  it('with a head: uncertain and top anomalies interleaved, at most 10, spread over templates', () => {
    const log = generatedLog(10, 2000);
    const labels = labelFromSuggestions(log, 8, 1);
    const prepared = prepareFeatures(log.features);
    const result = learnFromLabels(prepared, labels, log.unsupervised, { seed: 1 });
    expect(result.learned).toBeDefined();
    const diversityKey = Int32Array.from(log.template, (t, u) => t * 1000 + (u % 50));
    const out = suggestLabels({ unsupervised: log.unsupervised, labels, learned: result.learned, diversityKey });
    expect(out.length).toBe(10);
    expect(out[0].reason).toBe('uncertain');
    expect(out[1].reason).toBe('top anomaly');
    expect(new Set(out.map((s) => diversityKey[s.unit])).size).toBe(out.length);
    expect(new Set(out.map((s) => s.unit)).size).toBe(out.length);
    for (const s of out) expect(labels[s.unit]).toBe(-1);
    const uncertain = out.filter((s) => s.reason === 'uncertain').map((s) => s.value);
    expect(uncertain).toEqual([...uncertain].sort((a, b) => a - b));
  });

  it('rejects NaN scores and mismatched arrays', () => {
    expect(() => suggestLabels({ unsupervised: [0.1, Number.NaN], labels: [-1, -1] })).toThrow(/unit 1 is NaN/);
    expect(() => suggestLabels({ unsupervised: [0.1, 0.2], labels: [-1] })).toThrow(/labels has 1 entries/);
  });
});

describe('unit features from an analysis', () => {
  const lines = { vectors: Float32Array.from([1, 0, 0, 1, 1, 1]), dims: 2, textIndex: Uint32Array.from([0, 1, 1, 2, 0, 0, 0]), count: 5 };

  it('lines point at their text vector row', () => {
    const f = lineFeatures(lines, [{ name: 'level', values: [3, 3, 6, 3, 3] }]);
    expect(Array.from(f.vectorRow!)).toEqual([0, 1, 1, 2, 0]);
    expect(prepareFeatures(f).rows).toBe(3);
    expect(() => lineFeatures({ ...lines, count: 9 }, [])).toThrow(/textIndex has 7 entries for 9 lines/);
  });

  it('a session takes the mean of its lines, their highest evidence and its size; its key is its top line’s template', () => {
    const groups = { keys: ['a', 'b', 'c'], starts: Uint32Array.from([0, 2, 5, 5]), members: Uint32Array.from([0, 1, 2, 3, 4]) };
    const f = groupFeatures(
      groups,
      lines,
      [{ name: 'unsupervised', values: [0.9, 0.1, 0] }],
      [{ name: 'surprise', values: [1, 5, 2, 7, 3] }],
    );
    expect(f.count).toBe(3);
    expect(Array.from(f.vectors)).toEqual(Array.from(Float32Array.from([0.5, 0.5, 2 / 3, 2 / 3, 0, 0])));
    expect(f.evidence.map((c) => c.name)).toEqual(['unsupervised', 'max surprise', 'log lines']);
    expect(Array.from(f.evidence[1].values)).toEqual([5, 7, 0]);
    expect(f.evidence[2].values[1]).toBeCloseTo(Math.log(4));
    expect(Array.from(groupKeys(groups, [0.1, 0.9, 0.2, 0.3, 0.8], [10, 11, 12, 13, 14]))).toEqual([11, 14, -1]);
    expect(() => groupFeatures({ ...groups, members: Uint32Array.from([0, 1, 2, 3, 9]) }, lines, [], [])).toThrow(/names line 9/);
  });
});
