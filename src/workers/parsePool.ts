/**
 * The browser's pool of parse workers, started from the analysis worker: module workers, one per
 * spare core (the analysis worker merges the pieces and mines the templates meanwhile), started on
 * the first big input and ended when idle.
 */
import { ShardPool, type ShardReply, type ShardWorker } from '../core/analysis/shardPool';

/** Workers beyond this help little: merging the pieces on the analysis worker becomes the limit. */
const MAX_PARSE_WORKERS = 6;
/** Below this much plain text, starting workers costs more than it saves. */
const MIN_PARALLEL_BYTES = 8 * 2 ** 20;
const IDLE_MS = 30_000;

function spawnParseWorker(): ShardWorker {
  const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module', name: 'loupe-parse' });
  return {
    post: (request) => worker.postMessage(request),
    listen: (onReply, onFailure) => {
      worker.addEventListener('message', (event: MessageEvent<ShardReply>) => onReply(event.data));
      worker.addEventListener('error', (event) => onFailure(event.message || 'it could not start'));
      worker.addEventListener('messageerror', () => onFailure('a reply could not be read'));
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * With a single spare core the parse worker and the merge share the machine with the page: measured
 * on 2 cores it gained little and lost under load, so a pool needs two parse workers.
 */
const MIN_PARSE_WORKERS = 2;

/** The pool for this browser, or undefined where workers cannot start workers or cores are few. */
export function createParsePool(): ShardPool | undefined {
  const cores = typeof navigator !== 'undefined' ? (navigator.hardwareConcurrency ?? 1) : 1;
  const threads = Math.min(MAX_PARSE_WORKERS, cores - 1);
  if (threads < MIN_PARSE_WORKERS || typeof Worker === 'undefined') return undefined;
  return new ShardPool(spawnParseWorker, { threads, minInputBytes: MIN_PARALLEL_BYTES, idleMs: IDLE_MS });
}
