/**
 * The one way Loupe gets an encoder (analysis worker, CLI, benchmarks, harness): the model the
 * analyst chose, the device asked for, and where this environment serves model and runtime files.
 */
import type { DeviceRequest, EncoderSource, TransformersEncoderSettings } from './encoderSettings';
import { createTransformersEncoder, type TransformersEncoder } from './transformersEncoder';

export interface EncoderPlaces {
  /** Base of bundled models: a URL (browser) or directory (Node); default `<page>/models/` or `./public/models/`. */
  modelsBase?: string;
  /** Folder URL of ONNX Runtime's wasm files (browser); default `<page>/ort/`. */
  ortBase?: string;
}

/** Runtime knobs the benchmarks vary; the app keeps the defaults. */
export type EncoderTuning = Pick<TransformersEncoderSettings, 'threads' | 'tokenBudget' | 'wasmPaths'>;

export function createEncoder(
  source: EncoderSource,
  device: DeviceRequest,
  places: EncoderPlaces = {},
  tuning: EncoderTuning = {},
): Promise<TransformersEncoder> {
  return createTransformersEncoder({
    source,
    device,
    localModelPath: places.modelsBase,
    wasmPaths: tuning.wasmPaths ?? places.ortBase,
    threads: tuning.threads,
    tokenBudget: tuning.tokenBudget,
  });
}
