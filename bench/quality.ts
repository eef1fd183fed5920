/**
 * `npm run bench:quality`: what the analyst sees first, for every detector on every labelled set.
 *   bgl_2k        BGL_2k, line level, labels from the alert prefix
 *   bgl_2k_ref    the same, BGL_5000 (all normal) as the reference
 *   hdfs_ad_5k    HDFS_AD_5k, block (session) level, block labels CSV
 *   demo_line / demo_session   the bundled demo log, from its label files (and the small demos beside it)
 * and a label-free pass over the 16 Loghub 2k logs: share flagged and the top 10 lines of each.
 *
 * Per detector: ROC-AUC, AP, P@10, R-precision (P at k = number of anomalies), best F1, F1 at the
 * detector's default threshold with the share it flags. Detectors:
 *   default        the shipped ranking (src/core/detect/defaultScore.ts): evidence in nats, summed
 *   ev_surprise, ev_level, ev_values, ev_sequence   each calibrated evidence alone (ablations)
 *   forest, surprise, fused_old   the previous detectors (scoreAnalysis), bundled model
 *   forest_random  the same network with random weights; tfidf_forest  TF-IDF vectors into the forest
 *   rarity         −ln template frequency
 * Forest figures are means over five forest seeds.
 * `-- --model <folder>` measures another model (printed, not written).
 */
import { existsSync, openAsBlob, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildRecords, type InputFile, type RecordsResult } from '../src/core/analysis/records';
import { gatherEvidence, type TextEvidence } from '../src/core/analysis/evidence';
import { parseLabelsCsv } from '../src/core/analysis/labels';
import { sessionGroups } from '../src/core/analysis/units';
import { DEFAULT_SETTINGS } from '../src/core/analysis/types';
import { createEncoder } from '../src/core/embed/createEncoder';
import type { Encoder } from '../src/core/embed/encoder';
import { countWindows, type RecordGroups } from '../src/core/sessions';
import { scoreAnalysis, type ScoringInput } from '../src/core/detect/score';
import type { DetectorKind } from '../src/core/detect/settings';
import type { DefaultScores } from '../src/core/detect/defaultScore';
import { recordValues } from '../src/core/analysis/values';
import { autoThreshold } from '../src/core/detect/autoThreshold';
import { evaluateScores, metricsWithShare, precisionAtK, rPrecision } from '../src/core/evaluate';
import { machine, writeResult } from './machine';
import { LOGHUB_SYSTEMS } from './loghub';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, '..', 'shared', 'data');
const SAMPLES = join(ROOT, 'public', 'samples');
const MODELS = join(ROOT, 'public', 'models');
const RANDOM_MODEL = join(ROOT, 'training', 'out', 'loupe-log-bert-random');
const FOREST_SEEDS = [1, 2, 3, 4, 5];

interface QualitySet {
  name: string;
  target: string;
  reference?: string;
  /** Line labels: 'prefix' = the BGL alert token the parser reads, else a CSV of 1-based line numbers. */
  lineLabels?: 'prefix' | string;
  sessionLabels?: string;
  sessionRegex?: string;
}

const SETS: QualitySet[] = [
  { name: 'bgl_2k', target: join(DATA, 'loghub_2k', 'BGL', 'BGL_2k.log'), lineLabels: 'prefix' },
  {
    name: 'bgl_2k_ref',
    target: join(DATA, 'loghub_2k', 'BGL', 'BGL_2k.log'),
    reference: join(DATA, 'bgl', 'BGL_5000.log'),
    lineLabels: 'prefix',
  },
  { name: 'hdfs_ad_5k', target: join(DATA, 'hdfs', 'HDFS_AD_5k.log'), sessionLabels: join(DATA, 'hdfs', 'HDFS_AD_5k.block_labels.csv') },
  {
    name: 'demo',
    target: join(SAMPLES, 'demo.log'),
    lineLabels: join(SAMPLES, 'demo.labels.csv'),
    sessionLabels: join(SAMPLES, 'demo.sessions.csv'),
  },
  {
    name: 'demo_syslog',
    target: join(SAMPLES, 'demo-syslog.log'),
    lineLabels: join(SAMPLES, 'demo-syslog.labels.csv'),
    sessionLabels: join(SAMPLES, 'demo-syslog.sessions.csv'),
  },
  {
    name: 'demo_jsonl',
    target: join(SAMPLES, 'demo.jsonl'),
    lineLabels: join(SAMPLES, 'demo-jsonl.labels.csv'),
    sessionLabels: join(SAMPLES, 'demo-jsonl.sessions.csv'),
  },
  {
    name: 'demo_hdfs',
    target: join(SAMPLES, 'demo-hdfs.log'),
    lineLabels: join(SAMPLES, 'demo-hdfs.labels.csv'),
    sessionLabels: join(SAMPLES, 'demo-hdfs.sessions.csv'),
  },
];

export interface Figures {
  auroc: number;
  ap: number;
  p_at_10: number;
  r_precision: number;
  best_f1: number;
  f1_at_default: number;
  share_flagged: number;
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10000) / 10000 : x);

function figures(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Figures {
  const e = evaluateScores(scores, labels);
  const at = metricsWithShare(scores, labels, threshold);
  return {
    auroc: round(e.auroc),
    ap: round(e.ap),
    p_at_10: round(precisionAtK(scores, labels, 10)),
    r_precision: round(rPrecision(scores, labels)),
    best_f1: round(e.best.f1),
    f1_at_default: round(at.f1),
    share_flagged: round(at.shareFlagged),
  };
}

function meanFigures(all: Figures[]): Figures {
  const out = {} as Record<keyof Figures, number>;
  for (const k of Object.keys(all[0]) as Array<keyof Figures>) out[k] = round(all.reduce((s, f) => s + f[k], 0) / all.length);
  return out;
}

/** Highest member score of each group. */
function groupMax(groups: RecordGroups, line: ArrayLike<number>): Float32Array {
  const out = new Float32Array(groups.keys.length);
  for (let g = 0; g < groups.keys.length; g++) {
    let m = -Infinity;
    for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) m = Math.max(m, line[groups.members[k]]);
    out[g] = Number.isFinite(m) ? m : 0;
  }
  return out;
}

interface Prepared {
  set: QualitySet;
  records: RecordsResult;
  lineLabels?: Int8Array;
  sessions?: RecordGroups;
  sessionLabels?: Int8Array;
}

async function prepare(set: QualitySet): Promise<Prepared> {
  const files: InputFile[] = [];
  if (set.reference) files.push({ name: 'reference.log', data: await openAsBlob(set.reference), role: 'reference' });
  files.push({ name: set.target.split('/').pop()!, data: await openAsBlob(set.target), role: 'target' });
  const records = await buildRecords(files, DEFAULT_SETTINGS);
  const t = records.target;
  let lineLabels: Int8Array | undefined;
  if (set.lineLabels === 'prefix') lineLabels = t.label.slice(0, t.count);
  else if (set.lineLabels) {
    const byLine = parseLabelsCsv(readFileSync(set.lineLabels, 'utf8')).byLine;
    lineLabels = Int8Array.from({ length: t.count }, (_, i) => byLine.get(t.lineNumber[i] + 1) ?? -1);
  }
  const sessions = await sessionGroups(t, set.sessionRegex);
  let sessionLabels: Int8Array | undefined;
  if (sessions && set.sessionLabels) {
    const bySession = parseLabelsCsv(readFileSync(set.sessionLabels, 'utf8')).bySession;
    sessionLabels = Int8Array.from(sessions.keys, (k) => bySession.get(k) ?? -1);
  }
  return { set, records, lineLabels, sessions, sessionLabels };
}

function scoringInput(p: Prepared, ev: TextEvidence): ScoringInput {
  const t = p.records.target;
  const reference =
    p.records.reference && ev.referenceVectors
      ? { texts: p.records.reference.texts, vectors: ev.referenceVectors, surprise: ev.referenceSurprise }
      : undefined;
  return {
    target: { texts: p.records.targetTexts, vectors: ev.vectors, surprise: ev.surprise },
    reference,
    dims: ev.dims,
    records: {
      count: t.count,
      textIndex: t.textIndex.subarray(0, t.count),
      templateId: t.templateId.subarray(0, t.count),
      level: t.level.subarray(0, t.count),
    },
    templateCount: p.records.templates.length,
    sessions: p.sessions,
    windows: countWindows(t.count, 1000),
  };
}

/** The previous detectors (forest, surprise, old fused) at line and session level, mean over seeds. */
function oldDetectors(p: Prepared, ev: TextEvidence, detectors: DetectorKind[], suffix = ''): Record<string, Record<string, Figures>> {
  const out: Record<string, Record<string, Figures>> = {};
  const input = scoringInput(p, ev);
  for (const detector of detectors) {
    if (detector !== 'forest' && !ev.surprise) continue;
    const line: Figures[] = [];
    const session: Figures[] = [];
    for (const seed of FOREST_SEEDS) {
      const forest = { ...DEFAULT_SETTINGS.forest, seed };
      if (p.lineLabels) {
        const s = scoreAnalysis(input, { detector, unit: 'line', forest });
        line.push(figures(s.line, p.lineLabels, s.threshold));
      }
      if (p.sessionLabels && p.sessions) {
        const s = scoreAnalysis(input, { detector, unit: 'session', forest });
        session.push(figures(s.unit, p.sessionLabels, s.threshold));
      }
    }
    const name = (detector === 'fused' ? 'fused_old' : detector) + suffix;
    if (line.length) (out.line ??= {})[name] = meanFigures(line);
    if (session.length) (out.session ??= {})[name] = meanFigures(session);
  }
  return out;
}

/**
 * The shipped default exactly as the app and the CLI compute it: the `evidence` detector of
 * scoreAnalysis, with the values behind the wildcards from core/analysis/values.ts.
 */
async function runDefault(p: Prepared, ev: TextEvidence): Promise<DefaultScores> {
  const values = (await recordValues(p.records)).evidence;
  const scores = scoreAnalysis({ ...scoringInput(p, ev), values }, { detector: 'evidence', unit: 'line', forest: DEFAULT_SETTINGS.forest });
  return scores.evidence!;
}

/** The default and each of its evidence columns alone (ablations), line and session level. */
async function newDetectors(p: Prepared, ev: TextEvidence): Promise<Record<string, Record<string, Figures>>> {
  const d = await runDefault(p, ev);
  const t = p.records.target;
  const names = d.line.names;
  const out: Record<string, Record<string, Figures>> = {};
  if (p.lineLabels) {
    out.line = { default: figures(d.line.score, p.lineLabels, d.lineThreshold.threshold) };
    names.forEach((name, c) => {
      const column = Float32Array.from({ length: t.count }, (_, i) => d.line.contributions[i * names.length + c]);
      out.line[`ev_${name}`] = figures(column, p.lineLabels!, autoThreshold(column).threshold);
    });
  }
  if (p.sessionLabels && p.sessions && d.session) {
    out.session = { default: figures(d.session.score, p.sessionLabels, d.sessionThreshold!.threshold) };
    names.forEach((name, c) => {
      const column = Float32Array.from({ length: t.count }, (_, i) => d.line.contributions[i * names.length + c]);
      const g = groupMax(p.sessions!, column);
      out.session[`ev_${name}`] = figures(g, p.sessionLabels!, autoThreshold(g, 'sessions').threshold);
    });
    const missing = d.session.missing;
    out.session.ev_missing_steps = figures(missing, p.sessionLabels, autoThreshold(missing, 'sessions').threshold);
  }
  return out;
}

/** −ln template frequency (in the reference when given), per line or (max) per session. */
function rarity(p: Prepared): Record<string, Record<string, Figures>> {
  const counts = p.records.referenceTemplateCounts ?? p.records.targetTemplateCounts;
  const total = counts.reduce((a, b) => a + b, 0);
  const t = p.records.target;
  const line = Float32Array.from(t.templateId.subarray(0, t.count), (id) => -Math.log(Math.max(counts[id] ?? 0, 0.5) / total));
  const out: Record<string, Record<string, Figures>> = {};
  if (p.lineLabels) out.line = { rarity: figures(line, p.lineLabels, autoThreshold(line).threshold) };
  if (p.sessionLabels && p.sessions) {
    const g = groupMax(p.sessions, line);
    out.session = { rarity: figures(g, p.sessionLabels, autoThreshold(g, 'sessions').threshold) };
  }
  return out;
}

function merge(into: Record<string, Record<string, Figures>>, from: Record<string, Record<string, Figures>>): void {
  for (const [unit, row] of Object.entries(from)) Object.assign((into[unit] ??= {}), row);
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

async function encoderAt(dir: string, name: string): Promise<Encoder> {
  return createEncoder({ kind: 'local', name, files: dir }, 'cpu');
}

/** Label-free pass: what the default flags on each Loghub log, and its top 10 lines. */
async function sanity(encoder: Encoder): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const system of LOGHUB_SYSTEMS) {
    const path = join(DATA, 'loghub_2k', system, `${system}_2k.log`);
    if (!existsSync(path)) continue;
    const p = await prepare({ name: system, target: path });
    const ev = await gatherEvidence(p.records, encoder);
    const d = await runDefault(p, ev);
    const t = p.records.target;
    const order = Array.from({ length: t.count }, (_, i) => i).sort((a, b) => d.line.score[b] - d.line.score[a]);
    out[system] = {
      lines: t.count,
      share_flagged: round(d.lineThreshold.share),
      flagged: d.lineThreshold.flagged,
      threshold: round(d.lineThreshold.threshold),
      why: d.lineThreshold.explanation,
      sessions: p.sessions?.keys.length ?? 0,
      top10: order.slice(0, 10).map((i) => ({
        score: round(d.line.score[i]),
        evidence: d.line.strongest[i] >= 0 ? d.line.names[d.line.strongest[i]] : 'none',
        line: t.message[i].slice(0, 160),
      })),
    };
  }
  return out;
}

if (!existsSync(DATA)) {
  console.error(`bench:quality needs ${DATA} (the shared Loghub data); skipping.`);
  process.exit(0);
}
const modelArg = process.argv.indexOf('--model');
const bundledDir = modelArg > 0 ? resolve(process.argv[modelArg + 1]) : join(MODELS, 'loupe-log-bert');
const quick = process.argv.includes('--quick');
const randomError = quick ? 'skipped (--quick)' : ensureRandomModel();
const bundled = await encoderAt(bundledDir, 'loupe-log-bert');
const random = randomError ? undefined : await encoderAt(RANDOM_MODEL, 'loupe-log-bert-random');
const results: Record<string, unknown> = {};
for (const set of SETS) {
  if (!existsSync(set.target)) {
    console.error(`${set.name}: ${set.target} is absent; skipped.`);
    continue;
  }
  const started = Date.now();
  const p = await prepare(set);
  const ev = await gatherEvidence(p.records, bundled);
  const rows: Record<string, Record<string, Figures>> = {};
  merge(rows, await newDetectors(p, ev));
  if (!quick) {
    merge(rows, oldDetectors(p, ev, ['forest', 'surprise', 'fused']));
    if (random) merge(rows, oldDetectors(p, await gatherEvidence(p.records, random), ['forest'], '_random'));
    merge(rows, oldDetectors(p, await gatherEvidence(p.records, undefined), ['forest'], '_tfidf'));
  }
  merge(rows, rarity(p));
  if (rows.line) results[`${set.name}${set.sessionLabels ? '_line' : ''}`] = rows.line;
  if (rows.session) results[`${set.name}${set.lineLabels ? '_session' : ''}`] = rows.session;
  console.error(
    `${set.name} (${((Date.now() - started) / 1000).toFixed(1)} s): default ${JSON.stringify({ line: rows.line?.default, session: rows.session?.default })}`,
  );
}
if (randomError) results.forest_random_error = randomError;
results.loghub_2k_sanity = await sanity(bundled);
await bundled.dispose();
await random?.dispose();
if (modelArg > 0 || quick) console.log(JSON.stringify({ model: bundledDir, ...results }, null, 2));
else writeResult('quality', { machine: machine(), ...results });
