/**
 * The page's handle on the analysis worker: the `AnalysisApi` contract over Comlink. Runs and
 * re-scores go one after another (one fit at a time); queries answer at once, from whatever the
 * worker shows now (preliminary scores included), and `cancel` reaches the worker mid-run.
 */
import * as Comlink from 'comlink';
import type { AnalysisApi } from '../core/analysis/types';
import { SerialQueue } from '../core/embed/serialQueue';

export function createAnalysisClient(): AnalysisApi {
  const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'loupe-analysis' });
  // Required: the worker implements the optional methods too (stand-ins in tests may not).
  const remote = Comlink.wrap<Required<AnalysisApi>>(worker);
  const runs = new SerialQueue();
  let crashed: Error | null = null;
  // A worker that fails to load (bad chunk, out of memory) never answers: fail calls instead of hanging.
  worker.addEventListener('error', (event) => {
    crashed = new Error(`The analysis worker stopped: ${event.message || 'it could not start'}`);
  });
  const call = <T>(job: () => Promise<T>) => (crashed ? Promise.reject(crashed) : job());
  const run = <T>(job: () => Promise<T>) => runs.run(() => call(job));

  return {
    analyze: (input, settings, onProgress) => run(() => remote.analyze(input, settings, Comlink.proxy(onProgress))),
    cancel: () => void remote.cancel(),
    rescore: (settings) => run(() => remote.rescore(settings)),
    thresholdView: (threshold) => call(() => remote.thresholdView(threshold)),
    rows: (filter, start, count) => call(() => remote.rows(filter, start, count)),
    positionOf: (filter, record) => call(() => remote.positionOf(filter, record)),
    nextAnomaly: (from, direction, threshold) => call(() => remote.nextAnomaly(from, direction, threshold)),
    detail: (record, threshold, options) => call(() => remote.detail(record, threshold, options)),
    words: (record, onProgress) => call(() => remote.words(record, onProgress ? Comlink.proxy(onProgress) : undefined)),
    stepFlagged: (filter, from, direction, threshold) => call(() => remote.stepFlagged(filter, from, direction, threshold)),
    recordAt: (filter, position) => call(() => remote.recordAt(filter, position)),
    highestScored: (filter) => call(() => remote.highestScored(filter)),
    topAnomalies: (threshold, limit) => call(() => remote.topAnomalies(threshold, limit)),
    sessionsHolding: (templateIds) => call(() => remote.sessionsHolding(templateIds)),
    projectMap: (projection) => call(() => remote.projectMap(projection)),
    unitScores: () => call(() => remote.unitScores()),
    saveAnalysis: (options) => call(() => remote.saveAnalysis(options)),
    useAnalystLabels: (labels, fileKeys) => call(() => remote.useAnalystLabels(labels, fileKeys)),
    // Retraining replaces the scoring the views read: it waits for runs and re-scores.
    trainOnLabels: (labels, fileKeys, options) => run(() => remote.trainOnLabels(labels, fileKeys, options)),
    labelNext: (limit) => call(() => remote.labelNext(limit)),
    learningScores: (unit) => call(() => remote.learningScores(unit)),
    // Reopening replaces the analysis: it waits for runs and re-scores like they wait for each other.
    openSaved: (id) => run(() => remote.openSaved(id)),
    exportAnalysisBundle: (options) => call(() => remote.exportAnalysisBundle(options)),
    importAnalysisBundle: (file) => run(() => remote.importAnalysisBundle(file)),
  };
}
