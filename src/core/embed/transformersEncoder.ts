/**
 * The Encoder on @huggingface/transformers: its tokenizer and model loading (Hub, bundled, picked
 * folder), then direct runs of the ONNX session so each call fetches only the output it needs
 * (last_hidden_state for vectors, logits for surprise).
 */
import { Tensor } from '@huggingface/transformers';
import {
  EncoderError,
  throwIfAborted,
  type EncodeOptions,
  type Encoder,
  type EncoderInfo,
  type SurpriseOptions,
  type SurpriseResult,
  type SurpriseWord,
} from './encoder';
import { DEFAULT_TOKEN_BUDGET, type TransformersEncoderSettings } from './encoderSettings';
import { eachBatch, planBatches, padBatch, type PaddedBatch } from './batching';
import { SURPRISE_MASK_STRIDE, planMaskedPasses, negativeLogProbability, type MaskedPass } from './maskPlan';
import { loadModel, type LoadedModel, type OrtTensor } from './modelLoader';
import { MASKED_LOG_PROB, MASKED_POSITIONS, MASKED_TOKEN_IDS } from './maskedHead';
import { poolMeanNormalized } from './pooling';
import { SerialQueue } from './serialQueue';
import { WordTokenizer, type TokenizedText } from './wordTokenizer';

/**
 * Logit floats computed per surprise batch (rows of `vocab`): bounds the memory one run takes,
 * 32 MB of logits (and as much for their log-softmax) at most.
 */
const LOGIT_BUDGET = 8_000_000;
/** Sequences per batch at most (planBatches' default). */
const MAX_BATCH_ROWS = 256;

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One model input of the surprise pass: a text with some tokens masked, and the passes (of one or more texts) it serves. */
interface MaskedRow {
  ids: number[];
  /** Masked positions (the same in every pass the row serves). */
  positions: number[];
  /** Indices of those passes. */
  passes: number[];
}

export class TransformersEncoder implements Encoder {
  readonly dims: number;
  readonly hasMlmHead: boolean;
  readonly info: EncoderInfo;
  private readonly queue = new SerialQueue();
  private readonly words: WordTokenizer;
  private readonly idToToken: string[];
  private readonly padId: number;
  private readonly maskId: number;
  private readonly prefixLength: number;
  private readonly suffixLength: number;
  private readonly needsTokenTypes: boolean;
  private readonly tokenBudget: number;
  private readonly vocabSize: number;

  private constructor(
    private readonly model: LoadedModel,
    settings: TransformersEncoderSettings,
  ) {
    const { tokenizer, session, config } = model;
    this.dims = Number(config.hidden_size);
    this.hasMlmHead = session.outputNames.includes('logits');
    const vocab = tokenizer.get_vocab();
    this.idToToken = [];
    for (const [token, id] of vocab) this.idToToken[id] = token;
    this.vocabSize = Number(config.vocab_size) || this.idToToken.length;
    this.padId = tokenizer.pad_token_id ?? 0;
    this.maskId = tokenizer.mask_token_id ?? vocab.get('[MASK]') ?? -1;
    // The special tokens framing any text ([CLS] … [SEP] for BERT), read from the tokenizer itself.
    const frame = tokenizer.encode('');
    this.prefixLength = Math.min(1, frame.length);
    this.suffixLength = frame.length - this.prefixLength;
    const positions = Number(config.max_position_embeddings) || 512;
    // Log messages are short: 128 tokens covers them, and attention cost grows with the square.
    const maxTokens = Math.min(128, positions);
    this.words = new WordTokenizer(
      { encodeWord: (word) => tokenizer.encode(word, { add_special_tokens: false }) },
      frame.slice(0, this.prefixLength),
      frame.slice(this.prefixLength),
      maxTokens,
    );
    this.needsTokenTypes = session.inputNames.includes('token_type_ids');
    this.tokenBudget = settings.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
    this.info = {
      modelId: model.modelId,
      device: model.device,
      fallbackReason: model.fallbackReason,
      threads: model.threads,
      maxTokens,
      vectorsWithoutHead: model.vectorsSession !== undefined,
      surpriseHeadGathered: model.surpriseSession !== undefined,
    };
  }

  static async create(settings: TransformersEncoderSettings): Promise<TransformersEncoder> {
    const model = await loadModel(settings);
    const encoder = new TransformersEncoder(model, settings);
    if (!(encoder.dims > 0)) {
      await model.dispose();
      throw new EncoderError('config.json has no hidden_size', 'config.json');
    }
    return encoder;
  }

  /** Token ids of a text as the model sees it (special tokens included, truncated). */
  tokenize(text: string): TokenizedText {
    return this.words.tokenize(text);
  }

  embed(texts: string[], opts: EncodeOptions = {}): Promise<Float32Array> {
    return this.queue.run(async () => {
      throwIfAborted(opts.signal);
      const out = new Float32Array(texts.length * this.dims);
      const sequences = texts.map((text) => this.words.tokenize(text).ids);
      const batches = planBatches(
        sequences.map((ids) => ids.length),
        this.tokenBudget,
      );
      let done = 0;
      await eachBatch(batches, opts.signal, async (batch) => {
        const padded = padBatch(
          batch.map((i) => sequences[i]),
          this.padId,
        );
        const hidden = await this.run(padded, 'last_hidden_state');
        poolMeanNormalized(hidden.data as Float32Array, padded.lengths, padded.width, this.dims, out, batch);
        hidden.dispose?.();
        done += batch.length;
        opts.onProgress?.({ done, total: texts.length });
      });
      return out;
    });
  }

  surprise(texts: string[], opts: SurpriseOptions = {}): Promise<SurpriseResult[]> {
    return this.queue.run(async () => {
      if (!this.hasMlmHead || this.maskId < 0) {
        throw new EncoderError(
          `${this.info.modelId} has no MLM head (no logits output or [MASK] token): surprise is unavailable`,
          'onnx/model.onnx',
        );
      }
      throwIfAborted(opts.signal);
      const tokenized = texts.map((text) => this.words.tokenize(text));
      const contentLengths = tokenized.map((t) => t.ids.length - this.prefixLength - this.suffixLength);
      const passes = planMaskedPasses(contentLengths, opts.maskStride ?? SURPRISE_MASK_STRIDE, this.prefixLength);
      const rows = this.maskedRows(passes, tokenized);
      const tokenSurprise = contentLengths.map((n) => new Float32Array(n).fill(NaN));
      const passesLeft = Int32Array.from(texts.map(() => 0));
      for (const pass of passes) passesLeft[pass.text]++;
      const lengths = rows.map((row) => row.ids.length);
      // Each scored position costs a vocabulary-wide row of logits inside the run: on the gathered
      // graph only masked positions do (once per text reading the row), on the full graph every position of every row.
      const logitRows = Math.max(1, Math.floor(LOGIT_BUDGET / this.vocabSize));
      const gathered = this.model.surpriseSession !== undefined;
      const batches = gathered
        ? planBatches(lengths, this.tokenBudget, MAX_BATCH_ROWS, {
            costs: rows.map((row) => row.positions.length * row.passes.length),
            budget: logitRows,
          })
        : planBatches(lengths, Math.min(this.tokenBudget, logitRows));
      let done = texts.length - passes.reduce((set, p) => set.add(p.text), new Set<number>()).size;
      await eachBatch(batches, opts.signal, async (batch) => {
        const batchRows = batch.map((r) => rows[r]);
        const padded = padBatch(
          batchRows.map((row) => row.ids),
          this.padId,
        );
        const scores = gathered
          ? await this.maskedSurprise(padded, batchRows, passes, tokenized)
          : await this.fullGraphSurprise(padded, batchRows, passes, tokenized);
        let k = 0;
        for (const row of batchRows) {
          for (const p of row.passes) {
            const pass = passes[p];
            for (const position of pass.positions) tokenSurprise[pass.text][position - this.prefixLength] = scores[k++];
            if (--passesLeft[pass.text] === 0) done++;
          }
        }
        opts.onProgress?.({ done, total: texts.length });
      });
      return tokenized.map((t, i) => this.surpriseResult(t, texts[i], tokenSurprise[i]));
    });
  }

  /**
   * The model inputs of the masked passes, each distinct one once: texts that differ only in tokens
   * a pass hides give that pass the same input (a template's variants often differ in one word),
   * so its run serves all of them, each reading its own true tokens. Same values, fewer rows.
   */
  private maskedRows(passes: MaskedPass[], tokenized: TokenizedText[]): MaskedRow[] {
    const rows: MaskedRow[] = [];
    // By a hash of the input, each candidate compared in full: no key strings for 10⁵ passes.
    const rowsOfHash = new Map<number, MaskedRow[]>();
    passes.forEach((pass, p) => {
      const ids = tokenized[pass.text].ids.slice();
      for (const position of pass.positions) ids[position] = this.maskId;
      let hash = 0x811c9dc5;
      for (const id of ids) hash = Math.imul(hash ^ id, 0x01000193);
      for (const position of pass.positions) hash = Math.imul(hash ^ (position + 0x10000), 0x01000193);
      const candidates = rowsOfHash.get(hash);
      // The positions too: a text may hold the mask token itself.
      const same = candidates?.find((row) => sameNumbers(row.ids, ids) && sameNumbers(row.positions, pass.positions));
      if (same) {
        same.passes.push(p);
        return;
      }
      const row = { ids, positions: pass.positions, passes: [p] };
      rows.push(row);
      if (candidates) candidates.push(row);
      else rowsOfHash.set(hash, [row]);
    });
    return rows;
  }

  /** −ln p(true token) at each masked position of the batch, in row, pass then position order, from the gathered-head graph. */
  private async maskedSurprise(
    batch: PaddedBatch,
    rows: MaskedRow[],
    passes: MaskedPass[],
    tokenized: TokenizedText[],
  ): Promise<Float32Array> {
    const flatPositions: bigint[] = [];
    const trueIds: bigint[] = [];
    rows.forEach((row, r) => {
      for (const p of row.passes) {
        for (const position of row.positions) {
          flatPositions.push(BigInt(r * batch.width + position));
          trueIds.push(BigInt(tokenized[passes[p].text].ids[position]));
        }
      }
    });
    const feeds = this.feeds(batch);
    feeds[MASKED_POSITIONS] = new Tensor('int64', BigInt64Array.from(flatPositions), [1, flatPositions.length]).ort_tensor;
    feeds[MASKED_TOKEN_IDS] = new Tensor('int64', BigInt64Array.from(trueIds), [1, trueIds.length, 1]).ort_tensor;
    const outputs = await this.model.surpriseSession!.run(feeds, [MASKED_LOG_PROB]);
    const logProbs = outputs[MASKED_LOG_PROB];
    const scores = Float32Array.from(logProbs.data as Float32Array, (logProb) => -logProb);
    logProbs.dispose?.();
    return scores;
  }

  /** The same from the full graph's logits (when the gathered graph could not be made). */
  private async fullGraphSurprise(
    batch: PaddedBatch,
    rows: MaskedRow[],
    passes: MaskedPass[],
    tokenized: TokenizedText[],
  ): Promise<Float32Array> {
    const logits = await this.run(batch, 'logits');
    const data = logits.data as Float32Array;
    const vocab = logits.dims[2];
    const scores: number[] = [];
    rows.forEach((row, r) => {
      for (const p of row.passes) {
        for (const position of row.positions) {
          scores.push(negativeLogProbability(data, (r * batch.width + position) * vocab, vocab, tokenized[passes[p].text].ids[position]));
        }
      }
    });
    logits.dispose?.();
    return Float32Array.from(scores);
  }

  async dispose(): Promise<void> {
    await this.queue.run(() => this.model.dispose());
  }

  private surpriseResult(tokenized: TokenizedText, text: string, tokenSurprise: Float32Array): SurpriseResult {
    const content = tokenized.ids.slice(this.prefixLength, this.prefixLength + tokenSurprise.length);
    const words: SurpriseWord[] = tokenized.words.map((span, w) => {
      const firstToken = tokenized.wordFirstToken[w];
      const endToken = tokenized.wordEndToken[w];
      let surprise = NaN;
      for (let t = firstToken; t < endToken; t++)
        surprise = Number.isNaN(surprise) ? tokenSurprise[t] : Math.max(surprise, tokenSurprise[t]);
      return { text: text.slice(span.start, span.end), start: span.start, end: span.end, firstToken, endToken, surprise };
    });
    let sum = 0;
    let max = NaN;
    for (const value of tokenSurprise) {
      sum += value;
      max = Number.isNaN(max) ? value : Math.max(max, value);
    }
    return {
      tokens: content.map((id) => this.idToToken[id] ?? `[${id}]`),
      tokenSurprise,
      words,
      mean: tokenSurprise.length > 0 ? sum / tokenSurprise.length : NaN,
      max,
    };
  }

  private feeds(batch: PaddedBatch): Record<string, OrtTensor> {
    const dims = [batch.rows, batch.width];
    const feeds: Record<string, OrtTensor> = {
      input_ids: new Tensor('int64', batch.inputIds, dims).ort_tensor,
      attention_mask: new Tensor('int64', batch.attentionMask, dims).ort_tensor,
    };
    if (this.needsTokenTypes) feeds.token_type_ids = new Tensor('int64', batch.tokenTypeIds, dims).ort_tensor;
    return feeds;
  }

  private async run(batch: PaddedBatch, output: 'last_hidden_state' | 'logits'): Promise<OrtTensor> {
    const feeds = this.feeds(batch);
    // Vectors on the graph without the vocabulary head when there is one: ~1.5x faster, same values.
    const session = output === 'last_hidden_state' ? (this.model.vectorsSession ?? this.model.session) : this.model.session;
    const outputs = await session.run(feeds, [output]);
    return outputs[output];
  }
}

/** Loads the model described by `settings` and returns a ready encoder. */
export function createTransformersEncoder(settings: TransformersEncoderSettings): Promise<TransformersEncoder> {
  return TransformersEncoder.create(settings);
}
