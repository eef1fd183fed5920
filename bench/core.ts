/**
 * `npm run bench:core`: the pipeline's own speed and quality, without the encoder.
 *  - ingest: read + parse + template a generated 1M-line log on one thread (lines/s), BENCH_RUNS
 *    times (default 2) over the same file; each run's wall-clock and CPU seconds, and the best.
 *    CPU seconds say more than wall-clock on a shared machine (the load average is recorded).
 *  - drain: grouping accuracy on the 16 Loghub 2k sets with the automatic configuration
 *  - iforest: Loupe's isolation forest against scikit-learn's on the same 100k×64 data
 * Prints JSON and writes bench/results/core.json. BENCH_SKIP=iforest keeps the previous iforest
 * block (for machines without scikit-learn), marked as such.
 */
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { generateLog } from '../src/core/generate';
import { openFileStream } from '../src/core/ingest/node';
import { buildRecords } from '../src/core/analysis/records';
import { groupingAccuracy } from '../src/core/templates/accuracy';
import { readStructuredCsv } from '../src/core/templates/loghubCsv';
import { DEFAULT_SETTINGS } from '../src/core/analysis/types';
import { benchIsolationForest } from './iforest';
import { machine, writeResult } from './machine';
import { LOGHUB_SYSTEMS } from './loghub';

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

/** The iforest block of the last committed result, for BENCH_SKIP=iforest. */
function previousIforest(): unknown {
  const path = join(import.meta.dirname, 'results', 'core.json');
  if (!existsSync(path)) return { skipped: 'BENCH_SKIP=iforest and no previous result' };
  const previous = JSON.parse(readFileSync(path, 'utf8')) as { iforest?: { not_rerun?: string }; machine?: { date?: string } };
  // Already kept from an earlier run: say where it really comes from.
  if (previous.iforest?.not_rerun !== undefined) return previous.iforest;
  return { ...previous.iforest, not_rerun: `BENCH_SKIP=iforest: kept from the run of ${previous.machine?.date ?? 'unknown date'}` };
}

const lines = Number(process.env.BENCH_LINES ?? 1_000_000);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 2));
const loadBefore = loadavg()[0];
const ingest = await benchIngest(lines, runs);
console.error(`ingest: ${ingest.lines_per_s} lines/s, ${ingest.lines_per_cpu_s} lines per CPU second`);
const drain = { grouping_accuracy: await benchDrain() };
console.error(`drain: ${JSON.stringify(drain)}`);
const iforest = (process.env.BENCH_SKIP ?? '').split(',').includes('iforest') ? previousIforest() : await benchIsolationForest();
const load = { load_average_1m_before: round(loadBefore, 2), load_average_1m_after: round(loadavg()[0], 2) };
const result = { machine: { ...machine(), ...load }, ingest, drain, iforest };
writeResult('core', result);
