/** The benchmark's parse worker (worker_threads): the browser's parse.worker.ts, for Node. */
import { parentPort } from 'node:worker_threads';
import { answerShardRequest, type ShardRequest } from '../src/core/analysis/shardPool';

parentPort!.on('message', (request: ShardRequest) => {
  void answerShardRequest(request).then(({ reply, transfer }) => parentPort!.postMessage(reply, transfer));
});
