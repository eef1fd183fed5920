/**
 * The encoder contract: texts → vectors, and texts → masked-token surprise.
 *
 * Implementations keep one inference session and serialise calls on it (concurrent WebGPU runs
 * fail), sort texts by token length before batching (less padding) and give results back in
 * input order.
 */

export interface EncoderProgress {
  /** Texts finished so far and in total for this call. */
  done: number;
  total: number;
}

export interface EncodeOptions {
  onProgress?: (progress: EncoderProgress) => void;
  /** Aborting rejects the call with the signal's reason (an `AbortError` by default) between batches. */
  signal?: AbortSignal;
}

export interface SurpriseOptions extends EncodeOptions {
  /**
   * Positions masked in the same pass are this many tokens apart (default SURPRISE_MASK_STRIDE, in
   * maskPlan.ts: every caller should keep it, so a text's surprise is the same number everywhere).
   * 1 masks one token per pass: exact pseudo-log-likelihood, one pass per token.
   */
  maskStride?: number;
}

/** A word of the original text (BERT pre-tokenisation: whitespace-separated, punctuation alone). */
export interface SurpriseWord {
  text: string;
  /** UTF-16 offsets of the word in the original text: `text === original.slice(start, end)`. */
  start: number;
  end: number;
  /** Index range [firstToken, endToken) of its WordPiece tokens in `tokens` (special tokens excluded). */
  firstToken: number;
  endToken: number;
  /** Largest surprise among its pieces: one badly predicted piece is enough to flag the word. */
  surprise: number;
}

export interface SurpriseResult {
  /** WordPiece tokens of the text (without [CLS]/[SEP]), after truncation to the model's length. */
  tokens: string[];
  /** −ln p(true token | text with that token masked), one per token, in nats. */
  tokenSurprise: Float32Array;
  words: SurpriseWord[];
  /** Mean token surprise (NaN for a text without tokens). */
  mean: number;
  /** Largest token surprise (NaN for a text without tokens). */
  max: number;
}

export type EncoderDevice = 'webgpu' | 'wasm' | 'cpu';

export interface EncoderInfo {
  /** What identifies the weights: vectors are cached under it. */
  modelId: string;
  device: EncoderDevice;
  /** Why a faster device asked for (or chosen by 'auto') was not used. */
  fallbackReason?: string;
  /** WASM threads (browser) or intra-op threads (Node; 0 = ONNX Runtime's default). */
  threads: number;
  /** Longest token sequence fed to the model (longer texts are truncated). */
  maxTokens: number;
  /** Vectors come from a graph without the masked-LM head (same values, less work). */
  vectorsWithoutHead?: boolean;
  /** Surprise comes from a graph that runs the masked-LM head only at masked positions (same values, less work). */
  surpriseHeadGathered?: boolean;
}

export interface Encoder {
  readonly dims: number;
  readonly hasMlmHead: boolean;
  readonly info: EncoderInfo;
  /**
   * One row of `dims` floats per text, row-major, in input order: the attention-masked mean of
   * last_hidden_state, L2-normalised (an empty text gives the pooled [CLS] [SEP] vector).
   */
  embed(texts: string[], opts?: EncodeOptions): Promise<Float32Array>;
  /** Pseudo-log-likelihood surprise per token and word. Throws an EncoderError without an MLM head. */
  surprise(texts: string[], opts?: SurpriseOptions): Promise<SurpriseResult[]>;
  dispose(): Promise<void>;
}

/** A model could not be loaded or run; `file` names the model file at fault when known. */
export class EncoderError extends Error {
  readonly file?: string;
  constructor(message: string, file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EncoderError';
    this.file = file;
  }
}

/** Throws the signal's reason when it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
  }
}
