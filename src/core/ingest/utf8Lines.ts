import type { LineBatch } from './lineBatch';

const LF = 0x0a;
const CR = 0x0d;
const REPLACEMENT = '\uFFFD';

/**
 * Splits UTF-8 bytes into lines (LF, CRLF or CR) on the bytes themselves, then decodes each
 * block of complete lines with one TextDecoder call. An unfinished line is carried to the next
 * block as bytes, so multi-byte characters and CRLF pairs may straddle block boundaries.
 * Over-long lines keep their first `maxLineBytes` bytes; the rest is skipped without buffering.
 */
export class Utf8LineSplitter {
  invalidSequences = 0;
  truncatedLines = 0;
  /** Bytes dropped from the tails of over-long lines. */
  truncatedBytes = 0;
  /** NUL bytes removed from lines (the binary check only sees the first 64 KiB). */
  nulCharacters = 0;

  private readonly decoder = new TextDecoder('utf-8');
  /** Bytes of a line whose terminator has not arrived yet. */
  private pending: Uint8Array | null = null;
  private pendingOffset = 0;
  /** Dropping the tail of an over-long line until its terminator. */
  private skipping = false;
  /** The previous block ended with CR: an LF at the start of the next block completes a CRLF. */
  private afterCR = false;
  /** File offset of the next byte pushed. */
  private nextOffset: number;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(
    private readonly batch: LineBatch,
    private readonly maxLineBytes: number,
    startOffset: number,
  ) {
    this.nextOffset = startOffset;
  }

  push(chunk: Uint8Array): void {
    let block = chunk;
    let base = this.nextOffset;
    if (this.pending !== null) {
      block = new Uint8Array(this.pending.length + chunk.length);
      block.set(this.pending, 0);
      block.set(chunk, this.pending.length);
      base = this.pendingOffset;
      this.pending = null;
    }
    this.nextOffset += chunk.length;
    this.splitBlock(block, base);
  }

  /** Emits the unterminated last line, if any. Returns whether the file ended with a terminator. */
  finish(): boolean {
    if (this.skipping) return false;
    const rest = this.pending;
    if (rest === null) return true;
    this.pending = null;
    this.emitPartial(rest, 0, rest.length, this.pendingOffset);
    return false;
  }

  private splitBlock(b: Uint8Array, base: number): void {
    const n = b.length;
    let pos = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (n > 0 && b[0] === LF) pos = 1;
    }
    if (this.skipping) {
      const t = nextTerminator(b, pos);
      if (t < 0) {
        this.truncatedBytes += n - pos;
        return;
      }
      this.truncatedBytes += t - pos;
      this.skipping = false;
      pos = this.afterTerminator(b, t);
    }

    // Pass 1: line ranges on bytes. Cached next-LF / next-CR positions keep this to native scans.
    const starts = this.starts;
    const ends = this.ends;
    starts.length = 0;
    ends.length = 0;
    const decodeStart = pos;
    let lf = b.indexOf(LF, pos);
    let cr = b.indexOf(CR, pos);
    for (;;) {
      if (lf !== -1 && lf < pos) lf = b.indexOf(LF, pos);
      if (cr !== -1 && cr < pos) cr = b.indexOf(CR, pos);
      let t: number;
      if (cr === -1) t = lf;
      else if (lf === -1) t = cr;
      else t = lf < cr ? lf : cr;
      if (t === -1) break;
      starts.push(pos);
      ends.push(t);
      pos = this.afterTerminator(b, t);
    }
    const decodeEnd = pos;

    // Pass 2: one decode for all complete lines. LF and CR bytes never sit inside a UTF-8
    // sequence (nor get swallowed by a replacement), so the i-th terminator in the text is the
    // i-th terminator in the bytes.
    const count = starts.length;
    if (count > 0) {
      const text = this.withoutNul(this.decoder.decode(b.subarray(decodeStart, decodeEnd)));
      const hasReplacement = text.indexOf(REPLACEMENT) !== -1;
      if (hasReplacement) this.invalidSequences += countInvalid(text, b, decodeStart, decodeEnd);
      const maxLineBytes = this.maxLineBytes;
      if (!hasReplacement && text.length === decodeEnd - decodeStart) {
        // Pure ASCII: character positions equal byte positions.
        for (let i = 0; i < count; i++) {
          const s = starts[i];
          const e = ends[i];
          if (e - s > maxLineBytes) this.emitTruncated(b, s, e, base);
          else this.batch.add(text.slice(s - decodeStart, e - decodeStart), base + s, false);
        }
      } else {
        let cs = 0;
        let nl = text.indexOf('\n');
        let nr = text.indexOf('\r');
        for (let i = 0; i < count; i++) {
          if (nl !== -1 && nl < cs) nl = text.indexOf('\n', cs);
          if (nr !== -1 && nr < cs) nr = text.indexOf('\r', cs);
          let ce: number;
          if (nr === -1) ce = nl;
          else if (nl === -1) ce = nr;
          else ce = nl < nr ? nl : nr;
          const s = starts[i];
          if (ends[i] - s > maxLineBytes) this.emitTruncated(b, s, ends[i], base);
          else this.batch.add(text.slice(cs, ce), base + s, false);
          cs = ce + 1;
          if (text.charCodeAt(ce) === CR && text.charCodeAt(cs) === LF) cs++;
        }
      }
    }

    const restLength = n - pos;
    if (restLength > this.maxLineBytes) {
      // Unfinished and already too long: emit its head now and drop the rest as it streams by.
      this.emitTruncated(b, pos, n, base, true);
      this.skipping = true;
    } else if (restLength > 0) {
      this.pending = b.slice(pos);
      this.pendingOffset = base + pos;
    }
  }

  /** Removes NUL characters (counting them): they would otherwise reach templates and the encoder. */
  private withoutNul(text: string): string {
    let at = text.indexOf('\0');
    if (at === -1) return text;
    for (; at !== -1; at = text.indexOf('\0', at + 1)) this.nulCharacters++;
    return text.replaceAll('\0', '');
  }

  /** Position after the terminator at t (CRLF counts as one); notes a CR at the block's end. */
  private afterTerminator(b: Uint8Array, t: number): number {
    const next = t + 1;
    if (b[t] !== CR) return next;
    if (next < b.length) return b[next] === LF ? next + 1 : next;
    this.afterCR = true;
    return next;
  }

  /**
   * Emits the head of the over-long line b[start, end) (end: its terminator or the block's end).
   * `countHead`: its invalid sequences are not already counted with its block's complete lines.
   */
  private emitTruncated(b: Uint8Array, start: number, end: number, base: number, countHead = false): void {
    let cut = start + this.maxLineBytes;
    // Cut on a character boundary: back off over UTF-8 continuation bytes.
    while (cut > start && (b[cut] & 0xc0) === 0x80) cut--;
    const head = this.decoder.decode(b.subarray(start, cut));
    if (countHead) {
      if (head.indexOf(REPLACEMENT) !== -1) this.invalidSequences += countInvalid(head, b, start, cut);
      this.batch.add(this.withoutNul(head), base + start, true);
    } else {
      // Its block counted the whole line: take back what the dropped tail held. No sequence spans
      // the cut (b[cut] is not a continuation byte), so the tail decodes on its own the same way.
      const tail = this.decoder.decode(b.subarray(cut, end));
      if (tail.indexOf(REPLACEMENT) !== -1) this.invalidSequences -= countInvalid(tail, b, cut, end);
      const dropped = b.subarray(cut, end);
      for (let i = dropped.indexOf(0); i !== -1; i = dropped.indexOf(0, i + 1)) this.nulCharacters--;
      this.batch.add(head.replaceAll('\0', ''), base + start, true);
    }
    this.truncatedLines++;
    this.truncatedBytes += end - cut;
  }

  private emitPartial(b: Uint8Array, start: number, end: number, offset: number): void {
    if (end - start > this.maxLineBytes) {
      this.emitTruncated(b, start, end, offset, true);
      return;
    }
    const text = this.withoutNul(this.decoder.decode(b.subarray(start, end)));
    if (text.indexOf(REPLACEMENT) !== -1) this.invalidSequences += countInvalid(text, b, start, end);
    this.batch.add(text, offset + start, false);
  }
}

function nextTerminator(b: Uint8Array, from: number): number {
  const lf = b.indexOf(LF, from);
  const cr = b.indexOf(CR, from);
  if (cr === -1) return lf;
  if (lf === -1) return cr;
  return lf < cr ? lf : cr;
}

/** Replacement characters the decoder inserted: all U+FFFD minus those written as EF BF BD. */
function countInvalid(text: string, b: Uint8Array, start: number, end: number): number {
  let replaced = 0;
  for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) replaced++;
  let genuine = 0;
  for (let i = b.indexOf(0xef, start); i !== -1 && i + 2 < end; i = b.indexOf(0xef, i + 1)) {
    if (b[i + 1] === 0xbf && b[i + 2] === 0xbd) genuine++;
  }
  return replaced - genuine;
}
