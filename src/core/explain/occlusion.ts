/**
 * Occlusion saliency: how much each word of a line moves its anomaly score. Each word (on long
 * lines, each group of neighbouring words) is replaced by [MASK]; all variants are scored in one
 * batch; the saliency is score(original) − score(variant), so positive means "this word made the
 * line anomalous".
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

/**
 * Projects per-piece surprise (spans in the text) onto whitespace words: a word takes the largest
 * surprise of the pieces inside it, NaN when no piece falls inside (e.g. truncated away).
 */
export function surpriseOnWords(
  words: readonly WordSpan[],
  pieces: ReadonlyArray<{ start: number; end: number; surprise: number }>,
): Float32Array {
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

/** The text with every given word replaced by [MASK]. */
export function maskWords(text: string, words: readonly WordSpan[]): string {
  let out = '';
  let at = 0;
  for (const w of words) {
    out += text.slice(at, w.start) + MASK_TOKEN;
    at = w.end;
  }
  return out + text.slice(at);
}

/**
 * Contiguous groups [from, to) covering `words` words in at most `max` groups of near-equal size:
 * one word per group when the line is short enough.
 */
export function occlusionGroups(words: number, max: number): Array<[number, number]> {
  const count = Math.min(words, Math.max(1, max));
  const out: Array<[number, number]> = [];
  for (let k = 0; k < count; k++) out.push([Math.floor((k * words) / count), Math.floor(((k + 1) * words) / count)]);
  return out;
}
