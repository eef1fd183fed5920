/**
 * `npm run bench:core`: the pipeline's own speed and quality, without the encoder.
 *  - ingest: read + parse + template a generated 1M-line log on one thread (lines/s), BENCH_RUNS
 *    times (default 2) over the same file; each run's wall-clock and CPU seconds, and the best.
 *    CPU seconds say more than wall-clock on a shared machine (the load average is recorded).
 *  - drain: grouping accuracy on the 16 Loghub 2k sets with the automatic configuration
 *  - iforest: Loupe's isolation forest against scikit-learn's on the same 100k×64 data
 *  - parallel: read + parse + template the same 1M-line log, and the 16 Loghub logs together, on one
 *    thread and with the pieces parsed by 1 and by all cores' worker_threads (bench/parsePool.ts);
 *    lines/s, CPU seconds (all threads), whether the records match one thread's, the share of
 *    one-thread time Drain takes, and the merge's (which stays on one thread: the ceiling of the
 *    speed-up, whatever the cores)
 * Prints JSON and writes bench/results/core.json. BENCH_SKIP=iforest keeps the previous iforest
 * block (for machines without scikit-learn), marked as such; BENCH_SKIP=ingest,drain,parallel skip
 * those sections the same way (kept from the previous result).
 */
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { generateLog } from '../src/core/generate';
import { openFileStream } from '../src/core/ingest/node';
import { buildRecords, type InputFile, type RecordsOptions, type RecordsResult } from '../src/core/analysis/records';
import { Drain } from '../src/core/templates/drain';
import { drainOptionsForLayout } from '../src/core/templates/presets';
import { groupingAccuracy } from '../src/core/templates/accuracy';
import { readStructuredCsv } from '../src/core/templates/loghubCsv';
import { DEFAULT_SETTINGS } from '../src/core/analysis/types';
import { benchIsolationForest } from './iforest';
import { machine, writeResult } from './machine';
import { LOGHUB_SYSTEMS } from './loghub';
import { nodeParsePool } from './parsePool';
import { parseShard, type ShardParser } from '../src/core/analysis/parseShard';

const SHARED = join(import.meta.dirname, '..', '..', 'shared', 'data');
const LOGHUB = join(SHARED, 'loghub_2k');

async function writeGeneratedLog(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  let buffer: string[] = [];
  for (const line of generateLog({ seed: 7, lines, layout: 'iso' })) {
    buffer.push(line.text);
    if (buffer.length === 10_000) {
      if (!out.write(buffer.join('\n') + '\n')) await once(out, 'drain');
      buffer = [];
    }
  }
  out.end(buffer.length ? buffer.join('\n') + '\n' : '');
  await once(out, 'finish');
}

interface IngestRun {
  seconds: number;
  cpu_seconds: number;
  lines_per_s: number;
  lines_per_cpu_s: number;
}

async function benchIngest(
  lines: number,
  runs: number,
): Promise<{
  lines: number;
  bytes: number;
  templates: number;
  runs: IngestRun[];
  seconds: number;
  lines_per_s: number;
  lines_per_cpu_s: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  const path = join(dir, 'generated.log');
  try {
    await writeGeneratedLog(path, lines);
    const bytes = statSync(path).size;
    const done: IngestRun[] = [];
    let count = 0;
    let templates = 0;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await buildRecords([{ name: 'generated.log', data: openFileStream(path), role: 'target' }], DEFAULT_SETTINGS);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6;
      count = result.target.count;
      templates = result.templates.length;
      done.push({
        seconds: round(seconds),
        cpu_seconds: round(cpuSeconds),
        lines_per_s: Math.round(count / seconds),
        lines_per_cpu_s: Math.round(count / cpuSeconds),
      });
    }
    const best = done.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    return {
      lines: count,
      bytes,
      templates,
      runs: done,
      seconds: best.seconds,
      lines_per_s: best.lines_per_s,
      lines_per_cpu_s: Math.max(...done.map((r) => r.lines_per_cpu_s)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchDrain(): Promise<Record<string, number> | { skipped: string }> {
  if (!existsSync(LOGHUB)) return { skipped: `${LOGHUB} not found` };
  const accuracy: Record<string, number> = {};
  for (const system of LOGHUB_SYSTEMS) {
    const logPath = join(LOGHUB, system, `${system}_2k.log`);
    const truth = readStructuredCsv(readFileSync(`${logPath}_structured.csv`, 'utf8')).map((r) => r.EventId);
    const result = await buildRecords([{ name: `${system}_2k.log`, data: openFileStream(logPath), role: 'target' }], DEFAULT_SETTINGS);
    // Records and ground-truth rows correspond one to one when every line parsed as its own record.
    const predicted = Array.from(result.target.templateId);
    accuracy[system] = predicted.length === truth.length ? round(groupingAccuracy(predicted, truth)) : 0;
    if (predicted.length !== truth.length) console.error(`${system}: ${predicted.length} records for ${truth.length} ground-truth lines`);
  }
  const values = Object.values(accuracy);
  accuracy.mean = round(values.reduce((a, b) => a + b, 0) / values.length);
  return accuracy;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

interface TimedRun {
  seconds: number;
  cpu_seconds: number;
  lines_per_s: number;
  lines_per_cpu_s: number;
}

async function timed(files: InputFile[], options: RecordsOptions): Promise<{ run: TimedRun; result: RecordsResult }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await buildRecords(files, DEFAULT_SETTINGS, undefined, undefined, options);
  const seconds = (performance.now() - started) / 1000;
  // process.cpuUsage counts every thread of the process: the workers' time is in it.
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const count = result.target.count;
  return {
    run: {
      seconds: round(seconds),
      cpu_seconds: round(cpuSeconds),
      lines_per_s: Math.round(count / seconds),
      lines_per_cpu_s: Math.round(count / cpuSeconds),
    },
    result,
  };
}

/** Whether two reads gave the same records, texts and templates (what the tests check in full). */
function sameRecords(a: RecordsResult, b: RecordsResult): boolean {
  const columns = ['fileIndex', 'lineNumber', 'timestamp', 'level', 'templateId', 'textIndex', 'label', 'textStart', 'textEnd'] as const;
  const sameArray = (x: ArrayLike<number>, y: ArrayLike<number>) =>
    x.length === y.length && Array.from(x).every((v, i) => Object.is(v, y[i]));
  return (
    columns.every((c) => sameArray(a.target[c], b.target[c])) &&
    a.target.raw.length === b.target.raw.length &&
    a.target.raw.every((r, i) => r === b.target.raw[i] && a.target.message[i] === b.target.message[i]) &&
    JSON.stringify(a.templates) === JSON.stringify(b.templates) &&
    JSON.stringify(a.targetTexts.texts) === JSON.stringify(b.targetTexts.texts)
  );
}

/** Seconds a fresh Drain takes over the records' masked texts in order: the part that stays on one thread. */
function drainSeconds(result: RecordsResult): number {
  const texts = result.targetTexts.texts;
  const target = result.target;
  // Records in reading order (several files are merged by time afterwards).
  const order = Array.from({ length: target.count }, (_, i) => i).sort(
    (a, b) => target.fileIndex[a] - target.fileIndex[b] || target.lineNumber[a] - target.lineNumber[b],
  );
  const drain = new Drain(drainOptionsForLayout(result.files[0].layout.id, DEFAULT_SETTINGS.masks));
  const started = performance.now();
  for (let k = 0; k < order.length; k++) drain.addMasked(texts[target.textIndex[order[k]]], k);
  return (performance.now() - started) / 1000;
}

/**
 * Where the parallel path's time goes, on this thread alone: the pieces parsed one after another
 * (the part workers take) and the rest (planning the cuts and merging: line numbers, strings,
 * Drain, the text index), which stays on the analysis thread and bounds the speed-up.
 */
async function parallelShares(files: InputFile[]): Promise<{ parse_seconds: number; merge_seconds: number; speedup_ceiling: number }> {
  let parseSeconds = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const serial: ShardParser = {
    threads: 4,
    minInputBytes: 0,
    parse: (shard) => {
      const next = queue.then(async () => {
        const started = performance.now();
        const parsed = await parseShard(shard);
        parseSeconds += (performance.now() - started) / 1000;
        return parsed;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
  const started = performance.now();
  await buildRecords(files, DEFAULT_SETTINGS, undefined, undefined, { shardParser: serial });
  const total = (performance.now() - started) / 1000;
  const merge = total - parseSeconds;
  return { parse_seconds: round(parseSeconds), merge_seconds: round(merge), speedup_ceiling: round(total / merge, 2) };
}

async function benchParallelOn(name: string, files: InputFile[], runs: number, cores: number): Promise<Record<string, unknown>> {
  const bytes = files.reduce((n, f) => n + (f.data as Blob).size, 0);
  const oneThread: TimedRun[] = [];
  let reference: RecordsResult | undefined;
  for (let run = 0; run < runs; run++) {
    const { run: r, result } = await timed(files, {});
    oneThread.push(r);
    reference = result;
  }
  const best = (done: TimedRun[]) => done.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const oneBest = best(oneThread);
  const drain = drainSeconds(reference!);
  const out: Record<string, unknown> = {
    lines: reference!.target.count,
    bytes,
    templates: reference!.templates.length,
    one_thread: { runs: oneThread, ...oneBest },
    drain_seconds: round(drain),
    drain_share_of_one_thread: round(drain / oneBest.seconds, 3),
    on_one_thread: await parallelShares(files),
  };
  for (const workers of [...new Set([1, cores])]) {
    const pool = nodeParsePool(workers);
    const done: TimedRun[] = [];
    let same = true;
    try {
      // The first run also starts the workers (and compiles them through tsx): reported apart.
      const { run: first, result } = await timed(files, { shardParser: pool });
      same &&= sameRecords(reference!, result);
      for (let run = 0; run < runs; run++) {
        const timedRun = await timed(files, { shardParser: pool });
        same &&= sameRecords(reference!, timedRun.result);
        done.push(timedRun.run);
      }
      const b = best(done);
      out[`workers_${workers}`] = {
        workers,
        first_run_with_start: first,
        runs: done,
        ...b,
        speedup: round(oneBest.seconds / b.seconds, 2),
        same_records: same,
      };
    } finally {
      pool.close();
    }
    console.error(`parallel ${name}, ${workers} worker(s): ${JSON.stringify(out[`workers_${workers}`])}`);
  }
  return out;
}

async function benchParallel(lines: number, runs: number): Promise<Record<string, unknown>> {
  const cores = cpus().length;
  const loadBefore = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  const path = join(dir, 'generated.log');
  const out: Record<string, unknown> = { cores };
  try {
    await writeGeneratedLog(path, lines);
    // In memory: Node cannot hand a file-backed Blob to a worker thread (the browser's Files can).
    const generated = [{ name: 'generated.log', data: new Blob([readFileSync(path)]), role: 'target' as const }];
    out.generated = await benchParallelOn('generated', generated, runs, cores);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (existsSync(LOGHUB)) {
    const loghub = LOGHUB_SYSTEMS.map((system) => ({
      name: `${system}_2k.log`,
      data: new Blob([readFileSync(join(LOGHUB, system, `${system}_2k.log`))]),
      role: 'target' as const,
    }));
    out.loghub_16 = await benchParallelOn('loghub', loghub, Math.max(runs, 3), cores);
  } else out.loghub_16 = { skipped: `${LOGHUB} not found` };
  out.load_average_1m_before = round(loadBefore, 2);
  out.load_average_1m_after = round(loadavg()[0], 2);
  return out;
}

/** A section of the last committed result, for BENCH_SKIP=<section>. */
function previousSection(name: string): unknown {
  const path = join(import.meta.dirname, 'results', 'core.json');
  if (!existsSync(path)) return { skipped: `BENCH_SKIP=${name} and no previous result` };
  const previous = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> & { machine?: { date?: string } };
  const section = previous[name] as { not_rerun?: string } | undefined;
  if (section === undefined) return { skipped: `BENCH_SKIP=${name} and no previous ${name} result` };
  // Already kept from an earlier run: say where it really comes from.
  if (section.not_rerun !== undefined) return section;
  return { ...section, not_rerun: `BENCH_SKIP=${name}: kept from the run of ${previous.machine?.date ?? 'unknown date'}` };
}

const lines = Number(process.env.BENCH_LINES ?? 1_000_000);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 2));
const skip = new Set((process.env.BENCH_SKIP ?? '').split(','));
const loadBefore = loadavg()[0];
const ingest = skip.has('ingest') ? previousSection('ingest') : await benchIngest(lines, runs);
if (!skip.has('ingest')) console.error(`ingest: ${JSON.stringify(ingest)}`);
const drain = skip.has('drain') ? previousSection('drain') : { grouping_accuracy: await benchDrain() };
console.error(`drain: ${JSON.stringify(drain)}`);
const iforest = skip.has('iforest') ? previousSection('iforest') : await benchIsolationForest();
const parallel = skip.has('parallel') ? previousSection('parallel') : await benchParallel(lines, runs);
const load = { load_average_1m_before: round(loadBefore, 2), load_average_1m_after: round(loadavg()[0], 2) };
const result = { machine: { ...machine(), ...load }, ingest, drain, iforest, parallel };
writeResult('core', result);
