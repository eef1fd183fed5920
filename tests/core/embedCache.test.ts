/** Vector cache: the same texts analysed twice embed nothing new. */
import { describe, expect, it } from 'vitest';
import { MemoryVectorCache, embedWithCache, vectorKey } from '../../src/core/embed/vectorCache';
import { openVectorCache } from '../../src/core/embed/idbCache';
import { createTransformersEncoder } from '../../src/core/embed/transformersEncoder';
import type { EncodeOptions } from '../../src/core/embed/encoder';
import { TINY } from './embedHelpers';

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

  it('keys by model and text, and bounds the memory cache', async () => {
    expect(await vectorKey('m', 'a')).not.toBe(await vectorKey('n', 'a'));
    expect(await vectorKey('m', 'a')).toMatch(/^[0-9a-f]{32}$/);
    const cache = new MemoryVectorCache(2);
    await cache.putMany([['a', new Float32Array([1])], ['b', new Float32Array([2])], ['c', new Float32Array([3])]]);
    expect(cache.size).toBe(2);
    expect((await cache.getMany(['a', 'c']))[0]).toBeUndefined();
  });

  it('falls back to memory where indexedDB does not exist (Node)', async () => {
    expect(globalThis.indexedDB).toBeUndefined();
    expect(await openVectorCache()).toBeInstanceOf(MemoryVectorCache);
  });
});
