/**
 * A pool of worker_threads parsing pieces of files, for the benchmark: the browser pool's Node
 * twin. Pieces must be in-memory Blobs (Node cannot send a file-backed Blob to a worker).
 */
import { Worker } from 'node:worker_threads';
import { ShardPool, type ShardReply, type ShardWorker } from '../src/core/analysis/shardPool';

function spawn(): ShardWorker {
  // The worker is TypeScript: it registers tsx's loader, then loads (Node 20 workers do not take
  // `--import tsx` in execArgv).
  const entry = JSON.stringify(new URL('./parseWorker.ts', import.meta.url).href);
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); })`;
  const worker = new Worker(code, { eval: true });
  return {
    post: (request) => worker.postMessage(request),
    listen: (onReply, onFailure) => {
      worker.on('message', (reply: ShardReply) => onReply(reply));
      worker.on('error', (error) => onFailure(error.message));
    },
    terminate: () => void worker.terminate(),
  };
}

export function nodeParsePool(threads: number, minInputBytes = 0): ShardPool {
  return new ShardPool(spawn, { threads, minInputBytes });
}
