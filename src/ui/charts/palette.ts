/**
 * Colours for the charts. Levels use the Okabe-Ito palette (distinguishable with the common colour-vision
 * deficiencies); scores use a viridis approximation (perceptually uniform, readable in greyscale).
 * Axes and text use the theme's CSS variables so the charts follow light and dark themes.
 */
import { LEVELS, levelIndex, type LevelName } from '../../core/parse/level';

export const THEME = {
  fg: 'var(--fg)',
  muted: 'var(--muted)',
  grid: 'var(--grid)',
  bg: 'var(--bg)',
} as const;

/** Okabe-Ito colours by canonical level name. */
export const LEVEL_COLORS = {
  FATAL: '#CC79A7',
  ERROR: '#D55E00',
  WARN: '#E69F00',
  INFO: '#0072B2',
  DEBUG: '#999999',
  OTHER: '#56B4E9',
} as const;

export type CanonicalLevel = keyof typeof LEVEL_COLORS;

/** Most severe first: the order of stacked series and legends. */
export const LEVEL_ORDER: readonly CanonicalLevel[] = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'OTHER'];

/** Colour of records above the threshold (same hue as ERROR: "this is bad"). */
export const ANOMALY_COLOR = LEVEL_COLORS.ERROR;

/**
 * Colour group of each level of the one vocabulary (core/parse/level.ts, by index): the charts
 * fold TRACE into DEBUG and NOTICE into INFO; no level, or a word that is not one, is OTHER.
 */
const GROUP_OF_LEVEL: Readonly<Record<LevelName, CanonicalLevel>> = {
  '': 'OTHER',
  TRACE: 'DEBUG',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  NOTICE: 'INFO',
  WARN: 'WARN',
  ERROR: 'ERROR',
  FATAL: 'FATAL',
};

/** The colour group a raw level name belongs to (any spelling the parser knows; unknown names are OTHER). */
export function canonicalLevel(level: string): CanonicalLevel {
  return GROUP_OF_LEVEL[LEVELS[levelIndex(level)]];
}

export function levelColor(level: string): string {
  return LEVEL_COLORS[canonicalLevel(level)];
}

/** Severity rank of a level: 0 = most severe, matching LEVEL_ORDER. */
export function levelRank(level: string): number {
  return LEVEL_ORDER.indexOf(canonicalLevel(level));
}

// Viridis sampled at 9 evenly spaced points; linear interpolation between them stays within ~2% of it.
const VIRIDIS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

function hex2(v: number): string {
  return Math.round(v).toString(16).padStart(2, '0');
}

/** Sequential score colour for t in [0, 1] (clamped; NaN gives the low end). Returns `#rrggbb`. */
export function scoreColor(t: number): string {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = clamped * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return `#${hex2(a[0] + (b[0] - a[0]) * f)}${hex2(a[1] + (b[1] - a[1]) * f)}${hex2(a[2] + (b[2] - a[2]) * f)}`;
}

/** CSS gradient of the score scale, for legends. */
export function scoreGradientCss(direction = 'to right'): string {
  const stops = VIRIDIS.map((_, i) => `${scoreColor(i / (VIRIDIS.length - 1))} ${Math.round((i / (VIRIDIS.length - 1)) * 100)}%`);
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}
