/**
 * The default threshold, from the scores themselves rather than a fixed share: Tukey's fence, the
 * upper quartile plus 1.5 inter-quartile ranges (read from the deciles when the quartiles tie), on
 * the units' scores (lines, sessions, windows).
 * Scores are nats (see calibrate.ts), so the fence is also kept at least ln 30: nothing is
 * flagged whose evidence, all together, does not make it rarer than one unit in thirty. The floor
 * decides on most logs (their quartiles are low); the fence rises above it where a log's scores
 * are high across the board, so a noisy log does not flood the views.
 *
 * What follows from it: a clean log (every unit alike) flags nothing; a log with one outlier flags
 * that one; tied units are flagged together or not at all, and never more than a fifth of the
 * units (a threshold that would flag a fifth has found no outliers, only a busy log).
 * Measured (bench:quality): the floor alone, ln 30, and Tukey's outer fence (3 IQR, floor ln 10)
 * were the alternatives; the outer fence flagged nothing on BGL_2k and 100% of HDFS sessions.
 */

import { countFlaggedSorted, quantileOfSorted } from './threshold';

/** The least evidence a flagged unit must carry: rarer than one unit in thirty. */
export const MIN_FLAG_NATS = Math.log(30);
/** Tukey's inner-fence multiplier. */
const FENCE = 1.5;
/** Most units the rule may flag. */
export const MAX_FLAG_SHARE = 0.2;

export interface AutoThreshold {
  /** Units scoring at or above it are flagged; Infinity when none is. */
  threshold: number;
  flagged: number;
  share: number;
  /** One line for the analyst: how the threshold was chosen. */
  explanation: string;
}

function fmt(x: number): string {
  return x.toFixed(2);
}

/** The default threshold of a set of unit scores (NaN scores are ignored). */
export function autoThreshold(scores: ArrayLike<number>, unitName = 'lines'): AutoThreshold {
  const kept: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) kept.push(scores[i]);
  const sorted = Float64Array.from(kept).sort();
  const n = sorted.length;
  if (n === 0) return { threshold: Infinity, flagged: 0, share: 0, explanation: `No ${unitName} to flag.` };
  const q1 = quantileOfSorted(sorted, 0.25);
  const q3 = quantileOfSorted(sorted, 0.75);
  // When half the units tie (every HDFS block writes the same warning), the quartiles coincide
  // and say nothing of the spread: the inter-decile range, scaled to an IQR (1.349 / 2.563 for a
  // normal distribution), reads it instead.
  const spread = Math.max(q3 - q1, ((quantileOfSorted(sorted, 0.9) - quantileOfSorted(sorted, 0.1)) * 1.349) / 2.563);
  const fence = q3 + FENCE * spread;
  let threshold = Math.max(fence, MIN_FLAG_NATS);
  const why =
    fence >= MIN_FLAG_NATS
      ? `upper quartile ${fmt(q3)} + 1.5 × spread ${fmt(spread)} = ${fmt(fence)}`
      : `evidence rarer than 1 in 30 (${fmt(MIN_FLAG_NATS)} nats; the quartile fence, ${fmt(fence)}, is lower)`;
  let flagged = countFlaggedSorted(sorted, threshold);
  let capped = false;
  // At least one unit may always be flagged: in a handful of units one outlier is over a fifth.
  const cap = Math.max(1, Math.floor(MAX_FLAG_SHARE * n));
  if (flagged > cap) {
    // Raise the threshold to the next distinct score that flags at most the cap, so ties stay together.
    capped = true;
    threshold = Infinity;
    flagged = 0;
    for (let k = n - 1; k >= 0; k--) {
      if (k > 0 && sorted[k - 1] === sorted[k]) continue;
      if (n - k > cap) break;
      threshold = sorted[k];
      flagged = n - k;
    }
  }
  const share = flagged / n;
  let explanation: string;
  if (flagged === 0) {
    explanation = capped
      ? `Nothing flagged: the scores have no outliers (every candidate threshold would flag over ${Math.round(MAX_FLAG_SHARE * 100)}% of ${unitName}).`
      : `Nothing flagged: no ${unitName} score above ${why}.`;
  } else {
    explanation = capped
      ? `Flags ${flagged} ${unitName} (${(share * 100).toFixed(1)}%): the fence flagged over ${Math.round(MAX_FLAG_SHARE * 100)}%, so only the top ${flagged} (scores ≥ ${fmt(threshold)}) are kept.`
      : `Flags ${flagged} ${unitName} (${(share * 100).toFixed(1)}%) scoring ≥ ${fmt(threshold)}: ${why}.`;
  }
  return { threshold, flagged, share, explanation };
}
