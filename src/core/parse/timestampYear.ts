/**
 * The year a timestamp without one (syslog `Jun 17 07:07:00`, logcat `03-17 16:13:38.811`) is
 * given: the caller's hint (the file's modification year), or the newest year written in the
 * file, else the current year. Apart from the scanner (timeFormat.ts) because it reads whole
 * lines for dates, not one timestamp field, and decides before any pattern is compiled.
 */

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
