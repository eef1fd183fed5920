/**
 * Splits a (masked) message into tokens on ASCII whitespace and a configurable set of delimiter
 * characters, remembering the separator text before each token so a template can be printed back
 * with the message's own punctuation.
 */

export interface TokenizedMessage {
  tokens: string[];
  /** `separators[i]` is the text between token i-1 and token i (`separators[0]` is always ''). */
  separators: string[];
}

/** A reusable splitter for one delimiter set. */
export class Tokenizer {
  private readonly isSeparator = new Uint8Array(128);

  constructor(readonly delimiters: string = '') {
    for (const c of ' \t\n\r\f\v') this.isSeparator[c.charCodeAt(0)] = 1;
    for (const c of delimiters) {
      const code = c.charCodeAt(0);
      if (code < 128) this.isSeparator[code] = 1;
    }
  }

  /** Tokens only: the hot path when separators are not needed. */
  tokens(text: string): string[] {
    const out: string[] = [];
    const sep = this.isSeparator;
    let start = -1;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 128 && sep[code] === 1) {
        if (start >= 0) {
          out.push(text.slice(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) out.push(text.slice(start));
    return out;
  }

  /** Tokens and the separators between them (leading and trailing separators are dropped). */
  split(text: string): TokenizedMessage {
    const tokens: string[] = [];
    const separators: string[] = [];
    const sep = this.isSeparator;
    let start = -1;
    let lastEnd = -1;
    for (let i = 0; i <= text.length; i++) {
      const code = i < text.length ? text.charCodeAt(i) : 32;
      const isSep = code < 128 && sep[code] === 1;
      if (isSep) {
        if (start >= 0) {
          separators.push(lastEnd < 0 ? '' : text.slice(lastEnd, start));
          tokens.push(text.slice(start, i));
          lastEnd = i;
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    return { tokens, separators };
  }
}
