import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ProgressClock } from '../../../src/core/analysis/progress';
import { buildRecords, type InputFile, type PipelineProgress, type RecordsResult } from '../../../src/core/analysis/records';
import { readRecords, textIsLazy } from '../../../src/core/analysis/recordText';
import { DEFAULT_SETTINGS, type StageProgress } from '../../../src/core/analysis/types';
import { generateLogText } from '../../../src/core/generate';
import { createFileTextSpool } from '../../../src/core/ingest/node';

const settings = { layoutFormat: undefined, masks: DEFAULT_SETTINGS.masks };
const MB = 2 ** 20;

/** A gzip bomb: a 20 KB block of generated log repeated until it expands to `bytes`. */
function gzipBomb(bytes: number): { gz: Uint8Array<ArrayBuffer>; lines: number } {
  const block = generateLogText({ seed: 5, lines: 200, layout: 'iso' });
  const repeats = Math.ceil(bytes / block.length);
  const gz = gzipSync(Buffer.from(block.repeat(repeats)), { level: 9 });
  return { gz: new Uint8Array(gz) as Uint8Array<ArrayBuffer>, lines: 200 * repeats };
}

/** The heap in use after a full collection (V8's gc, exposed for this test only). */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The bomb's records: bounded path, spooled text, lines read back (a function: no reference outlives it). */
async function checkBomb(result: RecordsResult, lines: number, spoolDir: string): Promise<void> {
  expect(result.target.count).toBe(lines);
  expect(result.files[0].report.textBytes).toBeGreaterThan(96 * MB);
  expect(textIsLazy(result.target)).toBe(true);
  expect(result.target.raw).toHaveLength(0);
  // The decompressed text went to a file on disk, not into memory.
  const spooled = readdirSync(spoolDir).map((f) => statSync(join(spoolDir, f)).size);
  expect(spooled).toEqual([result.files[0].report.textBytes]);
  // Lines read back by byte range from the spooled text, at the start and at the very end.
  const [first, last] = await readRecords(result.target, [0, result.target.count - 1]);
  const block = generateLogText({ seed: 5, lines: 200, layout: 'iso' }).split('\n');
  expect(first.raw).toBe(block[0]);
  expect(last.raw).toBe(block[199]);
}

/**
 * Reads the bomb and checks its records; returns the heap while its result is held and the peak
 * while reading. In a function of its own, so that nothing of the result outlives it.
 */
async function readBomb(gz: Uint8Array<ArrayBuffer>, lines: number, spoolDir: string): Promise<{ withResult: number; peak: number }> {
  let peak = 0;
  const result = await buildRecords(
    [{ name: 'bomb.log.gz', data: new Blob([gz]), role: 'target', size: gz.length }],
    settings,
    () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
    undefined,
    { textInMemoryLimit: 4 * MB, textSpool: createFileTextSpool(spoolDir) },
  );
  const withResult = heapAfterGc();
  await checkBomb(result, lines, spoolDir);
  return { withResult, peak };
}

const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

describe('buildRecords: the text budget is decided on decompressed bytes', () => {
  it('a gzip bomb (0.7 MB expanding to 96 MB) takes the bounded path: no strings, text spooled to disk, heap flat', async () => {
    const { gz, lines } = gzipBomb(96 * MB);
    expect(gz.length).toBeLessThan(1 * MB);
    const spoolDir = mkdtempSync(join(tmpdir(), 'loupe-spool-test-'));
    const start = heapAfterGc();
    const { withResult, peak } = await readBomb(gz, lines, spoolDir);
    const without = heapAfterGc();
    // What the result holds on the heap: its 971,800 lines kept as strings (the limit compared with
    // the compressed size before) hold 184 MB; byte ranges live in typed arrays, off the heap
    // (measured: 0.1 MB held, 24 MB at the peak, for 96 MB of text).
    expect(withResult - without).toBeLessThan(16 * MB);
    expect(peak - start).toBeLessThan(48 * MB);
  });

  it('switches on the fly mid-way through the files, and reads back exactly what memory would hold', async () => {
    const plain = generateLogText({ seed: 7, lines: 3000, layout: 'iso' }).replace(/\n/g, '\r\n');
    const second = generateLogText({ seed: 8, lines: 3000, layout: 'iso' });
    const files = (): InputFile[] => [
      { name: 'a.log', data: new Blob([plain]), role: 'target' },
      { name: 'b.log.gz', data: new Blob([new Uint8Array(gzipSync(Buffer.from(second)))]), role: 'target' },
    ];
    const inMemory = await buildRecords(files(), settings);
    // The limit falls inside the gzip file: a.log's records were kept as strings when it was passed.
    const limit = plain.length + second.length / 2;
    expect(files().reduce((n, f) => n + (f.data as Blob).size, 0)).toBeLessThan(limit);
    const lazy = await buildRecords(files(), settings, undefined, undefined, limit);
    expect(textIsLazy(inMemory.target)).toBe(false);
    expect(textIsLazy(lazy.target)).toBe(true);
    expect(lazy.target.count).toBe(inMemory.target.count);
    const texts = await readRecords(lazy.target, all(lazy.target.count));
    expect(texts.map((t) => t.raw)).toEqual(inMemory.target.raw);
    expect(texts.map((t) => t.message)).toEqual(inMemory.target.message);
  });

  it('keeps gzip text as strings while it fits, and spools nothing that outlives the build', async () => {
    const text = generateLogText({ seed: 9, lines: 500, layout: 'iso' });
    const spoolDir = mkdtempSync(join(tmpdir(), 'loupe-spool-test-'));
    const result = await buildRecords(
      [{ name: 'small.log.gz', data: new Blob([new Uint8Array(gzipSync(Buffer.from(text)))]), role: 'target' }],
      settings,
      undefined,
      undefined,
      { textInMemoryLimit: 4 * MB, textSpool: createFileTextSpool(spoolDir) },
    );
    expect(textIsLazy(result.target)).toBe(false);
    expect(result.target.raw).toHaveLength(500);
    expect(result.files[0].text).toBeUndefined();
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('keeps no strings for a reference log (its lines are never shown)', async () => {
    const result = await buildRecords(
      [
        { name: 'normal.log', data: new Blob([generateLogText({ seed: 3, lines: 800, layout: 'iso' })]), role: 'reference' },
        { name: 'target.log', data: new Blob([generateLogText({ seed: 4, lines: 300, layout: 'iso' })]), role: 'target' },
      ],
      settings,
    );
    expect(result.reference!.records.count).toBe(800);
    expect(result.reference!.records.raw).toHaveLength(0);
    expect(result.target.raw).toHaveLength(300);
  });

  it('reads a whitespace-only file as no records, and blank lines never become records', async () => {
    const blank = await buildRecords([{ name: 'blank.log', data: new Blob([' \n\t\n\r\n   \n\n']), role: 'target' }], settings);
    expect(blank.target.count).toBe(0);
    const text = generateLogText({ seed: 2, lines: 50, layout: 'iso' }).split('\n').join('\n\n');
    const spaced = await buildRecords([{ name: 'spaced.log', data: new Blob([text]), role: 'target' }], settings);
    const lazy = await buildRecords([{ name: 'spaced.log', data: new Blob([text]), role: 'target' }], settings, undefined, undefined, 0);
    expect(spaced.target.count).toBe(50);
    expect((await readRecords(lazy.target, all(50))).map((t) => t.raw)).toEqual(spaced.target.raw);
  });
});

describe('lines read back by byte range', () => {
  it('read as reading kept them: NULs past the first 64 KiB removed, blank lines left out', async () => {
    const head = generateLogText({ seed: 14, lines: 1000, layout: 'iso' });
    const tail = '2026-03-14T02:00:00.000Z WARN [disk] pre\0\0allocated\n\n   \n2026-03-14T02:00:01.000Z INFO [disk] done\0\n';
    const files = (): InputFile[] => [{ name: 'nul.log', data: new Blob([head + tail]), role: 'target' }];
    const inMemory = await buildRecords(files(), settings);
    const lazy = await buildRecords(files(), settings, undefined, undefined, 0);
    expect(inMemory.files[0].report.nulCharacters).toBe(3);
    expect(inMemory.target.raw.slice(-2)).toEqual([
      '2026-03-14T02:00:00.000Z WARN [disk] preallocated',
      '2026-03-14T02:00:01.000Z INFO [disk] done',
    ]);
    expect((await readRecords(lazy.target, all(lazy.target.count))).map((t) => t.raw)).toEqual(inMemory.target.raw);
  });
});

describe('progress of a gzip input', () => {
  it('estimates the record total and the time left from the compressed share read, not decompressed characters', async () => {
    const text = generateLogText({ seed: 12, lines: 60_000, layout: 'iso' });
    const gz = new Uint8Array(gzipSync(Buffer.from(text)));
    const reports: StageProgress[] = [];
    const raw: PipelineProgress[] = [];
    const clock = new ProgressClock(gz.length, (p) => reports.push(p));
    // The clock reports at most every 100 ms: feed it every pipeline report with a fresh clock view.
    const result = await buildRecords([{ name: 'big.log.gz', data: new Blob([gz]), role: 'target', size: gz.length }], settings, (p) => {
      raw.push(p);
      clock.report(p);
    });
    expect(raw.length).toBeGreaterThan(5);
    expect(raw[raw.length - 1].message).toMatch(/^big\.log\.gz \(\d+(\.\d)? MiB of text so far\)$/);
    for (const p of raw) {
      expect(p.bytesRead).toBeLessThanOrEqual(gz.length);
    }
    const parse = reports.filter((p) => p.stage === 'parse');
    expect(parse.length).toBeGreaterThan(0);
    for (const p of parse) {
      // Before: records so far × compressed total ÷ decompressed characters, far below records so far.
      expect(p.total).toBeGreaterThanOrEqual(p.done);
    }
    // Halfway estimates land near the true count (the generated log is homogeneous).
    const mid = raw[Math.floor(raw.length / 2)];
    const estimate = (mid.done * gz.length) / mid.bytesRead!;
    expect(estimate / result.target.count).toBeGreaterThan(0.7);
    expect(estimate / result.target.count).toBeLessThan(1.3);
  });
});

describe('year of year-less timestamps', () => {
  const syslog =
    'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0\nJun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown\n';

  it('is the year the file was last modified (File.lastModified), not the current year', async () => {
    const modified = Date.UTC(2005, 6, 1);
    const result = await buildRecords(
      [{ name: 'Linux.log', data: new File([syslog], 'Linux.log', { lastModified: modified }), role: 'target' }],
      settings,
    );
    expect(result.target.count).toBe(2);
    expect(new Date(result.target.timestamp[0]).getUTCFullYear()).toBe(2005);
    expect(new Date(result.target.timestamp[0]).getUTCMonth()).toBe(5);
    // A caller with a stream says the time itself.
    const streamed = await buildRecords(
      [{ name: 'Linux.log', data: new Blob([syslog]).stream(), lastModified: Date.UTC(2011, 0, 5), role: 'target' }],
      settings,
    );
    expect(new Date(streamed.target.timestamp[1]).getUTCFullYear()).toBe(2011);
  });
});

describe('parse progress over several files', () => {
  it('counts each record once: never more than the records read, ending near their total', async () => {
    const text = (seed: number) => new Blob([generateLogText({ seed, lines: 3000, layout: 'iso' })]);
    const files: InputFile[] = [
      { name: 'known-good.log', data: text(1), role: 'reference' },
      { name: 'a.log', data: text(2), role: 'target' },
      { name: 'b.log', data: text(3), role: 'target' },
    ];
    const done: number[] = [];
    const result = await buildRecords(files, settings, (p) => p.stage === 'parse' && done.push(p.done));
    const total = result.target.count + result.reference!.records.count;
    expect(done.length).toBeGreaterThan(2);
    // The last record of a file is complete only at its end, after the last progress call.
    expect(Math.max(...done)).toBeLessThanOrEqual(total);
    expect(Math.max(...done)).toBeGreaterThanOrEqual(total - files.length);
    for (let i = 1; i < done.length; i++) expect(done[i]).toBeGreaterThanOrEqual(done[i - 1]);
  });
});
