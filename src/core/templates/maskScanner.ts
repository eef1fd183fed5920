/**
 * The fast path of the built-in masks: the message is cut at ASCII whitespace into words, and each
 * word is masked on its own, with a cache, instead of running the big alternation over the line.
 *
 * Why this gives exactly what the one regex gives: no built-in mask matches a tab, newline or
 * other whitespace except the plain space, and only four use a space: `date-words`
 * (`Jun 17 07:07:00`), `datetime` (`2016-09-28 04:30:31`), `number` with a spaced size unit
 * (`17.5 KB`) and `user` (`user bob`, `for bob from`). Every lookaround a mask puts at its ends
 * either sees the whitespace around a word the same way it sees the start or end of a string
 * (`(?<![A-Za-z0-9])`, `(?![A-Za-z0-9])`, `\b`, ...), or is one of those four. So a line is masked
 * word by word, `user` is applied here by hand (its name is one word), and a line where two
 * neighbouring words could be joined by one of the other three (rare) goes through the regex
 * whole. The tests compare both paths on the 16 Loghub logs and on random lines.
 */

/**
 * Per UTF-16 unit: 1 whitespace, 2 may start or hold a mask (digit or : / \ @ - _ =), 0 inert (no
 * built-in mask matches a word made only of letters, other punctuation and non-ASCII text).
 */
const CLASS = new Uint8Array(65536);
for (const c of ' \t\n\r\f\v') CLASS[c.charCodeAt(0)] = 1;
for (const c of '0123456789:/\\@-_=') CLASS[c.charCodeAt(0)] = 2;
/** CLASS, plus 4 for a hex letter, 8 for `x` / `X`, 16 for a digit (the word scan reads one table per character). */
const FLAGS = CLASS.slice();
for (const c of 'abcdefABCDEF') FLAGS[c.charCodeAt(0)] |= 4;
for (const c of 'xX') FLAGS[c.charCodeAt(0)] |= 8;
for (const c of '0123456789') FLAGS[c.charCodeAt(0)] |= 16;
/** A character's code in a word's shape before hex runs are folded: digits as `1`. */
const SHAPE_CODE = new Uint16Array(65536);
for (let c = 0; c < 65536; c++) SHAPE_CODE[c] = c >= 48 && c <= 57 ? 49 : c;

/** Day and month names that start `date-words`, as three character codes in one number. */
const NAMES = new Set(
  ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
    (name) => (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2),
  ),
);

/** Word shapes cached per compiled mask set; a full cache is dropped rather than evicted piecemeal. */
const MAX_CACHED_SHAPES = 65536;
/** Characters of the cached shapes, all together (8 MB): long words cannot make the cache large. */
const MAX_CACHED_SHAPE_CHARS = 1 << 22;

/** Lines masked by the whole-line regex, remembered per masker (dropped when full), if short. */
const MAX_CACHED_LINES = 4096;
const MAX_CACHED_LINE_CHARS = 512;
/** Characters of the masked texts remembered per masker (all dropped when full: 8 MB). */
const MAX_CACHED_TEXT_CHARS = 1 << 22;

/**
 * What the masks do to every word of one shape. A word's shape is the word with each digit made
 * `1`, except a `0` before `x` or `X` (the `0x` of hex), and, in hex runs, each hex letter made
 * `a` or `A` by its case (see foldHexRuns): no built-in mask tells those apart, so words of one
 * shape are masked at the same places (`9357` and `1024`, `u-10095` and `u-20417`,
 * `req-6c628ac5` and `req-3f905bb1`, `0x0b85eee0` and `0x0b85eee4`).
 */
interface ShapeMasking {
  /** The shape, one code per character. */
  shape: Uint16Array;
  /** Masked ranges within the word: start0, end0, start1, end1, ... */
  spans: number[];
}

export class WordMasker {
  private cache = new Map<number, ShapeMasking>();
  private shapeChars = 0;
  private lines = new Map<string, string>();
  /**
   * Masked texts made before, by the hash of their characters. Logs repeat a few masked texts in
   * millions of lines: finding the one already made builds no string, and the string handed on (to
   * the template miner's and the text index's maps) is the same each time, its hash computed once.
   */
  private texts = new Map<number, { text: string; units: Uint16Array }>();
  private textChars = 0;
  /** The characters of the text being masked, as read (compared with a remembered text's `units`). */
  private chars = new Uint16Array(1024);
  private readonly replacementUnits: Uint16Array;
  /** The masked ranges of the text being masked: start0, end0, start1, end1, ... */
  private edits = new Int32Array(64);
  private editCount = 0;
  /** The replacement's character hash, and 31 to the power of its length (hashes of pieces compose). */
  private readonly replacementHash: number;
  private readonly replacementPower: number;
  /** The shape of the word being masked (reused; grown for long words). */
  private codes = new Uint16Array(256);

  /**
   * @param regex the built-in masks as one global regex (the reference result for a whole line)
   * @param replacement the text every built-in mask puts in place of a variable
   */
  constructor(
    private readonly regex: RegExp,
    private readonly replacement: string,
    /** Whether the `user` mask is among the masks (it masks `user bob` and `for bob from`). */
    private readonly hasUser: boolean,
  ) {
    let hash = 0;
    let power = 1;
    for (let k = 0; k < replacement.length; k++) {
      hash = (Math.imul(hash, 31) + replacement.charCodeAt(k)) | 0;
      power = Math.imul(power, 31);
    }
    this.replacementHash = hash;
    this.replacementPower = power;
    this.replacementUnits = Uint16Array.from(replacement, (ch) => ch.charCodeAt(0));
  }

  /**
   * The whole-line regex, for lines where a mask may span words. Such lines (syslog dates, sizes
   * in `KB`) come back often unchanged (`connection from ... at Fri Jun 17 07:07:00 2005`), so
   * their results are remembered by text.
   */
  private wholeLine(text: string): string {
    const known = this.lines.get(text);
    if (known !== undefined) return known;
    this.regex.lastIndex = 0;
    const masked = text.replace(this.regex, this.replacement);
    if (text.length > MAX_CACHED_LINE_CHARS) return masked;
    if (this.lines.size >= MAX_CACHED_LINES) this.lines = new Map();
    this.lines.set(text, masked);
    return masked;
  }

  /**
   * The masking of text[start, end), whose shape before hex runs are folded is this.codes[0,
   * end - start). That shape is looked up first: folding depends on it alone and never changes a
   * folded shape, so a cached shape equal to it is the word's folded shape too, and words whose
   * folding changes nothing (`/api/v1/products/9357`) skip it.
   */
  private maskingOf(text: string, start: number, end: number, shape: number, hexRuns: boolean): ShapeMasking | null {
    const codes = this.codes;
    const length = end - start;
    let hash = (Math.imul(shape, 31) + length) & 0x3fffffff;
    let hit = this.cache.get(hash);
    if (hit !== undefined && sameCodes(hit.shape, codes, length)) return hit;
    if (hexRuns && foldHexRuns(codes, length)) {
      hash = (Math.imul(shapeHash(codes, length, 0), 31) + length) & 0x3fffffff;
      hit = this.cache.get(hash);
      if (hit !== undefined && sameCodes(hit.shape, codes, length)) return hit;
    }
    return this.maskWord(text, start, end, hash);
  }

  /** Masks one word with the regex and caches the result for its shape. */
  private maskWord(text: string, start: number, end: number, hash: number): ShapeMasking | null {
    const word = text.slice(start, end);
    const spans: number[] = [];
    const regex = this.regex;
    regex.lastIndex = 0;
    for (let m = regex.exec(word); m !== null; m = regex.exec(word)) {
      // No built-in mask matches empty text; a zero-length match would change what replace does.
      if (m[0].length === 0) return null;
      spans.push(m.index, m.index + m[0].length);
    }
    const masking = { shape: this.codes.slice(0, end - start), spans };
    this.shapeChars += masking.shape.length;
    if (this.cache.size >= MAX_CACHED_SHAPES || this.shapeChars > MAX_CACHED_SHAPE_CHARS) {
      this.cache = new Map();
      this.shapeChars = masking.shape.length;
    }
    this.cache.set(hash, masking);
    return masking;
  }

  mask(text: string): string {
    const n = text.length;
    this.editCount = 0;
    if (n > this.chars.length) this.chars = new Uint16Array(Math.max(n, this.chars.length * 2));
    const chars = this.chars;
    // Hash of the masked text so far (characters kept, and the replacement for each masked range).
    let hash = 0;
    let i = 0;
    // The previous word's [start, end): a spaces-only gap after it may lie inside a mask.
    let prevStart = -1;
    let prevEnd = -1;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (CLASS[c] === 1) {
        hash = (Math.imul(hash, 31) + c) | 0;
        chars[i] = c;
        i++;
        continue;
      }
      const start = i;
      const hashBefore = hash;
      // Flags of the word's characters together: 2 (not plain), 4 (hex letters), 8 (an x), 16 (a digit).
      let seen = 0;
      // The word's shape goes to `codes` as it is read (digits as `1`, the `0` of `0x` kept).
      const codes = n - start > this.codes.length ? this.growCodes(n - start) : this.codes;
      let shape = 0;
      while (i < n) {
        c = text.charCodeAt(i);
        const f = FLAGS[c];
        if ((f & 1) !== 0) break;
        seen |= f;
        hash = (Math.imul(hash, 31) + c) | 0;
        chars[i] = c;
        const code = SHAPE_CODE[c];
        codes[i - start] = code;
        shape = (Math.imul(shape, 31) + code) | 0;
        i++;
      }
      const end = i;
      if ((seen & 8) !== 0 && keepZeroBeforeX(chars, start, end, codes)) shape = shapeHash(codes, end - start, 0);
      const plain = (seen & 2) === 0;
      // Only runs holding a digit and a hex letter are folded.
      const hexRuns = (seen & 20) === 20;
      let afterUser = false;
      // Only a previous word ending in a digit, a lower-case letter or a comma can be joined to
      // this one by a mask (dates, units, `user <name>`).
      const last = prevEnd >= 0 ? chars[prevEnd - 1] : 0;
      if ((isDigit(last) || isLower(last) || last === 44) && onlySpaces(chars, prevEnd, start)) {
        if (mayJoin(text, prevStart, prevEnd, start, end)) return this.wholeLine(text);
        afterUser = last === 114 && this.hasUser && start === prevEnd + 1 && userMaskMayStart(text, prevStart, prevEnd, start, end);
      }
      if (!plain || afterUser) {
        const masking = this.maskingOf(text, start, end, shape, hexRuns);
        if (masking === null) return this.wholeLine(text);
        const spans = masking.spans;
        if (afterUser && (spans.length === 0 || spans[0] !== 0)) {
          // `user` masks the name after `user ` / `for `, unless a mask listed before it starts there.
          if (nameEnd(text, start, end) !== end) return this.wholeLine(text);
          this.edit(start, end);
          hash = (Math.imul(hashBefore, this.replacementPower) + this.replacementHash) | 0;
        } else if (spans.length > 0) {
          // The word's hash again, with its masked ranges as the replacement.
          hash = hashBefore;
          let from = start;
          for (let s = 0; s < spans.length; s += 2) {
            const to = start + spans[s];
            for (let k = from; k < to; k++) hash = (Math.imul(hash, 31) + text.charCodeAt(k)) | 0;
            hash = (Math.imul(hash, this.replacementPower) + this.replacementHash) | 0;
            from = start + spans[s + 1];
            this.edit(to, from);
          }
          for (let k = from; k < end; k++) hash = (Math.imul(hash, 31) + text.charCodeAt(k)) | 0;
        }
      }
      prevStart = start;
      prevEnd = end;
    }
    // Small integers are kept unboxed as Map keys.
    return this.editCount === 0 ? text : this.maskedText(text, hash & 0x3fffffff);
  }

  /** Room in `codes` for a word of up to `length` characters. */
  private growCodes(length: number): Uint16Array<ArrayBuffer> {
    this.codes = new Uint16Array(Math.max(length, this.codes.length * 2));
    return this.codes;
  }

  /** Notes that text[start, end) is masked (ranges arrive in order, never overlapping). */
  private edit(start: number, end: number): void {
    if (this.editCount + 2 > this.edits.length) {
      const grown = new Int32Array(this.edits.length * 2);
      grown.set(this.edits);
      this.edits = grown;
    }
    this.edits[this.editCount++] = start;
    this.edits[this.editCount++] = end;
  }

  /** The text with its noted ranges replaced, whose hash is `hash`: the string made before for it, if any. */
  private maskedText(text: string, hash: number): string {
    const edits = this.edits;
    const count = this.editCount;
    const replacement = this.replacementUnits;
    let length = text.length;
    for (let e = 0; e < count; e += 2) length += replacement.length - (edits[e + 1] - edits[e]);
    const known = this.texts.get(hash);
    if (known !== undefined && known.units.length === length && this.isMasked(known.units, length)) return known.text;
    const units = new Uint16Array(length);
    let out = '';
    let from = 0;
    let at = 0;
    for (let e = 0; e <= count; e += 2) {
      const to = e < count ? edits[e] : text.length;
      units.set(this.chars.subarray(from, to), at);
      at += to - from;
      if (e === count) break;
      out += text.slice(from, to) + this.replacement;
      units.set(replacement, at);
      at += replacement.length;
      from = edits[e + 1];
    }
    out += text.slice(from);
    this.textChars += length;
    if (this.textChars > MAX_CACHED_TEXT_CHARS) {
      this.texts = new Map();
      this.textChars = length;
    }
    this.texts.set(hash, { text: out, units });
    return out;
  }

  /** Whether `known` (character codes, `length` of them) is the text read, with the noted ranges replaced. */
  private isMasked(known: Uint16Array, length: number): boolean {
    const chars = this.chars;
    const edits = this.edits;
    const count = this.editCount;
    const replacement = this.replacementUnits;
    let at = 0;
    let from = 0;
    for (let e = 0; e <= count; e += 2) {
      const to = e < count ? edits[e] : length - at + from;
      for (let k = from; k < to; k++) if (known[at++] !== chars[k]) return false;
      if (e === count) break;
      for (let r = 0; r < replacement.length; r++) if (known[at++] !== replacement[r]) return false;
      from = edits[e + 1];
    }
    return true;
  }
}

/** The `0` of `0x` / `0X` keeps its own code in a word's shape (hex is `0x` then hex digits). */
function keepZeroBeforeX(chars: Uint16Array, start: number, end: number, codes: Uint16Array): boolean {
  let kept = false;
  for (let k = start + 1; k < end; k++) {
    if ((chars[k] | 32) === 120 && chars[k - 1] === 48) {
      codes[k - 1 - start] = 48;
      kept = true;
    }
  }
  return kept;
}

/**
 * Makes the hex letters of a word `a` or `A` (by case) in its shape `codes` (the word's characters
 * with digits as `1`, `0` before `x`), within each run of ASCII letters and digits that holds a
 * digit and only hex digits (after an optional `0x`), unless a `number` or `duration` mask could
 * cover the run. Why that changes no masking: inside one word (no spaces) every built-in mask sees
 * a hex letter only through classes that hold all of a-f or none (`[0-9A-Fa-f]`, `[a-z]`,
 * `[A-Za-z]`, `\b`...), except through literals: month and day names (they need a space after
 * them), `blk_` (needs `l`, `k`: not hex), `user=` (`u`, `s`, `r`: not hex), the exponent `e` of
 * `number` and the `d` of `duration`. Those two masks start where a run starts and end where a run
 * ends, and every run they cover has the form tested by coveredByNumber / coveredByDuration: runs
 * of other forms never meet them. Returns whether any code changed.
 */
function foldHexRuns(codes: Uint16Array, length: number): boolean {
  let changed = false;
  let k = 0;
  while (k < length) {
    if (!isAlnum(codes[k])) {
      k++;
      continue;
    }
    const runStart = k;
    let hexOnly = true;
    let digit = false;
    let letter = false;
    // `0x` / `0X` opens the run: the x stays as it is.
    let body = runStart;
    if (codes[k] === 48 && (codes[k + 1] | 32) === 120) body = k + 2;
    for (k = body; k < length; k++) {
      const c = codes[k];
      if (isDigit(c)) digit = true;
      else if ((c | 32) >= 97 && (c | 32) <= 102) letter = true;
      else if (isAlnum(c)) hexOnly = false;
      else break;
    }
    if (hexOnly && digit && letter && !coveredByNumber(codes, runStart, k) && !coveredByDuration(codes, runStart, k)) {
      for (let j = body; j < k; j++) {
        const c = codes[j];
        if (isDigit(c)) continue;
        const folded = c >= 97 ? 97 : 65;
        if (c !== folded) changed = true;
        codes[j] = folded;
      }
    }
  }
  return changed;
}

/** Hash of a word's shape codes, continuing `hash` (the cache key adds the length and keeps 30 bits: small integers stay unboxed as Map keys). */
function shapeHash(codes: Uint16Array, length: number, hash: number): number {
  for (let k = 0; k < length; k++) hash = (Math.imul(hash, 31) + codes[k]) | 0;
  return hash;
}

/** Whether codes[start, end) (letters and digits) is digits, maybe `e` and digits, then at most 3 letters. */
function coveredByNumber(codes: Uint16Array, start: number, end: number): boolean {
  let k = start;
  while (k < end && isDigit(codes[k])) k++;
  if (k === start) return false;
  if (end - k <= 3) return true;
  if ((codes[k] | 32) !== 101 || !isDigit(codes[k + 1])) return false;
  k++;
  while (k < end && isDigit(codes[k])) k++;
  return end - k <= 3;
}

/** Whether codes[start, end) holds only digits and duration units (d h m s n u). */
function coveredByDuration(codes: Uint16Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = codes[k];
    if (!isDigit(c) && c !== 100 && c !== 104 && c !== 109 && c !== 115 && c !== 110 && c !== 117) return false;
  }
  return true;
}

function sameCodes(shape: Uint16Array, codes: Uint16Array, length: number): boolean {
  if (shape.length !== length) return false;
  for (let k = 0; k < length; k++) if (shape[k] !== codes[k]) return false;
  return true;
}

/** `[A-Za-z0-9_]`, `.` or `-`: what the `user` mask takes for a name. */
function isNameChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 45;
}

/** End of the name the `user` mask would take at `start`: `[A-Za-z0-9_][A-Za-z0-9_.-]*`. */
function nameEnd(text: string, start: number, end: number): number {
  if (!isWordChar(text.charCodeAt(start))) return start;
  let k = start + 1;
  while (k < end && isNameChar(text.charCodeAt(k))) k++;
  return k;
}

/**
 * Whether the `user` mask's lookbehind holds at word b = [bStart, bEnd), one space after word a:
 * `(?<=\b[Uu]ser )`, or `(?<=\bfor )` with b a whole name followed by ` from` and a word end.
 */
function userMaskMayStart(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (endsWithWord(text, aStart, aEnd, 'user') || endsWithWord(text, aStart, aEnd, 'User')) {
    return isWordChar(text.charCodeAt(bStart));
  }
  if (!endsWithWord(text, aStart, aEnd, 'for')) return false;
  for (let k = bStart; k < bEnd; k++) if (!isNameChar(text.charCodeAt(k))) return false;
  if (text.charCodeAt(bEnd) !== 32 || !text.startsWith('from', bEnd + 1)) return false;
  return bEnd + 5 >= text.length || !isWordChar(text.charCodeAt(bEnd + 5));
}

function onlySpaces(chars: Uint16Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (chars[k] !== 32) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 122);
}

function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 95;
}

/** Whether text[start, end) ends with `suffix` starting at a word boundary (`\b` before it). */
function endsWithWord(text: string, start: number, end: number, suffix: string): boolean {
  const at = end - suffix.length;
  if (at < start || !text.startsWith(suffix, at)) return false;
  return at === start || !isWordChar(text.charCodeAt(at - 1));
}

/**
 * Whether a space-only gap between word a = [aStart, aEnd) and word b = [bStart, bEnd) could lie
 * inside a match of `date-words`, `datetime` or a number with a spaced unit. Errs on the side of yes.
 */
function mayJoin(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  const last = text.charCodeAt(aEnd - 1);
  const next = text.charCodeAt(bStart);
  if (isDigit(last)) {
    // datetime `yyyy-MM-dd HH:mm`, or anything ending in a digit followed by a digit: cheap and safe.
    if (isDigit(next)) return looksLikeDateEnd(text, aStart, aEnd);
    // number with a spaced unit: `17 B`, `17.5 KB`, `3 GiB`.
    if (next === 66) return true;
    if (next === 75 || next === 77 || next === 71 || next === 84) {
      const second = bStart + 1 < bEnd ? text.charCodeAt(bStart + 1) : 0;
      return second === 66 || second === 105;
    }
    return false;
  }
  // date-words: word a ends with a day or month name at a word start, maybe longer and lower-case
  // (`June`), maybe with a comma (`Fri,`): `(?<![A-Za-z0-9])(?:Mon|...|Dec)[a-z]*,?`.
  // After a day name comes a month name (a capital), after a month name the day (a digit).
  if (!isDigit(next) && (next < 65 || next > 90)) return false;
  let k = aEnd;
  if (last === 44) k--;
  let s = k;
  while (s > aStart && isLower(text.charCodeAt(s - 1))) s--;
  s--; // the capital
  if (s < aStart || k - s < 3 || (s > aStart && isAlnum(text.charCodeAt(s - 1)))) return false;
  return NAMES.has((text.charCodeAt(s) << 16) | (text.charCodeAt(s + 1) << 8) | text.charCodeAt(s + 2));
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** `yyyy-MM-dd` (or with / .) at the end of a word: the date half of `datetime`. */
function looksLikeDateEnd(text: string, start: number, end: number): boolean {
  // Errs on the side of yes: any word whose final digits follow a - / or . separator.
  let k = end;
  while (k > start && isDigit(text.charCodeAt(k - 1))) k--;
  const sep = text.charCodeAt(k - 1);
  return k > start && (sep === 45 || sep === 47 || sep === 46);
}
