import { describe, expect, it } from 'vitest';
import { buildRecords } from '../../../src/core/analysis/records';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { generateLog } from '../../../src/core/generate';
import { Random } from '../../../src/core/generate/random';
import { MAX_VOCABULARY, generateWideLog, vocabularyMessage } from '../../../src/core/generate/vocabulary';

const settings = { layoutFormat: undefined, masks: DEFAULT_SETTINGS.masks };

async function distinctTexts(text: string): Promise<{ records: number; texts: number }> {
  const data = new Blob([text]);
  const result = await buildRecords([{ name: 'wide.log', data, role: 'target', size: data.size }], settings);
  return { records: result.target.count, texts: result.targetTexts.texts.length };
}

describe('generateWideLog: a log with many distinct masked texts', () => {
  it('writes exactly the lines asked for, the ordinary log in order between vocabulary lines, deterministically', () => {
    const options = { seed: 11, lines: 5000, layout: 'iso' as const, vocabulary: 20_000, share: 0.4 };
    const wide = [...generateWideLog(options)];
    expect(wide).toHaveLength(5000);
    expect([...generateWideLog(options)].map((l) => l.text)).toEqual(wide.map((l) => l.text));
    // The ordinary lines are untouched and complete: anomalies and sessions keep their labels.
    const ordinary = [...generateLog({ seed: 11, lines: 3000, layout: 'iso' })].map((l) => l.text);
    const vocabularyLines = new Set(wide.filter((l) => !ordinary.includes(l.text)).map((l) => l.text));
    expect(wide.filter((l) => ordinary.includes(l.text)).map((l) => l.text)).toEqual(ordinary);
    expect(wide.length - 3000).toBe(2000);
    expect(vocabularyLines.size).toBeGreaterThan(1500);
    // Spread evenly: each tenth of the log holds its share of vocabulary lines, not all at the end.
    for (let tenth = 0; tenth < 10; tenth++) {
      const slice = wide.slice(tenth * 500, (tenth + 1) * 500);
      expect(slice.filter((l) => vocabularyLines.has(l.text)).length).toBeGreaterThan(150);
    }
    // Times never go backwards (the vocabulary line takes the time of the line before it).
    for (let i = 1; i < wide.length; i++) expect(wide[i].time).toBeGreaterThanOrEqual(wide[i - 1].time);
  });

  it('every message index is its own masked text once the pipeline masks values', async () => {
    const rng = new Random(3);
    const indices = Array.from({ length: 3000 }, (_, i) => Math.floor((i * MAX_VOCABULARY) / 3000));
    const lines = indices.map((index) => `2026-03-14T00:00:00.000Z INFO  [orders] ${vocabularyMessage(index, rng)}`);
    // Two draws of one index differ in values only: they mask to the same text.
    lines.push(`2026-03-14T00:00:01.000Z INFO  [orders] ${vocabularyMessage(indices[7], rng)}`);
    const { records, texts } = await distinctTexts(lines.join('\n') + '\n');
    expect(records).toBe(3001);
    expect(texts).toBe(3000);
  });

  it('a 200k-line log with a 20k vocabulary holds the distinct texts the formula predicts', async () => {
    let text = '';
    for (const line of generateWideLog({ seed: 2024, lines: 200_000, layout: 'iso', vocabulary: 20_000, share: 0.3 }))
      text += `${line.text}\n`;
    const { records, texts } = await distinctTexts(text);
    expect(records).toBe(200_000);
    // 60,000 vocabulary lines, half uniform over 20,000 messages: 20,000 · (1 − e^(−1.5)) ≈ 15,500,
    // plus the power-law half's own and the ordinary log's few hundred.
    expect(texts).toBeGreaterThan(15_500);
    expect(texts).toBeLessThan(20_000 + 1000);
  }, 60_000);

  it('rejects a vocabulary or share out of range', () => {
    expect(() => generateWideLog({ seed: 1, lines: 10, layout: 'iso', vocabulary: 0 }).next()).toThrow(RangeError);
    expect(() => generateWideLog({ seed: 1, lines: 10, layout: 'iso', vocabulary: MAX_VOCABULARY + 1 }).next()).toThrow(RangeError);
    expect(() => generateWideLog({ seed: 1, lines: 10, layout: 'iso', vocabulary: 10, share: 0.95 }).next()).toThrow(RangeError);
  });
});
