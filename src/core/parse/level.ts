/**
 * Levels to one upper-case vocabulary: TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, FATAL.
 * Single letters are Android/logcat style; unknown words are kept, upper-cased.
 */
const ALIASES: Record<string, string> = {
  V: 'TRACE', VERBOSE: 'TRACE', TRACE: 'TRACE', FINEST: 'TRACE', FINER: 'TRACE',
  D: 'DEBUG', DEBUG: 'DEBUG', DBG: 'DEBUG', FINE: 'DEBUG',
  I: 'INFO', INFO: 'INFO', INFORMATION: 'INFO', INFORMATIONAL: 'INFO',
  N: 'NOTICE', NOTICE: 'NOTICE',
  W: 'WARN', WARN: 'WARN', WARNING: 'WARN',
  E: 'ERROR', ERR: 'ERROR', ERROR: 'ERROR', SEVERE: 'ERROR',
  F: 'FATAL', FATAL: 'FATAL', CRIT: 'FATAL', CRITICAL: 'FATAL', ALERT: 'FATAL', EMERG: 'FATAL',
  EMERGENCY: 'FATAL', PANIC: 'FATAL', A: 'FATAL',
};

const cache = new Map<string, string>();

export function normalizeLevel(raw: string): string {
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const upper = raw.trim().toUpperCase();
  const level = ALIASES[upper] ?? upper;
  if (cache.size < 1000) cache.set(raw, level);
  return level;
}

/** Whether a word is a known level name (used to recognise the level column of free-form logs). */
export function isLevelWord(word: string): boolean {
  return word.length > 1 && ALIASES[word.toUpperCase()] !== undefined;
}

/** Syslog severities 0-7 (the low 3 bits of PRI). */
const SYSLOG_SEVERITIES = ['FATAL', 'FATAL', 'FATAL', 'ERROR', 'WARN', 'NOTICE', 'INFO', 'DEBUG'];

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
