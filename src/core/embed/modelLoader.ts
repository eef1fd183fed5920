/**
 * Loads tokenizer + ONNX session through transformers.js for any source and device, recording the
 * device actually used and why a faster one was not.
 */
import { AutoConfig, AutoModel, AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { EncoderError, type EncoderDevice } from './encoder';
import type { DeviceRequest, TransformersEncoderSettings } from './encoderSettings';
import {
  MODEL_FILE,
  SURPRISE_MODEL_NAME,
  VECTORS_MODEL_NAME,
  modelFetch,
  resolveSource,
  type FileLog,
  type ResolvedSource,
} from './modelFiles';
import { MASKED_LOG_PROB } from './maskedHead';
import { SerialQueue } from './serialQueue';

/** The parts of an onnxruntime tensor and session used here (web and node builds share them). */
export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
  dispose?(): void;
}
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches: string[]): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}

export interface LoadedModel {
  tokenizer: PreTrainedTokenizer;
  session: OrtSession;
  /** The same weights without the masked-LM head, for vectors (see onnxGraph.ts); absent when it could not be made. */
  vectorsSession?: OrtSession;
  /** The same weights with the head run only at masked positions, for surprise (see onnxGraph.ts); absent when it could not be made. */
  surpriseSession?: OrtSession;
  config: Record<string, unknown>;
  device: EncoderDevice;
  fallbackReason?: string;
  threads: number;
  modelId: string;
  dispose(): Promise<void>;
}

const isNode =
  typeof globalThis.process?.versions?.node === 'string' &&
  typeof globalThis.document === 'undefined' &&
  !('WorkerGlobalScope' in globalThis);

// transformers.js keeps its settings in one global `env`: loads take turns so each sees its own.
const loads = new SerialQueue();

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** The devices to try in order, and why better ones are skipped. */
async function deviceCandidates(request: DeviceRequest): Promise<{ devices: EncoderDevice[]; reason?: string }> {
  if (isNode) {
    if (request === 'wasm' || request === 'webgpu') {
      return { devices: ['cpu'], reason: `${request} is a browser device; Node runs onnxruntime-node on the CPU` };
    }
    return { devices: ['cpu'] };
  }
  if (request === 'wasm' || request === 'cpu') return { devices: ['wasm'] };
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { devices: ['wasm'], reason: 'WebGPU is not available in this browser (navigator.gpu is missing)' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { devices: ['wasm'], reason: `WebGPU adapter request failed: ${(error as Error).message}` };
  }
  if (!adapter) return { devices: ['wasm'], reason: 'WebGPU has no adapter (requestAdapter() returned null)' };
  const software = adapter.isFallbackAdapter || /swiftshader/i.test(adapter.info?.architecture ?? '');
  if (software && request === 'auto') {
    return {
      devices: ['wasm'],
      reason: `WebGPU adapter is a software fallback (${adapter.info?.architecture || 'fallback'}), slower than WASM`,
    };
  }
  return { devices: ['webgpu', 'wasm'] };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns a loading failure into an EncoderError naming the file at fault. */
function fileError(error: unknown, file: string, source: ResolvedSource, log: FileLog): EncoderError {
  if (error instanceof EncoderError) return error;
  const missing = log.missing.find((name) => !name.endsWith('_data') && !name.startsWith('generation_config'));
  if (missing) return new EncoderError(`Model file ${missing} was not found in ${source.where}`, missing, { cause: error });
  return new EncoderError(`Could not load ${file} from ${source.where}: ${describe(error)}`, file, { cause: error });
}

export function loadModel(settings: TransformersEncoderSettings): Promise<LoadedModel> {
  return loads.run(() => loadModelNow(settings));
}

async function loadModelNow(settings: TransformersEncoderSettings): Promise<LoadedModel> {
  const saved = {
    fetch: env.fetch,
    remoteHost: env.remoteHost,
    allowRemoteModels: env.allowRemoteModels,
    allowLocalModels: env.allowLocalModels,
    useBrowserCache: env.useBrowserCache,
    useFSCache: env.useFSCache,
    useCustomCache: env.useCustomCache,
    customCache: env.customCache,
  };
  const log: FileLog = { missing: [], fingerprints: new Map() };
  const source = resolveSource(settings.source, settings.localModelPath, saved.fetch);
  const threads = configureThreads(settings);
  env.fetch = modelFetch(source, saved.fetch, log);
  env.remoteHost = source.remoteHost;
  env.allowRemoteModels = true;
  env.allowLocalModels = false;
  // Local files need no second copy; Hub downloads may use the browser cache, never node_modules.
  env.useBrowserCache = saved.useBrowserCache && !source.read;
  env.useFSCache = false;
  if (isNode) {
    // In Node transformers.js asks for the model as a file path and reads fetched bodies back from
    // its cache; a cache that lives only for this load avoids writing files into node_modules.
    env.useCustomCache = true;
    env.customCache = transientCache();
  }
  const options = { revision: source.revision };
  try {
    let config: Record<string, unknown>;
    try {
      config = (await AutoConfig.from_pretrained(source.repoId, options)) as unknown as Record<string, unknown>;
    } catch (error) {
      throw fileError(error, 'config.json', source, log);
    }
    let tokenizer: PreTrainedTokenizer;
    try {
      tokenizer = await AutoTokenizer.from_pretrained(source.repoId, options);
    } catch (error) {
      throw fileError(error, 'tokenizer.json', source, log);
    }
    const { devices, reason } = await deviceCandidates(settings.device);
    configureWasmPaths(settings, devices.includes('webgpu'));
    let fallbackReason = reason;
    for (let i = 0; i < devices.length; i++) {
      const device = devices[i];
      try {
        const model = await AutoModel.from_pretrained(source.repoId, {
          ...options,
          // The config object is already parsed; passing it keeps a second fetch away.
          config: config as never,
          device,
          dtype: 'fp32',
          session_options: sessionOptions(settings, device),
        });
        const session = (model as unknown as { sessions: Record<string, OrtSession> }).sessions.model;
        if (!session) throw new EncoderError(`${MODEL_FILE} in ${source.where} gave no session`, MODEL_FILE);
        if (!session.outputNames.includes('last_hidden_state')) {
          await model.dispose();
          throw new EncoderError(
            `${MODEL_FILE} in ${source.where} has no last_hidden_state output (outputs: ${session.outputNames.join(', ')})`,
            MODEL_FILE,
          );
        }
        const weights = log.fingerprints.get(MODEL_FILE);
        const derivedOptions = { ...options, config, device, session_options: sessionOptions(settings, device) };
        const hasHead = session.outputNames.includes('logits');
        const vectors = hasHead ? await derivedModel(source.repoId, VECTORS_MODEL_NAME, 'last_hidden_state', derivedOptions) : undefined;
        const surprise = hasHead ? await derivedModel(source.repoId, SURPRISE_MODEL_NAME, MASKED_LOG_PROB, derivedOptions) : undefined;
        return {
          tokenizer,
          session,
          vectorsSession: vectors?.session,
          surpriseSession: surprise?.session,
          config,
          device,
          fallbackReason,
          threads,
          modelId: weights ? `${source.label}#${weights}` : source.label,
          dispose: () => Promise.all([model.dispose(), vectors?.dispose(), surprise?.dispose()]).then(() => undefined),
        };
      } catch (error) {
        if (i < devices.length - 1 && !(error instanceof EncoderError) && log.missing.length === 0) {
          fallbackReason = `${device} failed: ${describe(error)}`;
          continue;
        }
        const wrapped = fileError(error, MODEL_FILE, source, log);
        if (!(error instanceof EncoderError) && log.missing.length === 0) {
          throw new EncoderError(`${MODEL_FILE} in ${source.where} could not be loaded as an ONNX model: ${describe(error)}`, MODEL_FILE, {
            cause: error,
          });
        }
        throw wrapped;
      }
    }
    throw new EncoderError(`No device could run ${MODEL_FILE}`, MODEL_FILE);
  } finally {
    Object.assign(env, saved);
  }
}

/**
 * A session on a graph modelFetch cuts from the model's own bytes (`onnx/vectors.onnx` without
 * the masked-LM head, `onnx/surprise.onnx` with the head only at masked positions). Their values
 * are those of the full graph; a failure only costs speed, so it is not an error.
 */
async function derivedModel(
  repoId: string,
  name: string,
  output: string,
  options: Record<string, unknown>,
): Promise<{ session: OrtSession; dispose(): Promise<unknown> } | undefined> {
  try {
    const model = await AutoModel.from_pretrained(repoId, { ...options, dtype: 'fp32', model_file_name: name } as never);
    const session = (model as unknown as { sessions: Record<string, OrtSession> }).sessions.model;
    if (session?.outputNames.includes(output)) return { session, dispose: () => model.dispose() };
    await model.dispose();
  } catch {
    // Control flow in the graph, a head that is not position-wise, or a Hub model already in the
    // browser cache (its bytes never passed through modelFetch): the full graph serves instead.
  }
  return undefined;
}

/** A Web-Cache-like store in memory, dropped when the load ends. */
function transientCache(): { match(key: string): Promise<Response | undefined>; put(key: string, response: Response): Promise<void> } {
  const bodies = new Map<string, ArrayBuffer>();
  return {
    match: async (key) => {
      const body = bodies.get(key);
      return body ? new Response(body, { status: 200 }) : undefined;
    },
    put: async (key, response) => {
      bodies.set(key, await response.arrayBuffer());
    },
  };
}

function sessionOptions(settings: TransformersEncoderSettings, device: EncoderDevice): Record<string, unknown> {
  const options: Record<string, unknown> = { graphOptimizationLevel: 'all' };
  if (device === 'cpu' && settings.threads) options.intraOpNumThreads = settings.threads;
  return options;
}

/**
 * WASM threads when the analyst did not choose: one core left for the page from 3 cores up (on a
 * 2-core machine 2 threads still embed 1.8x faster than 1, bench/encoder.ts), at most 4, where
 * ONNX Runtime Web's own default stops. An unknown core count counts as 2.
 */
export function defaultWasmThreads(cores: number | undefined): number {
  const known = cores !== undefined && Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 2;
  return known <= 2 ? known : Math.min(4, known - 1);
}

/** Sets ORT's wasm threads (browser) and returns the thread count in use. */
function configureThreads(settings: TransformersEncoderSettings): number {
  if (isNode) return settings.threads ?? 0;
  // Threads beyond 1 need SharedArrayBuffer, which only cross-origin isolated pages have.
  const threads = globalThis.crossOriginIsolated ? (settings.threads ?? defaultWasmThreads(globalThis.navigator?.hardwareConcurrency)) : 1;
  const wasm = env.backends.onnx.wasm;
  if (wasm) wasm.numThreads = threads;
  return threads;
}

/**
 * Picks ORT's runtime build. The asyncify build carries WebGPU; the plain SIMD-threaded build is
 * CPU-only and measured ~2x faster for WASM inference (bench/encoder.ts), so it is used whenever
 * WebGPU will not be tried. ORT loads its runtime once per worker: the first model decides.
 */
function configureWasmPaths(settings: TransformersEncoderSettings, webgpu: boolean): void {
  const wasm = env.backends.onnx.wasm;
  if (isNode || !wasm) return;
  if (typeof settings.wasmPaths === 'object') {
    wasm.wasmPaths = settings.wasmPaths;
    return;
  }
  const folder = new URL(settings.wasmPaths ?? 'ort/', globalThis.location.href).href;
  wasm.wasmPaths = ortRuntimeFiles(folder, webgpu);
}

/** URLs of the ORT runtime files in `folder` (scripts/copy-ort-assets.mjs puts them in `ort/`). */
export function ortRuntimeFiles(folder: string, webgpu: boolean): { mjs: string; wasm: string } {
  const base = folder.endsWith('/') ? folder : `${folder}/`;
  const build = webgpu ? 'ort-wasm-simd-threaded.asyncify' : 'ort-wasm-simd-threaded';
  return { mjs: `${base}${build}.mjs`, wasm: `${base}${build}.wasm` };
}
