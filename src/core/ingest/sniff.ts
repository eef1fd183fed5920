/** Content sniffing on the first bytes of a file: compression, text encoding, binary-ness. */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes inspected by the binary check (after decompression). */
export const SNIFF_BYTES = 64 * 1024;

/** Share of control characters above which a file is treated as binary. */
const MAX_CONTROL_SHARE = 0.1;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Encoding from the byte-order mark, and how many BOM bytes to skip. Without a BOM: UTF-16 when
 * NULs alternate with text bytes, else UTF-8.
 */
export function detectEncoding(head: Uint8Array): { encoding: TextEncoding; bomBytes: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomBytes: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2 };
  return { encoding: utf16ByNulPattern(head) ?? 'utf-8', bomBytes: 0 };
}

/** Share of NUL bytes on one side of each 2-byte pair above which (and none-ish on the other) text is UTF-16. */
const UTF16_NUL_SHARE = 0.4;
/** Below this share on the other side: real UTF-16 text of Latin script has no NUL low bytes. */
const UTF16_OTHER_SHARE = 0.02;

/**
 * UTF-16 without a byte-order mark (Windows tools write it): Latin-script text then has a NUL as
 * the high byte of most characters, so NULs sit on every other byte, odd positions for
 * little-endian and even ones for big-endian. Binary data has NULs on both sides.
 */
export function utf16ByNulPattern(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(head.length, SNIFF_BYTES) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul / pairs >= UTF16_NUL_SHARE && evenNul / pairs <= UTF16_OTHER_SHARE) return 'utf-16le';
  if (evenNul / pairs >= UTF16_NUL_SHARE && oddNul / pairs <= UTF16_OTHER_SHARE) return 'utf-16be';
  return null;
}

/**
 * Why the sample looks binary, or null when it looks like text. Only meaningful for 8-bit
 * encodings: UTF-16 text is full of NUL bytes and is checked by its BOM before this.
 */
export function binaryReason(sample: Uint8Array): string | null {
  const n = Math.min(sample.length, SNIFF_BYTES);
  if (n === 0) return null;
  const head = sample.subarray(0, n);
  if (head.indexOf(0) !== -1) return 'NUL bytes in the first 64 KiB';
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    // Tab, LF, VT, FF, CR and ESC (ANSI colours) are normal in text logs.
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 0x1b) || b === 0x7f) control++;
  }
  const share = control / n;
  if (share > MAX_CONTROL_SHARE) {
    return `${Math.round(share * 100)}% control characters in the first 64 KiB`;
  }
  return null;
}
