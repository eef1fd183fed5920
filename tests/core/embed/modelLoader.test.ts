/** Model sources (Hub-like server, picked folder) and clear errors for missing or corrupt files. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import { EncoderError } from '../../../src/core/embed/encoder';
import { defaultWasmThreads } from '../../../src/core/embed/modelLoader';
import { TINY, cosine, serveHubLike } from './helpers';

function folderAsMap(folder: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(folder, path), new Uint8Array(readFileSync(path)));
    }
  };
  walk(folder);
  return files;
}

const TEXTS = ['Receiving block blk_-160899 src', 'session opened for user root'];

describe('model sources', () => {
  it('loads a Hub model id through transformers.js from a configurable remote host', async () => {
    const server = await serveHubLike('loupe/tiny-bert', TINY);
    try {
      const hub = await createTransformersEncoder({
        source: { kind: 'hub', modelId: 'loupe/tiny-bert', remoteHost: server.host },
        device: 'cpu',
      });
      const local = await createTransformersEncoder({ source: { kind: 'local', files: TINY }, device: 'cpu' });
      expect(server.requests.get('onnx/model.onnx')).toBe(1);
      expect(server.requests.get('config.json')).toBeGreaterThanOrEqual(1);
      expect(hub.info.modelId).toMatch(/^hub:loupe\/tiny-bert#/);
      // Same weights: same fingerprint, same vectors.
      expect(hub.info.modelId.split('#')[1]).toBe(local.info.modelId.split('#')[1]);
      const a = await hub.embed(TEXTS);
      const b = await local.embed(TEXTS);
      expect(cosine(a, b)).toBeGreaterThan(0.99999);
      await hub.dispose();
      await local.dispose();
    } finally {
      await server.close();
    }
  });

  it('loads a folder the analyst picked (file name → bytes, with or without its top folder)', async () => {
    const files = folderAsMap(TINY);
    const prefixed = new Map([...files].map(([name, bytes]) => [`tiny-bert/${name}`, new Blob([bytes as Uint8Array<ArrayBuffer>])]));
    const picked = await createTransformersEncoder({ source: { kind: 'local', name: 'my model', files: prefixed }, device: 'auto' });
    expect(picked.info.modelId).toMatch(/^local:my model#/);
    expect(picked.dims).toBe(32);
    expect(Math.hypot(...(await picked.embed(['x'])))).toBeCloseTo(1, 5);
    await picked.dispose();
  });
});

describe('missing or corrupt model files', () => {
  const load = (files: Map<string, Uint8Array>) =>
    createTransformersEncoder({ source: { kind: 'local', name: 'broken', files }, device: 'cpu' });
  const expectFileError = async (files: Map<string, Uint8Array>, file: string, message: RegExp) => {
    const error = await load(files).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EncoderError);
    expect((error as EncoderError).file).toBe(file);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
  };

  for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) {
    it(`names a missing ${file}`, async () => {
      const files = folderAsMap(TINY);
      files.delete(file);
      await expectFileError(files, file, /not found/);
    });
  }

  it('names a corrupt JSON file', async () => {
    const files = folderAsMap(TINY);
    files.set('tokenizer.json', new TextEncoder().encode('{"model": {"type": "WordPi'));
    await expectFileError(files, 'tokenizer.json', /not valid JSON/);
  });

  it('names a corrupt ONNX file', async () => {
    const files = folderAsMap(TINY);
    files.set('onnx/model.onnx', files.get('onnx/model.onnx')!.slice(0, 5000));
    await expectFileError(files, 'onnx/model.onnx', /ONNX model/);
  });

  it('names a missing file of a Hub model', async () => {
    const server = await serveHubLike('loupe/tiny-bert', TINY);
    try {
      const error = await createTransformersEncoder({
        source: { kind: 'hub', modelId: 'loupe/absent', remoteHost: server.host },
        device: 'cpu',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EncoderError);
      expect((error as Error).message).toMatch(/config\.json was not found/);
    } finally {
      await server.close();
    }
  });
});

describe('WASM threads by default', () => {
  it('leave a core for the page from 3 cores up, at most 4, and treat an unknown count as 2', () => {
    expect([1, 2, 3, 4, 6, 8, 64].map(defaultWasmThreads)).toEqual([1, 2, 2, 3, 4, 4, 4]);
    expect(defaultWasmThreads(undefined)).toBe(2);
    expect(defaultWasmThreads(Number.NaN)).toBe(2);
    expect(defaultWasmThreads(0)).toBe(2);
  });
});
