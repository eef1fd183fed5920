/**
 * Encoder diagnostics page: reports the environment (WebGPU adapter, isolation, threads) and runs
 * the encoder in its worker. Playwright drives `window.loupeHarness.run` for parity checks and
 * the WASM benchmark.
 */
import type { DeviceRequest, EncoderSource } from '../src/core/embed/encoderSettings';
import { ortRuntimeFiles } from '../src/core/embed/modelLoader';
import { startEncoderWorker, withPageUrls } from '../src/workers/encoderClient';

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
}

export interface HarnessResult {
  info: unknown;
  dims: number;
  hasMlmHead: boolean;
  vectors?: number[];
  surpriseMeans?: number[];
  loadMs: number;
  embedMs: number;
  textsPerSecond: number;
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
  // The page lives in harness/: the app's ort/ and models/ folders are one level up.
  const appBase = new URL('../', location.href).href;
  // Default: the loader picks the build per device; a flavour forces one (for the benchmark).
  const wasmPaths = params.wasmFlavor ? ortRuntimeFiles(new URL('ort/', appBase).href, params.wasmFlavor === 'asyncify') : undefined;
  const settings = withPageUrls({ source, device: params.device, threads: params.threads, tokenBudget: params.tokenBudget, wasmPaths }, appBase);
  const encoder = await startEncoderWorker(settings);
  const loadMs = performance.now() - loadStart;
  try {
    if (params.warmup) await encoder.embed(params.texts.slice(0, params.warmup));
    const start = performance.now();
    const vectors = await encoder.embed(params.texts);
    const embedMs = performance.now() - start;
    const surprise = params.surprise && encoder.hasMlmHead ? await encoder.surprise(params.texts) : undefined;
    return {
      info: encoder.info,
      dims: encoder.dims,
      hasMlmHead: encoder.hasMlmHead,
      vectors: params.returnVectors === false ? undefined : Array.from(vectors),
      surpriseMeans: surprise?.map((r) => r.mean),
      loadMs,
      embedMs,
      textsPerSecond: params.texts.length / (embedMs / 1000),
      crossOriginIsolated,
    };
  } finally {
    await encoder.dispose();
  }
}

declare global {
  interface Window {
    loupeHarness: { run: typeof run; environment: typeof environment };
  }
}
window.loupeHarness = { run, environment };

const out = document.getElementById('out')!;
environment().then((env) => (out.textContent = `Environment: ${JSON.stringify(env, null, 2)}`));
document.getElementById('check')!.addEventListener('click', async () => {
  out.textContent = 'Running…';
  try {
    const texts = ['Receiving block blk_1 src: /10.0.0.1:50010', 'instruction cache parity error corrected', 'session opened for user root'];
    const result = await run({ device: 'auto', texts, surprise: true, returnVectors: false });
    out.textContent = JSON.stringify({ environment: await environment(), ...result }, null, 2);
  } catch (error) {
    out.textContent = `Failed: ${(error as Error).message}`;
  }
});
