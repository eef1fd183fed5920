/**
 * Rank utilities: put detectors with different score scales on one footing (rank-normalised
 * scores) and compare two rankings (Spearman's rho). Ties get their average rank, as scipy does.
 */

/** 1-based average ranks (ties share the mean of the ranks they span), in float64. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const v = Float64Array.from(values);
  order.sort((a, b) => v[a] - v[b]);
  const ranks = new Float64Array(n);
  let k = 0;
  while (k < n) {
    let j = k + 1;
    while (j < n && v[order[j]] === v[order[k]]) j++;
    // Positions k..j-1 hold equal values: ranks k+1..j, mean (k + 1 + j) / 2.
    const rank = (k + 1 + j) / 2;
    for (let m = k; m < j; m++) ranks[order[m]] = rank;
    k = j;
  }
  return ranks;
}

/**
 * Scores mapped to [0, 1] by average rank: (rank − 1) / (n − 1). The lowest score gets 0, the
 * highest 1, ties share a value; a single score maps to 0.5. NaN scores are not supported.
 */
export function rankNormalize(scores: ArrayLike<number>): Float32Array {
  const n = scores.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  if (n === 1) {
    out[0] = 0.5;
    return out;
  }
  const ranks = averageRanks(scores);
  for (let i = 0; i < n; i++) out[i] = (ranks[i] - 1) / (n - 1);
  return out;
}

/** Spearman's rank correlation: Pearson correlation of average ranks. NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`spearman: lengths differ (${a.length} vs ${b.length})`);
  const n = a.length;
  if (n < 2) return NaN;
  return pearson(averageRanks(a), averageRanks(b));
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i];
    meanB += b[i];
  }
  meanA /= n;
  meanB /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - meanA;
    const db = b[i] - meanB;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return NaN;
  return sab / Math.sqrt(saa * sbb);
}
