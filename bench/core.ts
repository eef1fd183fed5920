/**
 * `npm run bench:core`: the pipeline's own speed and quality, without the encoder.
 *  - ingest: read + parse + template a generated 1M-line log on one thread (lines/s)
 *  - drain: grouping accuracy on the 16 Loghub 2k sets with the automatic configuration
 *  - iforest: Loupe's isolation forest against scikit-learn's on the same 100k×64 data
 * Prints JSON and writes bench/results/core.json.
 */
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const SHARED = join(import.meta.dirname, '..', '..', 'shared', 'data');
const LOGHUB = join(SHARED, 'loghub_2k');
export const LOGHUB_SYSTEMS = [
  'Android', 'Apache', 'BGL', 'HDFS', 'HPC', 'Hadoop', 'HealthApp', 'Linux', 'Mac', 'OpenSSH', 'OpenStack',
  'Proxifier', 'Spark', 'Thunderbird', 'Windows', 'Zookeeper',
];

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

async function benchIngest(lines: number): Promise<{ lines: number; bytes: number; seconds: number; lines_per_s: number; templates: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  const path = join(dir, 'generated.log');
  try {
    await writeGeneratedLog(path, lines);
    const bytes = statSync(path).size;
    const started = performance.now();
    const result = await buildRecords([{ name: 'generated.log', data: openFileStream(path), role: 'target' }], DEFAULT_SETTINGS);
    const seconds = (performance.now() - started) / 1000;
    return { lines: result.target.count, bytes, seconds, lines_per_s: Math.round(result.target.count / seconds), templates: result.templates.length };
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

const lines = Number(process.env.BENCH_LINES ?? 1_000_000);
const ingest = await benchIngest(lines);
console.error(`ingest: ${ingest.lines_per_s} lines/s`);
const drain = { grouping_accuracy: await benchDrain() };
console.error(`drain: ${JSON.stringify(drain)}`);
const iforest = await benchIsolationForest();
const result = { machine: machine(), ingest, drain, iforest };
writeResult('core', result);
