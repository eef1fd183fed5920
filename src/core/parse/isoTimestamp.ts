/**
 * ISO-8601-like timestamps as applications write them, the shape most logs use. The common
 * fixed-width form is read at fixed positions with the day's Date.UTC cached (the hot path of JSON
 * and syslog-5424 parsing); anything else falls to the general scanner with the ISO patterns.
 * Apart from timeFormat.ts because this fast path must give the same answers as the scanner for
 * its shape while sharing none of its token walk (the tests compare both).
 */
import { isDigit, readFractionAt, scanEnd, scanTimestamp } from './timeFormat';
import { tokenizeTimeFormat } from './timePattern';

/**
 * ISO-8601-like stamps as applications write them: `2024-05-01T12:00:00.123Z`,
 * `2024-05-01 12:00:00,123`, `2024-05-01T12:00:00+02:00`, date only. NaN otherwise.
 */
export function parseIsoTimestamp(text: string): number {
  const fast = strictIso(text, text.length);
  if (fast !== undefined) return fast;
  const s = text.trim();
  if (s.length < 10 || !isDigit(s.charCodeAt(0)) || s.charCodeAt(4) !== 45) return NaN;
  if (s.length === 10) return scanTimestamp(DATE_ONLY, s, 0);
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return NaN; // 'T' or a space between date and time
  return scanTimestamp(sep === 84 ? ISO : ISO_SPACE, s, 0);
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
 * The stamp at line[0, end) when it has the common fixed shape (see strictIso), without making the
 * slice: what `parseIsoTimestamp(line.slice(0, end))` gives then; undefined for any other text.
 * For the ISO layout's reader, which leaves other lines to the layout's regex.
 */
export function strictIsoTimestampAt(line: string, end: number): number | undefined {
  // The fixed-position reader may look one character past the stamp: it must not continue it.
  const next = line.charCodeAt(end);
  if (isDigit(next) || next === 46 || next === 44 || next === 58) return undefined;
  return strictIso(line, end);
}

/**
 * The common shape, `yyyy-MM-ddTHH:mm:ss[.fff][zone]` with two-digit fields and one 'T' or space,
 * read at fixed positions from s[0, n); undefined for any other text (the general scanner takes
 * it, and gives the same answers for this shape: the tests compare both).
 */
function strictIso(s: string, n: number): number | undefined {
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
  const millis = readFractionAt(s, n, 19);
  if (millis < 0) return NaN;
  let pos = scanEnd();
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
const DATE_ONLY = tokenizeTimeFormat('yyyy-MM-dd');
const ISO = tokenizeTimeFormat('yyyy-MM-ddTHH:mm:ssSSSX');
const ISO_SPACE = tokenizeTimeFormat('yyyy-MM-dd HH:mm:ssSSSX');
