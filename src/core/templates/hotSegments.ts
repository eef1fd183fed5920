/**
 * A cheap pre-scan for the built-in masks: most of a log message is plain words that no built-in
 * mask can touch, and running one big alternation regex over every character is the slow part of
 * masking. This finds the "hot" runs of whitespace-separated tokens that might hold a variable, so
 * the regex only sees those (results are identical; `tests/core/templates.masks.test.ts` checks it).
 *
 * A token is hot when it holds a digit or one of `: / \ @ =`, when it is a context word a built-in
 * mask looks at (`user`, `for`, `from`, day and month names, size units), or when it follows
 * `user` / `for` (an account name may be plain letters).
 */

const HOT_CHAR = new Uint8Array(128);
for (const c of '0123456789:/\\@=') HOT_CHAR[c.charCodeAt(0)] = 1;

const CONTEXT_WORDS = new Set([
  'user', 'User', 'for', 'from',
  'B', 'KB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'TiB',
]);
const DATE_PREFIXES = new Set([
  'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun',
  'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec',
]);

function isLetter(c: number): boolean {
  const lower = c | 32;
  return lower >= 97 && lower <= 122;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Whether the token text[start, end) names context for a following account name. */
function introducesName(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len === 3) return text.startsWith('for', start);
  return len >= 4 && (text.startsWith('user', end - 4) || text.startsWith('User', end - 4));
}

function isHotToken(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && HOT_CHAR[c] === 1) return true;
  }
  // Context words may carry trailing punctuation (`MB,` `Jun,`).
  let wordEnd = end;
  while (wordEnd > start && !isLetter(text.charCodeAt(wordEnd - 1))) wordEnd--;
  const len = wordEnd - start;
  if (len > 12) return false;
  if (len >= 3 && DATE_PREFIXES.has(text.slice(start, start + 3))) return true;
  return CONTEXT_WORDS.has(text.slice(start, wordEnd)) || introducesName(text, start, end);
}

/**
 * Calls `visit(start, end)` for each maximal run of hot tokens (with the whitespace between them), in
 * order. Runs never touch each other: at least one cold token lies between two runs.
 */
export function forEachHotSegment(text: string, visit: (start: number, end: number) => void): void {
  let runStart = -1;
  let runEnd = -1;
  let afterNameIntro = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    const hot = afterNameIntro || isHotToken(text, start, i);
    afterNameIntro = introducesName(text, start, i);
    if (hot) {
      if (runStart < 0) runStart = start;
      runEnd = i;
    } else if (runStart >= 0) {
      visit(runStart, runEnd);
      runStart = -1;
    }
  }
  if (runStart >= 0) visit(runStart, runEnd);
}
