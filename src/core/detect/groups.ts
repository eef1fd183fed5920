/**
 * Scores for groups of records (sessions, windows): what their lines say (the most anomalous line)
 * and what their composition says (which templates, how many of each, compared with other groups
 * by an isolation forest), fused by percentile. Templates take the mean score of their lines.
 */
import type { RecordGroups } from '../sessions';
import { anomalyScore } from './forestCommon';
import { IsolationForest } from './forest';
import { weightedPercentile } from './fusion';

/** Template composition vectors: per group, the share of each of the most common templates. */
function compositionRows(groups: RecordGroups, templateId: Int32Array, maxTemplates: number): { X: Float32Array; width: number } {
  const counts = new Map<number, number>();
  for (let k = 0; k < groups.members.length; k++) {
    const t = templateId[groups.members[k]];
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const kept = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxTemplates);
  const column = new Map<number, number>(kept.map(([t], i) => [t, i]));
  // One more column for "any other template", one for log length.
  const width = kept.length + 2;
  const n = groups.keys.length;
  const X = new Float32Array(n * width);
  for (let g = 0; g < n; g++) {
    const from = groups.starts[g];
    const to = groups.starts[g + 1];
    for (let k = from; k < to; k++) {
      const c = column.get(templateId[groups.members[k]]);
      X[g * width + (c ?? kept.length)] += 1;
    }
    X[g * width + kept.length + 1] = Math.log1p(to - from);
  }
  return { X, width };
}

export interface GroupScores {
  /** Highest line score in each group. */
  maxLine: Float32Array;
  /** Composition forest score of each group (higher = more unusual mix of templates). */
  composition: Float32Array;
  /** The fused group score shown to the analyst. */
  score: Float32Array;
}

export function scoreGroups(
  groups: RecordGroups,
  lineScores: Float32Array,
  templateId: Int32Array,
  forestOptions: { nEstimators: number; maxSamples: number; seed: number },
): GroupScores {
  const n = groups.keys.length;
  const maxLine = new Float32Array(n);
  for (let g = 0; g < n; g++) {
    let m = -Infinity;
    for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) m = Math.max(m, lineScores[groups.members[k]]);
    maxLine[g] = Number.isFinite(m) ? m : 0;
  }
  if (n < 4) return { maxLine, composition: new Float32Array(n), score: maxLine.slice() };
  const { X, width } = compositionRows(groups, templateId, 48);
  const forest = new IsolationForest({
    nEstimators: forestOptions.nEstimators,
    maxSamples: Math.min(forestOptions.maxSamples, n),
    seed: forestOptions.seed,
  });
  forest.fit(X, n, width);
  const composition = anomalyScore(forest.scoreSamples(X, n));
  const ones = new Float64Array(n).fill(1);
  const a = weightedPercentile(maxLine, ones);
  const b = weightedPercentile(composition, ones);
  const score = new Float32Array(n);
  // The worst line dominates: one exception in a session is an incident whatever the mix.
  for (let g = 0; g < n; g++) score[g] = Math.max(a[g], (a[g] + b[g]) / 2);
  return { maxLine, composition, score };
}

/** Line-weighted mean of line scores per template. */
export function templateScores(templateCount: number, templateId: Int32Array, lineScores: Float32Array): Float32Array {
  const sum = new Float64Array(templateCount);
  const count = new Uint32Array(templateCount);
  for (let i = 0; i < templateId.length; i++) {
    const t = templateId[i];
    if (t < 0) continue;
    sum[t] += lineScores[i];
    count[t]++;
  }
  const out = new Float32Array(templateCount);
  for (let t = 0; t < templateCount; t++) out[t] = count[t] ? sum[t] / count[t] : 0;
  return out;
}
