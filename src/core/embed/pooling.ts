/**
 * Mean pooling of last_hidden_state over the attention mask, then L2 normalisation, written
 * straight into the caller's output matrix (no intermediate arrays per text).
 */

/**
 * `hidden` is [rows, width, dims] row-major; row r has `lengths[r]` real tokens (right padding).
 * Writes the pooled, unit-length vector of row r at `out[targetRows[r] * dims]`.
 */
export function poolMeanNormalized(
  hidden: Float32Array,
  lengths: Int32Array,
  width: number,
  dims: number,
  out: Float32Array,
  targetRows: ArrayLike<number>,
): void {
  const sum = new Float64Array(dims);
  for (let r = 0; r < lengths.length; r++) {
    sum.fill(0);
    const n = lengths[r];
    const base = r * width * dims;
    for (let t = 0; t < n; t++) {
      const offset = base + t * dims;
      for (let d = 0; d < dims; d++) sum[d] += hidden[offset + d];
    }
    // The mean's 1/n cancels in the normalisation, so only the norm of the sum is needed.
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += sum[d] * sum[d];
    norm = Math.sqrt(norm);
    const target = targetRows[r] * dims;
    const scale = norm > 0 ? 1 / norm : 0;
    for (let d = 0; d < dims; d++) out[target + d] = sum[d] * scale;
  }
}
