/**
 * The noise floor of explanations: effects smaller than a share of the spread of the shown scores
 * are too small to mean anything (the forest's own jitter between near-identical inputs is of
 * that order), so views draw them neutral rather than stretch a colour scale over them.
 */

/** Share of the spread of the shown scores below which an effect is noise. */
const NOISE_SHARE = 0.02;

/** The noise floor for scores spread over `spread` (max − min). */
export function noiseFloor(spread: number): number {
  return NOISE_SHARE * (Number.isFinite(spread) && spread > 0 ? spread : 1);
}
