/** Vector cache: the same texts analysed twice embed nothing new. */
import { describe, expect, it } from 'vitest';
import { MemoryVectorCache, embedWithCache, entriesToEvict, vectorKey } from '../../../src/core/embed/vectorCache';
import { clearVectorCache, openVectorCache } from '../../../src/core/embed/idbCache';
import { createTransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import type { EncodeOptions } from '../../../src/core/embed/encoder';
import { TINY } from './helpers';

describe('vector cache', () => {
  it('embeds only texts it has not seen for this model, and returns the same vectors', async () => {
    const encoder = await createTransformersEncoder({ source: { kind: 'local', files: TINY }, device: 'cpu' });
    const embedded: string[] = [];
    const counting = {
      dims: encoder.dims,
      info: encoder.info,
      embed: (texts: string[], opts?: EncodeOptions) => {
        embedded.push(...texts);
        return encoder.embed(texts, opts);
      },
    };
    const cache = new MemoryVectorCache();
    const first = ['block served', 'session opened for user root', 'block served', 'kernel interrupt'];
    const a = await embedWithCache(counting, cache, first);
    expect(embedded).toEqual(['block served', 'session opened for user root', 'kernel interrupt']);
    const b = await embedWithCache(counting, cache, first);
    expect(embedded).toHaveLength(3);
    expect(b).toEqual(a);
    expect(a.subarray(0, 32)).toEqual(a.subarray(64, 96));
    const progress: number[] = [];
    const c = await embedWithCache(counting, cache, ['kernel interrupt', 'new line'], { onProgress: (p) => progress.push(p.done) });
    expect(embedded.slice(3)).toEqual(['new line']);
    expect(c.subarray(0, 32)).toEqual(a.subarray(96, 128));
    expect(progress.at(-1)).toBe(2);
    // Another model id misses the cache.
    await embedWithCache({ ...counting, info: { ...encoder.info, modelId: 'other' } }, cache, ['kernel interrupt']);
    expect(embedded.at(-1)).toBe('kernel interrupt');
    await encoder.dispose();
  });

  it('keys by model and text', async () => {
    expect(await vectorKey('m', 'a')).not.toBe(await vectorKey('n', 'a'));
    expect(await vectorKey('m', 'a')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('evicts nothing up to the cap, then down to 90% of it, and refuses a cap below one entry', () => {
    expect(entriesToEvict(0, 10)).toBe(0);
    expect(entriesToEvict(10, 10)).toBe(0);
    expect(entriesToEvict(11, 10)).toBe(2);
    expect(entriesToEvict(1000, 10)).toBe(991);
    expect(entriesToEvict(2, 1)).toBe(2);
    expect(() => entriesToEvict(5, 0)).toThrow(RangeError);
    expect(() => entriesToEvict(5, Number.NaN)).toThrow(RangeError);
    expect(() => new MemoryVectorCache(0)).toThrow(RangeError);
  });

  it('keeps the most recently used entries: a read counts as a use', async () => {
    const cache = new MemoryVectorCache(5);
    const vec = (v: number) => new Float32Array([v]);
    await cache.putMany(['a', 'b', 'c', 'd', 'e'].map((k, i) => [k, vec(i)]));
    expect(cache.size).toBe(5);
    // 'a' is read, so 'b', 'c', 'd' are now the least recently used.
    expect((await cache.getMany(['a']))[0]).toEqual(vec(0));
    await cache.putMany([
      ['f', vec(5)],
      ['g', vec(6)],
    ]);
    // 7 entries over a cap of 5: down to 4.
    expect(cache.size).toBe(4);
    const kept = await cache.getMany(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(kept.map((v) => v !== undefined)).toEqual([true, false, false, false, true, true, true]);
    await cache.clear();
    expect(cache.size).toBe(0);
  });

  it('bounds the cache while whole logs go through it, and a re-analysis still hits', async () => {
    const encoder = {
      dims: 1,
      info: { modelId: 'm', device: 'cpu' as const, threads: 0, maxTokens: 128 },
      embed: async (texts: string[]) => Float32Array.from(texts, (t) => t.length),
    };
    const cache = new MemoryVectorCache(100);
    for (let log = 0; log < 5; log++) {
      await embedWithCache(
        encoder,
        cache,
        Array.from({ length: 80 }, (_, i) => `log ${log} line ${i}`),
      );
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    // The last log's texts are the most recent: all still cached.
    const keys = await Promise.all(Array.from({ length: 80 }, (_, i) => vectorKey('m', `log 4 line ${i}`)));
    expect((await cache.getMany(keys)).every((v) => v !== undefined)).toBe(true);
  });

  it('falls back to memory where indexedDB does not exist (Node), where there is nothing to clear', async () => {
    expect(globalThis.indexedDB).toBeUndefined();
    expect(await openVectorCache()).toBeInstanceOf(MemoryVectorCache);
    expect(await clearVectorCache()).toBe(false);
  });
});
