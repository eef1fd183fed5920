/**
 * Property tests of the line splitters: whatever the bytes and however they are chunked, nothing
 * throws and every input byte is accounted for: in a line (decoded as-is, invalid sequences as
 * U+FFFD), in a terminator, or counted as dropped (over-long tails) or removed (NULs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectLines, IngestError } from '../../../src/core/ingest';
import { LineBatch } from '../../../src/core/ingest/lineBatch';
import { Utf16LineSplitter } from '../../../src/core/ingest/utf16Lines';
import { Utf8LineSplitter } from '../../../src/core/ingest/utf8Lines';

const LF = 0x0a;
const CR = 0x0d;

/** Bytes drawn to hit the hard cases: terminators, NULs, UTF-8 lead/continuation bytes, a BOM, invalid bytes. */
const trickyBytes = fc
  .array(
    fc.constantFrom(0x0a, 0x0d, 0x00, 0x61, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0xef, 0xbb, 0xbf, 0xbd),
    { maxLength: 400 },
  )
  .map((a) => Uint8Array.from(a));
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 400 }), trickyBytes);

function splitUtf8(bytes: Uint8Array, chunkSize: number, maxLineBytes: number) {
  const batch = new LineBatch(0);
  const splitter = new Utf8LineSplitter(batch, maxLineBytes, 0);
  for (let at = 0; at < bytes.length; at += chunkSize) splitter.push(bytes.subarray(at, at + chunkSize));
  const endsWithNewline = splitter.finish();
  return { ...batch.take(Number.POSITIVE_INFINITY), endsWithNewline, splitter };
}

const decoder = new TextDecoder('utf-8');

/** U+FFFD the decoder puts in for invalid bytes (genuine EF BF BD in the input not counted). */
function replacements(bytes: Uint8Array): number {
  const inserted = [...decoder.decode(bytes)].filter((c) => c === '\uFFFD').length;
  let genuine = 0;
  for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) genuine++;
  return inserted - genuine;
}

describe('Utf8LineSplitter properties', () => {
  it('accounts for every byte: lines + terminators + dropped tails + removed NULs', () => {
    fc.assert(
      fc.property(anyBytes, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 40 }), (bytes, chunkSize, maxLineBytes) => {
        const { lines, byteOffsets, truncated, endsWithNewline, splitter } = splitUtf8(bytes, chunkSize, maxLineBytes);
        expect(lines.length).toBe(byteOffsets.length);
        if (bytes.length === 0) {
          expect(lines).toEqual([]);
          return;
        }
        expect(byteOffsets[0]).toBe(0);
        let kept = 0;
        let terminators = 0;
        let dropped = 0;
        let nuls = 0;
        let invalid = 0;
        for (let i = 0; i < lines.length; i++) {
          const end = i + 1 < lines.length ? byteOffsets[i + 1] : bytes.length;
          expect(end).toBeGreaterThan(byteOffsets[i] - (i + 1 < lines.length ? 0 : 1));
          const segment = bytes.subarray(byteOffsets[i], end);
          let term = 0;
          if (segment.length >= 2 && segment[segment.length - 2] === CR && segment[segment.length - 1] === LF) term = 2;
          else if (segment.length >= 1 && (segment[segment.length - 1] === LF || segment[segment.length - 1] === CR)) term = 1;
          const body = segment.subarray(0, segment.length - term);
          expect(body.includes(LF) || body.includes(CR)).toBe(false);
          // Only the last line may lack a terminator.
          if (term === 0) expect(i).toBe(lines.length - 1);
          let keep = body.length;
          if (truncated.includes(i)) {
            expect(body.length).toBeGreaterThan(maxLineBytes);
            keep = maxLineBytes;
            while (keep > 0 && (body[keep] & 0xc0) === 0x80) keep--;
          } else {
            expect(body.length).toBeLessThanOrEqual(maxLineBytes);
          }
          const keptBytes = body.subarray(0, keep);
          expect(lines[i]).toBe(decoder.decode(keptBytes).replaceAll('\0', ''));
          nuls += keptBytes.filter((b) => b === 0).length;
          invalid += replacements(keptBytes);
          kept += keep;
          terminators += term;
          dropped += body.length - keep;
        }
        expect(kept + terminators + dropped).toBe(bytes.length);
        expect(splitter.truncatedBytes).toBe(dropped);
        expect(splitter.truncatedLines).toBe(truncated.length);
        expect(splitter.nulCharacters).toBe(nuls);
        expect(splitter.invalidSequences).toBe(invalid);
        const last = bytes[bytes.length - 1];
        expect(endsWithNewline).toBe(last === LF || last === CR);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same lines for any chunking of the same bytes', () => {
    fc.assert(
      fc.property(anyBytes, fc.integer({ min: 1, max: 50 }), (bytes, chunkSize) => {
        const whole = splitUtf8(bytes, Math.max(1, bytes.length), 32);
        const chunked = splitUtf8(bytes, chunkSize, 32);
        expect(chunked.lines).toEqual(whole.lines);
        expect(chunked.byteOffsets).toEqual(whole.byteOffsets);
        expect(chunked.splitter.invalidSequences).toBe(whole.splitter.invalidSequences);
      }),
      { numRuns: 300 },
    );
  });

  it('recovers valid text lines exactly, whatever mix of LF, CRLF and CR ends them', async () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !/[\r\n\0]/.test(s));
    await fc.assert(
      fc.asyncProperty(
        // A CR ending a line before an empty LF-ended line would read as one CRLF: end it with LF then.
        fc
          .array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { minLength: 1, maxLength: 30 })
          .map((rows) => rows.map(([l, t], i) => [l, t === '\r' && rows[i + 1]?.[0] === '' ? '\n' : t] as const)),
        fc.integer({ min: 1, max: 17 }),
        async (rows, chunkSize) => {
          const text = rows.map(([l, t]) => l + t).join('');
          const bytes = new TextEncoder().encode(text);
          const { lines, report } = await collectLines(chunks(bytes, chunkSize));
          expect(lines).toEqual(rows.map(([l]) => l));
          expect(report.invalidSequences).toBe(0);
          expect(report.textBytes).toBe(bytes.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Utf16LineSplitter properties', () => {
  it('never throws, keeps offsets on code-unit boundaries in order, and leaves no terminator or NUL in a line', () => {
    fc.assert(
      fc.property(
        anyBytes,
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 2, max: 40 }),
        fc.boolean(),
        (bytes, chunkSize, maxLineBytes, bigEndian) => {
          const batch = new LineBatch(0);
          const splitter = new Utf16LineSplitter(bigEndian ? 'utf-16be' : 'utf-16le', batch, maxLineBytes, 0);
          for (let at = 0; at < bytes.length; at += chunkSize) splitter.push(bytes.subarray(at, at + chunkSize));
          splitter.finish();
          const { lines, byteOffsets } = batch.take(Number.POSITIVE_INFINITY);
          for (let i = 0; i < lines.length; i++) {
            expect(byteOffsets[i] % 2).toBe(0);
            if (i > 0) expect(byteOffsets[i]).toBeGreaterThan(byteOffsets[i - 1]);
            expect(/[\r\n\0]/.test(lines[i])).toBe(false);
            expect(lines[i].length).toBeLessThanOrEqual(Math.floor(maxLineBytes / 2));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('readLines on arbitrary input', () => {
  it('either reads lines or fails with an IngestError (binary, damaged gzip), never anything else', async () => {
    const gzipLike = anyBytes.map((b) => Uint8Array.from([0x1f, 0x8b, ...b]));
    const bomLike = fc
      .tuple(fc.constantFrom([0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf]), anyBytes)
      .map(([bom, b]) => Uint8Array.from([...bom, ...b]));
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyBytes, gzipLike, bomLike), fc.integer({ min: 1, max: 64 }), async (bytes, chunkSize) => {
        try {
          const { lines, report } = await collectLines(chunks(bytes, chunkSize), { maxLineBytes: 16 });
          expect(report.lines).toBe(lines.length);
          expect(report.bytesRead).toBe(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(IngestError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
