/**
 * TF-IDF over hashed word features: the classic baseline that a learned encoder has to beat, and
 * the vectors the app falls back to when no encoder can be loaded.
 */

const WORD = /[a-z_][a-z0-9_]*|<\*>/g;

function hashWord(word: string): number {
  // FNV-1a, 32-bit
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function termCounts(text: string, dims: number): Map<number, number> {
  const tf = new Map<number, number>();
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const f = hashWord(m[0]) % dims;
    tf.set(f, (tf.get(f) ?? 0) + 1);
  }
  return tf;
}

export class TfidfVectorizer {
  private idf: Float64Array;

  constructor(readonly dims = 512) {
    this.idf = new Float64Array(dims).fill(1);
  }

  /**
   * Learns document frequencies. `weights` (occurrences of each text in the log) make frequencies
   * count lines rather than distinct texts.
   */
  fit(texts: readonly string[], weights?: ArrayLike<number>): this {
    const df = new Float64Array(this.dims);
    let total = 0;
    for (let i = 0; i < texts.length; i++) {
      const w = weights ? weights[i] : 1;
      total += w;
      for (const f of termCounts(texts[i], this.dims).keys()) df[f] += w;
    }
    for (let f = 0; f < this.dims; f++) this.idf[f] = Math.log((1 + total) / (1 + df[f])) + 1;
    return this;
  }

  /** Row-major, L2-normalised vectors, one row of `dims` per text. */
  transform(texts: readonly string[]): Float32Array {
    const dims = this.dims;
    const out = new Float32Array(texts.length * dims);
    for (let i = 0; i < texts.length; i++) {
      const tf = termCounts(texts[i], dims);
      let norm = 0;
      const base = i * dims;
      for (const [f, c] of tf) {
        const v = c * this.idf[f];
        out[base + f] = v;
        norm += v * v;
      }
      if (norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (const f of tf.keys()) out[base + f] *= inv;
      }
    }
    return out;
  }
}
