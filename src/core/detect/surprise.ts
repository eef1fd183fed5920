/**
 * The `surprise` detector: a text is as anomalous as the model of normal log text finds its tokens
 * unexpected. Per-text score = mean token surprise (−ln p of each token when masked), or the max,
 * which flags a single odd word in an otherwise ordinary line.
 */
import type { Encoder, SurpriseOptions, SurpriseResult } from '../embed/encoder';

export type SurpriseAggregate = 'mean' | 'max';

export interface SurpriseScoreOptions extends SurpriseOptions {
  /** Which per-text statistic is the score (default 'mean'). */
  aggregate?: SurpriseAggregate;
}

export interface SurpriseScores {
  mean: Float32Array;
  max: Float32Array;
  /** Full per-token and per-word detail, in input order (for saliency views). */
  results: SurpriseResult[];
}

/** Mean and max surprise per text; a text without tokens scores 0 (nothing unexpected in it). */
export function surpriseStatistics(results: SurpriseResult[]): { mean: Float32Array; max: Float32Array } {
  const mean = new Float32Array(results.length);
  const max = new Float32Array(results.length);
  results.forEach((result, i) => {
    mean[i] = Number.isFinite(result.mean) ? result.mean : 0;
    max[i] = Number.isFinite(result.max) ? result.max : 0;
  });
  return { mean, max };
}

/** Surprise detail and statistics of each unique text. Throws an EncoderError without an MLM head. */
export async function surpriseOfTexts(encoder: Pick<Encoder, 'surprise'>, uniqueTexts: string[], opts: SurpriseOptions = {}): Promise<SurpriseScores> {
  const results = await encoder.surprise(uniqueTexts, opts);
  return { ...surpriseStatistics(results), results };
}

/** One score per unique text, higher = more anomalous. */
export async function scoreBySurprise(encoder: Pick<Encoder, 'surprise'>, uniqueTexts: string[], opts: SurpriseScoreOptions = {}): Promise<Float32Array> {
  const { aggregate = 'mean', ...surpriseOptions } = opts;
  const scores = await surpriseOfTexts(encoder, uniqueTexts, surpriseOptions);
  return aggregate === 'max' ? scores.max : scores.mean;
}
