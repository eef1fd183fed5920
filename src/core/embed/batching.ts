/**
 * Length-sorted batching: texts of similar token length go together so padding stays small, and a
 * batch holds at most `tokenBudget` padded tokens (memory and cache friendliness both track that).
 */

/** Indices of `lengths`, grouped into batches of similar length, shortest first. */
export function planBatches(lengths: ArrayLike<number>, tokenBudget: number, maxBatch = 256): number[][] {
  const order = Array.from({ length: lengths.length }, (_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    // Sorted ascending, so the newest member is the longest: it sets the padded width.
    const width = lengths[index];
    if (current.length > 0 && ((current.length + 1) * width > tokenBudget || current.length >= maxBatch)) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface PaddedBatch {
  rows: number;
  width: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  /** Real (unpadded) length of each row. */
  lengths: Int32Array;
}

/** Right-pads token id sequences into [rows, width] int64 tensors. */
export function padBatch(sequences: ArrayLike<number>[], padId: number): PaddedBatch {
  const rows = sequences.length;
  let width = 0;
  for (const seq of sequences) width = Math.max(width, seq.length);
  const inputIds = new BigInt64Array(rows * width);
  const attentionMask = new BigInt64Array(rows * width);
  const lengths = new Int32Array(rows);
  const pad = BigInt(padId);
  for (let r = 0; r < rows; r++) {
    const seq = sequences[r];
    const base = r * width;
    lengths[r] = seq.length;
    for (let t = 0; t < width; t++) {
      if (t < seq.length) {
        inputIds[base + t] = BigInt(seq[t]);
        attentionMask[base + t] = 1n;
      } else {
        inputIds[base + t] = pad;
      }
    }
  }
  return { rows, width, inputIds, attentionMask, tokenTypeIds: new BigInt64Array(rows * width), lengths };
}
