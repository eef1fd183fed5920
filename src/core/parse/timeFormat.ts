/**
 * Timestamps to epoch milliseconds by a layout's time pattern (timePattern.ts says what a pattern
 * may hold): the compiled tokens are walked by a hand-written scanner, no regex and no Date parsing
 * per line. Apart from the ISO fast path (isoTimestamp.ts) and the year rules (timestampYear.ts)
 * because this is the general machinery both of them and every layout lean on.
 */
import { tokenizeTimeFormat, type TimeTokens } from './timePattern';
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

/**
 * Compiles a time pattern into a function returning epoch ms, or NaN when the text does not fit.
 * `year` is used when the pattern has no year field (default: the current year).
 */
export function compileTimeFormat(format: string, year: number = currentYear()): (text: string) => number {
  const scan = compileTimeScanner(format, year);
  let lastText = '';
  let lastValue = NaN;
  return (text: string): number => {
    // Consecutive records often share a timestamp string.
    if (text === lastText) return lastValue;
    lastText = text;
    lastValue = scan(text);
    return lastValue;
  };
}

/**
 * `compileTimeFormat` without its memory of the last text: for callers that already skip repeated
 * stamps (a layout compares the captured time fields), where comparing the joined text again would
 * cost more than it saves.
 */
export function compileTimeScanner(format: string, year: number = currentYear()): (text: string) => number {
  const tokens = tokenizeTimeFormat(format);
  return (text: string): number => scanTimestamp(tokens, text, year);
}

/** Cursor for readDigitsAt and readFractionAt: a module variable rather than a closure, so scanning allocates nothing. */
let cursor = 0;

/** min..max digits at `at` as a number, or -1 when fewer than min; `cursor` ends after them. */
function readDigitsAt(s: string, n: number, at: number, min: number, max: number): number {
  cursor = at;
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

/** Epoch ms of `s` read by `tokens`, or NaN when it does not fit; `defaultYear` when they hold no year. */
export function scanTimestamp(tokens: TimeTokens, s: string, defaultYear: number): number {
  let pos = 0;
  let year = defaultYear;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMinutes = 0;
  const n = s.length;

  for (const token of tokens) {
    switch (token.kind) {
      case 'year4':
        year = readDigitsAt(s, n, pos, 4, 4);
        pos = cursor;
        break;
      case 'year2':
        year = readDigitsAt(s, n, pos, 2, 2);
        pos = cursor;
        if (year >= 0) year += 2000;
        break;
      case 'month':
        month = readDigitsAt(s, n, pos, 1, 2);
        pos = cursor;
        break;
      case 'day':
        day = readDigitsAt(s, n, pos, 1, 2);
        pos = cursor;
        break;
      case 'hour':
        hour = readDigitsAt(s, n, pos, 1, 2);
        pos = cursor;
        break;
      case 'minute':
        minute = readDigitsAt(s, n, pos, 1, 2);
        pos = cursor;
        break;
      case 'second':
        second = readDigitsAt(s, n, pos, 1, 2);
        pos = cursor;
        break;
      case 'millis':
        millis = readDigitsAt(s, n, pos, 1, 3);
        pos = cursor;
        break;
      case 'fraction': {
        const fraction = readFractionAt(s, n, pos);
        if (fraction < 0) return NaN;
        if (cursor !== pos) millis = fraction;
        pos = cursor;
        break;
      }
      case 'monthName': {
        month = MONTHS[s.slice(pos, pos + 3).toLowerCase()] ?? -1;
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
          const hh = readDigitsAt(s, n, pos, 2, 2);
          pos = cursor;
          if (s.charCodeAt(pos) === 58) pos++;
          let mm = 0;
          if (pos < n && isDigit(s.charCodeAt(pos))) {
            mm = readDigitsAt(s, n, pos, 2, 2);
            pos = cursor;
          }
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
