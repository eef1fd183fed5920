/**
 * Vectors kept in IndexedDB across page loads (browser and workers), capped at `maxEntries` with
 * the least recently used evicted first. What is stored: per (model, text) a 128-bit SHA-256 key
 * (never the text) → its vector (or one float of mean surprise), plus when it was last used.
 * Where `indexedDB` is missing (Node, some private modes) `openVectorCache` falls back to memory.
 */
import { MemoryVectorCache, entriesToEvict, type VectorCache } from './vectorCache';

const DB_NAME = 'loupe-vectors';
/** Version 2 added the last-use times; version 1 entries (uncapped, undated) are dropped on upgrade. */
const DB_VERSION = 2;
const VECTORS = 'vectors';
const LAST_USED = 'lastUsed';
const BY_TIME = 'byTime';
/**
 * Entries kept at most: 100,000 vectors of the bundled model's 192 floats are about 80 MB, and
 * cover the distinct texts of many large logs.
 */
export const DEFAULT_MAX_ENTRIES = 100_000;

interface LastUse {
  key: string;
  time: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function openDatabase(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name, DB_VERSION);
  req.onupgradeneeded = () => {
    const db = req.result;
    if (db.objectStoreNames.contains(VECTORS)) db.deleteObjectStore(VECTORS);
    if (db.objectStoreNames.contains(LAST_USED)) db.deleteObjectStore(LAST_USED);
    db.createObjectStore(VECTORS);
    db.createObjectStore(LAST_USED, { keyPath: 'key' }).createIndex(BY_TIME, 'time');
  };
  return request(req);
}

export class IdbVectorCache implements VectorCache {
  /** Use times increase within a session even when Date.now() does not (many writes per ms). */
  private clock = 0;

  private constructor(
    private readonly db: IDBDatabase,
    private readonly maxEntries: number,
  ) {
    entriesToEvict(0, maxEntries);
  }

  static async open(name = DB_NAME, maxEntries = DEFAULT_MAX_ENTRIES): Promise<IdbVectorCache> {
    return new IdbVectorCache(await openDatabase(name), maxEntries);
  }

  private now(): number {
    this.clock = Math.max(this.clock + 1e-3, Date.now());
    return this.clock;
  }

  async getMany(keys: string[]): Promise<Array<Float32Array | undefined>> {
    const tx = this.db.transaction([VECTORS, LAST_USED], 'readwrite');
    const vectors = tx.objectStore(VECTORS);
    const lastUsed = tx.objectStore(LAST_USED);
    const values = await Promise.all(keys.map((key) => request(vectors.get(key) as IDBRequest<Float32Array | undefined>)));
    const found = values.map((value) => (value instanceof Float32Array ? value : undefined));
    const time = this.now();
    found.forEach((value, i) => {
      if (value) lastUsed.put({ key: keys[i], time } satisfies LastUse);
    });
    await transactionDone(tx);
    return found;
  }

  async putMany(entries: Array<[string, Float32Array]>): Promise<void> {
    if (entries.length === 0) return;
    const tx = this.db.transaction([VECTORS, LAST_USED], 'readwrite');
    const vectors = tx.objectStore(VECTORS);
    const lastUsed = tx.objectStore(LAST_USED);
    const time = this.now();
    for (const [key, vector] of entries) {
      vectors.put(vector, key);
      lastUsed.put({ key, time } satisfies LastUse);
    }
    const evict = entriesToEvict(await request(vectors.count()), this.maxEntries);
    if (evict > 0) {
      // Oldest use first; the entries just written carry the newest time, so they stay.
      const keys = await request(lastUsed.index(BY_TIME).getAllKeys(null, evict));
      for (const key of keys) {
        vectors.delete(key);
        lastUsed.delete(key);
      }
    }
    await transactionDone(tx);
  }

  async count(): Promise<number> {
    return request(this.db.transaction(VECTORS, 'readonly').objectStore(VECTORS).count());
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction([VECTORS, LAST_USED], 'readwrite');
    tx.objectStore(VECTORS).clear();
    tx.objectStore(LAST_USED).clear();
    await transactionDone(tx);
  }

  close(): void {
    this.db.close();
  }
}

/** IndexedDB when available and openable, else an in-memory cache. */
export async function openVectorCache(): Promise<VectorCache> {
  if (typeof globalThis.indexedDB === 'undefined') return new MemoryVectorCache();
  try {
    return await IdbVectorCache.open();
  } catch {
    return new MemoryVectorCache();
  }
}

/**
 * Empties the vector cache kept across page loads (Settings → clear). Safe while an analysis
 * worker has the cache open: it clears the stores rather than deleting the database. Resolves
 * false where there is no IndexedDB (nothing is kept across loads there).
 */
export async function clearVectorCache(name = DB_NAME): Promise<boolean> {
  if (typeof globalThis.indexedDB === 'undefined') return false;
  const cache = await IdbVectorCache.open(name);
  try {
    await cache.clear();
  } finally {
    cache.close();
  }
  return true;
}
