/**
 * The encoder in a Web Worker, exposed through Comlink. Vectors come back transferred (no copy),
 * progress goes out through a Comlink.proxy callback, and `cancel` aborts the call in flight.
 */
import * as Comlink from 'comlink';
import type { EncoderInfo, EncoderProgress, SurpriseOptions, SurpriseResult } from '../core/embed/encoder';
import type { TransformersEncoderSettings } from '../core/embed/encoderSettings';
import { createTransformersEncoder, type TransformersEncoder } from '../core/embed/transformersEncoder';

export interface EncoderDescription {
  dims: number;
  hasMlmHead: boolean;
  info: EncoderInfo;
}

let encoder: TransformersEncoder | undefined;
let controller = new AbortController();

function loaded(): TransformersEncoder {
  if (!encoder) throw new Error('No encoder loaded: call load(settings) first');
  return encoder;
}

function freshSignal(): AbortSignal {
  controller = new AbortController();
  return controller.signal;
}

const api = {
  async load(settings: TransformersEncoderSettings): Promise<EncoderDescription> {
    const previous = encoder;
    encoder = undefined;
    await previous?.dispose();
    encoder = await createTransformersEncoder(settings);
    return { dims: encoder.dims, hasMlmHead: encoder.hasMlmHead, info: encoder.info };
  },

  async embed(texts: string[], onProgress?: (p: EncoderProgress) => void): Promise<Float32Array> {
    const vectors = await loaded().embed(texts, { onProgress, signal: freshSignal() });
    return Comlink.transfer(vectors, [vectors.buffer]);
  },

  async surprise(texts: string[], opts: Pick<SurpriseOptions, 'maskStride'> = {}, onProgress?: (p: EncoderProgress) => void): Promise<SurpriseResult[]> {
    return loaded().surprise(texts, { ...opts, onProgress, signal: freshSignal() });
  },

  cancel(): void {
    controller.abort(new DOMException('Cancelled by the analyst', 'AbortError'));
  },

  async dispose(): Promise<void> {
    await encoder?.dispose();
    encoder = undefined;
  },
};

export type EncoderWorkerApi = typeof api;

Comlink.expose(api);
