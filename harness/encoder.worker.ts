/**
 * The encoder in a worker for the diagnostics page, as the app runs it (off the page's thread),
 * exposed with Comlink like the analysis worker. Vectors come back transferred.
 */
import * as Comlink from 'comlink';
import type { EncoderInfo, EncoderProgress, SurpriseResult } from '../src/core/embed/encoder';
import type { DeviceRequest, EncoderSource } from '../src/core/embed/encoderSettings';
import { createEncoder, type EncoderPlaces, type EncoderTuning } from '../src/core/embed/createEncoder';
import type { TransformersEncoder } from '../src/core/embed/transformersEncoder';

let encoder: TransformersEncoder | undefined;
let controller = new AbortController();

function loaded(): TransformersEncoder {
  if (!encoder) throw new Error('No encoder loaded: call load() first');
  return encoder;
}

function freshSignal(): AbortSignal {
  controller = new AbortController();
  return controller.signal;
}

const api = {
  async load(
    source: EncoderSource,
    device: DeviceRequest,
    places: EncoderPlaces,
    tuning: EncoderTuning,
  ): Promise<{ dims: number; hasMlmHead: boolean; info: EncoderInfo }> {
    await encoder?.dispose();
    encoder = undefined;
    encoder = await createEncoder(source, device, places, tuning);
    return { dims: encoder.dims, hasMlmHead: encoder.hasMlmHead, info: encoder.info };
  },
  async embed(texts: string[], onProgress?: (p: EncoderProgress) => void): Promise<Float32Array> {
    const vectors = await loaded().embed(texts, { onProgress, signal: freshSignal() });
    return Comlink.transfer(vectors, [vectors.buffer]);
  },
  surprise(texts: string[], onProgress?: (p: EncoderProgress) => void): Promise<SurpriseResult[]> {
    return loaded().surprise(texts, { onProgress, signal: freshSignal() });
  },
  cancel(): void {
    controller.abort(new DOMException('Cancelled', 'AbortError'));
  },
  async dispose(): Promise<void> {
    await encoder?.dispose();
    encoder = undefined;
  },
};

export type HarnessWorkerApi = typeof api;

Comlink.expose(api);
