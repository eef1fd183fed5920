/**
 * Byte ranges of one plain (not gzip) UTF-8 file, for parsing its pieces on several threads. Each
 * range after the first starts at a line that the caller accepts as a cut (see `planByteRanges`),
 * so that a piece parsed on its own gives exactly the records the whole file gives there.
 */

/** A piece of a file: bytes [start, end) of its text. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Whether a piece may start at `line`, given the line before it (both decoded as the line splitter
 * decodes them, terminators dropped).
 */
export type CutTest = (lineBefore: string, line: string) => boolean;

const LF = 0x0a;
const CR = 0x0d;
/** Bytes read after each nominal cut while looking for a line the caller accepts. */
const CUT_WINDOW_BYTES = 256 * 1024;

/**
 * Cuts [0, size) into ranges of about `targetBytes` (each at least that long). A cut lies just
 * after an LF byte (so never inside a CRLF pair or a UTF-8 sequence), where the line before and the
 * line after are whole in the window read, neither is longer than `maxLineBytes` (the splitter would cut it) nor holds a NUL,
 * and `accept` says yes. Where no such line follows a nominal cut within 256 KiB (a huge stack
 * trace, CR-only line ends), the range grows past that window.
 */
export async function planByteRanges(
  blob: Blob,
  targetBytes: number,
  accept: CutTest,
  maxLineBytes: number,
  signal?: AbortSignal,
): Promise<ByteRange[]> {
  const size = blob.size;
  const cuts: number[] = [];
  const decoder = new TextDecoder('utf-8');
  let nominal = Math.max(1, targetBytes);
  while (nominal < size) {
    if (signal?.aborted) break;
    const windowEnd = Math.min(size, nominal + CUT_WINDOW_BYTES);
    const bytes = new Uint8Array(await blob.slice(nominal, windowEnd).arrayBuffer());
    const cut = findCut(bytes, windowEnd === size, accept, maxLineBytes, decoder);
    if (cut === -1) {
      // No cut in the window: the range grows past it (the window is not searched again).
      nominal = windowEnd;
      continue;
    }
    cuts.push(nominal + cut);
    nominal += cut + Math.max(1, targetBytes);
  }
  const ranges: ByteRange[] = [];
  let start = 0;
  for (const cut of cuts) {
    if (cut <= start || cut >= size) continue;
    ranges.push({ start, end: cut });
    start = cut;
  }
  ranges.push({ start, end: size });
  return ranges;
}

/** The first acceptable cut in `w` (an offset just after an LF), or -1. */
function findCut(w: Uint8Array, reachesEnd: boolean, accept: CutTest, maxLineBytes: number, decoder: TextDecoder): number {
  // The line before the first LF may have started before the window: it is never judged.
  let lf = w.indexOf(LF);
  while (lf !== -1) {
    const lineStart = lf + 1;
    const next = nextTerminator(w, lineStart);
    if (next === -1 && !reachesEnd) return -1;
    const lineEnd = next === -1 ? w.length : next;
    const beforeEnd = lf > 0 && w[lf - 1] === CR ? lf - 1 : lf;
    const beforeStart = previousTerminator(w, beforeEnd) + 1;
    const judged =
      beforeStart > 0 &&
      lineEnd > lineStart &&
      beforeEnd - beforeStart <= maxLineBytes &&
      lineEnd - lineStart <= maxLineBytes &&
      !holdsNul(w, beforeStart, lineEnd);
    if (judged && accept(decoder.decode(w.subarray(beforeStart, beforeEnd)), decoder.decode(w.subarray(lineStart, lineEnd)))) {
      return lineStart;
    }
    lf = w.indexOf(LF, lineStart);
  }
  return -1;
}

function nextTerminator(w: Uint8Array, from: number): number {
  for (let i = from; i < w.length; i++) if (w[i] === LF || w[i] === CR) return i;
  return -1;
}

/** Index of the last LF or CR before `end`, or -1 (the line's start is not in the window). */
function previousTerminator(w: Uint8Array, end: number): number {
  for (let i = end - 1; i >= 0; i--) if (w[i] === LF || w[i] === CR) return i;
  return -1;
}

function holdsNul(w: Uint8Array, start: number, end: number): boolean {
  const at = w.indexOf(0, start);
  return at !== -1 && at < end;
}
