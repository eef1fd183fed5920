/** Colours and numbers of explanation effects, shared by the evidence chart and the word heatmap. */
import { LEVEL_COLORS } from '../charts/palette';

/** Okabe-Ito pair: orange raised the score, blue lowered it. */
export const RAISES = LEVEL_COLORS.ERROR;
export const LOWERS = LEVEL_COLORS.INFO;

export function formatSigned(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  const digits = Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 0.1 ? 2 : 3;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)}`;
}

/**
 * Background of an effect on a diverging scale centred on zero: effects under the noise floor are
 * neutral (transparent); above it the tint grows with the effect up to `largest`.
 */
export function effectTint(value: number, noiseFloor: number, largest: number): string {
  if (!Number.isFinite(value) || Math.abs(value) < noiseFloor) return 'transparent';
  const span = Math.max(largest - noiseFloor, 1e-12);
  const strength = Math.min(1, (Math.abs(value) - noiseFloor) / span);
  // From 15% (just above the floor) to 70% (the largest): readable on both themes.
  return `color-mix(in srgb, ${value > 0 ? RAISES : LOWERS} ${Math.round(15 + strength * 55)}%, transparent)`;
}
