/**
 * Early stopping for a head fit: some of the analyst's judgements are held out, the model is fitted
 * on the rest, and the step count with the lowest held-out loss is what the final fit on all the
 * labels runs for. Apart from head.ts because the split (stratified, one judgement on one side) and
 * the patience rule are their own decisions, and the refit around them does not need to see them.
 */
import { createRandom } from '../detect/random';
import { adam } from './adam';
import { initialParams, lossAndGradient, type Problem } from './headModel';
import { shuffle, type TrainingSet } from './trainingSet';

/** Share of each class held out for early stopping. */
const HOLDOUT_SHARE = 0.2;
/** Held-out loss is checked this often, and fitting stops after PATIENCE checks without a better one. */
const CHECK_EVERY = 10;
const PATIENCE = 5;

/**
 * The step count that did best on held-out labels, and how many labels were held out: the rows of
 * `set` are split by holdoutSplit, a model is fitted on one side, and its loss on the other is
 * checked every CHECK_EVERY steps until PATIENCE checks in a row bring nothing better.
 */
export function bestStepCount(
  problem: Problem,
  set: TrainingSet,
  rate: number,
  maxIterations: number,
  seed: number,
): { iterations: number; heldOut: number } {
  const group = Uint8Array.from(set.y, (y, i) => (set.background[i] ? 2 : y));
  const { train, test } = holdoutSplit(group, set.judgement, createRandom(seed ^ 0x5bd1e995));
  const heldOut = test.filter((i) => !set.background[i]).length;
  const trainProblem = subset(problem, train);
  const testProblem = subset(problem, test);
  const params = initialParams(problem.width, problem.hidden, seed);
  let best = Infinity;
  let bestAt = CHECK_EVERY;
  let worse = 0;
  adam(params, trainProblem, rate, maxIterations, (step) => {
    if (step % CHECK_EVERY !== 0) return true;
    const loss = lossAndGradient(params, testProblem, undefined, false);
    if (loss < best - 1e-9) {
      best = loss;
      bestAt = step;
      worse = 0;
    } else worse++;
    return worse < PATIENCE;
  });
  return { iterations: bestAt, heldOut };
}

function subset(p: Problem, rows: number[]): Problem {
  const X = new Float64Array(rows.length * p.width);
  rows.forEach((r, i) => X.set(p.X.subarray(r * p.width, (r + 1) * p.width), i * p.width));
  return { ...p, X, y: Uint8Array.from(rows, (r) => p.y[r]), weight: Float64Array.from(rows, (r) => p.weight[r]) };
}

/**
 * Stratified by group (normal, anomalous, background): HOLDOUT_SHARE of each group's judgements (at
 * least one) held out, seeded; the rows of one judgement stay on one side.
 */
function holdoutSplit(group: Uint8Array, judgement: Float64Array, random: () => number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (const g of [0, 1, 2]) {
    const rows = Array.from(group.keys()).filter((i) => group[i] === g);
    const judgements = shuffle([...new Set(rows.map((i) => judgement[i]))], random);
    if (!judgements.length) continue;
    const held = new Set(judgements.slice(0, Math.max(1, Math.round(judgements.length * HOLDOUT_SHARE))));
    for (const i of rows) (held.has(judgement[i]) ? test : train).push(i);
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
