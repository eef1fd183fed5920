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

/**
 * Row-major, L2-normalised TF-IDF vectors of `dims` hashed features, one row per text.
 * `weights` (occurrences of each text in the log) make document frequencies count lines, not texts.
 */
export function tfidfVectors(texts: readonly string[], dims = 512, weights?: ArrayLike<number>): Float32Array {
  const n = texts.length;
  const rows: Array<Map<number, number>> = new Array(n);
  const df = new Float64Array(dims);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const tf = new Map<number, number>();
    for (const m of texts[i].toLowerCase().matchAll(WORD)) {
      const f = hashWord(m[0]) % dims;
      tf.set(f, (tf.get(f) ?? 0) + 1);
    }
    rows[i] = tf;
    const w = weights ? weights[i] : 1;
    total += w;
    for (const f of tf.keys()) df[f] += w;
  }
  const idf = new Float64Array(dims);
  for (let f = 0; f < dims; f++) idf[f] = Math.log((1 + total) / (1 + df[f])) + 1;
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    const base = i * dims;
    for (const [f, c] of rows[i]) {
      const v = c * idf[f];
      out[base + f] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (const f of rows[i].keys()) out[base + f] *= inv;
    }
  }
  return out;
}
