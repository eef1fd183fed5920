/**
 * Which tokens each masked pass hides. Exact pseudo-log-likelihood masks one token per pass (n
 * passes for n tokens); with a stride k, tokens k apart are masked together (k passes), trading a
 * little context for k-fold fewer tokens through the model.
 */

/**
 * Tokens masked together per pass when scoring texts by surprise, the one value every caller uses
 * (the per-text score, its cache key, saliency): every 4th token, so a text costs about 4 passes
 * instead of one per token. Measured on BGL_2k with the bundled model: AUROC 0.926 / AP 0.712 at
 * stride 4 against 0.919 / 0.701 exact, 4.5x faster. 1 = exact pseudo-log-likelihood.
 */
export const SURPRISE_MASK_STRIDE = 4;

export interface MaskedPass {
  /** Index of the text the pass belongs to. */
  text: number;
  /** Positions (in the full sequence, [CLS] at 0) masked in this pass. */
  positions: number[];
}

/**
 * `contentLengths[i]` is the number of tokens of text i between its leading and trailing special
 * tokens; content starts at `prefixLength`. `maskStride` ≤ 1 (or ≥ the length) means one mask per pass.
 */
export function planMaskedPasses(contentLengths: ArrayLike<number>, maskStride: number, prefixLength = 1): MaskedPass[] {
  const passes: MaskedPass[] = [];
  for (let text = 0; text < contentLengths.length; text++) {
    const n = contentLengths[text];
    const stride = maskStride > 1 && maskStride < n ? maskStride : n;
    for (let offset = 0; offset < stride; offset++) {
      const positions: number[] = [];
      for (let t = offset; t < n; t += stride) positions.push(prefixLength + t);
      passes.push({ text, positions });
    }
  }
  return passes;
}

/** −ln softmax(logits)[trueId] for the `vocab`-long logit row starting at `offset`, in nats. */
export function negativeLogProbability(logits: Float32Array, offset: number, vocab: number, trueId: number): number {
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) if (logits[offset + v] > max) max = logits[offset + v];
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v] - max);
  return max + Math.log(sum) - logits[offset + trueId];
}
