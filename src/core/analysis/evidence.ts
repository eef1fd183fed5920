/**
 * Records → evidence per distinct text: the encoder's vectors and masked-token surprise (cached by
 * model and text), or TF-IDF vectors when no encoder is available.
 */
import type { EncodeOptions, Encoder, EncoderInfo } from '../embed/encoder';
import { SURPRISE_MASK_STRIDE } from '../embed/maskPlan';
import { embedWithCache, type VectorCache } from '../embed/vectorCache';
import { TfidfVectorizer } from '../detect/tfidf';
import type { PipelineProgress, RecordsResult } from './records';

export interface TextEvidence {
  /** Row-major vectors of the target texts (and of the reference texts, when given). */
  vectors: Float32Array;
  referenceVectors?: Float32Array;
  dims: number;
  /** Mean masked-token surprise of each target text; undefined without an MLM head. */
  surprise?: Float32Array;
  referenceSurprise?: Float32Array;
  encoder?: EncoderInfo & { hasMlmHead: boolean; modelNote?: string };
  /** Why the encoder was not used (vectors are then TF-IDF). */
  encoderError?: string;
  /** The TF-IDF vectoriser, when vectors are TF-IDF: saliency variants are vectorised with it. */
  tfidf?: TfidfVectorizer;
}

/** The dimension of TF-IDF vectors used when no encoder is available. */
export const TFIDF_DIMS = 256;

/**
 * The per-text surprise as a one-float "vector", so the vector cache keeps it too: surprise is the
 * costliest thing the encoder computes.
 */
function surpriseAsVectors(encoder: Encoder): Pick<Encoder, 'embed' | 'dims' | 'info'> {
  return {
    dims: 1,
    info: { ...encoder.info, modelId: `${encoder.info.modelId}#mean-surprise-stride${SURPRISE_MASK_STRIDE}` },
    embed: async (texts, opts) =>
      Float32Array.from(await encoder.surprise(texts, { ...opts, maskStride: SURPRISE_MASK_STRIDE }), (r) =>
        Number.isNaN(r.mean) ? 0 : r.mean,
      ),
  };
}

/** Mean masked-token surprise of each text (cached like vectors). */
async function meanSurprise(encoder: Encoder, texts: string[], cache?: VectorCache, opts: EncodeOptions = {}): Promise<Float32Array> {
  const asVectors = surpriseAsVectors(encoder);
  return cache ? embedWithCache(asVectors, cache, texts, opts) : asVectors.embed(texts, opts);
}

export async function gatherEvidence(
  records: RecordsResult,
  encoder: Encoder | undefined,
  onProgress?: (p: PipelineProgress) => void,
  signal?: AbortSignal,
  cache?: VectorCache,
): Promise<TextEvidence> {
  const targetTexts = records.targetTexts.texts;
  const referenceTexts = records.reference?.texts.texts ?? [];
  if (!encoder) {
    const population = records.reference?.texts ?? records.targetTexts;
    const tfidf = new TfidfVectorizer(TFIDF_DIMS).fit(population.texts, population.counts);
    return {
      vectors: tfidf.transform(targetTexts),
      referenceVectors: records.reference ? tfidf.transform(referenceTexts) : undefined,
      dims: TFIDF_DIMS,
      encoderError: 'No encoder loaded: vectors are TF-IDF.',
      tfidf,
    };
  }
  const all = [...referenceTexts, ...targetTexts];
  const embedOptions = {
    signal,
    onProgress: (p: { done: number; total: number }) => onProgress?.({ stage: 'embed', done: p.done, total: p.total, message: 'vectors' }),
  };
  const vectors = cache ? await embedWithCache(encoder, cache, all, embedOptions) : await encoder.embed(all, embedOptions);
  const dims = encoder.dims;
  const split = referenceTexts.length * dims;
  const evidence: TextEvidence = {
    vectors: vectors.subarray(split),
    referenceVectors: records.reference ? vectors.subarray(0, split) : undefined,
    dims,
    encoder: { ...encoder.info, hasMlmHead: encoder.hasMlmHead },
  };
  // Surprise feeds every detector (the forest takes it as a feature), so it is computed whenever
  // the model can: for the reference too, which the forest is then fitted on.
  if (encoder.hasMlmHead) {
    const surprise = await meanSurprise(encoder, all, cache, {
      signal,
      onProgress: (p) => onProgress?.({ stage: 'embed', done: p.done, total: p.total, message: 'surprise' }),
    });
    evidence.surprise = surprise.subarray(referenceTexts.length);
    if (records.reference) evidence.referenceSurprise = surprise.subarray(0, referenceTexts.length);
  }
  return evidence;
}
