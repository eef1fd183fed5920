/** How the analyst chose the encoder: one settings object for every source and device. */

/** File name (relative to the model folder, e.g. `onnx/model.onnx`) → its bytes. */
export type ModelFileMap = Map<string, Blob | ArrayBuffer | Uint8Array> | Record<string, Blob | ArrayBuffer | Uint8Array>;

export type EncoderSource =
  /** Loupe's own log BERT, shipped at `<localModelPath>/loupe-log-bert/`. */
  | { kind: 'bundled'; name?: string }
  /** A Hugging Face model id, fetched through transformers.js from `remoteHost` (default the Hub). */
  | { kind: 'hub'; modelId: string; remoteHost?: string }
  /**
   * A folder the analyst picked (file map) or a folder by base URL / directory path. The layout is
   * the Hub's: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx.
   */
  | { kind: 'local'; name?: string; files: ModelFileMap | string };

export type DeviceRequest = 'auto' | 'webgpu' | 'wasm' | 'cpu';

export interface TransformersEncoderSettings {
  source: EncoderSource;
  /** 'auto': WebGPU on a real GPU adapter, else WASM (browser); onnxruntime-node CPU (Node). */
  device: DeviceRequest;
  /** WASM threads (default defaultWasmThreads(cores) when crossOriginIsolated, else 1) or Node intra-op threads. */
  threads?: number;
  /**
   * ORT's runtime files, served from the app's own origin (never a CDN): a folder URL holding the
   * files scripts/copy-ort-assets.mjs copies (default `<page>/ort/`; the build is chosen per
   * device), or exact `{ mjs, wasm }` URLs of one build.
   */
  wasmPaths?: string | { mjs: string; wasm: string };
  /** Base of bundled models: a URL (browser, default `<page>/models/`) or directory (Node, default `public/models/`). */
  localModelPath?: string;
  /** Padded tokens per batch when embedding (default 8192: WASM gained ~1.6x over 2048 in bench/encoder.ts). */
  tokenBudget?: number;
}

export const BUNDLED_MODEL_NAME = 'loupe-log-bert';
export const DEFAULT_TOKEN_BUDGET = 8192;
