/**
 * Ground-truth labels as the evaluation functions take them: 1 / true = anomaly, 0 / false =
 * normal, and a negative number (-1) = unknown, which every metric skips. Scores follow the app's
 * convention: higher = more anomalous.
 */
export type LabelArray = Uint8Array | Int8Array | Int32Array | Float32Array | ArrayLike<number> | ArrayLike<boolean>;

/** 1 for anomaly, 0 for normal, -1 for unknown. */
export function labelOf(labels: LabelArray, i: number): number {
  const v = labels[i];
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v < 0 || Number.isNaN(v)) return -1;
  return v > 0 ? 1 : 0;
}

export function checkScoresAndLabels(scores: ArrayLike<number>, labels: LabelArray): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`scores and labels differ in length (${scores.length} vs ${labels.length})`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]) && labelOf(labels, i) >= 0) {
      throw new RangeError(`score ${i} is NaN: every labelled unit needs a score`);
    }
  }
}
