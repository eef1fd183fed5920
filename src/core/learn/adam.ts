/**
 * The optimiser every head fit runs: full-batch Adam over a head model's loss. Apart from
 * headModel.ts because it knows nothing of the model but its loss and gradient, and from
 * earlyStopping.ts because both the held-out search and the final refit call it.
 */
import { lossAndGradient, type Problem } from './headModel';

/**
 * Full-batch Adam (Kingma & Ba) for `iterations` steps; `onStep` may stop it early by returning
 * false. Stops on its own once the largest gradient entry is negligible.
 */
export function adam(params: Float64Array, p: Problem, rate: number, iterations: number, onStep?: (step: number) => boolean): number {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  for (let t = 1; t <= iterations; t++) {
    lossAndGradient(params, p, grad);
    let largest = 0;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let j = 0; j < params.length; j++) {
      const g = grad[j];
      if (Math.abs(g) > largest) largest = Math.abs(g);
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      params[j] -= (rate * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
    }
    if (onStep && !onStep(t)) return t;
    if (largest < 1e-6) return t;
  }
  return iterations;
}
