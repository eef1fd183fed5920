import { describe, expect, it } from 'vitest';
import { buildRecords, type InputFile } from '../../../src/core/analysis/records';
import { answerShardRequest, ShardPool, type ShardReply, type ShardRequest, type ShardWorker } from '../../../src/core/analysis/shardPool';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { generateLogText } from '../../../src/core/generate';
import { IngestError } from '../../../src/core/ingest/errors';

const settings = { layoutFormat: undefined, masks: DEFAULT_SETTINGS.masks };

/**
 * Workers in this thread that behave like real ones: requests and replies cross by structured
 * clone (replies with their buffers transferred), each answers one request at a time, later.
 */
function fakeWorkers(options: { hold?: (request: ShardRequest) => boolean; fail?: (request: ShardRequest) => string | undefined } = {}) {
  const stats = { spawned: 0, terminated: 0, busy: 0, mostBusy: 0, held: [] as ShardRequest[] };
  const spawn = (): ShardWorker => {
    stats.spawned++;
    let onReply: (reply: ShardReply) => void = () => undefined;
    let onFailure: (message: string) => void = () => undefined;
    let ended = false;
    return {
      post(request) {
        const copy = structuredClone(request);
        stats.busy++;
        stats.mostBusy = Math.max(stats.mostBusy, stats.busy);
        if (options.hold?.(copy)) {
          stats.held.push(copy);
          return;
        }
        setTimeout(() => {
          const failure = options.fail?.(copy);
          if (failure) {
            stats.busy--;
            onFailure(failure);
            return;
          }
          void answerShardRequest(copy).then(({ reply, transfer }) => {
            if (ended) return;
            stats.busy--;
            onReply(structuredClone(reply, { transfer }));
          });
        }, 1);
      },
      listen(reply, failure) {
        onReply = reply;
        onFailure = failure;
      },
      terminate() {
        if (!ended) stats.terminated++;
        ended = true;
      },
    };
  };
  return { spawn, stats };
}

function logFiles(): InputFile[] {
  return [
    { name: 'a.log', data: new Blob([generateLogText({ seed: 31, lines: 3000, layout: 'iso' })]), role: 'target' },
    { name: 'b.log', data: new Blob([generateLogText({ seed: 32, lines: 2000, layout: 'syslog' })]), role: 'target' },
  ];
}

describe('ShardPool', () => {
  it('parses through workers (cloned requests, transferred replies) to the one-thread records, at most `threads` at once', async () => {
    const { spawn, stats } = fakeWorkers();
    const pool = new ShardPool(spawn, { threads: 3, minInputBytes: 0, pieceBytes: 20_000 });
    const files = logFiles();
    const oneThread = await buildRecords(files, settings);
    const parallel = await buildRecords(files, settings, undefined, undefined, { shardParser: pool });
    pool.close();
    expect(stats.spawned).toBe(3);
    expect(stats.mostBusy).toBe(3);
    expect(parallel.target.raw).toEqual(oneThread.target.raw);
    expect(Array.from(parallel.target.templateId)).toEqual(Array.from(oneThread.target.templateId));
    expect(Array.from(parallel.target.textStart)).toEqual(Array.from(oneThread.target.textStart));
    expect(parallel.templates).toEqual(oneThread.templates);
  });

  it('cancel ends the worker of a piece in flight and rejects as cancelled; the next piece gets a fresh worker', async () => {
    let holdNext = true;
    const { spawn, stats } = fakeWorkers({ hold: () => holdNext });
    const pool = new ShardPool(spawn, { threads: 1 });
    const shard = {
      fileIndex: 0,
      fileName: 'a.log',
      data: new Blob(['2024-05-01T10:00:00Z INFO started\n']),
      start: 0,
      layout: { id: 'plain', name: 'Plain', kind: 'plain' as const },
      masks: { layoutId: 'plain', masks: DEFAULT_SETTINGS.masks },
      keepText: true,
    };
    const controller = new AbortController();
    const held = pool.parse(shard, controller.signal);
    const queued = pool.parse({ ...shard, fileName: 'b.log' }, controller.signal);
    await new Promise((r) => setTimeout(r, 5));
    expect(stats.held).toHaveLength(1);
    controller.abort();
    await expect(held).rejects.toThrow(new IngestError('aborted', 'Reading a.log was cancelled'));
    await expect(queued).rejects.toThrow('Reading b.log was cancelled');
    expect(stats.terminated).toBe(1);
    holdNext = false;
    const parsed = await pool.parse(shard);
    expect(parsed.records.count).toBe(1);
    expect(parsed.text!.slice(parsed.spans![0], parsed.spans![1])).toBe('2024-05-01T10:00:00Z INFO started');
    expect(stats.spawned).toBe(2);
    pool.close();
  });

  it("a worker that fails rejects its piece with the worker's reason, and the read with it", async () => {
    const { spawn } = fakeWorkers({ fail: (request) => (request.shard.start > 0 ? 'out of memory' : undefined) });
    const pool = new ShardPool(spawn, { threads: 2, minInputBytes: 0, pieceBytes: 20_000 });
    const read = buildRecords(logFiles(), settings, undefined, undefined, { shardParser: pool });
    await expect(read).rejects.toThrow(/The parse worker stopped while reading a\.log: out of memory/);
    pool.close();
  });

  it('a piece that cannot be read fails with the IngestError the worker met, code and message kept', async () => {
    const unreadable = new Blob(['x']);
    // A Blob whose stream fails as a file removed under the page does.
    Object.defineProperty(unreadable, 'stream', {
      value: () =>
        new ReadableStream({
          pull(controller) {
            controller.error(new Error('the file was removed'));
          },
        }),
    });
    const shard = {
      fileIndex: 0,
      fileName: 'gone.log',
      data: unreadable,
      start: 10,
      layout: { id: 'plain', name: 'Plain', kind: 'plain' as const },
      masks: { layoutId: 'plain', masks: DEFAULT_SETTINGS.masks },
      keepText: false,
    };
    const { reply } = await answerShardRequest({ id: 7, shard });
    expect(reply).toEqual({ id: 7, error: { code: 'unreadable', message: 'gone.log could not be read: the file was removed' } });
    const pool = new ShardPool(
      () => {
        let answer: (r: ShardReply) => void = () => undefined;
        return {
          post: (request) => setTimeout(() => answer({ ...reply, id: request.id }), 1),
          listen: (r) => (answer = r),
          terminate: () => undefined,
        };
      },
      { threads: 1 },
    );
    const error = await pool.parse(shard).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).code).toBe('unreadable');
    pool.close();
  });
});
