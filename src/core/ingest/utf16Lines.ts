import type { LineBatch } from './lineBatch';

/**
 * Splits UTF-16 text (LE or BE, after its BOM) into lines. UTF-16 logs are rare (Windows
 * exports), so this favours simplicity: decode each block with a streaming TextDecoder and split
 * the text. Byte offsets count two bytes per UTF-16 code unit.
 */
export class Utf16LineSplitter {
  invalidSequences = 0;
  truncatedLines = 0;
  /** Bytes dropped from the tails of over-long lines. */
  truncatedBytes = 0;
  /** NUL characters removed from lines (two bytes each, counted as one). */
  nulCharacters = 0;

  private readonly decoder: TextDecoder;
  private carry = '';
  /** File offset of carry[0]. */
  private carryOffset: number;
  private skipping = false;
  private afterCR = false;
  private readonly maxUnits: number;

  constructor(
    encoding: 'utf-16le' | 'utf-16be',
    private readonly batch: LineBatch,
    maxLineBytes: number,
    startOffset: number,
  ) {
    // ignoreBOM: the caller has already skipped it, so a later U+FEFF is content.
    this.decoder = new TextDecoder(encoding, { ignoreBOM: true });
    this.maxUnits = Math.max(1, Math.floor(maxLineBytes / 2));
    this.carryOffset = startOffset;
  }

  push(chunk: Uint8Array): void {
    this.split(this.decoder.decode(chunk, { stream: true }));
  }

  finish(): boolean {
    this.split(this.decoder.decode());
    if (this.skipping) return false;
    if (this.carry.length === 0) return true;
    this.emit(this.carry, this.carryOffset);
    this.carry = '';
    return false;
  }

  private split(decoded: string): void {
    const text = this.carry.length > 0 ? this.carry + decoded : decoded;
    const offset = this.carryOffset;
    let pos = 0;
    if (this.afterCR && text.charCodeAt(0) === 10) pos = 1;
    this.afterCR = false;
    for (;;) {
      const t = nextTerminator(text, pos);
      if (t === -1) break;
      if (this.skipping) {
        this.skipping = false;
        this.truncatedBytes += 2 * (t - pos);
      } else this.emit(text.slice(pos, t), offset + 2 * pos);
      pos = t + 1;
      if (text.charCodeAt(t) === 13) {
        if (pos < text.length) {
          if (text.charCodeAt(pos) === 10) pos++;
        } else {
          this.afterCR = true;
        }
      }
    }
    const rest = text.length - pos;
    this.carryOffset = offset + 2 * text.length;
    this.carry = '';
    if (this.skipping) this.truncatedBytes += 2 * rest;
    if (this.skipping || rest === 0) return;
    if (rest > this.maxUnits) {
      this.emit(text.slice(pos), offset + 2 * pos);
      this.skipping = true;
    } else {
      this.carry = text.slice(pos);
      this.carryOffset = offset + 2 * pos;
    }
  }

  private emit(line: string, byteOffset: number): void {
    let text = line;
    let truncated = false;
    if (text.length > this.maxUnits) {
      let cut = this.maxUnits;
      // Do not split a surrogate pair.
      const last = text.charCodeAt(cut - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut--;
      this.truncatedBytes += 2 * (text.length - cut);
      text = text.slice(0, cut);
      truncated = true;
      this.truncatedLines++;
    }
    if (text.indexOf('\0') !== -1) {
      for (let i = text.indexOf('\0'); i !== -1; i = text.indexOf('\0', i + 1)) this.nulCharacters++;
      text = text.replaceAll('\0', '');
    }
    for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) this.invalidSequences++;
    this.batch.add(text, byteOffset, truncated);
  }
}

function nextTerminator(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (cr === -1) return lf;
  if (lf === -1) return cr;
  return lf < cr ? lf : cr;
}
