/**
 * A pool of workers that parse pieces of files (parseShard.ts), whatever the host's workers are:
 * module workers in the browser (workers/parsePool.ts), worker_threads in the benchmark. The host
 * gives `spawn`; the pool queues pieces, keeps each worker on one piece at a time, ends the worker of
 * a cancelled piece (it may be deep in a big one) and ends idle workers after a while.
 */
import { IngestError, type IngestErrorCode } from '../ingest/errors';
import { parseShard, shardTransferables, type ParsedShard, type Shard, type ShardParser } from './parseShard';

export interface ShardRequest {
  id: number;
  shard: Shard;
}

export type ShardReply = { id: number; parsed: ParsedShard } | { id: number; error: { message: string; code?: IngestErrorCode } };

/** One worker as the pool sees it. */
export interface ShardWorker {
  post(request: ShardRequest): void;
  /** Replies, and failures of the worker itself (it could not load, it ran out of memory). */
  listen(onReply: (reply: ShardReply) => void, onFailure: (message: string) => void): void;
  terminate(): void;
}

export interface ShardPoolOptions {
  threads: number;
  minInputBytes?: number;
  pieceBytes?: number;
  /** Idle workers end after this long (ms); 0 keeps them. */
  idleMs?: number;
}

interface Job {
  shard: Shard;
  resolve: (parsed: ParsedShard) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  settled?: boolean;
}

interface Slot {
  worker: ShardWorker;
  job?: Job;
  id: number;
}

export class ShardPool implements ShardParser {
  readonly threads: number;
  readonly minInputBytes?: number;
  readonly pieceBytes?: number;
  private readonly idleMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private serial = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly spawn: () => ShardWorker,
    options: ShardPoolOptions,
  ) {
    this.threads = Math.max(1, Math.floor(options.threads));
    this.minInputBytes = options.minInputBytes;
    this.pieceBytes = options.pieceBytes;
    this.idleMs = options.idleMs ?? 0;
  }

  parse(shard: Shard, signal?: AbortSignal): Promise<ParsedShard> {
    return new Promise<ParsedShard>((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelled(shard));
        return;
      }
      const job: Job = { shard, resolve, reject, signal };
      job.onAbort = () => this.cancel(job);
      signal?.addEventListener('abort', job.onAbort);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Ends every worker; pieces still waiting or parsing are rejected as cancelled. */
  close(): void {
    for (const job of this.queue.splice(0)) this.settle(job, cancelled(job.shard));
    for (const slot of this.slots.splice(0)) {
      slot.worker.terminate();
      if (slot.job) this.settle(slot.job, cancelled(slot.job.shard));
    }
    clearTimeout(this.idleTimer);
  }

  private dispatch(): void {
    clearTimeout(this.idleTimer);
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === undefined);
      if (slot === undefined) {
        if (this.slots.length >= this.threads) return;
        slot = this.start();
      }
      const job = this.queue.shift()!;
      // Cancelled while it waited (its own abort handler may not have run yet): never started.
      if (job.signal?.aborted) {
        this.settle(job, cancelled(job.shard));
        continue;
      }
      slot.job = job;
      slot.id = ++this.serial;
      slot.worker.post({ id: slot.id, shard: job.shard });
    }
    if (this.idleMs > 0 && this.slots.every((s) => s.job === undefined)) {
      this.idleTimer = setTimeout(() => this.endIdle(), this.idleMs);
    }
  }

  private start(): Slot {
    const slot: Slot = { worker: this.spawn(), id: 0 };
    slot.worker.listen(
      (reply) => {
        const job = slot.job;
        if (job === undefined || reply.id !== slot.id) return;
        slot.job = undefined;
        if ('parsed' in reply) this.settle(job, undefined, reply.parsed);
        else this.settle(job, reply.error.code ? new IngestError(reply.error.code, reply.error.message) : new Error(reply.error.message));
        this.dispatch();
      },
      (message) => {
        this.drop(slot);
        if (slot.job) this.settle(slot.job, new Error(`The parse worker stopped while reading ${slot.job.shard.fileName}: ${message}`));
        slot.job = undefined;
        this.dispatch();
      },
    );
    this.slots.push(slot);
    return slot;
  }

  /** A cancelled piece: dropped from the queue, or its worker ended (a fresh one takes the next). */
  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued !== -1) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.job === job);
    if (slot) {
      slot.job = undefined;
      this.drop(slot);
      slot.worker.terminate();
    }
    this.settle(job, cancelled(job.shard));
    this.dispatch();
  }

  private drop(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at !== -1) this.slots.splice(at, 1);
  }

  private endIdle(): void {
    for (const slot of this.slots.filter((s) => s.job === undefined)) {
      this.drop(slot);
      slot.worker.terminate();
    }
  }

  private settle(job: Job, error: unknown, parsed?: ParsedShard): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = undefined;
    if (parsed !== undefined) job.resolve(parsed);
    else job.reject(error);
  }
}

function cancelled(shard: Shard): IngestError {
  return new IngestError('aborted', `Reading ${shard.fileName} was cancelled`);
}

/**
 * The worker's side: parses the requested piece and says what to transfer. Errors become plain data
 * (an IngestError keeps its code, so the page shows the same message as on one thread).
 */
export async function answerShardRequest(request: ShardRequest): Promise<{ reply: ShardReply; transfer: ArrayBuffer[] }> {
  try {
    const parsed = await parseShard(request.shard);
    return { reply: { id: request.id, parsed }, transfer: shardTransferables(parsed) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof IngestError ? error.code : undefined;
    return { reply: { id: request.id, error: { message, code } }, transfer: [] };
  }
}
