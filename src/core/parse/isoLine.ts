/**
 * The built-in ISO layout (`2026-03-14T00:00:00.214Z INFO  [orders] message`) read by hand: the
 * layout's regex gives the same fields, but its match array and captures cost more than the rest
 * of parsing a line. The reader takes only lines whose every step it can decide with certainty
 * (ASCII digits, spaces and tabs where the regex tests `\d` and `\s`) and hands any other line to
 * the regex (`fallback`), so both give the same records: the tests compare them line by line.
 */
import type { ParsedRecord } from '../types';
import { strictIsoTimestampAt } from './isoTimestamp';

/** The level words of the ISO layout's pattern, in its alternation order, and their canonical levels. */
const LEVEL_WORDS: ReadonlyArray<readonly [word: string, level: string]> = [
  ['TRACE', 'TRACE'],
  ['DEBUG', 'DEBUG'],
  ['INFO', 'INFO'],
  ['NOTICE', 'NOTICE'],
  ['WARN', 'WARN'],
  ['WARNING', 'WARN'],
  ['ERROR', 'ERROR'],
  ['ERR', 'ERROR'],
  ['SEVERE', 'ERROR'],
  ['FATAL', 'FATAL'],
  ['CRITICAL', 'FATAL'],
];

/**
 * The level words by their first letter (upper case), in the pattern's order: only words that
 * share a start compete (WARN before WARNING, ERROR before ERR), so the order within each is kept.
 */
const LEVEL_WORDS_BY_INITIAL: ReadonlyArray<ReadonlyArray<readonly [word: string, level: string]>> = Array.from({ length: 91 }, (_, code) =>
  LEVEL_WORDS.filter(([word]) => word.charCodeAt(0) === code),
);

/** Verdict of a step: the regex's `\s` holds (1), fails (0), or the reader cannot tell alone (-1). */
function space(line: string, at: number): number {
  const c = line.charCodeAt(at);
  if (c === 32 || c === 9) return 1;
  // \n \v \f \r and every non-ASCII character: `\s` holds for some of them, so the regex decides.
  if ((c >= 10 && c <= 13) || c >= 128) return -1;
  return 0;
}

/** End of the run of spaces and tabs at `at`, or -1 when a character after it might also be `\s`. */
function spacesEnd(line: string, at: number): number {
  let k = at;
  while (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9) k++;
  return space(line, k) === -1 ? -1 : k;
}

function digitAt(line: string, at: number): boolean {
  const c = line.charCodeAt(at);
  return c >= 48 && c <= 57;
}

/** Whether line[at, at + word.length) is `word` in any ASCII case (`word` upper case). */
function wordAt(line: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = line.charCodeAt(at + k);
    const upper = c >= 97 && c <= 122 ? c - 32 : c;
    if (upper !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** After `(?:-\s+)?` at `at`: its end, `at` when it does not match, -1 when undecided. */
function optionalDash(line: string, at: number): number {
  if (line.charCodeAt(at) !== 45) return at;
  const s = space(line, at + 1);
  if (s === -1) return -1;
  return s === 1 ? spacesEnd(line, at + 1) : at;
}

/**
 * The record of one line by the built-in ISO layout's pattern (flags `is`):
 * `^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+(?:-\s+)?`
 * `(?:\[?(LEVEL)\]?\s+)?(?:\[([^\]]*)\]\s+)?(?:-\s+)?(.*)$`, or `fallback(line)` for lines the
 * reader leaves to the regex. Every group after the timestamp is optional and `(.*)$` takes any
 * rest, so each group matches as soon as it can and nothing backtracks into an earlier one.
 */
export function readIsoLine(line: string, fallback: (line: string) => ParsedRecord | null): ParsedRecord | null {
  // Date and time at fixed places (their digits are checked as the stamp is read, below); `t` (the
  // i flag) and anything odd go to the regex.
  const n = line.length;
  if (n < 20 || line.charCodeAt(4) !== 45 || line.charCodeAt(7) !== 45 || line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58) {
    return fallback(line);
  }
  const sep = line.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return fallback(line);
  let p = 19;
  let c = line.charCodeAt(p);
  if ((c === 46 || c === 44) && digitAt(line, p + 1)) {
    p += 2;
    while (digitAt(line, p)) p++;
    c = line.charCodeAt(p);
  }
  if (c === 90) p++;
  else if (c === 43 || c === 45) {
    // `[+-]\d{2}:?\d{2}`, else no zone (and then `\s+` fails on the sign: the regex decides).
    if (!digitAt(line, p + 1) || !digitAt(line, p + 2)) return fallback(line);
    let q = p + 3;
    if (line.charCodeAt(q) === 58) q++;
    if (!digitAt(line, q) || !digitAt(line, q + 1)) return fallback(line);
    p = q + 2;
  }
  if (space(line, p) !== 1) return fallback(line);
  // Read at fixed places, which also checks the digits `\d{4}-\d{2}-\d{2}.\d{2}:\d{2}:\d{2}` ask for.
  const timestamp = strictIsoTimestampAt(line, p);
  if (timestamp === undefined) return fallback(line);
  p = spacesEnd(line, p);
  if (p < 0) return fallback(line);
  p = optionalDash(line, p);
  if (p < 0) return fallback(line);

  // `(?:\[?(LEVEL)\]?\s+)?`: the first word, in the pattern's order, that is followed by `]`
  // and a space or by a space (`[` kept only if a word follows it).
  let level = '';
  const q = line.charCodeAt(p) === 91 ? p + 1 : p;
  const initial = line.charCodeAt(q);
  for (const [word, canonical] of LEVEL_WORDS_BY_INITIAL[initial >= 97 && initial <= 122 ? initial - 32 : initial] ?? []) {
    if (!wordAt(line, q, word)) continue;
    let r = q + word.length;
    if (line.charCodeAt(r) === 93) r++;
    const s = space(line, r);
    if (s === -1) return fallback(line);
    if (s === 0) continue;
    level = canonical;
    p = spacesEnd(line, r);
    if (p < 0) return fallback(line);
    break;
  }

  // `(?:\[([^\]]*)\]\s+)?`: up to the first `]`, which a space must follow.
  let component = '';
  if (line.charCodeAt(p) === 91) {
    const close = line.indexOf(']', p + 1);
    if (close >= 0) {
      const s = space(line, close + 1);
      if (s === -1) return fallback(line);
      if (s === 1) {
        component = line.slice(p + 1, close).trim();
        p = spacesEnd(line, close + 1);
        if (p < 0) return fallback(line);
      }
    }
  }
  p = optionalDash(line, p);
  if (p < 0) return fallback(line);
  return { timestamp, level, component, message: line.slice(p).trim() };
}
