/** Counts and thresholds computed on the page from the unit scores (no worker round trip). */

/** Units whose score is at or above the threshold (NaN scores never count). */
export function countAbove(scores: ArrayLike<number>, threshold: number): number {
  let above = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold) above++;
  return above;
}

/**
 * The threshold that flags `share` (0..1) of the units: the score of the ⌈share·n⌉-th highest unit.
 * Ties can flag a few more; a share of 0 returns a threshold above every score.
 */
export function thresholdForShare(scores: ArrayLike<number>, share: number): number {
  const finite = Float64Array.from(scores).filter((s) => Number.isFinite(s));
  if (finite.length === 0) return 0;
  // Typed sort (fast, and nearly free on the already-sorted distribution), then highest first.
  finite.sort().reverse();
  const flagged = Math.ceil(Math.min(Math.max(share, 0), 1) * finite.length);
  if (flagged === 0) return nextUp(finite[0]);
  return finite[flagged - 1];
}

/** Units at or above the threshold in ascending scores: a binary search. */
export function countAtOrAboveSorted(sorted: ArrayLike<number>, threshold: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < threshold) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/** Share (0..1) of units at or above the threshold. */
export function shareAbove(scores: ArrayLike<number>, threshold: number): number {
  return scores.length === 0 ? 0 : countAbove(scores, threshold) / scores.length;
}

function nextUp(x: number): number {
  return x + Math.max(Math.abs(x) * 1e-6, 1e-9);
}
