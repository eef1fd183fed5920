import { existsSync, openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LOGHUB_SYSTEMS } from '../../../bench/loghub';
import { parseShard, type ParsedShard, type Shard, type ShardParser } from '../../../src/core/analysis/parseShard';
import { buildRecords, type InputFile, type RecordsOptions, type RecordsResult } from '../../../src/core/analysis/records';
import { readRecords } from '../../../src/core/analysis/recordText';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { generateLogText } from '../../../src/core/generate';
import { IngestError } from '../../../src/core/ingest/errors';
import { planByteRanges } from '../../../src/core/ingest/shards';
import { createRecordParser, detectLayout } from '../../../src/core/parse';

const settings = { layoutFormat: undefined, masks: DEFAULT_SETTINGS.masks };
const LOGHUB = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'loghub_2k');
const hasLoghub = existsSync(LOGHUB);

/** The pool's contract without workers: the same shard function, called in this thread. */
function inProcess(pieceBytes?: number): ShardParser & { shards: Shard[] } {
  const shards: Shard[] = [];
  return {
    threads: 2,
    minInputBytes: 0,
    pieceBytes,
    shards,
    parse: (shard, signal) => {
      shards.push(shard);
      return parseShard(shard, signal);
    },
  };
}

function blobOf(text: string | Uint8Array): Blob {
  return new Blob([typeof text === 'string' ? text : new Uint8Array(text)]);
}

const COLUMNS = ['fileIndex', 'lineNumber', 'timestamp', 'level', 'templateId', 'textIndex', 'label', 'textStart', 'textEnd'] as const;

/** Everything a read gives, compared field by field (NaN timestamps equal). */
function expectSameRecords(parallel: RecordsResult, oneThread: RecordsResult): void {
  for (const c of COLUMNS) expect(Array.from(parallel.target[c]), c).toEqual(Array.from(oneThread.target[c]));
  expect(parallel.target.raw).toEqual(oneThread.target.raw);
  expect(parallel.target.message).toEqual(oneThread.target.message);
  expect(parallel.targetTexts.texts).toEqual(oneThread.targetTexts.texts);
  expect(Array.from(parallel.targetTexts.counts)).toEqual(Array.from(oneThread.targetTexts.counts));
  expect(Array.from(parallel.targetTexts.templateOf)).toEqual(Array.from(oneThread.targetTexts.templateOf));
  expect(Array.from(parallel.targetTexts.levelOf)).toEqual(Array.from(oneThread.targetTexts.levelOf));
  expect(parallel.templates).toEqual(oneThread.templates);
  expect(Array.from(parallel.targetTemplateCounts)).toEqual(Array.from(oneThread.targetTemplateCounts));
  const files = (r: RecordsResult) => r.files.map((f) => ({ ...f, text: f.text === undefined ? undefined : 'blob' }));
  expect(files(parallel)).toEqual(files(oneThread));
  expect(parallel.target.lazyText === undefined).toBe(oneThread.target.lazyText === undefined);
  if (oneThread.reference) {
    for (const c of COLUMNS)
      expect(Array.from(parallel.reference!.records[c]), `reference ${c}`).toEqual(Array.from(oneThread.reference.records[c]));
    expect(parallel.reference!.texts.texts).toEqual(oneThread.reference.texts.texts);
  } else expect(parallel.reference).toBeUndefined();
}

async function both(files: InputFile[], parser: ShardParser, options: RecordsOptions = {}): Promise<[RecordsResult, RecordsResult]> {
  const oneThread = await buildRecords(files, settings, undefined, undefined, options);
  const parallel = await buildRecords(files, settings, undefined, undefined, { ...options, shardParser: parser });
  return [parallel, oneThread];
}

/** A Java service log: records with stack traces (frames, "Caused by:", "... N more"), blank lines inside. */
function javaLog(records: number, newline = '\n'): string {
  const out: string[] = [];
  for (let i = 0; i < records; i++) {
    const time = `2024-05-01T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`;
    if (i % 7 === 3) {
      out.push(`${time} ERROR [worker-${i % 4}] c.a.OrderService - order ${1000 + i} failed`);
      out.push(`java.lang.IllegalStateException: order ${1000 + i} has no lines`);
      for (let f = 0; f < 12; f++) out.push(`\tat com.acme.orders.Step${f}.run(Step${f}.java:${10 + f})`);
      if (i % 3 === 0) out.push('');
      out.push('Caused by: java.io.IOException: socket closed');
      out.push('\tat com.acme.net.Conn.read(Conn.java:88)');
      out.push('\t... 9 more');
    } else {
      out.push(`${time} INFO [worker-${i % 4}] c.a.OrderService - order ${1000 + i} took ${i % 97} ms`);
    }
  }
  return out.join(newline) + newline;
}

describe('parallel read: the same records as one thread', () => {
  it.skipIf(!hasLoghub)('each of the 16 Loghub logs, cut into several byte ranges', async () => {
    for (const system of LOGHUB_SYSTEMS) {
      const data = await openAsBlob(join(LOGHUB, system, `${system}_2k.log`));
      const parser = inProcess(Math.ceil(data.size / 5));
      const [parallel, oneThread] = await both([{ name: `${system}_2k.log`, data, role: 'target' }], parser);
      // Cut for real: several pieces per log (the planner may drop a cut, never all of them).
      expect(parser.shards.length, system).toBeGreaterThanOrEqual(3);
      expect(parallel.target.count, system).toBe(2000);
      expectSameRecords(parallel, oneThread);
    }
  });

  it.skipIf(!hasLoghub)('the 16 Loghub logs together, each file a piece, merged by time as one thread merges them', async () => {
    const files: InputFile[] = [];
    for (const system of LOGHUB_SYSTEMS) {
      files.push({ name: `${system}_2k.log`, data: await openAsBlob(join(LOGHUB, system, `${system}_2k.log`)), role: 'target' });
    }
    const parser = inProcess();
    const [parallel, oneThread] = await both(files, parser);
    expect(parser.shards.map((s) => s.fileIndex)).toEqual(files.map((_, i) => i));
    expect(parallel.target.count).toBe(32_000);
    expectSameRecords(parallel, oneThread);
  });

  it('a Java stack trace cut across a nominal boundary: pieces start at records, the trace stays whole', async () => {
    const text = javaLog(400);
    const data = blobOf(text);
    const parser = inProcess(2000);
    const [parallel, oneThread] = await both([{ name: 'orders.log', data, role: 'target' }], parser);
    expect(parser.shards.length).toBeGreaterThan(10);
    // Some nominal cuts (every 2000 bytes) fell inside a trace: the pieces moved to the next record.
    const starts = parser.shards.map((s) => s.start);
    const lineStarts = new Set(oneThread.target.textStart);
    for (const start of starts) expect(lineStarts.has(start), `piece at ${start}`).toBe(true);
    expect(starts.some((s, k) => k > 0 && s % 2000 !== 0)).toBe(true);
    const traces = oneThread.target.message.filter((m) => m.includes('\tat') || m.includes('\nat') || m.includes('Caused by'));
    expect(traces.length).toBe(57);
    expectSameRecords(parallel, oneThread);
  });

  it('a piece whose nominal start falls inside a trace starts at the next record, found by the layout', async () => {
    const text = javaLog(40);
    const data = blobOf(text);
    const layout = detectLayout(text.split('\n').slice(0, 200));
    const probe = createRecordParser(layout);
    probe.parse(text.split('\n')[0]);
    const accept = (before: string, line: string) => before.trim() !== '' && line.trim() !== '' && probe.parse(line) !== null;
    const inTrace = text.indexOf('\tat com.acme.orders.Step5');
    const ranges = await planByteRanges(data, inTrace, accept, 65536);
    // The first cut is the start of the record after the trace, not a frame or "Caused by:".
    const next = text.indexOf('\n2024-', inTrace) + 1;
    expect(ranges[1].start).toBe(next);
    expect(ranges[0]).toEqual({ start: 0, end: next });
    expect(ranges[ranges.length - 1].end).toBe(data.size);
  });

  it('CRLF line ends, a BOM, and pieces cut after the LF of each CRLF', async () => {
    const text = '\uFEFF' + javaLog(300, '\r\n');
    const parser = inProcess(1500);
    const [parallel, oneThread] = await both([{ name: 'crlf.log', data: blobOf(text), role: 'target' }], parser);
    expect(parser.shards.length).toBeGreaterThan(10);
    expect(oneThread.target.raw.some((r) => r.includes('\r'))).toBe(false);
    expect(oneThread.files[0].report.textBytes).toBe(new TextEncoder().encode(text).length);
    expectSameRecords(parallel, oneThread);
  });

  it('odd bytes past the head: an over-long line, NUL bytes, invalid UTF-8, multi-byte text; the reports add up', async () => {
    const enc = new TextEncoder();
    const parts: Uint8Array[] = [enc.encode(generateLogText({ seed: 6, lines: 1500, layout: 'iso' }) + '\n')];
    parts.push(enc.encode(`2024-05-01T10:00:00Z INFO long ${'é'.repeat(40_000)} end\n`));
    parts.push(enc.encode('2024-05-01T10:00:01Z WARN nul\0inside\0here\n'));
    parts.push(new Uint8Array([...enc.encode('2024-05-01T10:00:02Z ERROR bad '), 0xc3, 0x28, 0xff, ...enc.encode(' bytes\n')]));
    parts.push(enc.encode('2024-05-01T10:00:03Z INFO 日本語のメッセージ ünïcödé\n'));
    parts.push(enc.encode(generateLogText({ seed: 7, lines: 1500, layout: 'iso' }) + '\n2024-05-01T10:00:04Z INFO no newline at the end'));
    const data = new Blob(parts.map((p) => new Uint8Array(p)));
    const parser = inProcess(30_000);
    const [parallel, oneThread] = await both([{ name: 'odd.log', data, role: 'target' }], parser);
    const report = oneThread.files[0].report;
    expect(report.truncatedLines).toBe(1);
    expect(report.nulCharacters).toBe(2);
    expect(report.invalidSequences).toBeGreaterThanOrEqual(2);
    expect(report.endsWithNewline).toBe(false);
    expect(parser.shards.length).toBeGreaterThan(5);
    expectSameRecords(parallel, oneThread);
  });

  it('empty files, files of blank lines or of a BOM alone, next to logs: empty pieces change nothing', async () => {
    const log = generateLogText({ seed: 3, lines: 3000, layout: 'iso' }) + '\n';
    const files: InputFile[] = [
      { name: 'empty.log', data: blobOf(''), role: 'target' },
      { name: 'blank.log', data: blobOf('\n\n   \n\t\n'), role: 'target' },
      { name: 'a.log', data: blobOf(log), role: 'target' },
      { name: 'bom.log', data: blobOf('\uFEFF'), role: 'target' },
      { name: 'b.log', data: blobOf(generateLogText({ seed: 4, lines: 2000, layout: 'syslog' })), role: 'target' },
    ];
    const parser = inProcess(20_000);
    const [parallel, oneThread] = await both(files, parser);
    expect(parser.shards.filter((s) => s.data.size === 0).length).toBe(1);
    expect(oneThread.target.count).toBe(5000);
    expectSameRecords(parallel, oneThread);
  });

  it('no lines at all: no miner, no templates, as on one thread', async () => {
    const files: InputFile[] = [
      { name: 'empty.log', data: blobOf(''), role: 'target' },
      { name: 'blank.log', data: blobOf('\n \n'), role: 'target' },
    ];
    const [parallel, oneThread] = await both(files, inProcess());
    expect(oneThread.templates).toEqual([]);
    expectSameRecords(parallel, oneThread);
  });

  it('a reference first, gzip and plain targets mixed: gzip stays on one thread in its turn, all templates shared', async () => {
    const reference = generateLogText({ seed: 11, lines: 2500, layout: 'iso' }) + '\n';
    const gz = new Uint8Array(gzipSync(Buffer.from(generateLogText({ seed: 12, lines: 1500, layout: 'iso' }) + '\n')));
    const files: InputFile[] = [
      { name: 'a.log', data: blobOf(generateLogText({ seed: 13, lines: 2500, layout: 'iso' }) + '\n'), role: 'target' },
      { name: 'b.log.gz', data: blobOf(gz), role: 'target' },
      { name: 'ref.log', data: blobOf(reference), role: 'reference' },
    ];
    const parser = inProcess(40_000);
    const [parallel, oneThread] = await both(files, parser);
    expect(parser.shards.some((s) => s.fileName === 'b.log.gz')).toBe(false);
    // The reference is read first: its pieces go first, and never return strings.
    expect(parser.shards[0].fileName).toBe('ref.log');
    expect(parser.shards.filter((s) => s.fileName === 'ref.log').every((s) => !s.keepText)).toBe(true);
    expectSameRecords(parallel, oneThread);
  });

  it('a gzip file first: the miner takes its layout (read from its head before the pieces start)', async () => {
    const gz = new Uint8Array(gzipSync(Buffer.from(generateLogText({ seed: 14, lines: 1200, layout: 'syslog' }) + '\n')));
    const files: InputFile[] = [
      { name: 'first.log.gz', data: blobOf(gz), role: 'target' },
      { name: 'second.log', data: blobOf(generateLogText({ seed: 15, lines: 2500, layout: 'iso' }) + '\n'), role: 'target' },
    ];
    const parser = inProcess(20_000);
    const [parallel, oneThread] = await both(files, parser);
    expect(oneThread.files[0].layout.id).not.toBe(oneThread.files[1].layout.id);
    expect(parser.shards.every((s) => s.masks.layoutId === oneThread.files[0].layout.id)).toBe(true);
    expectSameRecords(parallel, oneThread);
  });

  it('past the text budget: no strings, byte ranges read back the same lines', async () => {
    const files: InputFile[] = [
      { name: 'a.log', data: blobOf(javaLog(600)), role: 'target' },
      { name: 'b.log', data: blobOf(generateLogText({ seed: 5, lines: 3000, layout: 'iso' })), role: 'target' },
    ];
    const parser = inProcess(8000);
    const [parallel, oneThread] = await both(files, parser, { textInMemoryLimit: 50_000 });
    expect(parser.shards.every((s) => !s.keepText)).toBe(true);
    expect(parallel.target.raw).toEqual([]);
    expectSameRecords(parallel, oneThread);
    const all = Array.from({ length: 200 }, (_, i) => i * 7);
    expect(await readRecords(parallel.target, all)).toEqual(await readRecords(oneThread.target, all));
  });

  it('a gzip file that fills the budget mid-way drops the strings of the pieces merged before and after', async () => {
    const gz = new Uint8Array(gzipSync(Buffer.from(generateLogText({ seed: 21, lines: 4000, layout: 'iso' }) + '\n')));
    const files: InputFile[] = [
      { name: 'a.log', data: blobOf(generateLogText({ seed: 22, lines: 1000, layout: 'iso' }) + '\n'), role: 'target' },
      { name: 'b.log.gz', data: blobOf(gz), role: 'target' },
      { name: 'c.log', data: blobOf(generateLogText({ seed: 23, lines: 1000, layout: 'iso' }) + '\n'), role: 'target' },
    ];
    const [parallel, oneThread] = await both(files, inProcess(30_000), { textInMemoryLimit: 300_000 });
    expect(oneThread.target.raw).toEqual([]);
    expectSameRecords(parallel, oneThread);
  });

  it('BGL labels and the year of the file for year-less timestamps', async () => {
    const bgl = [
      '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected',
      'KERNDTLB 1117838573 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.53.276129 R02-M1-N0-C:J12-U11 RAS KERNEL FATAL data TLB error interrupt',
    ];
    const syslog = [
      'Jun 17 07:07:00 host sshd[12]: Accepted password for root',
      'Jun 17 07:07:01 host sshd[13]: Failed password for admin',
    ];
    const files: InputFile[] = [
      { name: 'bgl.log', data: blobOf(Array.from({ length: 400 }, (_, i) => bgl[i % 2]).join('\n')), role: 'target' },
      {
        name: 'sys.log',
        data: blobOf(Array.from({ length: 400 }, (_, i) => syslog[i % 2]).join('\n')),
        role: 'target',
        lastModified: Date.UTC(2019, 5, 30),
      },
    ];
    const [parallel, oneThread] = await both(files, inProcess(5000));
    expect(oneThread.files[0].labelledRecords).toBe(400);
    expect(Array.from(oneThread.target.label).filter((l) => l === 1)).toHaveLength(200);
    const sysRecord = oneThread.target.fileIndex.indexOf(1);
    expect(new Date(oneThread.target.timestamp[sysRecord]).getUTCFullYear()).toBe(2019);
    expectSameRecords(parallel, oneThread);
  });

  it('a binary file fails with the same message as on one thread', async () => {
    const binary = new Uint8Array(4096).map((_, i) => (i * 37) % 256);
    const files: InputFile[] = [
      { name: 'a.log', data: blobOf(generateLogText({ seed: 2, lines: 500, layout: 'iso' })), role: 'target' },
      { name: 'image.png', data: blobOf(binary), role: 'target' },
    ];
    const oneThread = await buildRecords(files, settings).catch((e: unknown) => e);
    const parallel = await buildRecords(files, settings, undefined, undefined, { shardParser: inProcess(5000) }).catch((e: unknown) => e);
    expect(oneThread).toBeInstanceOf(IngestError);
    expect(parallel).toBeInstanceOf(IngestError);
    expect((parallel as Error).message).toBe((oneThread as Error).message);
    expect((parallel as Error).message).toMatch(/image\.png looks like a binary file/);
  });

  it('a pool error (a worker that died) rejects the read with its message', async () => {
    const parser: ShardParser = {
      threads: 2,
      minInputBytes: 0,
      pieceBytes: 5000,
      parse: (shard) => (shard.start > 0 ? Promise.reject(new Error(`worker died on ${shard.fileName}`)) : parseShard(shard)),
    };
    const files: InputFile[] = [{ name: 'a.log', data: blobOf(generateLogText({ seed: 2, lines: 800, layout: 'iso' })), role: 'target' }];
    await expect(buildRecords(files, settings, undefined, undefined, { shardParser: parser })).rejects.toThrow('worker died on a.log');
  });

  it('small inputs stay on one thread (minInputBytes) and streams always do', async () => {
    const text = generateLogText({ seed: 2, lines: 800, layout: 'iso' });
    const parser = { ...inProcess(5000), minInputBytes: 10 * 2 ** 20 };
    await buildRecords([{ name: 'a.log', data: blobOf(text), role: 'target' }], settings, undefined, undefined, { shardParser: parser });
    expect(parser.shards).toHaveLength(0);
    const eager = inProcess(5000);
    const stream = blobOf(text).stream() as ReadableStream<Uint8Array>;
    const result = await buildRecords([{ name: 'a.log', data: stream, role: 'target' }], settings, undefined, undefined, {
      shardParser: eager,
    });
    expect(eager.shards).toHaveLength(0);
    expect(result.target.count).toBe(800);
  });

  it('cancel: the pieces in flight hear the abort, and the read rejects as cancelled', async () => {
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    let calls = 0;
    const parser: ShardParser = {
      threads: 2,
      minInputBytes: 0,
      pieceBytes: 20_000,
      parse: (shard, signal) => {
        signals.push(signal!);
        // The third piece never finishes on its own: only the abort ends it.
        if (++calls === 3) {
          controller.abort();
          return new Promise<ParsedShard>((_, reject) =>
            signal!.addEventListener('abort', () => reject(new IngestError('aborted', `Reading ${shard.fileName} was cancelled`))),
          );
        }
        return parseShard(shard, signal);
      },
    };
    const files: InputFile[] = [
      { name: 'big.log', data: blobOf(generateLogText({ seed: 8, lines: 5000, layout: 'iso' })), role: 'target' },
    ];
    const read = buildRecords(files, settings, undefined, controller.signal, { shardParser: parser });
    await expect(read).rejects.toThrow('Reading big.log was cancelled');
    expect(signals.length).toBeGreaterThanOrEqual(3);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it('progress counts the bytes read as the pieces are merged, to the whole file', async () => {
    const text = generateLogText({ seed: 9, lines: 6000, layout: 'iso' }) + '\n';
    const bytes: number[] = [];
    await buildRecords(
      [{ name: 'a.log', data: blobOf(text), role: 'target' }],
      settings,
      (p) => p.bytesRead !== undefined && bytes.push(p.bytesRead),
      undefined,
      {
        shardParser: inProcess(50_000),
      },
    );
    expect(bytes.length).toBeGreaterThan(5);
    expect(bytes.every((b, i) => i === 0 || b >= bytes[i - 1])).toBe(true);
    expect(bytes[bytes.length - 1]).toBe(new TextEncoder().encode(text).length);
  });
});
