/**
 * `npm run bench:fewshot`: how much a few of the analyst's labels improve the ranking.
 *
 * An analyst is simulated with the ground truth, through the app's own code path: the fit is made as
 * the app makes it (analysis/fit.ts readInput, the encoder's evidence), scored by `scoreFit` with
 * Loupe's default detector ('evidence'), and after every label the worker's calls run as they are:
 * `learnScoring` (features by analysis/learningFeatures.ts, labels spread by learningLabels.ts, the
 * head, the blend weight from the labels) and `labelNext` for the "Label next" list. From the
 * unsupervised ranking, k units are labelled (k = 0, 5, 10, 20, 50), chosen
 *   (a) suggested: the first of the "Label next" list, the head retrained and the list refreshed
 *       after each label (--batch n: n at a time);
 *   (b) random: uniformly among the top 100 of the unsupervised ranking not yet labelled.
 * After each step AP, P@10 and R-precision are measured on the units NOT labelled (a normal line
 * label spreads to its template, the app's default, so those lines count as labelled); ap_all_units
 * is AP over every unit of the ranking the analyst sees (labelled anomalies first, labelled normal
 * last); hindsight_weight is the blend weight that would have ranked the units not labelled best
 * (what the weight chosen from the labels aims at), with its AP. Means over 5 seeds (seed = forest
 * seed = head seed, and the random picks).
 *
 * Sets: bgl_2k (lines, labels from the alert prefix), demo (public/samples/demo.log: lines and
 * sessions, from its label files), hdfs_ad_5k (sessions, block labels).
 * Evidence per text (vectors, surprise) is cached in /tmp/loupe-fewshot (the encoder's surprise pass
 * takes minutes on 2 cores); delete it after changing the model.
 *
 * Options: --sets bgl_2k,demo_line  --seeds 3  --batch 1  --no-write  --loghub (also the 16 Loghub logs,
 * unlabelled: the same calls with an analyst who agrees with the detector; nothing may throw)
 * Also measures retraining time for 10k synthetic units. Prints JSON; writes bench/results/fewshot.json.
 */
import { existsSync, mkdirSync, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import type { RecordsResult } from '../src/core/analysis/records';
import { gatherEvidence, type TextEvidence } from '../src/core/analysis/evidence';
import { readInput, sessionsOf, type AnalysisFit } from '../src/core/analysis/fit';
import { parseLabelsCsv } from '../src/core/analysis/labels';
import { labelNext, learnScoring, type LearnedScoring } from '../src/core/analysis/learning';
import type { AnalystVerdicts } from '../src/core/analysis/learningLabels';
import { scoreFit, type Scoring } from '../src/core/analysis/scoring';
import { DEFAULT_SETTINGS } from '../src/core/analysis/types';
import { createTransformersEncoder } from '../src/core/embed/transformersEncoder';
import { createRandom } from '../src/core/detect/random';
import { averagePrecision } from '../src/core/evaluate';
import { blendScores, DEFAULT_PROPAGATION, learnFromLabels, prepareFeatures, type UnitLabel } from '../src/core/learn';
import { LOGHUB_SYSTEMS } from './loghub';
import { machine, writeResult } from './machine';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, '..', 'shared', 'data');
const SAMPLES = join(ROOT, 'public', 'samples');
const CACHE = '/tmp/loupe-fewshot';
const STEPS = [0, 5, 10, 20, 50];
const RANDOM_POOL = 100;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const BATCH = Number(arg('--batch') ?? 1);
const SEEDS = Array.from({ length: Number(arg('--seeds') ?? 5) }, (_, i) => i + 1);
const ONLY = arg('--sets')?.split(',');

interface LogSet {
  name: string;
  log: string;
  unit: 'line' | 'session';
  /** 'prefix': the BGL alert token; else a labels CSV (line numbers or session ids). */
  labels: 'prefix' | string;
}

const SETS: LogSet[] = [
  { name: 'bgl_2k', log: join(DATA, 'loghub_2k', 'BGL', 'BGL_2k.log'), unit: 'line', labels: 'prefix' },
  { name: 'demo_line', log: join(SAMPLES, 'demo.log'), unit: 'line', labels: join(SAMPLES, 'demo.labels.csv') },
  { name: 'demo_session', log: join(SAMPLES, 'demo.log'), unit: 'session', labels: join(SAMPLES, 'demo.sessions.csv') },
  {
    name: 'hdfs_ad_5k',
    log: join(DATA, 'hdfs', 'HDFS_AD_5k.log'),
    unit: 'session',
    labels: join(DATA, 'hdfs', 'HDFS_AD_5k.block_labels.csv'),
  },
];

// --- evidence, cached ----------------------------------------------------------------------------

function cacheFile(log: string): string {
  return join(CACHE, `${log.replace(/[^A-Za-z0-9]+/g, '_')}.json`);
}

async function evidenceOf(log: string, records: RecordsResult): Promise<TextEvidence> {
  const file = cacheFile(log);
  const texts = records.targetTexts.texts;
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { texts: string[]; dims: number; vectors: string; surprise: number[] };
    if (cached.texts.length === texts.length && cached.texts.every((t, i) => t === texts[i])) {
      const bytes = Buffer.from(cached.vectors, 'base64');
      return {
        vectors: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
        dims: cached.dims,
        surprise: Float32Array.from(cached.surprise),
      };
    }
  }
  const started = Date.now();
  const encoder = await createTransformersEncoder({
    source: { kind: 'local', name: 'loupe-log-bert', files: join(ROOT, 'public', 'models', 'loupe-log-bert') },
    device: 'cpu',
  });
  const evidence = await gatherEvidence(records, encoder);
  await encoder.dispose();
  console.error(`  evidence of ${texts.length} texts: ${((Date.now() - started) / 1000).toFixed(1)} s (cached to ${file})`);
  mkdirSync(CACHE, { recursive: true });
  const v = evidence.vectors;
  writeFileSync(
    file,
    JSON.stringify({
      texts,
      dims: evidence.dims,
      vectors: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
      surprise: Array.from(evidence.surprise ?? new Float32Array(texts.length)),
    }),
  );
  return evidence;
}

// --- one set: the fit as the app makes it, the truth per unit -----------------------------------

interface Loaded {
  fit: AnalysisFit;
  /** Ground truth per unit of the set's unit (-1 unknown). */
  truth: Int8Array;
}

async function load(set: LogSet): Promise<Loaded> {
  const signal = new AbortController().signal;
  const data = await openAsBlob(set.log);
  // The app's route (analysis/fit.ts): records and values, then the encoder's evidence (cached here).
  const base = await readInput(
    [{ name: set.log.split('/').pop()!, data, role: 'target', size: data.size }],
    DEFAULT_SETTINGS,
    undefined,
    () => undefined,
    signal,
  );
  const fit: AnalysisFit = { ...base, evidence: await evidenceOf(set.log, base.records) };
  const t = fit.records.target;
  let truth: Int8Array;
  if (set.labels === 'prefix') truth = Int8Array.from(t.label.subarray(0, t.count));
  else {
    const parsed = parseLabelsCsv(readFileSync(set.labels, 'utf8'));
    if (set.unit === 'line') truth = Int8Array.from({ length: t.count }, (_, i) => parsed.byLine.get(t.lineNumber[i] + 1) ?? -1);
    else {
      const sessions = await sessionsOf(fit, DEFAULT_SETTINGS.sessionRegex);
      if (!sessions) throw new Error(`${set.name}: no sessions found`);
      truth = Int8Array.from(sessions.keys, (k) => parsed.bySession.get(k) ?? -1);
    }
  }
  return { fit, truth };
}

/** The scoring the app makes for this set and seed (Loupe's default detector, 'evidence'). */
async function scoringOf(set: LogSet, fit: AnalysisFit, seed: number): Promise<Scoring> {
  const s = DEFAULT_SETTINGS;
  return scoreFit(fit, {
    detector: s.detector,
    unit: set.unit,
    forest: { ...s.forest, seed },
    window: s.window,
    sessionRegex: s.sessionRegex,
  });
}

// --- the simulated analyst -----------------------------------------------------------------------

interface StepMetrics {
  apUnsupervised: number;
  apAll: number;
  ap: number;
  p10: number;
  rprec: number;
  weight: number;
  /** The weight that would have ranked the units not labelled best (hindsight), and its AP. */
  bestWeight: number;
  apBestWeight: number;
  labels: number;
  anomalous: number;
  head: string;
  ms: number;
}

function metrics(scores: ArrayLike<number>, truth: Int8Array, labels: Int8Array): Pick<StepMetrics, 'ap' | 'p10' | 'rprec'> {
  const units: number[] = [];
  for (let u = 0; u < truth.length; u++) if (truth[u] >= 0 && labels[u] < 0) units.push(u);
  const s = Float64Array.from(units, (u) => scores[u]);
  const y = Int8Array.from(units, (u) => truth[u]);
  const order = Array.from(y.keys()).sort((a, b) => s[b] - s[a] || a - b);
  let r = 0;
  for (const v of y) r += v;
  const hits = (k: number): number => order.slice(0, k).reduce((n, i) => n + y[i], 0);
  return { ap: r ? averagePrecision(s, y) : NaN, p10: hits(10) / Math.min(10, order.length), rprec: r ? hits(r) / r : NaN };
}

/** AP over every unit of the ranking the analyst sees: labelled anomalies first, labelled normal last. */
function analystView(scores: ArrayLike<number>, truth: Int8Array, labels: Int8Array): number {
  const shown = Float64Array.from({ length: truth.length }, (_, u) => (labels[u] === 1 ? 2 + scores[u] : labels[u] === 0 ? -1 : scores[u]));
  return averagePrecision(shown, truth);
}

/** The analyst's clicks as the app receives them: line verdicts, or session verdicts by session id. */
function verdictsOf(scoring: Scoring, clicks: Int8Array): AnalystVerdicts {
  if (scoring.settings.unit === 'line') return { line: clicks };
  const session = new Map<string, UnitLabel>();
  clicks.forEach((v, g) => {
    if (v === 0 || v === 1) session.set(scoring.sessions!.keys[g], v);
  });
  return { session };
}

/** The blend weight (of 21) that ranks the units not labelled best, in hindsight: what the folds aim at. */
function hindsightWeight(learned: LearnedScoring, truth: Int8Array): { weight: number; ap: number } {
  let best = { weight: NaN, ap: NaN };
  if (!learned.learned) return best;
  for (let s = 0; s <= 20; s++) {
    const ap = metrics(blendScores(learned.learned, learned.unsupervised.scores.unit, s / 20), truth, learned.labels).ap;
    if (!(ap <= best.ap)) best = { weight: s / 20, ap };
  }
  return best;
}

function simulate(fit: AnalysisFit, scoring: Scoring, truth: Int8Array, strategy: 'suggested' | 'random', seed: number): StepMetrics[] {
  const n = truth.length;
  const clicks = new Int8Array(n).fill(-1);
  const unknown = Uint8Array.from(truth, (v) => (v < 0 ? 1 : 0));
  const random = createRandom(seed * 7919 + 13);
  const unsupervised = scoring.scores.unit;
  const byUnsupervised = Array.from({ length: n }, (_, u) => u).sort((a, b) => unsupervised[b] - unsupervised[a] || a - b);
  // Exactly what the worker does after each label: learnScoring, then labelNext on its result.
  let result = learnScoring(fit, scoring, verdictsOf(scoring, clicks), { seed });
  let clicked = 0;
  const out: StepMetrics[] = [];
  for (const k of STEPS) {
    while (clicked < k) {
      const want = Math.min(BATCH, k - clicked);
      let picks: number[];
      if (strategy === 'suggested') {
        picks = labelNext(fit, result, unknown)
          .filter((s) => !unknown[s.unit])
          .slice(0, want)
          .map((s) => s.unit);
      } else {
        const pool = byUnsupervised.slice(0, RANDOM_POOL).filter((u) => result.labels[u] < 0 && !unknown[u]);
        picks = [];
        while (picks.length < want && pool.length) picks.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
      }
      if (!picks.length) break;
      for (const u of picks) clicks[u] = truth[u];
      clicked += picks.length;
      result = learnScoring(fit, scoring, verdictsOf(scoring, clicks), { seed });
    }
    const hindsight = hindsightWeight(result, truth);
    out.push({
      ...metrics(result.scoring.scores.unit, truth, result.labels),
      apAll: analystView(result.scoring.scores.unit, truth, result.labels),
      apUnsupervised: metrics(unsupervised, truth, result.labels).ap,
      weight: result.summary.weight,
      bestWeight: hindsight.weight,
      apBestWeight: hindsight.ap,
      labels: clicked,
      anomalous: result.summary.anomalous,
      head: result.head?.kind ?? 'none',
      ms: result.summary.trainMs,
    });
  }
  return out;
}

// --- the 16 Loghub logs without labels: the same calls must hold on any log ----------------------

/**
 * Each Loghub log through the app's calls with 10 labels from the "Label next" list, given by an
 * analyst who agrees with the detector (a unit at or above the unsupervised threshold is an anomaly,
 * below it normal): no ground truth, so this checks that nothing throws and the figures stay sane
 * (finite blended scores in [0, 1), a weight in [0, 1], how many lines moved into the top 50).
 */
async function loghubPass(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const system of LOGHUB_SYSTEMS) {
    const log = join(DATA, 'loghub_2k', system, `${system}_2k.log`);
    if (!existsSync(log)) continue;
    const started = Date.now();
    try {
      const data = await openAsBlob(log);
      const base = await readInput(
        [{ name: `${system}_2k.log`, data, role: 'target', size: data.size }],
        DEFAULT_SETTINGS,
        undefined,
        () => undefined,
        new AbortController().signal,
      );
      const fit: AnalysisFit = { ...base, evidence: await evidenceOf(log, base.records) };
      const scoring = await scoringOf({ name: system, log, unit: 'line', labels: 'prefix' }, fit, 1);
      const { unit, threshold } = scoring.scores;
      const clicks = new Int8Array(unit.length).fill(-1);
      let result = learnScoring(fit, scoring, { line: clicks }, { seed: 1 });
      for (let k = 0; k < 10; k++) {
        const [next] = labelNext(fit, result);
        if (!next) break;
        clicks[next.unit] = unit[next.unit] >= threshold ? 1 : 0;
        result = learnScoring(fit, scoring, { line: clicks }, { seed: 1 });
      }
      const blended = result.scoring.scores.unit;
      const sane = Array.prototype.every.call(blended, (v: number) => Number.isFinite(v) && (!result.head || (v >= 0 && v < 1)));
      out[system] = {
        lines: unit.length,
        anomalous_labels: result.summary.anomalous,
        normal_labels: result.summary.normal,
        head: result.head?.kind ?? 'none',
        weight: round(result.summary.weight, 3),
        weight_from: result.summary.weightFrom,
        moved_into_top_50: result.summary.movedIntoTop,
        scores_sane: sane,
        retrain_ms: round(result.summary.trainMs, 1),
      };
    } catch (error) {
      out[system] = { error: error instanceof Error ? error.message : String(error) };
    }
    console.error(`  loghub ${system} (${((Date.now() - started) / 1000).toFixed(1)} s): ${JSON.stringify(out[system])}`);
  }
  return out;
}

// --- retraining time for 10k units ---------------------------------------------------------------

/**
 * Retraining (head + blend weight by k-fold + blend) for 10k units with 192-dim vectors and 9
 * evidence columns, after 10, 50 and 200 labels (half of each class: the MLP from 16). Two shapes:
 * every unit its own vector row (sessions: the costly case) and 10k lines over 500 texts.
 */
function retrainTiming(): Record<string, Record<string, number>> {
  const count = 10_000;
  const dims = 192;
  const out: Record<string, Record<string, number>> = {};
  for (const rows of [count, 500]) {
    const random = createRandom(99);
    const vectors = Float32Array.from({ length: rows * dims }, () => random() - 0.5);
    const vectorRow = Uint32Array.from({ length: count }, (_, u) => u % rows);
    const evidence = Array.from({ length: 9 }, (_, k) => ({ name: `e${k}`, values: Float64Array.from({ length: count }, () => random()) }));
    const truth = Int8Array.from({ length: count }, (_, u) => (evidence[0].values[u] + evidence[1].values[u] > 1.8 ? 1 : 0));
    const t0 = performance.now();
    const prepared = prepareFeatures({ count, vectors, dims, vectorRow, evidence });
    const prepareMs = performance.now() - t0;
    // The machine is shared: the load at measurement time says how far to trust the figures.
    const row: Record<string, number> = {
      load_average_1min: round(loadavg()[0], 2),
      units: count,
      distinct_vector_rows: rows,
      dims,
      evidence_columns: evidence.length,
      prepare_ms: round(prepareMs, 1),
    };
    for (const labelled of [10, 50, 200]) {
      const labels = new Int8Array(count).fill(-1);
      let a = 0;
      let z = 0;
      for (let u = 0; u < count && a + z < labelled; u++) {
        if (truth[u] === 1 && a < labelled / 2) {
          labels[u] = 1;
          a++;
        } else if (truth[u] === 0 && z < labelled / 2) {
          labels[u] = 0;
          z++;
        }
      }
      learnFromLabels(prepared, labels, evidence[0].values, { seed: 1 });
      // Median of 7, wall time and this process's CPU time: on a shared machine other work stretches
      // the wall time, while the CPU time is what the retraining itself costs.
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < 7; r++) {
        const t = performance.now();
        const c = process.cpuUsage();
        learnFromLabels(prepared, labels, evidence[0].values, { seed: r });
        const used = process.cpuUsage(c);
        wall.push(performance.now() - t);
        cpu.push((used.user + used.system) / 1000);
      }
      wall.sort((x, y) => x - y);
      cpu.sort((x, y) => x - y);
      row[`retrain_ms_${labelled}_labels`] = round(wall[3], 1);
      row[`retrain_cpu_ms_${labelled}_labels`] = round(cpu[3], 1);
    }
    out[rows === count ? 'distinct_rows' : 'shared_rows'] = row;
  }
  return out;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function mean(xs: number[]): number {
  const ok = xs.filter((x) => !Number.isNaN(x));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

const results: Record<string, unknown> = {};
for (const set of SETS) {
  if (ONLY && !ONLY.includes(set.name)) continue;
  if (!existsSync(set.log)) {
    console.error(`${set.name}: ${set.log} is absent; skipped.`);
    continue;
  }
  const started = Date.now();
  const data = await load(set);
  const perStrategy: Record<string, StepMetrics[][]> = { suggested: [], random: [] };
  for (const seed of SEEDS) {
    const scoring = await scoringOf(set, data.fit, seed);
    if (scoring.scores.unit.length !== data.truth.length)
      throw new Error(`${set.name}: ${scoring.scores.unit.length} units, ${data.truth.length} truths`);
    for (const strategy of ['suggested', 'random'] as const)
      perStrategy[strategy].push(simulate(data.fit, scoring, data.truth, strategy, seed));
  }
  const units = data.truth.length;
  let anomalies = 0;
  for (const v of data.truth) if (v === 1) anomalies++;
  const row: Record<string, unknown> = { unit: set.unit, units, anomalies };
  for (const [strategy, runs] of Object.entries(perStrategy)) {
    row[strategy] = STEPS.map((k, i) => ({
      k,
      labels: round(mean(runs.map((r) => r[i].labels)), 1),
      anomalous_labels: round(mean(runs.map((r) => r[i].anomalous)), 1),
      ap: round(mean(runs.map((r) => r[i].ap))),
      // Per seed: how far apart seeds land says how large a difference in the mean means anything.
      ap_per_seed: runs.map((r) => round(r[i].ap, 3)),
      ap_unsupervised: round(mean(runs.map((r) => r[i].apUnsupervised))),
      ap_all_units: round(mean(runs.map((r) => r[i].apAll))),
      p_at_10: round(mean(runs.map((r) => r[i].p10))),
      r_precision: round(mean(runs.map((r) => r[i].rprec))),
      weight: round(mean(runs.map((r) => r[i].weight)), 3),
      hindsight_weight: round(mean(runs.map((r) => r[i].bestWeight)), 3),
      ap_hindsight_weight: round(mean(runs.map((r) => r[i].apBestWeight))),
      heads: [...new Set(runs.map((r) => r[i].head))].join('/'),
      retrain_ms: round(mean(runs.map((r) => r[i].ms)), 1),
    }));
  }
  results[set.name] = row;
  const ap = (s: string): string =>
    (row[s] as Array<{ ap: number; ap_unsupervised: number }>).map((x) => `${x.ap.toFixed(3)}(${x.ap_unsupervised.toFixed(2)})`).join(' ');
  console.error(
    `${set.name} (${((Date.now() - started) / 1000).toFixed(1)} s, ${units} units, ${anomalies} anomalies) AP at k=${STEPS.join('/')}: suggested ${ap('suggested')} | random ${ap('random')}`,
  );
}
if (process.argv.includes('--loghub')) results.loghub_2k_unlabelled = await loghubPass();
results.retrain_10k = retrainTiming();
console.error(`retrain 10k: ${JSON.stringify(results.retrain_10k)}`);
const settings = {
  steps: STEPS,
  batch: BATCH,
  random_pool: RANDOM_POOL,
  seeds: SEEDS.length,
  propagation: DEFAULT_PROPAGATION,
};
if (process.argv.includes('--no-write') || ONLY) console.log(JSON.stringify({ settings, ...results }, null, 2));
else writeResult('fewshot', { machine: machine(), settings, ...results });
