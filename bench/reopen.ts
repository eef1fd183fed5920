/**
 * `npx tsx bench/reopen.ts [lines]`: how long a saved analysis of a large log takes to reopen
 * without recomputing (issue 11 §2, target ≤ 2 s for 1M lines saved without the log lines).
 * Analyses a generated log once (TF-IDF vectors: the encoder does not change what is stored but
 * its dimension, 256 here as the bundled model's), snapshots it, then times: a structured clone of
 * the snapshot (what IndexedDB does to write and read it), validating and rebuilding the fit
 * (restoreSnapshot), the summary the page gets, and the first page of viewer rows. Also the
 * bundle route (gzip write, read). Prints JSON and writes bench/results/reopen.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readInput, withEvidence } from '../src/core/analysis/fit';
import { RowQueries } from '../src/core/analysis/queries';
import { scoreFit } from '../src/core/analysis/scoring';
import { restoreSnapshot } from '../src/core/analysis/restoreSnapshot';
import { snapshotBytes, snapshotOf } from '../src/core/analysis/snapshot';
import { summarise } from '../src/core/analysis/summary';
import { DEFAULT_SETTINGS } from '../src/core/analysis/types';
import { readBundle, writeBundle } from '../src/core/bundle/bundleFile';
import { generateLogText } from '../src/core/generate';
import { machine } from './machine';

const lines = Number(process.argv[2] ?? 1_000_000);
// The default detector: its saved analysis also keeps each line's evidence parts and value profiles.
const settings = DEFAULT_SETTINGS;

/** CPU milliseconds of this process for each step: on a shared, loaded machine wall-clock says little. */
const cpu: Record<string, number> = {};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function time<T>(f: () => T, name?: string): [T, number] {
  const started = performance.now();
  const c = cpuMs();
  const out = f();
  if (name) cpu[name] = Math.round(cpuMs() - c);
  return [out, Math.round(performance.now() - started)];
}

async function timeAsync<T>(f: () => Promise<T>, name?: string): Promise<[T, number]> {
  const started = performance.now();
  const c = cpuMs();
  const out = await f();
  if (name) cpu[name] = Math.round(cpuMs() - c);
  return [out, Math.round(performance.now() - started)];
}

const text = generateLogText({ seed: 5, lines, layout: 'iso' });
const signal = new AbortController().signal;
const [fit, analyseMs] = await timeAsync(async () => {
  const base = await readInput(
    [{ name: 'big.log', data: new Blob([text]), role: 'target', size: text.length }],
    settings,
    undefined,
    () => undefined,
    signal,
  );
  return withEvidence(base, undefined, undefined, () => undefined, signal);
});
const scoring = await scoreFit(fit, settings);
const snapshot = await snapshotOf(fit, scoring);
const [copy, cloneMs] = time(() => structuredClone(snapshot), 'structuredClone');
const [restored, restoreMs] = time(() => restoreSnapshot(copy), 'restore');
const [summary, summaryMs] = time(() => summarise(restored.fit, restored.scoring, restored.map, restored.durationsMs), 'summary');
const [, rowsMs] = await timeAsync(() => new RowQueries(restored.fit, restored.scoring).rows({}, 0, 200), 'firstRows');
const [, forestMs] = time(() => restored.scoring.scores.forest, 'forestOnFirstExplanation');
const [bundle, bundleWriteMs] = await timeAsync(() =>
  writeBundle({ name: 'big', model: { id: 'tf-idf' }, fileKeys: ['f'], notes: '', labels: [], snapshot }),
);
const [contents, bundleReadMs] = await timeAsync(() => readBundle(bundle));
const [, bundleRestoreMs] = time(() => restoreSnapshot(contents.snapshot));
const result = {
  bench: 'reopen',
  date: new Date().toISOString(),
  machine: machine(),
  lines: summary.records,
  distinctTexts: fit.records.targetTexts.texts.length,
  dims: fit.evidence.dims,
  analyseMs,
  savedBytes: snapshotBytes(snapshot),
  reopen: {
    structuredCloneMs: cloneMs,
    restoreMs,
    summaryMs,
    firstRowsMs: rowsMs,
    totalMs: cloneMs + restoreMs + summaryMs + rowsMs,
    cpuMs: { ...cpu, total: cpu.structuredClone + cpu.restore + cpu.summary + cpu.firstRows },
    forestOnFirstExplanationMs: forestMs,
    loadAverage: loadavg()[0],
    note: 'structuredClone stands for IndexedDB serialisation (one read); the text forest is re-fitted on the first explanation, not on reopening',
  },
  bundle: { bytes: bundle.length, writeMs: bundleWriteMs, readMs: bundleReadMs, restoreMs: bundleRestoreMs },
};
const json = JSON.stringify(result, null, 2);
console.log(json);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'reopen.json'), `${json}\n`);
