/**
 * Vectors kept in IndexedDB across page loads (browser and workers). Where `indexedDB` is missing
 * (Node, some private modes) `openVectorCache` falls back to memory.
 */
import { MemoryVectorCache, type VectorCache } from './vectorCache';

const DB_NAME = 'loupe-vectors';
const STORE = 'vectors';

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

export class IdbVectorCache implements VectorCache {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(name = DB_NAME): Promise<IdbVectorCache> {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
    };
    return new IdbVectorCache(await request(req));
  }

  async getMany(keys: string[]): Promise<Array<Float32Array | undefined>> {
    const tx = this.db.transaction(STORE, 'readonly');
    const store = tx.objectStore(STORE);
    const values = await Promise.all(keys.map((key) => request(store.get(key) as IDBRequest<Float32Array | undefined>)));
    return values.map((value) => (value instanceof Float32Array ? value : undefined));
  }

  async putMany(entries: Array<[string, Float32Array]>): Promise<void> {
    if (entries.length === 0) return;
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const [key, vector] of entries) store.put(vector, key);
    await transactionDone(tx);
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).clear();
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
