import { describe, expect, it } from 'vitest';
import { occlusionSaliency, occlusionVariants, splitWords, surpriseOnWords } from '../../src/core/explain/occlusion';

describe('occlusion saliency', () => {
  it('splits a line into whitespace words with offsets', () => {
    const text = 'connection to  db-3 refused';
    const words = splitWords(text);
    expect(words.map((w) => w.word)).toEqual(['connection', 'to', 'db-3', 'refused']);
    for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.word);
  });

  it('builds one masked and one deleted variant per word', () => {
    const text = 'connection to db-3 refused';
    const { masked, deleted } = occlusionVariants(text, splitWords(text));
    expect(masked).toEqual([
      '[MASK] to db-3 refused', 'connection [MASK] db-3 refused', 'connection to [MASK] refused', 'connection to db-3 [MASK]',
    ]);
    expect(deleted).toEqual(['to db-3 refused', 'connection db-3 refused', 'connection to refused', 'connection to db-3']);
  });

  it('saliency is the drop in score when a word is hidden', () => {
    expect(Array.from(occlusionSaliency(0.8, [0.7, 0.8, 0.3]))).toEqual([0.8 - 0.7, 0, 0.8 - 0.3].map(Math.fround));
  });

  it('gives each word the largest surprise of its pieces', () => {
    const words = splitWords('disk sdb1 failed');
    const pieces = [
      { start: 0, end: 4, surprise: 0.5 },
      { start: 5, end: 8, surprise: 2 },
      { start: 8, end: 9, surprise: 3 },
      { start: 10, end: 16, surprise: 7 },
    ];
    expect(Array.from(surpriseOnWords(words, pieces))).toEqual([0.5, 3, 7]);
  });
});
