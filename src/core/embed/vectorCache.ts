/**
 * Vectors cached by (model id, text): analysing the same texts again, or re-scoring, embeds
 * nothing new. The model id carries a fingerprint of the weights, so a retrained model misses.
 */
import type { EncodeOptions, Encoder } from './encoder';

export interface VectorCache {
  /** The cached vector of each key, undefined where absent; a hit counts as a use. */
  getMany(keys: string[]): Promise<Array<Float32Array | undefined>>;
  /** Stores vectors, then evicts the least recently used entries past the cache's cap. */
  putMany(entries: Array<[key: string, vector: Float32Array]>): Promise<void>;
  clear(): Promise<void>;
}

/** Hex SHA-256 (first 128 bits) of model id and text: fixed-size keys, whatever the text length. */
export async function vectorKey(modelId: string, text: string): Promise<string> {
  const bytes = new TextEncoder().encode(`${modelId}\u0000${text}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += digest[i].toString(16).padStart(2, '0');
  return hex;
}

/**
 * How many least recently used entries to drop once a cache holds `size` entries: none up to
 * `maxEntries`, then down to 90% of it, so a cache at its cap does not evict on every write.
 */
export function entriesToEvict(size: number, maxEntries: number): number {
  if (!(maxEntries >= 1)) throw new RangeError(`a vector cache needs room for at least one entry (maxEntries ${maxEntries})`);
  return size <= maxEntries ? 0 : size - Math.floor(maxEntries * 0.9);
}

/** In memory, least recently used first out past `maxEntries`: enough to bound a long session. */
export class MemoryVectorCache implements VectorCache {
  // A Map iterates in insertion order: re-inserting on every use keeps it in least-recent-first order.
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly maxEntries = 500_000) {
    entriesToEvict(0, maxEntries);
  }

  get size(): number {
    return this.vectors.size;
  }

  async getMany(keys: string[]): Promise<Array<Float32Array | undefined>> {
    return keys.map((key) => {
      const vector = this.vectors.get(key);
      if (vector) {
        this.vectors.delete(key);
        this.vectors.set(key, vector);
      }
      return vector;
    });
  }

  async putMany(entries: Array<[string, Float32Array]>): Promise<void> {
    for (const [key, vector] of entries) {
      this.vectors.delete(key);
      this.vectors.set(key, vector);
    }
    let evict = entriesToEvict(this.vectors.size, this.maxEntries);
    for (const key of this.vectors.keys()) {
      if (evict-- <= 0) break;
      this.vectors.delete(key);
    }
  }

  async clear(): Promise<void> {
    this.vectors.clear();
  }
}

/**
 * Vectors of `texts` (row-major, input order) from the cache where present; only the missing,
 * distinct texts go to the encoder, and their vectors are stored.
 */
export async function embedWithCache(
  encoder: Pick<Encoder, 'embed' | 'dims' | 'info'>,
  cache: VectorCache,
  texts: string[],
  opts: EncodeOptions = {},
): Promise<Float32Array> {
  const dims = encoder.dims;
  const keys = await Promise.all(texts.map((text) => vectorKey(encoder.info.modelId, text)));
  const cached = await cache.getMany(keys);
  const out = new Float32Array(texts.length * dims);
  const firstRowOfKey = new Map<string, number>();
  const missingRows: number[] = [];
  const duplicateRows: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const vector = cached[i];
    if (vector && vector.length === dims) {
      out.set(vector, i * dims);
    } else if (firstRowOfKey.has(keys[i])) {
      duplicateRows.push(i);
    } else {
      firstRowOfKey.set(keys[i], i);
      missingRows.push(i);
    }
  }
  const hits = texts.length - missingRows.length - duplicateRows.length;
  if (missingRows.length > 0) {
    const fresh = await encoder.embed(
      missingRows.map((i) => texts[i]),
      {
        signal: opts.signal,
        onProgress: opts.onProgress && ((p) => opts.onProgress!({ done: hits + p.done, total: texts.length })),
      },
    );
    const entries: Array<[string, Float32Array]> = [];
    missingRows.forEach((row, j) => {
      const vector = fresh.slice(j * dims, (j + 1) * dims);
      out.set(vector, row * dims);
      entries.push([keys[row], vector]);
    });
    await cache.putMany(entries);
  }
  for (const row of duplicateRows) {
    const source = firstRowOfKey.get(keys[row])!;
    out.copyWithin(row * dims, source * dims, (source + 1) * dims);
  }
  opts.onProgress?.({ done: texts.length, total: texts.length });
  return out;
}
