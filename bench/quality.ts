/**
 * `npm run bench:quality`: detection quality of every detector on the sets that measure it.
 *   bgl_2k       BGL_2k, line level, labels from the alert prefix
 *   bgl_2k_ref   the same, fitted on BGL_5000 (all normal) as the reference
 *   hdfs_ad_5k   HDFS_AD_5k, block (session) level, block labels CSV
 * Detectors: forest, surprise, fused (bundled model); forest_random (same network, random
 * weights); tfidf_forest (TF-IDF vectors into the same forest); rarity (−log template frequency).
 * Forest-based figures are means over five forest seeds.
 * Prints JSON and writes bench/results/quality.json (`-- --model <folder>`: another model, not written).
 */
import { existsSync, openAsBlob } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { AnalysisService, type EncoderFactory } from '../src/core/analysis/service';
import { DEFAULT_SETTINGS, type AnalysisInput, type AnalysisSettings, type DetectorKind, type ScoringUnit } from '../src/core/analysis/types';
import { createTransformersEncoder } from '../src/core/embed/transformersEncoder';
import { evaluateScores } from '../src/core/evaluate';
import { buildRecords } from '../src/core/analysis/records';
import { parseLabelsCsv } from '../src/core/analysis/labels';
import { sessionGroups } from '../src/core/analysis/units';
import { machine, writeResult } from './machine';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, '..', 'shared', 'data');
const MODELS = join(ROOT, 'public', 'models');
const RANDOM_MODEL = join(ROOT, 'training', 'out', 'loupe-log-bert-random');

interface Dataset {
  name: string;
  unit: ScoringUnit;
  target: string;
  reference?: string;
  labels?: string;
}

const DATASETS: Dataset[] = [
  { name: 'bgl_2k', unit: 'line', target: join(DATA, 'loghub_2k', 'BGL', 'BGL_2k.log') },
  { name: 'bgl_2k_ref', unit: 'line', target: join(DATA, 'loghub_2k', 'BGL', 'BGL_2k.log'), reference: join(DATA, 'bgl', 'BGL_5000.log') },
  { name: 'hdfs_ad_5k', unit: 'session', target: join(DATA, 'hdfs', 'HDFS_AD_5k.log'), labels: join(DATA, 'hdfs', 'HDFS_AD_5k.block_labels.csv') },
];

type Scores = { auroc: number; ap: number; best_f1: number };

const FOREST_SEEDS = [1, 2, 3, 4, 5];

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

async function input(d: Dataset): Promise<AnalysisInput> {
  const files: AnalysisInput['files'] = [];
  if (d.reference) files.push({ name: 'reference.log', data: await openAsBlob(d.reference), role: 'reference' });
  files.push({ name: 'target.log', data: await openAsBlob(d.target), role: 'target' });
  return { files, labels: d.labels ? { name: 'labels.csv', data: await openAsBlob(d.labels) } : undefined };
}

function modelFactory(dir: string, name: string): EncoderFactory {
  return () => createTransformersEncoder({ source: { kind: 'local', name, files: dir }, device: 'cpu' });
}

/** Runs one analysis and re-scores it with each detector: vectors and surprise are computed once. */
async function runDetectors(d: Dataset, factory: EncoderFactory | undefined, detectors: DetectorKind[]): Promise<Record<string, Scores | { error: string }>> {
  const service = new AnalysisService(factory);
  const settings: AnalysisSettings = { ...DEFAULT_SETTINGS, unit: d.unit, detector: detectors.includes('surprise') || detectors.includes('fused') ? 'fused' : 'forest' };
  const out: Record<string, Scores | { error: string }> = {};
  const first = await service.analyze(await input(d), settings, () => {});
  if (first.encoder?.device === 'none' && factory) return Object.fromEntries(detectors.map((k) => [k, { error: first.encoder?.fallbackReason ?? 'encoder failed' }]));
  for (const detector of detectors) {
    // One forest seed moves BGL_2k's forest AUROC by up to ±0.03: every figure is a mean over seeds.
    const sums = { auroc: 0, ap: 0, best_f1: 0 };
    let missing = false;
    for (const seed of FOREST_SEEDS) {
      const m = (await service.rescore({ ...settings, detector, forest: { ...settings.forest, seed } })).metrics;
      if (!m) {
        missing = true;
        break;
      }
      sums.auroc += m.auroc;
      sums.ap += m.ap;
      sums.best_f1 += m.bestF1;
    }
    const n = FOREST_SEEDS.length;
    out[detector] = missing ? { error: 'no labels for this unit' } : { auroc: round(sums.auroc / n), ap: round(sums.ap / n), best_f1: round(sums.best_f1 / n) };
  }
  return out;
}

/** −log template frequency, per line or (max over lines) per session. */
async function rarity(d: Dataset): Promise<Scores> {
  const files: Array<{ name: string; data: Blob; role: 'target' | 'reference' }> = [];
  if (d.reference) files.push({ name: 'reference.log', data: await openAsBlob(d.reference), role: 'reference' });
  files.push({ name: 'target.log', data: await openAsBlob(d.target), role: 'target' });
  const records = await buildRecords(files, DEFAULT_SETTINGS);
  const counts = records.referenceTemplateCounts ?? records.targetTemplateCounts;
  const total = counts.reduce((a, b) => a + b, 0);
  const target = records.target;
  const line = Float32Array.from(target.templateId, (t) => -Math.log(Math.max(counts[t], 0.5) / total));
  if (d.unit === 'line') {
    const e = evaluateScores(line, target.label);
    return { auroc: round(e.auroc), ap: round(e.ap), best_f1: round(e.best.f1) };
  }
  const labels = parseLabelsCsv(await (await openAsBlob(d.labels!)).text());
  const groups = (await sessionGroups(target))!;
  const scores = new Float32Array(groups.keys.length);
  const truth = new Int8Array(groups.keys.length);
  for (let g = 0; g < groups.keys.length; g++) {
    let m = 0;
    for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) m = Math.max(m, line[groups.members[k]]);
    scores[g] = m;
    truth[g] = labels.bySession.get(groups.keys[g]) ?? -1;
  }
  const e = evaluateScores(scores, truth);
  return { auroc: round(e.auroc), ap: round(e.ap), best_f1: round(e.best.f1) };
}

/** Re-exported every run, so it always matches the bundled model's architecture. */
function ensureRandomModel(): string | undefined {
  try {
    execFileSync('/usr/bin/python3', [join(ROOT, 'training', 'export_random.py'), '--out', RANDOM_MODEL], { stdio: 'inherit' });
    return undefined;
  } catch (error) {
    return `could not build the random-weight model (${error instanceof Error ? error.message : String(error)})`;
  }
}

if (!existsSync(DATA)) {
  console.error(`bench:quality needs ${DATA} (the shared Loghub data); skipping.`);
  process.exit(0);
}
// `npm run bench:quality -- --model <folder>` measures a candidate model instead of the bundled one.
const modelArg = process.argv.indexOf('--model');
const bundled = modelArg > 0 ? resolve(process.argv[modelArg + 1]) : join(MODELS, 'loupe-log-bert');
const randomError = ensureRandomModel();
const results: Record<string, Record<string, Scores | { error: string }>> = {};
for (const d of DATASETS) {
  const started = Date.now();
  const row: Record<string, Scores | { error: string }> = {};
  Object.assign(row, await runDetectors(d, modelFactory(bundled, 'loupe-log-bert'), ['forest', 'surprise', 'fused']));
  row.forest_random = randomError
    ? { error: randomError }
    : (await runDetectors(d, modelFactory(RANDOM_MODEL, 'loupe-log-bert-random'), ['forest'])).forest;
  row.tfidf_forest = (await runDetectors(d, undefined, ['forest'])).forest;
  row.rarity = await rarity(d);
  results[d.name] = row;
  console.error(`${d.name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${JSON.stringify(row)}`);
}
if (modelArg > 0) console.log(JSON.stringify({ model: bundled, ...results }, null, 2));
else writeResult('quality', { machine: machine(), ...results });
