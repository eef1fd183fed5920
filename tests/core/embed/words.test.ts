import { describe, expect, it } from 'vitest';
import { splitWords } from '../../../src/core/embed/words';
import { planBatches, padBatch } from '../../../src/core/embed/batching';
import { planMaskedPasses, negativeLogProbability } from '../../../src/core/embed/maskPlan';
import { poolMeanNormalized } from '../../../src/core/embed/pooling';

const wordsOf = (text: string) => splitWords(text).map((w) => text.slice(w.start, w.end));

describe('splitWords (BERT pre-tokenisation with spans)', () => {
  it('splits on whitespace and gives each punctuation mark its own word', () => {
    expect(wordsOf('Receiving block blk_-123 src: /10.0.0.1:50010')).toEqual([
      'Receiving',
      'block',
      'blk',
      '_',
      '-',
      '123',
      'src',
      ':',
      '/',
      '10',
      '.',
      '0',
      '.',
      '0',
      '.',
      '1',
      ':',
      '50010',
    ]);
  });
  it('keeps spans on the original text through tabs, control characters and astral characters', () => {
    const text = '\tfoo\u0001bar  😀baz 中文';
    const spans = splitWords(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['foo', 'bar', '😀baz', '中', '文']);
    expect(splitWords('   ')).toEqual([]);
  });
});

describe('planBatches', () => {
  it('covers every index once, sorted by length, within the token budget', () => {
    const lengths = [5, 50, 3, 3, 20, 7, 49, 2];
    const batches = planBatches(lengths, 60);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const flat = batches.flat();
    for (let i = 1; i < flat.length; i++) expect(lengths[flat[i]]).toBeGreaterThanOrEqual(lengths[flat[i - 1]]);
    for (const batch of batches) {
      const width = Math.max(...batch.map((i) => lengths[i]));
      expect(batch.length === 1 || batch.length * width <= 60).toBe(true);
    }
  });
  it('keeps padding small when few texts spread over many lengths, within every budget', () => {
    // 300 texts of 5-80 tokens, about 4 per length: batches filled to their limits padded 15% of their tokens.
    let seed = 7;
    const lengths = Array.from({ length: 300 }, () => 5 + ((seed = (seed * 1103515245 + 12345) % 2147483648) % 76));
    const costs = lengths.map((l) => Math.ceil(l / 4));
    for (const items of [undefined, { costs, budget: 600 }]) {
      const batches = planBatches(lengths, 8192, 64, items);
      expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
      let real = 0;
      let padded = 0;
      for (const batch of batches) {
        const width = Math.max(...batch.map((i) => lengths[i]));
        expect(batch.length).toBeLessThanOrEqual(64);
        expect(batch.length * width).toBeLessThanOrEqual(8192);
        if (items) expect(batch.reduce((sum, i) => sum + costs[i], 0)).toBeLessThanOrEqual(600);
        real += batch.reduce((sum, i) => sum + lengths[i], 0);
        padded += batch.length * width;
      }
      expect(1 - real / padded).toBeLessThan(0.03);
    }
    // One item over a budget still gets a batch of its own.
    const over = planBatches([3, 500, 4], 100);
    expect(over.at(-1)).toEqual([1]);
    expect(over.flat().sort()).toEqual([0, 1, 2]);
  });
  it('pads right with the pad id and a zero attention mask', () => {
    const padded = padBatch(
      [
        [2, 7, 3],
        [2, 3],
      ],
      0,
    );
    expect(padded.width).toBe(3);
    expect(Array.from(padded.inputIds, Number)).toEqual([2, 7, 3, 2, 3, 0]);
    expect(Array.from(padded.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(Array.from(padded.lengths)).toEqual([3, 2]);
  });
});

describe('masked passes', () => {
  it('masks every content token exactly once, one per pass when exact', () => {
    const passes = planMaskedPasses([4, 1, 0], 0);
    expect(passes).toEqual([
      { text: 0, positions: [1] },
      { text: 0, positions: [2] },
      { text: 0, positions: [3] },
      { text: 0, positions: [4] },
      { text: 1, positions: [1] },
    ]);
  });
  it('with a stride, masks tokens that far apart together and still covers each once', () => {
    const passes = planMaskedPasses([10], 4);
    expect(passes.map((p) => p.positions)).toEqual([
      [1, 5, 9],
      [2, 6, 10],
      [3, 7],
      [4, 8],
    ]);
  });
  it('computes −ln softmax of the true token', () => {
    const logits = new Float32Array([0, Math.log(3), 0, 99]);
    // Row of 3 logits at offset 0: p(true=1) = 3 / 5.
    expect(negativeLogProbability(logits, 0, 3, 1)).toBeCloseTo(-Math.log(3 / 5), 6);
  });
});

describe('poolMeanNormalized', () => {
  it('averages only unmasked tokens and writes unit vectors to the target rows', () => {
    // rows=2, width=2, dims=2; row 1 has one real token.
    const hidden = new Float32Array([1, 0, 3, 4, 0, 5, 100, 100]);
    const out = new Float32Array(4);
    poolMeanNormalized(hidden, Int32Array.from([2, 1]), 2, 2, out, [1, 0]);
    // Row 0: (1,0)+(3,4) = (4,4) → (√½, √½) at row 1; row 1: (0,5) → (0,1) at row 0; padding ignored.
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(1);
    expect(out[2]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(out[3]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});
