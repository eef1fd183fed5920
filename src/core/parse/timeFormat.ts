/**
 * Timestamps to epoch milliseconds by a layout's time pattern. A pattern (tokens below) is
 * compiled once into a token list that a hand-written scanner walks: no regex, no Date parsing per
 * line. Apart from the ISO fast path (isoTimestamp.ts) and the year rules (timestampYear.ts)
 * because this is the general machinery both of them and every layout lean on.
 *
 *   yyyy yy   year (yy: 2000-2099)         MMM  month name (Jan..Dec, any case)
 *   MM dd HH mm ss  1-2 digit fields       EEE  weekday name (skipped)
 *   SSS  optional fraction of a second: '.' or ',' then digits   LLL  integer milliseconds (1-3 digits)
 *   epoch  Unix seconds (optionally fractional)
 *   X    optional zone: Z, +hh:mm, +hhmm, +hh (no zone means UTC)
 *   ' '  one or more spaces; any other character matches itself.
 */
import { currentYear } from './timestampYear';

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Where a digit field's value goes while a text is scanned (see `fieldValues`). */
const YEAR = 0;
const MONTH = 1;
const DAY = 2;
const HOUR = 3;
const MINUTE = 4;
const SECOND = 5;
const MILLIS = 6;

/**
 * One step of a compiled pattern. A digit field reads min..max digits into its slot, plus
 * `offset` (2000 for a two-digit year) when it read any.
 */
type Token =
  | { kind: 'digits'; slot: number; min: number; max: number; offset: number }
  | { kind: 'monthName' | 'weekday' | 'fraction' | 'epoch' | 'zone' | 'spaces' }
  | { kind: 'literal'; code: number };

/** A compiled time pattern. */
export type TimeTokens = readonly Token[];

const digits = (slot: number, min: number, max: number, offset = 0): Token => ({ kind: 'digits', slot, min, max, offset });

const NAMED: Array<[string, Token]> = [
  ['epoch', { kind: 'epoch' }],
  ['yyyy', digits(YEAR, 4, 4)],
  ['MMM', { kind: 'monthName' }],
  ['EEE', { kind: 'weekday' }],
  ['SSS', { kind: 'fraction' }],
  ['LLL', digits(MILLIS, 1, 3)],
  ['yy', digits(YEAR, 2, 2, 2000)],
  ['MM', digits(MONTH, 1, 2)],
  ['dd', digits(DAY, 1, 2)],
  ['HH', digits(HOUR, 1, 2)],
  ['mm', digits(MINUTE, 1, 2)],
  ['ss', digits(SECOND, 1, 2)],
  ['X', { kind: 'zone' }],
];

export function tokenizeTimeFormat(format: string): TimeTokens {
  const tokens: Token[] = [];
  let i = 0;
  outer: while (i < format.length) {
    if (format[i] === ' ') {
      while (format[i] === ' ') i++;
      tokens.push({ kind: 'spaces' });
      continue;
    }
    for (const [name, token] of NAMED) {
      if (format.startsWith(name, i)) {
        tokens.push(token);
        i += name.length;
        continue outer;
      }
    }
    tokens.push({ kind: 'literal', code: format.charCodeAt(i) });
    i++;
  }
  return tokens;
}

/**
 * Compiles a time pattern into a function returning epoch ms, or NaN when the text does not fit.
 * `year` is used when the pattern has no year field (default: the current year).
 */
export function compileTimeFormat(format: string, year: number = currentYear()): (text: string) => number {
  const tokens = tokenizeTimeFormat(format);
  let lastText = '';
  let lastValue = NaN;
  return (text: string): number => {
    // Consecutive records often share a timestamp string.
    if (text === lastText) return lastValue;
    lastText = text;
    lastValue = scanTimestamp(tokens, text, year);
    return lastValue;
  };
}

/** Cursor for readDigits and readFractionAt: a module variable rather than a closure, so scanning allocates nothing. */
let cursor = 0;

function readDigits(s: string, n: number, min: number, max: number): number {
  let value = 0;
  let count = 0;
  while (count < max && cursor < n) {
    const c = s.charCodeAt(cursor) - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
    cursor++;
    count++;
  }
  return count < min ? -1 : value;
}

/**
 * An optional fraction of a second at `at`: '.' or ',' then digits (more than 3 are cut).
 * Milliseconds (0 when there is no fraction), or -1 for a mark without digits; moves `cursor`, so
 * `scanEnd()` is where the stamp goes on.
 */
export function readFractionAt(s: string, n: number, at: number): number {
  cursor = at;
  const mark = s.charCodeAt(cursor);
  if (mark !== 46 && mark !== 44) return 0;
  const start = ++cursor;
  let value = 0;
  while (cursor < n) {
    const c = s.charCodeAt(cursor) - 48;
    if (c < 0 || c > 9) break;
    if (cursor - start < 3) value = value * 10 + c;
    cursor++;
  }
  const count = cursor - start;
  if (count === 0) return -1;
  return count >= 3 ? value : value * (count === 1 ? 100 : 10);
}

/** Where the last read (readFractionAt) stopped. */
export function scanEnd(): number {
  return cursor;
}

/**
 * The fields of the text being scanned, by slot (YEAR..MILLIS): one reused array rather than a
 * local per field, so that every digit field is one case of the scanner and scanning allocates nothing.
 */
const fieldValues = new Float64Array(7);

/** Epoch ms of `s` read by `tokens`, or NaN when it does not fit; `defaultYear` when they hold no year. */
export function scanTimestamp(tokens: TimeTokens, s: string, defaultYear: number): number {
  let pos = 0;
  const f = fieldValues;
  f[YEAR] = defaultYear;
  f[MONTH] = 1;
  f[DAY] = 1;
  f[HOUR] = 0;
  f[MINUTE] = 0;
  f[SECOND] = 0;
  f[MILLIS] = 0;
  let offsetMinutes = 0;
  const n = s.length;

  for (const token of tokens) {
    switch (token.kind) {
      case 'digits': {
        cursor = pos;
        const value = readDigits(s, n, token.min, token.max);
        pos = cursor;
        f[token.slot] = value < 0 ? value : value + token.offset;
        break;
      }
      case 'fraction': {
        const fraction = readFractionAt(s, n, pos);
        if (fraction < 0) return NaN;
        if (cursor !== pos) f[MILLIS] = fraction;
        pos = cursor;
        break;
      }
      case 'monthName': {
        f[MONTH] = MONTHS[s.slice(pos, pos + 3).toLowerCase()] ?? -1;
        pos += 3;
        // Accept full month names too ("January").
        while (pos < n && isLetter(s.charCodeAt(pos))) pos++;
        break;
      }
      case 'weekday':
        if (pos + 3 > n) return NaN;
        while (pos < n && isLetter(s.charCodeAt(pos))) pos++;
        break;
      case 'epoch': {
        const start = pos;
        while (pos < n && isDigit(s.charCodeAt(pos))) pos++;
        if (pos === start) return NaN;
        let end = pos;
        if (s.charCodeAt(pos) === 46) {
          pos++;
          while (pos < n && isDigit(s.charCodeAt(pos))) pos++;
          end = pos;
        }
        if (end !== n) return NaN;
        return Math.round(Number(s.slice(start, end)) * 1000);
      }
      case 'zone': {
        const c = s.charCodeAt(pos);
        if (c === 90 || c === 122)
          pos++; // Z
        else if (c === 43 || c === 45) {
          pos++;
          cursor = pos;
          const hh = readDigits(s, n, 2, 2);
          pos = cursor;
          if (s.charCodeAt(pos) === 58) pos++;
          cursor = pos;
          const mm = pos < n && isDigit(s.charCodeAt(pos)) ? readDigits(s, n, 2, 2) : 0;
          pos = cursor;
          if (hh < 0 || mm < 0) return NaN;
          offsetMinutes = (c === 45 ? -1 : 1) * (hh * 60 + mm);
        }
        break;
      }
      case 'spaces':
        if (s.charCodeAt(pos) !== 32 && s.charCodeAt(pos) !== 9) return NaN;
        while (s.charCodeAt(pos) === 32 || s.charCodeAt(pos) === 9) pos++;
        break;
      case 'literal':
        if (s.charCodeAt(pos) !== token.code) return NaN;
        pos++;
        break;
    }
  }
  // The whole text must be used up: a pattern that only fits a prefix is the wrong pattern.
  if (pos !== n) return NaN;
  const year = f[YEAR];
  const month = f[MONTH];
  const day = f[DAY];
  const hour = f[HOUR];
  const minute = f[MINUTE];
  const second = f[SECOND];
  const millis = f[MILLIS];
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 24 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60 ||
    millis < 0
  ) {
    return NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
