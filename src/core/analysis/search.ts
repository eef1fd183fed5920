/**
 * The viewer's search, as the analyst types it: words that must all appear, `-word` for words
 * that must not, "quoted phrases", or one regular expression; case-insensitive. The page uses the
 * same parser to highlight what matched, so what is highlighted is what was searched.
 */

export class SearchError extends Error {}

export interface Search {
  /** Does a line match (before `negate` is applied)? */
  matches(line: string): boolean;
  /** Spans of the line to highlight: the positive words or the regex matches. */
  highlights(line: string): Array<[number, number]>;
}

interface Terms {
  include: string[];
  exclude: string[];
}

/** Splits a plain query into lower-cased terms: `a -b "c d" -"e f"`. */
export function searchTerms(query: string): Terms {
  const include: string[] = [];
  const exclude: string[] = [];
  const re = /(-?)(?:"([^"]*)"?|(\S+))/g;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    const term = (m[2] ?? m[3] ?? '').toLowerCase();
    // A lone "-" is a word to find, not an empty exclusion.
    if (m[1] && term) exclude.push(term);
    else if (m[1]) include.push('-');
    else if (term) include.push(term);
  }
  return { include, exclude };
}

/** Compiles a regular expression typed by the analyst; throws a SearchError in words when it is invalid. */
function searchRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'giu');
  } catch (error) {
    throw new SearchError(`Not a regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Every occurrence of the needle (lower-cased) in the lower-cased line. */
function occurrences(lower: string, needle: string, out: Array<[number, number]>): void {
  if (!needle) return;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) out.push([at, at + needle.length]);
}

/** Sorted, merged spans. */
function merged(spans: Array<[number, number]>): Array<[number, number]> {
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/** Highlight spans are capped per line: a regex like `.` on a 1 MB line must not make a million spans. */
const MAX_HIGHLIGHTS = 200;

export function compileSearch(query: string, regex = false): Search | undefined {
  if (!query.trim()) return undefined;
  if (regex) {
    const re = searchRegex(query);
    const test = new RegExp(re.source, 'iu');
    return {
      matches: (line) => test.test(line),
      highlights: (line) => {
        const out: Array<[number, number]> = [];
        re.lastIndex = 0;
        for (let m = re.exec(line); m && out.length < MAX_HIGHLIGHTS; m = re.exec(line)) {
          if (m[0].length === 0) {
            re.lastIndex++;
            continue;
          }
          out.push([m.index, m.index + m[0].length]);
        }
        return out;
      },
    };
  }
  const { include, exclude } = searchTerms(query);
  if (include.length === 0 && exclude.length === 0) return undefined;
  return {
    matches: (line) => {
      const lower = line.toLowerCase();
      return include.every((t) => lower.includes(t)) && !exclude.some((t) => lower.includes(t));
    },
    highlights: (line) => {
      const lower = line.toLowerCase();
      const out: Array<[number, number]> = [];
      for (const t of include) occurrences(lower, t, out);
      return merged(out).slice(0, MAX_HIGHLIGHTS);
    },
  };
}
