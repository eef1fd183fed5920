/** Shared setup for the encoder tests: the tiny fixture models and a tiny Hub-like HTTP server. */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures');
export const TINY = join(FIXTURES, 'tiny-bert');
export const TINY_NOMLM = join(FIXTURES, 'tiny-bert-nomlm');
export const BUNDLED = resolve(import.meta.dirname, '../../../public/models/loupe-log-bert');
export const SHARED_DATA = resolve(import.meta.dirname, '../../../../shared/data');
export const hasBundledModel = existsSync(join(BUNDLED, 'onnx/model.onnx')) && existsSync(join(BUNDLED, 'tokenizer.json'));

/** Serves `folder` at `/<modelId>/resolve/main/<file>` like the Hub; counts requests per file. */
export async function serveHubLike(
  modelId: string,
  folder: string,
): Promise<{ host: string; requests: Map<string, number>; close(): Promise<void> }> {
  const requests = new Map<string, number>();
  const prefix = `/${modelId}/resolve/main/`;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    const file = path.slice(prefix.length);
    requests.set(file, (requests.get(file) ?? 0) + 1);
    readFile(join(folder, file)).then(
      (body) => res.writeHead(200, { 'content-length': body.byteLength }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { host: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((done) => server.close(() => done())) };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

/**
 * A model folder (as a file map) whose logits Add is renamed Sum: the same values, but a head op
 * onnxGraph.withMaskedHead does not take, so the encoder computes surprise from the full graph.
 */
export function withoutGatherableHead(folder: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json'])
    files.set(file, new Uint8Array(readFileSync(join(folder, file))));
  const bytes = new Uint8Array(readFileSync(join(folder, 'onnx/model.onnx')));
  const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  const find = (needle: number[], from: number) => {
    for (let i = from; i <= bytes.length - needle.length; i++) {
      if (needle.every((b, j) => bytes[i + j] === b)) return i;
    }
    return -1;
  };
  // NodeProto: output field (tag 0x12) "logits", then further on op_type (tag 0x22) "Add".
  const output = find([0x12, 6, ...ascii('logits')], 0);
  const opType = find([0x22, 3, ...ascii('Add')], output);
  if (output < 0 || opType < 0) throw new Error(`no logits Add node in ${folder}`);
  bytes.set(ascii('Sum'), opType + 2);
  files.set('onnx/model.onnx', bytes);
  return files;
}
