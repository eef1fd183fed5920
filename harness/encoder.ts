/**
 * Encoder diagnostics page (not part of the app's build: harness/serve.ts builds it for the
 * benchmark and e2e): reports the environment (WebGPU adapter, isolation, threads) and runs the
 * encoder in a worker. Playwright drives `window.loupeHarness.run` for parity checks and the WASM
 * benchmark.
 */
import * as Comlink from 'comlink';
import type { DeviceRequest, EncoderSource } from '../src/core/embed/encoderSettings';
import { ortRuntimeFiles } from '../src/core/embed/modelLoader';
import type { SurpriseResult } from '../src/core/embed/encoder';
import type { HarnessWorkerApi } from './encoder.worker';
import { IdbVectorCache, clearVectorCache } from '../src/core/embed/idbCache';

export interface HarnessRun {
  /** Base URL of a model folder; omitted = the bundled model. */
  modelUrl?: string;
  /** A model folder as file name → base64 bytes (what a picked folder becomes); wins over modelUrl. */
  modelFiles?: Record<string, string>;
  device: DeviceRequest;
  threads?: number;
  texts: string[];
  surprise?: boolean;
  tokenBudget?: number;
  /** Embed this many texts once before timing (warms kernels and allocations). */
  warmup?: number;
  /** Force ORT's runtime build: 'asyncify' (WebGPU-capable) or 'plain' (CPU-only SIMD threaded). */
  wasmFlavor?: 'asyncify' | 'plain';
  /** Return vectors (off for benchmarks on thousands of texts). */
  returnVectors?: boolean;
  /** Time vectors (default true); off to time only the surprise pass. */
  vectors?: boolean;
}

export interface HarnessResult {
  info: unknown;
  dims: number;
  hasMlmHead: boolean;
  vectors?: number[];
  surpriseMeans?: number[];
  loadMs: number;
  embedMs: number;
  /** Vectors pass, texts/s (NaN when not timed). */
  textsPerSecond: number;
  /** Surprise pass, texts/s (when `surprise`). */
  surpriseTextsPerSecond?: number;
  crossOriginIsolated: boolean;
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string };
  isFallbackAdapter?: boolean;
}

async function environment(): Promise<Record<string, unknown>> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  let adapter: unknown = gpu ? 'none (requestAdapter() returned null)' : 'navigator.gpu missing';
  if (gpu) {
    const found = await gpu.requestAdapter().catch(() => null);
    if (found) adapter = { vendor: found.info?.vendor, architecture: found.info?.architecture, fallback: found.isFallbackAdapter };
  }
  return { crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, webgpu: adapter };
}

/**
 * Tells a driving benchmark where a timed pass starts and ends (it reads the browser's CPU time
 * there), when it has exposed `loupeHarnessMark`; a no-op otherwise.
 */
async function mark(point: string): Promise<void> {
  await (window as unknown as { loupeHarnessMark?: (point: string) => Promise<void> }).loupeHarnessMark?.(point);
}

function fromBase64(text: string): Blob {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Blob([bytes]);
}

async function run(params: HarnessRun): Promise<HarnessResult> {
  const source: EncoderSource = params.modelFiles
    ? { kind: 'local', name: 'picked', files: new Map(Object.entries(params.modelFiles).map(([name, b64]) => [name, fromBase64(b64)])) }
    : params.modelUrl
      ? { kind: 'local', name: params.modelUrl, files: new URL(params.modelUrl, location.href).href }
      : { kind: 'bundled' };
  const loadStart = performance.now();
  // The page lives in harness/: the served folder's ort/ and models/ are one level up.
  const appBase = new URL('../', location.href).href;
  // Default: the loader picks the build per device; a flavour forces one (for the benchmark).
  const wasmPaths = params.wasmFlavor ? ortRuntimeFiles(new URL('ort/', appBase).href, params.wasmFlavor === 'asyncify') : undefined;
  const worker = new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module', name: 'loupe-harness-encoder' });
  const encoder = Comlink.wrap<HarnessWorkerApi>(worker);
  try {
    const places = { modelsBase: new URL('models/', appBase).href, ortBase: new URL('ort/', appBase).href };
    const loaded = await encoder.load(source, params.device, places, {
      threads: params.threads,
      tokenBudget: params.tokenBudget,
      wasmPaths,
    });
    const loadMs = performance.now() - loadStart;
    if (params.warmup) await encoder.embed(params.texts.slice(0, params.warmup));
    let embedMs = NaN;
    let vectors: Float32Array | undefined;
    if (params.vectors !== false) {
      await mark('vectors-start');
      const start = performance.now();
      vectors = await encoder.embed(params.texts);
      embedMs = performance.now() - start;
      await mark('vectors-end');
    }
    let surprise: SurpriseResult[] | undefined;
    let surpriseMs = NaN;
    if (params.surprise && loaded.hasMlmHead) {
      if (params.warmup) await encoder.surprise(params.texts.slice(0, Math.min(params.warmup, 16)));
      await mark('surprise-start');
      const start = performance.now();
      surprise = await encoder.surprise(params.texts);
      surpriseMs = performance.now() - start;
      await mark('surprise-end');
    }
    return {
      info: loaded.info,
      dims: loaded.dims,
      hasMlmHead: loaded.hasMlmHead,
      vectors: params.returnVectors === false || !vectors ? undefined : Array.from(vectors),
      surpriseMeans: surprise?.map((r) => r.mean),
      loadMs,
      embedMs,
      textsPerSecond: params.texts.length / (embedMs / 1000),
      surpriseTextsPerSecond: surprise ? params.texts.length / (surpriseMs / 1000) : undefined,
      crossOriginIsolated,
    };
  } finally {
    await encoder.dispose().catch(() => undefined);
    encoder[Comlink.releaseProxy]();
    worker.terminate();
  }
}

/**
 * The IndexedDB vector cache in this browser: which keys a cap of 5 keeps after a read and an
 * overflow, whether they survive reopening, and whether clearVectorCache empties it.
 */
async function cacheCheck(): Promise<{ kept: string[]; afterReopen: number; afterClear: number }> {
  const name = 'loupe-harness-cache-check';
  await clearVectorCache(name);
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const cache = await IdbVectorCache.open(name, 5);
  await cache.putMany(keys.slice(0, 5).map((k, i) => [k, new Float32Array([i])]));
  await cache.getMany(['a']);
  await cache.putMany([
    ['f', new Float32Array([5])],
    ['g', new Float32Array([6])],
  ]);
  const found = await cache.getMany(keys);
  cache.close();
  const reopened = await IdbVectorCache.open(name, 5);
  const afterReopen = await reopened.count();
  // Cleared from a second connection while the first is open, as the page does beside the worker.
  await clearVectorCache(name);
  const afterClear = await reopened.count();
  reopened.close();
  return { kept: keys.filter((_, i) => found[i] !== undefined), afterReopen, afterClear };
}

declare global {
  interface Window {
    loupeHarness: { run: typeof run; environment: typeof environment; cacheCheck: typeof cacheCheck };
  }
}
window.loupeHarness = { run, environment, cacheCheck };

const out = document.getElementById('out')!;
environment().then((env) => (out.textContent = `Environment: ${JSON.stringify(env, null, 2)}`));
document.getElementById('check')!.addEventListener('click', async () => {
  out.textContent = 'Running…';
  try {
    const texts = [
      'Receiving block blk_1 src: /10.0.0.1:50010',
      'instruction cache parity error corrected',
      'session opened for user root',
    ];
    const result = await run({ device: 'auto', texts, surprise: true, returnVectors: false });
    out.textContent = JSON.stringify({ environment: await environment(), ...result }, null, 2);
  } catch (error) {
    out.textContent = `Failed: ${(error as Error).message}`;
  }
});
