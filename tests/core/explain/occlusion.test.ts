import { describe, expect, it } from 'vitest';
import { maskWords, occlusionGroups, splitWords, surpriseOnWords } from '../../../src/core/explain/occlusion';

describe('occlusion saliency', () => {
  it('splits a line into whitespace words with offsets', () => {
    const text = 'connection to  db-3 refused';
    const words = splitWords(text);
    expect(words.map((w) => w.word)).toEqual(['connection', 'to', 'db-3', 'refused']);
    for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.word);
  });

  it('masks a word, or a group of words, with [MASK]', () => {
    const text = 'connection to db-3 refused';
    const words = splitWords(text);
    expect(words.map((w) => maskWords(text, [w]))).toEqual([
      '[MASK] to db-3 refused',
      'connection [MASK] db-3 refused',
      'connection to [MASK] refused',
      'connection to db-3 [MASK]',
    ]);
    expect(maskWords(text, words.slice(1, 3))).toBe('connection [MASK] [MASK] refused');
  });

  it('groups words into at most the cap, contiguous and covering every word', () => {
    expect(occlusionGroups(3, 24)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    const groups = occlusionGroups(100, 24);
    expect(groups).toHaveLength(24);
    expect(groups[0][0]).toBe(0);
    expect(groups.at(-1)![1]).toBe(100);
    for (let i = 1; i < groups.length; i++) expect(groups[i][0]).toBe(groups[i - 1][1]);
    expect(Math.max(...groups.map(([a, b]) => b - a)) - Math.min(...groups.map(([a, b]) => b - a))).toBeLessThanOrEqual(1);
    expect(occlusionGroups(0, 24)).toEqual([]);
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
