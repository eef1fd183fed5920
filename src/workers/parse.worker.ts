/** Parses pieces of files for the analysis worker's pool (core/analysis/shardPool.ts); nothing else. */
import { answerShardRequest, type ShardRequest } from '../core/analysis/shardPool';

self.addEventListener('message', (event: MessageEvent<ShardRequest>) => {
  void answerShardRequest(event.data).then(({ reply, transfer }) => self.postMessage(reply, { transfer }));
});
