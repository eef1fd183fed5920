/**
 * A model file whose download fails at the network level (Chromium's ERR_CACHE_WRITE_FAILURE when
 * the service worker precaches the same file at the same moment) is fetched once more around the
 * HTTP cache instead of the analysis falling back to TF-IDF.
 */
import { describe, expect, it } from 'vitest';
import { resolveSource } from '../../../src/core/embed/modelFiles';

describe('bundled model files over HTTP', () => {
  it('retry once without the HTTP cache after a network failure', async () => {
    const calls: Array<RequestInit | undefined> = [];
    const fetchFn = async (_url: string | URL, init?: RequestInit) => {
      calls.push(init);
      if (calls.length === 1) throw new TypeError('Failed to fetch');
      return new Response('{"model_type":"bert"}', { status: 200 });
    };
    const source = resolveSource({ kind: 'bundled' }, 'http://127.0.0.1/models/', fetchFn);
    const bytes = await source.read!('config.json');
    expect(new TextDecoder().decode(bytes!)).toContain('bert');
    expect(calls).toEqual([undefined, { cache: 'no-store' }]);
  });

  it('also when the response starts and its body then fails', async () => {
    let calls = 0;
    const fetchFn = async () => {
      calls++;
      if (calls === 1) return new Response(new ReadableStream({ start: (c) => c.error(new TypeError('network error')) }), { status: 200 });
      return new Response('{"model_type":"bert"}', { status: 200 });
    };
    const source = resolveSource({ kind: 'bundled' }, 'http://127.0.0.1/models/', fetchFn);
    expect(new TextDecoder().decode((await source.read!('config.json'))!)).toContain('bert');
    expect(calls).toBe(2);
  });

  it('a second failure is the error the analyst sees', async () => {
    const fetchFn = async () => {
      throw new TypeError('Failed to fetch');
    };
    const source = resolveSource({ kind: 'bundled' }, 'http://127.0.0.1/models/', fetchFn);
    await expect(source.read!('config.json')).rejects.toThrow(/Failed to fetch/);
  });
});
