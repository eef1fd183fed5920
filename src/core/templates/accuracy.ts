/**
 * Grouping accuracy, the standard Loghub template-mining metric (Zhu et al., ICSE-SEIP 2019): a
 * record counts as correct iff the set of records in its predicted group equals the set of records
 * in its ground-truth group. The result is the share of correct records (0..1; 1 for no records).
 */
export function groupingAccuracy(predicted: ArrayLike<number>, truth: ArrayLike<string | number>): number {
  const n = predicted.length;
  if (truth.length !== n) throw new RangeError(`predicted has ${n} records but truth has ${truth.length}`);
  if (n === 0) return 1;
  const truthSize = new Map<string | number, number>();
  for (let i = 0; i < n; i++) truthSize.set(truth[i], (truthSize.get(truth[i]) ?? 0) + 1);

  // Per predicted group: its size, and its single truth label (or a marker that it holds several).
  const MIXED = Symbol('mixed');
  const groupSize = new Map<number, number>();
  const groupTruth = new Map<number, string | number | typeof MIXED>();
  for (let i = 0; i < n; i++) {
    const p = predicted[i];
    groupSize.set(p, (groupSize.get(p) ?? 0) + 1);
    const seen = groupTruth.get(p);
    if (seen === undefined) groupTruth.set(p, truth[i]);
    else if (seen !== MIXED && seen !== truth[i]) groupTruth.set(p, MIXED);
  }
  let correct = 0;
  for (const [p, size] of groupSize) {
    const label = groupTruth.get(p);
    if (label !== undefined && label !== MIXED && truthSize.get(label) === size) correct += size;
  }
  return correct / n;
}
