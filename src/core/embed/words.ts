/**
 * Word spans as BERT's pre-tokeniser sees them: runs of non-space characters, with every
 * punctuation character and every CJK ideograph a word of its own. Encoding word by word gives the
 * same WordPiece ids as encoding the whole text, and keeps each piece tied to its place in the text.
 */

export interface WordSpan {
  start: number;
  end: number;
}

const PUNCTUATION = /\p{P}/u;

function isPunctuation(code: number): boolean {
  // BERT treats every non-alphanumeric ASCII symbol ($, +, <, ^, `, |, ~ ...) as punctuation too.
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) {
    return true;
  }
  return code > 127 && PUNCTUATION.test(String.fromCodePoint(code));
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}

function isSpace(code: number): boolean {
  // Control characters are dropped by BERT's clean-up, so they separate words like spaces do.
  return code <= 32 || code === 0x7f || code === 0xfffd || /\s/u.test(String.fromCodePoint(code));
}

/** Spans of the words of `text`, in order; `text.slice(start, end)` is the word. */
export function splitWords(text: string): WordSpan[] {
  const words: WordSpan[] = [];
  let start = -1;
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    if (isSpace(code)) {
      if (start >= 0) words.push({ start, end: i });
      start = -1;
    } else if (isPunctuation(code) || isCjk(code)) {
      if (start >= 0) words.push({ start, end: i });
      words.push({ start: i, end: i + width });
      start = -1;
    } else if (start < 0) {
      start = i;
    }
    i += width;
  }
  if (start >= 0) words.push({ start, end: text.length });
  return words;
}
