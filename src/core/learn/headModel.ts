/**
 * The two models the head can be, as one flat parameter vector: a logistic regression, or a
 * one-hidden-layer tanh MLP. Holds their layout, their seeded start, their class-weighted loss
 * and gradient, and the unpacking into the weights a trained head keeps. Apart from head.ts so
 * that the arithmetic the optimiser runs in its inner loop reads on its own, away from the choice
 * of model and the bookkeeping around a fit.
 */
import { createRandom } from '../detect/random';

export interface HeadWeights {
  /** logistic: width weights; mlp: hidden × width, row-major. */
  inputWeights: Float32Array;
  /** mlp only: hidden biases. */
  hiddenBias: Float32Array;
  /** mlp only: hidden → output weights. */
  outputWeights: Float32Array;
  bias: number;
}

/** A fitting problem: the examples as a dense row-major matrix with labels and weights. */
export interface Problem {
  X: Float64Array;
  y: Uint8Array;
  /** Example weights before class balancing. */
  weight: Float64Array;
  width: number;
  hidden: number;
  l2: number;
}

/** Parameter layout: logistic [w (width), b]; mlp [W1 (hidden × width), b1 (hidden), w2 (hidden), b2]. */
function parameterCount(width: number, hidden: number): number {
  return hidden ? hidden * width + 2 * hidden + 1 : width + 1;
}

export function initialParams(width: number, hidden: number, seed: number): Float64Array {
  const params = new Float64Array(parameterCount(width, hidden));
  if (!hidden) return params;
  // Glorot-uniform for tanh; zero biases. The seed alone decides the start, so fits repeat exactly.
  const random = createRandom(seed);
  const a1 = Math.sqrt(6 / (width + hidden));
  for (let i = 0; i < hidden * width; i++) params[i] = (2 * random() - 1) * a1;
  const a2 = Math.sqrt(6 / (hidden + 1));
  const w2 = hidden * width + hidden;
  for (let h = 0; h < hidden; h++) params[w2 + h] = (2 * random() - 1) * a2;
  return params;
}

export function unpack(params: Float64Array, width: number, hidden: number): HeadWeights {
  if (!hidden) {
    return {
      inputWeights: Float32Array.from(params.subarray(0, width)),
      hiddenBias: new Float32Array(0),
      outputWeights: new Float32Array(0),
      bias: params[width],
    };
  }
  const w1 = hidden * width;
  return {
    inputWeights: Float32Array.from(params.subarray(0, w1)),
    hiddenBias: Float32Array.from(params.subarray(w1, w1 + hidden)),
    outputWeights: Float32Array.from(params.subarray(w1 + hidden, w1 + 2 * hidden)),
    bias: params[w1 + 2 * hidden],
  };
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Class-weighted mean log-loss (each class weighs half, examples by their weight within it) plus L2 on the weights; fills `grad` when
 * given. With `penalised` false, the plain weighted log-loss (held-out monitoring).
 */
export function lossAndGradient(params: Float64Array, p: Problem, grad: Float64Array | undefined, penalised = true): number {
  const { X, y, width, hidden, l2 } = p;
  const n = y.length;
  const classTotal = [0, 0];
  for (let i = 0; i < n; i++) classTotal[y[i]] += p.weight[i];
  // Balanced: each class carries half the loss whatever its count.
  const scaleOf = [classTotal[0] ? 0.5 / classTotal[0] : 0, classTotal[1] ? 0.5 / classTotal[1] : 0];
  grad?.fill(0);
  let loss = 0;
  if (!hidden) {
    const b = params[width];
    for (let i = 0; i < n; i++) {
      const row = i * width;
      let z = b;
      for (let d = 0; d < width; d++) z += params[d] * X[row + d];
      const c = scaleOf[y[i]] * p.weight[i];
      loss += c * (y[i] ? softplus(-z) : softplus(z));
      if (grad) {
        const g = c * (sigmoid(z) - y[i]);
        for (let d = 0; d < width; d++) grad[d] += g * X[row + d];
        grad[width] += g;
      }
    }
    if (penalised) {
      for (let d = 0; d < width; d++) {
        loss += 0.5 * l2 * params[d] * params[d];
        if (grad) grad[d] += l2 * params[d];
      }
    }
    return loss;
  }
  const w1 = hidden * width;
  const b1 = w1;
  const w2 = w1 + hidden;
  const b2 = w2 + hidden;
  const act = new Float64Array(hidden);
  for (let i = 0; i < n; i++) {
    const row = i * width;
    let z = params[b2];
    for (let h = 0; h < hidden; h++) {
      let a = params[b1 + h];
      const wh = h * width;
      for (let d = 0; d < width; d++) a += params[wh + d] * X[row + d];
      act[h] = Math.tanh(a);
      z += params[w2 + h] * act[h];
    }
    const c = scaleOf[y[i]] * p.weight[i];
    loss += c * (y[i] ? softplus(-z) : softplus(z));
    if (grad) {
      const g = c * (sigmoid(z) - y[i]);
      grad[b2] += g;
      for (let h = 0; h < hidden; h++) {
        grad[w2 + h] += g * act[h];
        const gh = g * params[w2 + h] * (1 - act[h] * act[h]);
        if (gh === 0) continue;
        grad[b1 + h] += gh;
        const wh = h * width;
        for (let d = 0; d < width; d++) grad[wh + d] += gh * X[row + d];
      }
    }
  }
  if (penalised) {
    const penalise = (from: number, to: number): void => {
      for (let j = from; j < to; j++) {
        loss += 0.5 * l2 * params[j] * params[j];
        if (grad) grad[j] += l2 * params[j];
      }
    };
    penalise(0, w1);
    penalise(w2, w2 + hidden);
  }
  return loss;
}
