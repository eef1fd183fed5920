/**
 * Timestamps to epoch milliseconds. Layouts name a small pattern (tokens below) that is
 * compiled once into a hand-written scanner: no regex, no Date parsing per line.
 *
 *   yyyy yy   year (yy: 2000-2099)         MMM  month name (Jan..Dec, any case)
 *   MM dd HH mm ss  1-2 digit fields       EEE  weekday name (skipped)
 *   SSS  optional fraction of a second: '.' or ',' then digits   LLL  integer milliseconds (1-3 digits)
 *   epoch  Unix seconds (optionally fractional)
 *   X    optional zone: Z, +hh:mm, +hhmm, +hh (no zone means UTC)
 *   ' '  one or more spaces; any other character matches itself.
 *
 * Formats without a year (syslog `Jun 17 07:07:00`, logcat `03-17 16:13:38.811`) take the year
 * the caller hints (see `resolveYear`): the file's modification year, or the newest year written
 * in the file, else the current year.
 */

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

type Token =
  | { kind: 'year4' | 'year2' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millis' }
  | { kind: 'monthName' | 'weekday' | 'fraction' | 'epoch' | 'zone' | 'spaces' }
  | { kind: 'literal'; code: number };

const NAMED: Array<[string, Token['kind']]> = [
  ['epoch', 'epoch'],
  ['yyyy', 'year4'],
  ['MMM', 'monthName'],
  ['EEE', 'weekday'],
  ['SSS', 'fraction'],
  ['LLL', 'millis'],
  ['yy', 'year2'],
  ['MM', 'month'],
  ['dd', 'day'],
  ['HH', 'hour'],
  ['mm', 'minute'],
  ['ss', 'second'],
  ['X', 'zone'],
];

function tokenize(format: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  outer: while (i < format.length) {
    if (format[i] === ' ') {
      while (format[i] === ' ') i++;
      tokens.push({ kind: 'spaces' });
      continue;
    }
    for (const [name, kind] of NAMED) {
      if (format.startsWith(name, i)) {
        tokens.push({ kind } as Token);
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
  const tokens = tokenize(format);
  let lastText = '';
  let lastValue = NaN;
  return (text: string): number => {
    // Consecutive records often share a timestamp string.
    if (text === lastText) return lastValue;
    lastText = text;
    lastValue = scan(tokens, text, year);
    return lastValue;
  };
}

export function currentYear(): number {
  return new Date().getUTCFullYear();
}

/** Years outside this range are not taken as the year of a log (typos, version numbers). */
const MIN_PLAUSIBLE_YEAR = 1970;

/**
 * A date with a four-digit year, anywhere in a line: ISO-like `2016-09-28`, `2016/9/28`,
 * `2016.09.28`, Apache `[Sun Dec 04 04:47:44 2005]`, access-log `10/Oct/2000:13:55:36`.
 */
const YEAR_IN_LINE = new RegExp(
  String.raw`(?<![0-9])((?:19|20)\d{2})[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?![0-9])` +
    String.raw`|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* +\d{1,2},? +\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)? +((?:19|20)\d{2})(?![0-9])` +
    String.raw`|\d{1,2}/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/((?:19|20)\d{2})(?![0-9])`,
  'g',
);

/**
 * The newest plausible year written in a date of these lines (at most the current year + 1), or
 * undefined when none has one: the year a year-less log most likely belongs to.
 */
export function newestYearIn(lines: readonly string[]): number | undefined {
  const latest = currentYear() + 1;
  let newest: number | undefined;
  for (const line of lines) {
    YEAR_IN_LINE.lastIndex = 0;
    for (let m = YEAR_IN_LINE.exec(line); m !== null; m = YEAR_IN_LINE.exec(line)) {
      const year = Number(m[1] ?? m[2] ?? m[3]);
      if (year >= MIN_PLAUSIBLE_YEAR && year <= latest && (newest === undefined || year > newest)) newest = year;
    }
  }
  return newest;
}

/**
 * The year given to year-less timestamps: the caller's hint (the file's modification year) when it
 * is a plausible year, else the newest year seen in the file's sample, else the current year.
 */
export function resolveYear(yearHint: number | undefined, sampleYear: number | undefined): number {
  const plausible = (y: number | undefined): y is number => y !== undefined && Number.isInteger(y) && y >= MIN_PLAUSIBLE_YEAR && y <= 9999;
  if (plausible(yearHint)) return yearHint;
  if (plausible(sampleYear)) return sampleYear;
  return currentYear();
}

/** Cursor for readDigits: a module variable rather than a closure, so scanning allocates nothing. */
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
 * An optional fraction of a second at `cursor`: '.' or ',' then digits (more than 3 are cut).
 * Milliseconds (0 when there is no fraction), or -1 for a mark without digits; moves `cursor`.
 */
function readFraction(s: string, n: number): number {
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

function scan(tokens: Token[], s: string, defaultYear: number): number {
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
        cursor = pos;
        year = readDigits(s, n, 4, 4);
        pos = cursor;
        break;
      case 'year2':
        cursor = pos;
        year = readDigits(s, n, 2, 2);
        pos = cursor;
        if (year >= 0) year += 2000;
        break;
      case 'month':
        cursor = pos;
        month = readDigits(s, n, 1, 2);
        pos = cursor;
        break;
      case 'day':
        cursor = pos;
        day = readDigits(s, n, 1, 2);
        pos = cursor;
        break;
      case 'hour':
        cursor = pos;
        hour = readDigits(s, n, 1, 2);
        pos = cursor;
        break;
      case 'minute':
        cursor = pos;
        minute = readDigits(s, n, 1, 2);
        pos = cursor;
        break;
      case 'second':
        cursor = pos;
        second = readDigits(s, n, 1, 2);
        pos = cursor;
        break;
      case 'millis':
        cursor = pos;
        millis = readDigits(s, n, 1, 3);
        pos = cursor;
        break;
      case 'fraction': {
        cursor = pos;
        const fraction = readFraction(s, n);
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

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * ISO-8601-like stamps as applications write them: `2024-05-01T12:00:00.123Z`,
 * `2024-05-01 12:00:00,123`, `2024-05-01T12:00:00+02:00`, date only. NaN otherwise.
 */
export function parseIsoTimestamp(text: string): number {
  const fast = strictIso(text);
  if (fast !== undefined) return fast;
  const s = text.trim();
  if (s.length < 10 || !isDigit(s.charCodeAt(0)) || s.charCodeAt(4) !== 45) return NaN;
  if (s.length === 10) return scan(DATE_ONLY, s, 0);
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return NaN; // 'T' or a space between date and time
  return scan(sep === 84 ? ISO : ISO_SPACE, s, 0);
}

/** Two digits at i..i+1 as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The day of the last strict ISO stamp: consecutive records share it, and Date.UTC is the costly part. */
let lastDayKey = -1;
let lastDayMs = 0;

/**
 * The common shape, `yyyy-MM-ddTHH:mm:ss[.fff][zone]` with two-digit fields and one 'T' or space,
 * read at fixed positions; undefined for any other text (the general scanner takes it, and gives
 * the same answers for this shape: the tests compare both).
 */
function strictIso(s: string): number | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return undefined;
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if ((y1 | y2 | month | day | hour | minute | second) < 0) return undefined;
  cursor = 19;
  const millis = readFraction(s, n);
  if (millis < 0) return NaN;
  let pos = cursor;
  let offsetMinutes = 0;
  if (pos < n) {
    const c = s.charCodeAt(pos);
    if (c === 90 || c === 122) pos++;
    else if (c === 43 || c === 45) {
      const hh = twoDigits(s, pos + 1);
      if (hh < 0) return NaN;
      pos += 3;
      if (s.charCodeAt(pos) === 58) pos++;
      let mm = 0;
      if (pos < n && isDigit(s.charCodeAt(pos))) {
        mm = twoDigits(s, pos);
        if (mm < 0) return NaN;
        pos += 2;
      }
      offsetMinutes = (c === 45 ? -1 : 1) * (hh * 60 + mm);
    }
    if (pos !== n) return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return NaN;
  const year = y1 * 100 + y2;
  const dayKey = (year * 100 + month) * 100 + day;
  if (dayKey !== lastDayKey) {
    lastDayKey = dayKey;
    lastDayMs = Date.UTC(year, month - 1, day);
  }
  return lastDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMinutes * 60_000;
}

const DATE_ONLY = tokenize('yyyy-MM-dd');
const ISO = tokenize('yyyy-MM-ddTHH:mm:ssSSSX');
const ISO_SPACE = tokenize('yyyy-MM-dd HH:mm:ssSSSX');

/** Patterns tried, in order, for layouts whose time format is 'auto' (user-supplied layouts). */
const AUTO_FORMATS = [
  'yyyy-MM-dd HH:mm:ssSSS',
  'yyyy-MM-ddTHH:mm:ssSSSX',
  'yyyy-MM-dd HH:mm:ssSSS X',
  'yyyy/MM/dd HH:mm:ssSSS',
  'yy/MM/dd HH:mm:ssSSS',
  'yyMMdd HHmmss',
  'MMM dd HH:mm:ssSSS',
  'MMM dd yyyy HH:mm:ssSSS',
  'MM-dd HH:mm:ssSSS',
  'EEE MMM dd HH:mm:ssSSS yyyy',
  'dd/MMM/yyyy:HH:mm:ss X',
  'yyyy.MM.dd HH:mm:ssSSS',
  'yyyy-MM-dd-HH.mm.ssSSS',
  'yyyyMMdd-HH:mm:ss:LLL',
  'MM.dd HH:mm:ssSSS',
  'dd.MM.yyyy HH:mm:ssSSS',
  'HH:mm:ssSSS',
  'yyyy-MM-dd',
  'epoch',
];

/**
 * A time parser that settles on the first AUTO_FORMATS pattern fitting the first parsable text
 * it sees, then sticks to it (one file, one format).
 */
export function autoTimeParser(year: number = currentYear()): (text: string) => number {
  let chosen: ((text: string) => number) | null = null;
  return (text: string): number => {
    if (chosen !== null) return chosen(text);
    const trimmed = text.trim();
    for (const format of AUTO_FORMATS) {
      if (format === 'epoch' && !/^\d{9,13}(?:\.\d+)?$/.test(trimmed)) continue;
      const parse = compileTimeFormat(format, year);
      let value = parse(trimmed);
      if (format === 'epoch' && value > 1e14) value /= 1000; // 13 digits: milliseconds
      if (!Number.isNaN(value)) {
        chosen =
          format === 'epoch'
            ? (t) => {
                const v = parse(t.trim());
                return v > 1e14 ? v / 1000 : v;
              }
            : (t) => parse(t.trim());
        return value;
      }
    }
    return NaN;
  };
}
