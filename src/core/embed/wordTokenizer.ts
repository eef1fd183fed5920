/**
 * Text → WordPiece ids with every piece tied to the word (span of the original text) it came from.
 * Words are encoded one at a time and memoised: log text repeats the same words endlessly.
 */
import { splitWords, type WordSpan } from './words';

/** The part of a transformers.js tokenizer used here. */
export interface PieceTokenizer {
  /** WordPiece ids of `text` without special tokens. */
  encodeWord(word: string): number[];
}

export interface TokenizedText {
  /** Ids including the leading and trailing special tokens, truncated to the model's length. */
  ids: number[];
  words: WordSpan[];
  /** Token range [first, end) of each word, counted in content tokens (0 = first token after [CLS]). */
  wordFirstToken: Int32Array;
  wordEndToken: Int32Array;
}

const MEMO_LIMIT = 200_000;

export class WordTokenizer {
  private readonly memo = new Map<string, number[]>();

  constructor(
    private readonly pieces: PieceTokenizer,
    private readonly prefix: number[],
    private readonly suffix: number[],
    /** Longest sequence including special tokens. */
    readonly maxTokens: number,
  ) {}

  tokenize(text: string): TokenizedText {
    const words = splitWords(text);
    const room = this.maxTokens - this.prefix.length - this.suffix.length;
    const ids = [...this.prefix];
    const wordFirstToken = new Int32Array(words.length);
    const wordEndToken = new Int32Array(words.length);
    let count = 0;
    for (let w = 0; w < words.length; w++) {
      const pieces = this.piecesOf(text.slice(words[w].start, words[w].end));
      const take = Math.max(0, Math.min(pieces.length, room - count));
      wordFirstToken[w] = count;
      for (let p = 0; p < take; p++) ids.push(pieces[p]);
      count += take;
      wordEndToken[w] = count;
    }
    for (const id of this.suffix) ids.push(id);
    return { ids, words, wordFirstToken, wordEndToken };
  }

  private piecesOf(word: string): number[] {
    let pieces = this.memo.get(word);
    if (!pieces) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      pieces = this.pieces.encodeWord(word);
      this.memo.set(word, pieces);
    }
    return pieces;
  }
}
