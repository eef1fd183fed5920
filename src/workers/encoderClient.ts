/**
 * Starts the encoder worker and presents it as an `Encoder`, so callers on the page use the same
 * interface as code running inside a worker.
 */
import * as Comlink from 'comlink';
import type { EncodeOptions, Encoder, EncoderInfo, SurpriseOptions, SurpriseResult } from '../core/embed/encoder';
import type { TransformersEncoderSettings } from '../core/embed/encoderSettings';
import type { EncoderWorkerApi } from './encoder.worker';

export class RemoteEncoder implements Encoder {
  private constructor(
    private readonly worker: Worker,
    private readonly remote: Comlink.Remote<EncoderWorkerApi>,
    readonly dims: number,
    readonly hasMlmHead: boolean,
    readonly info: EncoderInfo,
  ) {}

  static async start(settings: TransformersEncoderSettings): Promise<RemoteEncoder> {
    settings = withPageUrls(settings);
    const worker = new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module', name: 'loupe-encoder' });
    const remote = Comlink.wrap<EncoderWorkerApi>(worker);
    try {
      const description = await remote.load(settings);
      return new RemoteEncoder(worker, remote, description.dims, description.hasMlmHead, description.info);
    } catch (error) {
      worker.terminate();
      throw error;
    }
  }

  embed(texts: string[], opts: EncodeOptions = {}): Promise<Float32Array> {
    return this.withSignal(opts.signal, () => this.remote.embed(texts, opts.onProgress && Comlink.proxy(opts.onProgress)));
  }

  surprise(texts: string[], opts: SurpriseOptions = {}): Promise<SurpriseResult[]> {
    return this.withSignal(opts.signal, () =>
      this.remote.surprise(texts, { maskStride: opts.maskStride }, opts.onProgress && Comlink.proxy(opts.onProgress)),
    );
  }

  async dispose(): Promise<void> {
    await this.remote.dispose();
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }

  private async withSignal<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    const cancel = () => void this.remote.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await call();
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }
}

/**
 * Inside the worker `location` is the worker script (under assets/), so page-relative defaults are
 * resolved here, against the page: ORT's runtime files in `ort/` and bundled models in `models/`.
 */
export function withPageUrls(settings: TransformersEncoderSettings, base = document.baseURI): TransformersEncoderSettings {
  return {
    ...settings,
    wasmPaths: typeof settings.wasmPaths === 'object' ? settings.wasmPaths : new URL(settings.wasmPaths ?? 'ort/', base).href,
    localModelPath: new URL(settings.localModelPath ?? 'models/', base).href,
  };
}

/** Starts an encoder worker and loads the model described by `settings` in it. */
export function startEncoderWorker(settings: TransformersEncoderSettings): Promise<RemoteEncoder> {
  return RemoteEncoder.start(settings);
}
