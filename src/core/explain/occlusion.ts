/**
 * Occlusion saliency: how much each word of a line moves its anomaly score. Each word is replaced
 * by [MASK] (and, separately, deleted); all variants are scored in one batch; the saliency of a
 * word is score(original) − score(variant), so positive means "this word made the line anomalous".
 */

export interface WordSpan {
  word: string;
  /** UTF-16 offsets in the text. */
  start: number;
  end: number;
}

export const MASK_TOKEN = '[MASK]';

/** Whitespace-separated words: what the analyst reads as the words of a line. */
export function splitWords(text: string): WordSpan[] {
  const words: WordSpan[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  return words;
}

/** For each word, the text with that word replaced by [MASK] and the text with it deleted. */
export function occlusionVariants(text: string, words: readonly WordSpan[]): { masked: string[]; deleted: string[] } {
  const masked: string[] = [];
  const deleted: string[] = [];
  for (const w of words) {
    masked.push(text.slice(0, w.start) + MASK_TOKEN + text.slice(w.end));
    const before = text.slice(0, w.start).replace(/\s+$/, '');
    const after = text.slice(w.end).replace(/^\s+/, '');
    deleted.push(before && after ? `${before} ${after}` : before + after);
  }
  return { masked, deleted };
}

/** Saliency per word: original score minus each variant's score. */
export function occlusionSaliency(original: number, variantScores: ArrayLike<number>): Float32Array {
  const out = new Float32Array(variantScores.length);
  for (let i = 0; i < out.length; i++) out[i] = original - variantScores[i];
  return out;
}

/**
 * Projects per-piece surprise (spans in the text) onto whitespace words: a word takes the largest
 * surprise of the pieces inside it, NaN when no piece falls inside (e.g. truncated away).
 */
export function surpriseOnWords(words: readonly WordSpan[], pieces: ReadonlyArray<{ start: number; end: number; surprise: number }>): Float32Array {
  const out = new Float32Array(words.length).fill(Number.NaN);
  let p = 0;
  for (let w = 0; w < words.length; w++) {
    while (p < pieces.length && pieces[p].end <= words[w].start) p++;
    for (let q = p; q < pieces.length && pieces[q].start < words[w].end; q++) {
      const s = pieces[q].surprise;
      if (Number.isNaN(out[w]) || s > out[w]) out[w] = s;
    }
  }
  return out;
}
