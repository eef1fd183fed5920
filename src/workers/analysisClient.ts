/**
 * The page's handle on the analysis worker: the `AnalysisApi` contract over Comlink, with calls
 * serialised (one encoder session, one columnar state in the worker) and `cancel` going around the
 * queue so it reaches the worker while an analysis runs.
 */
import * as Comlink from 'comlink';
import type { AnalysisApi } from '../core/analysis/types';
import { serialQueue } from '../state/serialQueue';

export function createAnalysisClient(): AnalysisApi {
  const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'loupe-analysis' });
  const remote = Comlink.wrap<AnalysisApi>(worker);
  const enqueue = serialQueue();
  let crashed: Error | null = null;
  // A worker that fails to load (bad chunk, out of memory) never answers: fail calls instead of hanging.
  worker.addEventListener('error', (event) => {
    crashed = new Error(`The analysis worker stopped: ${event.message || 'it could not start'}`);
  });
  const call = <T>(job: () => Promise<T>) => enqueue(() => (crashed ? Promise.reject(crashed) : job()));

  return {
    analyze: (input, settings, onProgress) => call(() => remote.analyze(input, settings, Comlink.proxy(onProgress))),
    cancel: () => void remote.cancel(),
    rescore: (settings) => call(() => remote.rescore(settings)),
    thresholdView: (threshold) => call(() => remote.thresholdView(threshold)),
    rows: (filter, start, count) => call(() => remote.rows(filter, start, count)),
    positionOf: (filter, record) => call(() => remote.positionOf(filter, record)),
    nextAnomaly: (from, direction, threshold) => call(() => remote.nextAnomaly(from, direction, threshold)),
    detail: (record) => call(() => remote.detail(record)),
    projectMap: (projection) => call(() => remote.projectMap(projection)),
    exportBundle: (includeLines) => call(() => remote.exportBundle(includeLines)),
  };
}
