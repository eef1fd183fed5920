/**
 * Loupe's isolation forest against scikit-learn's on the same generated 100k × 64 data, both with
 * default parameters on one thread, timing fit + scoreSamples of all rows (best of 5 runs each).
 * Called by bench/core.ts; scikit-learn runs through scripts/sklearn_bench.py with Debian's Python.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsolationForest } from '../src/core/detect/forest';
import { SeededRandom } from '../src/core/detect/random';
import { spearman } from '../src/core/detect/rank';

const ROWS = 100_000;
const DIMS = 64;
const REPEATS = 5;
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'sklearn_bench.py');

export interface IsolationForestBench {
  rows: 100000;
  dims: 64;
  /** Loupe fit + scoreSamples, seconds (best of REPEATS). */
  loupe_s: number;
  loupe_fit_s: number;
  loupe_score_s: number;
  /** scikit-learn fit + score_samples, seconds (best of REPEATS); null when it could not run. */
  sklearn_s: number | null;
  sklearn_fit_s: number | null;
  sklearn_score_s: number | null;
  sklearn_version?: string;
  /** loupe_s / sklearn_s: below 1 means Loupe is faster. */
  ratio: number | null;
  /**
   * Spearman between Loupe's and sklearn's scores on all rows, each averaged over its REPEATS
   * runs (seeds 0..REPEATS-1): one 100-tree forest ranks the dense core of 100k rows noisily.
   */
  spearman: number | null;
  /** Spearman of one Loupe run against one sklearn run. */
  spearman_single: number | null;
  /** Spearman of two sklearn runs with different seeds: the noise floor for spearman_single. */
  sklearn_self_spearman: number | null;
  data: string;
  note?: string;
}

/**
 * Embedding-like rows: 8 latent factors through a fixed random mixing matrix plus N(0, 0.3²)
 * noise per coordinate; every 100th row gets 5× the noise (off the latent subspace).
 * Deterministic (seed 2024).
 */
export function benchRows(rows = ROWS, dims = DIMS): Float32Array {
  const rng = new SeededRandom(2024);
  const latent = 8;
  const mixing = new Float64Array(dims * latent);
  for (let i = 0; i < mixing.length; i++) mixing[i] = rng.nextGaussian() / Math.sqrt(latent);
  const z = new Float64Array(latent);
  const X = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    const noise = r % 100 === 0 ? 1.5 : 0.3;
    for (let l = 0; l < latent; l++) z[l] = rng.nextGaussian();
    for (let j = 0; j < dims; j++) {
      let v = 0;
      for (let l = 0; l < latent; l++) v += mixing[j * latent + l] * z[l];
      X[r * dims + j] = v + noise * rng.nextGaussian();
    }
  }
  return X;
}

export async function benchIsolationForest(): Promise<IsolationForestBench> {
  const X = benchRows();
  let best = { total: Infinity, fit: 0, score: 0 };
  const runs: Float32Array[] = [];
  for (let run = 0; run < REPEATS; run++) {
    const started = performance.now();
    const forest = new IsolationForest({ seed: run }).fit(X, ROWS, DIMS);
    const fitted = performance.now();
    const scores = forest.scoreSamples(X, ROWS);
    const done = performance.now();
    runs.push(scores);
    if (done - started < best.total) best = { total: done - started, fit: fitted - started, score: done - fitted };
  }
  const result: IsolationForestBench = {
    rows: ROWS,
    dims: DIMS,
    loupe_s: round(best.total / 1000),
    loupe_fit_s: round(best.fit / 1000),
    loupe_score_s: round(best.score / 1000),
    sklearn_s: null,
    sklearn_fit_s: null,
    sklearn_score_s: null,
    ratio: null,
    spearman: null,
    spearman_single: null,
    sklearn_self_spearman: null,
    data: `${ROWS}x${DIMS} float32: 8 latent factors + N(0,0.3²) noise, every 100th row 5x noise (seed 2024)`,
  };
  if (!existsSync(PYTHON)) return { ...result, note: `${PYTHON} not found: scikit-learn was not run` };

  const dir = mkdtempSync(join(tmpdir(), 'loupe-iforest-'));
  try {
    const dataPath = join(dir, 'rows.f32');
    const scoresPath = join(dir, 'sklearn_scores.f32');
    writeFileSync(dataPath, new Uint8Array(X.buffer, X.byteOffset, X.byteLength));
    const run = spawnSync(PYTHON, [SCRIPT, dataPath, String(ROWS), String(DIMS), scoresPath, String(REPEATS)], {
      encoding: 'utf8',
      // One thread for BLAS too, so neither side uses more cores than the other.
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      timeout: 600_000,
    });
    if (run.status !== 0) return { ...result, note: `sklearn_bench.py failed: ${(run.stderr || String(run.error)).slice(-500)}` };
    const reply = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      fit_s?: number;
      score_s?: number;
      total_s?: number;
      sklearn?: string;
      error?: string;
    };
    if (reply.error || reply.total_s === undefined) return { ...result, note: reply.error ?? 'sklearn_bench.py gave no timing' };
    const bytes = readFileSync(scoresPath);
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const sklearnRuns = Array.from({ length: all.length / ROWS }, (_, i) => all.subarray(i * ROWS, (i + 1) * ROWS));
    return {
      ...result,
      sklearn_s: round(reply.total_s),
      sklearn_fit_s: round(reply.fit_s ?? NaN),
      sklearn_score_s: round(reply.score_s ?? NaN),
      sklearn_version: reply.sklearn,
      ratio: round(best.total / 1000 / reply.total_s),
      spearman: round(spearman(meanOf(runs), meanOf(sklearnRuns))),
      spearman_single: round(spearman(runs[0], sklearnRuns[0])),
      sklearn_self_spearman: sklearnRuns.length > 1 ? round(spearman(sklearnRuns[0], sklearnRuns[1])) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function meanOf(runs: Float32Array[]): Float64Array {
  const mean = new Float64Array(runs[0].length);
  for (const run of runs) for (let i = 0; i < mean.length; i++) mean[i] += run[i] / runs.length;
  return mean;
}

function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
