/**
 * The time-pattern language of layouts, and its compilation into the token list the scanner
 * (timeFormat.ts) walks. Apart from the scanner because what a pattern may say is read once per
 * layout, while the scanner runs once per line and should hold only what that needs.
 *
 *   yyyy yy   year (yy: 2000-2099)         MMM  month name (Jan..Dec, any case)
 *   MM dd HH mm ss  1-2 digit fields       EEE  weekday name (skipped)
 *   SSS  optional fraction of a second: '.' or ',' then digits   LLL  integer milliseconds (1-3 digits)
 *   epoch  Unix seconds (optionally fractional)
 *   X    optional zone: Z, +hh:mm, +hhmm, +hh (no zone means UTC)
 *   ' '  one or more spaces; any other character matches itself.
 */

/** One step of a compiled pattern: a digit field, a named part, or a character to match. */
type Token =
  | { kind: 'year4' | 'year2' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millis' }
  | { kind: 'monthName' | 'weekday' | 'fraction' | 'epoch' | 'zone' | 'spaces' }
  | { kind: 'literal'; code: number };

/** A compiled time pattern. */
export type TimeTokens = readonly Token[];

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

/** The tokens of a pattern: at each position the first NAMED name that fits (yyyy before yy, MMM before MM), else a literal. */
export function tokenizeTimeFormat(format: string): TimeTokens {
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
