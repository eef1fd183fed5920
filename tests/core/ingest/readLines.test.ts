import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectLines, IngestError, readLines } from '../../../src/core/ingest';
import { LineBatch } from '../../../src/core/ingest/lineBatch';
import { openFileStream } from '../../../src/core/ingest/node';
import { Utf8LineSplitter } from '../../../src/core/ingest/utf8Lines';
import { LOGHUB_SYSTEMS } from '../../../bench/loghub';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function expectIngestError(promise: Promise<unknown>, code: IngestError['code']): Promise<IngestError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).code).toBe(code);
  return error as IngestError;
}

/** Feeds bytes to the splitter directly, one push per chunk, bypassing block gathering. */
function splitDirect(bytes: Uint8Array, chunkSize: number, maxLineBytes = 65536) {
  const batch = new LineBatch(0);
  const splitter = new Utf8LineSplitter(batch, maxLineBytes, 0);
  for (let at = 0; at < bytes.length; at += chunkSize) splitter.push(bytes.subarray(at, at + chunkSize));
  const endsWithNewline = splitter.finish();
  const chunk = batch.take(Infinity);
  return { ...chunk, endsWithNewline, invalid: splitter.invalidSequences, truncatedLines: splitter.truncatedLines };
}

describe('readLines: terminators and encodings', () => {
  it('splits LF, CRLF and CR and reports byte offsets', async () => {
    const { lines, report } = await collectLines(new Blob(['a\r\nbb\rccc\n\nd\r\n']));
    expect(lines).toEqual(['a', 'bb', 'ccc', '', 'd']);
    expect(report.lines).toBe(5);
    expect(report.endsWithNewline).toBe(true);
    const first = await readLines(new Blob(['a\r\nbb\rccc\n\nd\r\n'])).next();
    expect(first.done).toBe(false);
    if (!first.done) expect(first.value.byteOffsets).toEqual([0, 3, 6, 10, 11]);
  });

  it('keeps a last line without a terminator and says so', async () => {
    const { lines, report } = await collectLines(new Blob(['one\ntwo']));
    expect(lines).toEqual(['one', 'two']);
    expect(report.endsWithNewline).toBe(false);
  });

  it('reads an empty file as zero lines without error', async () => {
    const { lines, report } = await collectLines(new Blob([]));
    expect(lines).toEqual([]);
    expect(report).toMatchObject({ lines: 0, bytesRead: 0, compression: 'none', encoding: 'utf-8' });
  });

  it('replaces invalid UTF-8 with U+FFFD and counts it, not counting genuine U+FFFD', async () => {
    const bytes = new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xef, 0xbf, 0xbd, 0x0a, 0xc3, 0x28, 0x0a, 0xe2, 0x82]);
    const { lines, report } = await collectLines(inChunks(bytes, 1));
    expect(lines).toEqual(['a\uFFFDb', '\uFFFD', '\uFFFD(', '\uFFFD']);
    expect(report.invalidSequences).toBe(3);
    expect(report.endsWithNewline).toBe(false);
  });

  it('strips a UTF-8 BOM and offsets lines from the true file start', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('héllo\nwörld\n')]);
    const reader = readLines(inChunks(bytes, 2));
    const first = await reader.next();
    expect(first.done).toBe(false);
    if (!first.done) {
      expect(first.value.lines).toEqual(['héllo', 'wörld']);
      expect(first.value.byteOffsets).toEqual([3, 10]);
    }
  });

  it.each([
    ['utf-16le', [0xff, 0xfe], (c: number) => [c & 0xff, c >> 8]],
    ['utf-16be', [0xfe, 0xff], (c: number) => [c >> 8, c & 0xff]],
  ] as const)('decodes %s with a BOM (not binary despite NUL bytes)', async (encoding, bom, unit) => {
    const text = 'Zeile één\r\nzwei €\nπ\r';
    const bytes = new Uint8Array([...bom, ...[...text].flatMap((ch) => unit(ch.charCodeAt(0)))]);
    for (const size of [1, 3, 4096]) {
      const { lines, report } = await collectLines(inChunks(bytes, size));
      expect(lines).toEqual(['Zeile één', 'zwei €', 'π']);
      expect(report.encoding).toBe(encoding);
      expect(report.endsWithNewline).toBe(true);
    }
  });
});

describe('readLines: what it altered is counted, not silent', () => {
  it.each([
    ['utf-16le', (c: number) => [c & 0xff, c >> 8]],
    ['utf-16be', (c: number) => [c >> 8, c & 0xff]],
  ] as const)('decodes %s without a BOM (alternating NULs), not as binary', async (encoding, unit) => {
    const text = '2024-05-01 12:00:00 INFO service started\r\n2024-05-01 12:00:01 WARN disk 91% full\r\n';
    const bytes = new Uint8Array([...text].flatMap((ch) => unit(ch.charCodeAt(0))));
    const { lines, report } = await collectLines(new Blob([bytes]), { fileName: 'windows.log' });
    expect(lines).toEqual(['2024-05-01 12:00:00 INFO service started', '2024-05-01 12:00:01 WARN disk 91% full']);
    expect(report.encoding).toBe(encoding);
  });

  it('still calls NULs on both sides of each byte pair binary', async () => {
    const binary = new Uint8Array(4096).map((_, i) => (i % 4 < 2 ? 0 : 0x41 + (i % 26)));
    await expectIngestError(collectLines(new Blob([binary])), 'binary');
  });

  it('strips NUL bytes past the first 64 KiB and counts them', async () => {
    const head = 'INFO all fine here\n'.repeat(4000);
    const bytes = new Uint8Array([...utf8(head), ...utf8('WARN pre'), 0, 0, ...utf8('allocated\n'), 0, ...utf8('tail\n')]);
    for (const size of [bytes.length, 4096, 7]) {
      const { lines, report } = await collectLines(inChunks(bytes, size));
      expect(lines.slice(-2)).toEqual(['WARN preallocated', 'tail']);
      expect(report.nulCharacters).toBe(3);
      expect(lines.every((l) => !l.includes('\0'))).toBe(true);
    }
  });

  it('reports bytes dropped from over-long lines and the decompressed size of gzip', async () => {
    const long = 'x'.repeat(1000);
    const text = `short\n${long}\n${long}`;
    const { report } = await collectLines(new Blob([text]), { maxLineBytes: 100 });
    expect(report.truncatedLines).toBe(2);
    expect(report.truncatedBytes).toBe(2 * 900);
    const gz = gzipSync(Buffer.from(text));
    const zipped = await collectLines(new Blob([gz]), { maxLineBytes: 100 });
    expect(zipped.report.textBytes).toBe(text.length);
    expect(zipped.report.bytesRead).toBe(gz.length);
    expect(zipped.report.truncatedBytes).toBe(2 * 900);
  });
});

describe('readLines: chunk boundaries', () => {
  const text = 'ab€\r\n日本語\rx😀y\r\n\r\nlast é';
  const bytes = utf8(text);

  it('gives the same lines for every chunk size, including 1-byte chunks', async () => {
    for (const size of [1, 2, 3, 5, 7, bytes.length]) {
      const { lines, report } = await collectLines(inChunks(bytes, size));
      expect(lines).toEqual(['ab€', '日本語', 'x😀y', '', 'last é']);
      expect(report.invalidSequences).toBe(0);
    }
  });

  it('handles multi-byte characters and CRLF split across splitter blocks', () => {
    for (const size of [1, 2, 3, 4]) {
      const result = splitDirect(bytes, size);
      expect(result.lines).toEqual(['ab€', '日本語', 'x😀y', '', 'last é']);
      expect(result.byteOffsets).toEqual([0, 7, 17, 25, 27]);
      expect(result.invalid).toBe(0);
      expect(result.endsWithNewline).toBe(false);
    }
  });

  it('handles a CRLF pair straddling two 64 KiB blocks of the real reader', async () => {
    const head = 'x'.repeat(65535);
    const data = utf8(`${head}\r\nnext\r\n`);
    expect(data[65535]).toBe(0x0d);
    const { lines } = await collectLines(inChunks(data, 65536));
    expect(lines).toEqual([head, 'next']);
  });

  it('yields batches of chunkLines with consecutive line numbers', async () => {
    const body = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n');
    const reader = readLines(new Blob([body]), { chunkLines: 4, fileIndex: 2 });
    const chunks = [];
    for (;;) {
      const next = await reader.next();
      if (next.done) break;
      chunks.push(next.value);
    }
    expect(chunks.map((c) => c.lines.length)).toEqual([4, 4, 2]);
    expect(chunks.map((c) => c.firstLineNumber)).toEqual([0, 4, 8]);
    expect(chunks.every((c) => c.fileIndex === 2)).toBe(true);
  });
});

describe('readLines: long lines', () => {
  it('truncates a 1 MB line and keeps the following lines intact', async () => {
    const long = 'L'.repeat(1024 * 1024);
    const data = utf8(`before\n${long}\nafter 1\r\nafter 2\n`);
    for (const size of [1 << 20, 65536, 10_000]) {
      const { lines, truncated, report } = await collectLines(inChunks(data, size));
      expect(lines).toEqual(['before', 'L'.repeat(65536), 'after 1', 'after 2']);
      expect(truncated).toEqual([1]);
      expect(report.truncatedLines).toBe(1);
    }
  });

  it('cuts on a character boundary and respects maxLineBytes', async () => {
    const { lines, truncated } = await collectLines(new Blob(['€€€€\nok\n']), { maxLineBytes: 7 });
    expect(lines).toEqual(['€€', 'ok']);
    expect(truncated).toEqual([0]);
    const direct = splitDirect(utf8('€€€€\nok\n'), 1, 7);
    expect(direct.lines).toEqual(['€€', 'ok']);
    expect(direct.truncated).toEqual([0]);
  });

  it('streams a 100 MB line without holding it', async () => {
    const piece = new Uint8Array(1 << 20).fill(0x41);
    async function* source(): AsyncGenerator<Uint8Array> {
      yield utf8('start\n');
      for (let i = 0; i < 100; i++) yield piece;
      yield utf8('\nend');
    }
    const { lines, report } = await collectLines(source());
    expect(lines.length).toBe(3);
    expect(lines[1].length).toBe(65536);
    expect(lines[2]).toBe('end');
    expect(report.bytesRead).toBe(6 + 100 * (1 << 20) + 4);
  });
});

describe('readLines: gzip, binary and failures', () => {
  const body = Array.from({ length: 5000 }, (_, i) => `2024-05-01 12:00:00 INFO request ${i} done`).join('\n') + '\n';

  it('detects gzip by magic bytes, not by name', async () => {
    const gz = gzipSync(Buffer.from(body));
    const { lines, report } = await collectLines(inChunks(new Uint8Array(gz), 777), { fileName: 'app.log' });
    expect(lines.length).toBe(5000);
    expect(lines[4999]).toBe('2024-05-01 12:00:00 INFO request 4999 done');
    expect(report.compression).toBe('gzip');
    expect(report.bytesRead).toBe(gz.length);
  });

  it('rejects corrupt and truncated gzip with a readable message', async () => {
    const gz = new Uint8Array(gzipSync(Buffer.from(body)));
    const damaged = gz.slice();
    damaged[40] ^= 0xff;
    damaged[60] ^= 0xff;
    const error = await expectIngestError(collectLines(new Blob([damaged]), { fileName: 'x.log.gz' }), 'corrupt-gzip');
    expect(error.message).toMatch(/^x\.log\.gz is a damaged gzip file/);
    await expectIngestError(collectLines(new Blob([gz.subarray(0, gz.length - 30)])), 'corrupt-gzip');
  });

  it('rejects NUL-bearing binary files, also inside gzip', async () => {
    const binary = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const error = await expectIngestError(collectLines(new Blob([binary]), { fileName: 'core.dump' }), 'binary');
    expect(error.message).toBe('core.dump looks like a binary file (NUL bytes in the first 64 KiB), not a text log');
    await expectIngestError(collectLines(new Blob([gzipSync(Buffer.from(binary))])), 'binary');
  });

  it('rejects text dense with control characters but accepts ANSI colours and tabs', async () => {
    const noisy = new Uint8Array(2000).map((_, i) => (i % 3 === 0 ? 0x01 : 0x61));
    const error = await expectIngestError(collectLines(new Blob([noisy])), 'binary');
    expect(error.message).toContain('control characters');
    const coloured = '\x1b[31mERROR\x1b[0m\tfailed\n'.repeat(100);
    const { lines } = await collectLines(new Blob([coloured]));
    expect(lines.length).toBe(100);
  });

  it('turns source failures into unreadable and honours abort', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield utf8('a\n');
      throw new Error('disk gone');
    }
    const error = await expectIngestError(collectLines(failing(), { fileName: 'f.log' }), 'unreadable');
    expect(error.message).toContain('disk gone');

    const controller = new AbortController();
    controller.abort();
    await expectIngestError(collectLines(new Blob(['a\n']), { signal: controller.signal }), 'aborted');
  });

  it('stops reading the source when the consumer aborts mid-file', async () => {
    const controller = new AbortController();
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield utf8('tick\n'.repeat(20000));
      }
    }
    const reader = readLines(endless(), { signal: controller.signal });
    await reader.next();
    controller.abort();
    await expectIngestError(reader.next(), 'aborted');
    const pulledAtAbort = pulled;
    expect(pulledAtAbort).toBeLessThan(10);
  });
});

const dataRoot = new URL('../../../../shared/data/', import.meta.url);
const hasData = existsSync(dataRoot);

describe.skipIf(!hasData)('readLines on the shared Loghub logs', () => {
  it('reads every 2k sample as 2000 lines (CRLF files included)', async () => {
    for (const system of LOGHUB_SYSTEMS) {
      const path = new URL(`loghub_2k/${system}/${system}_2k.log`, dataRoot).pathname;
      const { lines, report } = await collectLines(openFileStream(path), { fileName: `${system}_2k.log` });
      expect(lines.length, system).toBe(2000);
      expect(
        lines.some((line) => line.includes('\r')),
        system,
      ).toBe(false);
      expect(report.invalidSequences, system).toBe(0);
    }
  });
});
if (!hasData) console.warn('ingest tests: ../shared/data not found, skipping the Loghub file tests');
