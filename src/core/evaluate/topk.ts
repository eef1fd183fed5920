/**
 * What the analyst sees first: precision among the k highest-scored units (P@k), R-precision (k =
 * the number of true anomalies), and what the default threshold flags. Lines share their text's
 * score, so ties at the cut are common: a tie group that straddles rank k counts by the share of it
 * that fits (the expected precision when ties are broken at random), never by input order.
 */
import { type LabelArray, checkScoresAndLabels, labelOf } from './labels';
import { metricsAtThreshold, type ThresholdMetrics } from './threshold';

/** Labelled units sorted by descending score, grouped into runs of equal score. */
function tieRuns(scores: ArrayLike<number>, labels: LabelArray): Array<{ size: number; positives: number }> {
  checkScoresAndLabels(scores, labels);
  const kept: number[] = [];
  for (let i = 0; i < scores.length; i++) if (labelOf(labels, i) >= 0) kept.push(i);
  kept.sort((a, b) => scores[b] - scores[a]);
  const runs: Array<{ size: number; positives: number }> = [];
  for (let k = 0; k < kept.length;) {
    let j = k;
    let positives = 0;
    while (j < kept.length && scores[kept[j]] === scores[kept[k]]) positives += labelOf(labels, kept[j++]) === 1 ? 1 : 0;
    runs.push({ size: j - k, positives });
    k = j;
  }
  return runs;
}

/**
 * Share of anomalies among the k highest-scored labelled units (NaN when none is labelled). When
 * fewer than k units are labelled, k shrinks to their number.
 */
export function precisionAtK(scores: ArrayLike<number>, labels: LabelArray, k: number): number {
  if (!(k >= 1)) throw new RangeError(`precisionAtK needs k ≥ 1 (got ${k}).`);
  const runs = tieRuns(scores, labels);
  const total = runs.reduce((n, r) => n + r.size, 0);
  if (total === 0) return Number.NaN;
  const want = Math.min(Math.floor(k), total);
  let taken = 0;
  let hits = 0;
  for (const run of runs) {
    if (taken >= want) break;
    const take = Math.min(run.size, want - taken);
    hits += (run.positives * take) / run.size;
    taken += take;
  }
  return hits / want;
}

/** Precision at k = the number of true anomalies (NaN when there are none). */
export function rPrecision(scores: ArrayLike<number>, labels: LabelArray): number {
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (labelOf(labels, i) === 1) positives++;
  return positives === 0 ? Number.NaN : precisionAtK(scores, labels, positives);
}

export interface FlaggedMetrics extends ThresholdMetrics {
  /** Units at or above the threshold, labelled or not. */
  flagged: number;
  /** flagged / all units. */
  shareFlagged: number;
}

/** Precision, recall and F1 at a threshold (score ≥ threshold is flagged), with how much it flags. */
export function metricsWithShare(scores: ArrayLike<number>, labels: LabelArray, threshold: number): FlaggedMetrics {
  const m = metricsAtThreshold(scores, labels, threshold);
  let flagged = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold) flagged++;
  return { ...m, flagged, shareFlagged: scores.length ? flagged / scores.length : 0 };
}
