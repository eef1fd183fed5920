/**
 * The time format of a user-supplied layout whose pattern is 'auto': the first of a list of
 * common patterns that fits the first parsable text, kept for the rest of the file. Apart from
 * timeFormat.ts because choosing a pattern is a policy over the scanner, not part of it.
 */
import { compileTimeFormat } from './timeFormat';
import { currentYear } from './timestampYear';

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
