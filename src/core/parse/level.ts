/**
 * The one level vocabulary of Loupe: the parse stage, the record table and the charts all use it.
 *
 * LEVELS is ordered by severity and its positions are the level indices stored per record
 * (0 = no level or a word that is not a level). Aliases fold the spellings of the common
 * frameworks onto it: syslog (crit, emerg, alert), java.util.logging (SEVERE, FINE...), Python
 * (CRITICAL), Android/logcat single letters, BGL (FAILURE, its highest severity).
 */
export const LEVELS = ['', 'TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'ERROR', 'FATAL'] as const;

/** A canonical level name ('' = none). */
export type LevelName = (typeof LEVELS)[number];

/** Upper-case spelling → canonical level. Single letters are logcat's V/D/I/W/E/F/A. */
export const LEVEL_ALIASES: Readonly<Record<string, LevelName>> = Object.freeze({
  V: 'TRACE',
  VERBOSE: 'TRACE',
  TRACE: 'TRACE',
  FINEST: 'TRACE',
  FINER: 'TRACE',
  D: 'DEBUG',
  DEBUG: 'DEBUG',
  DBG: 'DEBUG',
  FINE: 'DEBUG',
  I: 'INFO',
  INFO: 'INFO',
  INFORMATION: 'INFO',
  INFORMATIONAL: 'INFO',
  N: 'NOTICE',
  NOTICE: 'NOTICE',
  W: 'WARN',
  WARN: 'WARN',
  WARNING: 'WARN',
  E: 'ERROR',
  ERR: 'ERROR',
  ERROR: 'ERROR',
  SEVERE: 'ERROR',
  F: 'FATAL',
  FATAL: 'FATAL',
  CRIT: 'FATAL',
  CRITICAL: 'FATAL',
  ALERT: 'FATAL',
  EMERG: 'FATAL',
  EMERGENCY: 'FATAL',
  PANIC: 'FATAL',
  FAILURE: 'FATAL',
  A: 'FATAL',
});

/** Canonical levels, most severe first (legends, stacked series). */
export const LEVELS_BY_SEVERITY: readonly LevelName[] = LEVELS.slice(1).reverse();

const INDEX_OF = new Map<string, number>(LEVELS.map((name, i) => [name, i]));

const cache = new Map<string, string>();

/**
 * A raw level word in the canonical vocabulary ('warning' → 'WARN'). Words that are not levels
 * are kept, upper-cased, so the analyst still sees them; their index is 0.
 */
export function normalizeLevel(raw: string): string {
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const upper = raw.trim().toUpperCase();
  const level = LEVEL_ALIASES[upper] ?? upper;
  if (cache.size < 1000) cache.set(raw, level);
  return level;
}

/** Index of a level in LEVELS, for any spelling (case-insensitive, aliases folded); 0 when not a level. */
export function levelIndex(level: string): number {
  if (level === '') return 0;
  return INDEX_OF.get(level) ?? INDEX_OF.get(normalizeLevel(level)) ?? 0;
}

/** The canonical level of a raw word, or '' when it is not a level. */
export function canonicalLevelName(level: string): LevelName {
  return LEVELS[levelIndex(level)];
}

/** Syslog severities 0-7 (the low 3 bits of PRI). */
const SYSLOG_SEVERITIES: readonly LevelName[] = ['FATAL', 'FATAL', 'FATAL', 'ERROR', 'WARN', 'NOTICE', 'INFO', 'DEBUG'];

export function levelFromSyslogPri(pri: number): string {
  return SYSLOG_SEVERITIES[pri & 7];
}

/** Numeric levels as pino/bunyan write them (10 trace ... 60 fatal). */
export function levelFromNumber(value: number): string {
  if (value >= 60) return 'FATAL';
  if (value >= 50) return 'ERROR';
  if (value >= 40) return 'WARN';
  if (value >= 30) return 'INFO';
  if (value >= 20) return 'DEBUG';
  return 'TRACE';
}

const OPENERS: Record<string, string> = { '[': ']', '<': '>', '(': ')' };

/**
 * The level a free-text line starts with, or '' when it starts with none: `ERROR disk full`,
 * `WARNING: low memory`, `[error] bad request`, `<info> ok`, `Error: boom`. Single letters never
 * count (`I think` is prose), and a word in lower or mixed case counts only when it is marked
 * as a level by brackets or a colon (`Info about x` is prose, `INFO about x` is not).
 */
export function levelAtLineStart(text: string): string {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const close = OPENERS[text[i]];
  if (close !== undefined) i++;
  const start = i;
  let upper = true;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) i++;
    else if (c >= 97 && c <= 122) {
      upper = false;
      i++;
    } else break;
  }
  // The longest alias is 13 letters (INFORMATIONAL).
  if (i - start < 3 || i - start > 13) return '';
  const level = LEVEL_ALIASES[text.slice(start, i).toUpperCase()];
  if (level === undefined) return '';
  const next = i < text.length ? text[i] : '';
  if (close !== undefined) return next === close || (next === ':' && text[i + 1] === close) ? level : '';
  if (next === ':') return level;
  return upper && (next === '' || next === ' ' || next === '\t') ? level : '';
}
