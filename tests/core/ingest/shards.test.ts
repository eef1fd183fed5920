import { describe, expect, it } from 'vitest';
import { planByteRanges } from '../../../src/core/ingest/shards';

const anyNonBlank = (before: string, line: string) => before.trim() !== '' && line.trim() !== '';

function blobOf(parts: Array<string | Uint8Array>): Blob {
  return new Blob(parts.map((p) => (typeof p === 'string' ? p : new Uint8Array(p))));
}

/** The ranges tile the file: first from 0, each from the last one's end, the last to the size. */
function expectTiles(ranges: Array<{ start: number; end: number }>, size: number): void {
  expect(ranges[0].start).toBe(0);
  for (let k = 1; k < ranges.length; k++) expect(ranges[k].start).toBe(ranges[k - 1].end);
  expect(ranges[ranges.length - 1].end).toBe(size);
}

describe('planByteRanges', () => {
  it('cuts just after an LF, about every targetBytes, and the ranges tile the file', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n';
    const blob = blobOf([text]);
    const ranges = await planByteRanges(blob, 10_000, anyNonBlank, 65536);
    expectTiles(ranges, blob.size);
    expect(ranges.length).toBeGreaterThan(5);
    for (const r of ranges.slice(1)) expect(text[r.start - 1]).toBe('\n');
    for (const r of ranges.slice(0, -1)) expect(r.end - r.start).toBeLessThan(10_000 + 200);
  });

  it('never cuts between the CR and LF of a CRLF, and CR-only line ends are never cut', async () => {
    const crlf = Array.from({ length: 1000 }, (_, i) => `record ${i}`).join('\r\n') + '\r\n';
    const ranges = await planByteRanges(blobOf([crlf]), 2000, anyNonBlank, 65536);
    expect(ranges.length).toBeGreaterThan(3);
    for (const r of ranges.slice(1)) expect(crlf.slice(r.start - 2, r.start)).toBe('\r\n');
    const crOnly = Array.from({ length: 1000 }, (_, i) => `record ${i}`).join('\r') + '\r';
    expect(await planByteRanges(blobOf([crOnly]), 2000, anyNonBlank, 65536)).toEqual([{ start: 0, end: crOnly.length }]);
  });

  it('skips lines the caller refuses, lines after a blank one, over-long lines and lines holding NUL', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) lines.push(i % 10 === 0 ? `START ${i}` : `  continued ${i}`);
    const text = lines.join('\n') + '\n';
    const onlyStarts = (before: string, line: string) => anyNonBlank(before, line) && line.startsWith('START');
    const ranges = await planByteRanges(blobOf([text]), 500, onlyStarts, 65536);
    expect(ranges.length).toBeGreaterThan(3);
    for (const r of ranges.slice(1)) expect(text.slice(r.start, r.start + 6)).toBe('START ');

    // Before the first acceptable line: a blank line, a line too long for the splitter, a NUL.
    const head = 'a\n'.repeat(10);
    const body = ['', 'after blank', 'y'.repeat(300), 'after long', 'nul\0here', 'after nul', 'good one', 'tail'].join('\n') + '\n';
    const blob = blobOf([head, body]);
    const picked = await planByteRanges(blob, head.length, (b, l) => anyNonBlank(b, l), 200);
    const at = picked[1].start;
    expect(new TextDecoder().decode(new Uint8Array(await blob.slice(at, at + 8).arrayBuffer()))).toBe('good one');
  });

  it('no cut in a line that runs past the window; tiny and empty files are one range', async () => {
    const blob = blobOf(['head\n', 'z'.repeat(600_000), '\nnext\n']);
    expect(await planByteRanges(blob, 10, anyNonBlank, 65536)).toEqual([{ start: 0, end: blob.size }]);
    expect(await planByteRanges(blobOf(['']), 10, anyNonBlank, 65536)).toEqual([{ start: 0, end: 0 }]);
    expect(await planByteRanges(blobOf(['one line']), 1, anyNonBlank, 65536)).toEqual([{ start: 0, end: 8 }]);
  });
});
