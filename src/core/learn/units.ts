/**
 * Unit features for the head from what the analysis already holds: lines take their text's vector
 * and per-line evidence; a session (or window) takes the mean of its lines' vectors, its own scores,
 * and its lines' evidence aggregated (the highest value of each named line column).
 */
import type { RecordGroups } from '../sessions/groups';
import { FeatureError, type EvidenceColumn, type UnitFeatures } from './features';

export interface LineVectors {
  /** Row-major vectors of the distinct texts. */
  vectors: Float32Array;
  dims: number;
  /** Text of each line (its row in `vectors`). */
  textIndex: ArrayLike<number>;
  /** Lines (textIndex may be longer: a builder's spare capacity). */
  count: number;
}

/** Line units: each line points at its text's vector row; `columns` hold one value per line. */
export function lineFeatures(lines: LineVectors, columns: EvidenceColumn[]): UnitFeatures {
  if (lines.textIndex.length < lines.count)
    throw new FeatureError(`textIndex has ${lines.textIndex.length} entries for ${lines.count} lines`);
  const vectorRow = new Uint32Array(lines.count);
  for (let i = 0; i < lines.count; i++) vectorRow[i] = lines.textIndex[i];
  return { count: lines.count, vectors: lines.vectors, dims: lines.dims, vectorRow, evidence: columns };
}

/**
 * Group units (sessions, windows): the mean of member lines' vectors; `groupColumns` (one value per
 * group: its unsupervised score, composition...) as given; for each of `lineColumns` (one value per
 * line) the highest value among the group's lines, named `max <name>`; and `log lines`
 * (log(1 + size)). An empty group has a zero vector and zeros.
 */
export function groupFeatures(
  groups: RecordGroups,
  lines: LineVectors,
  groupColumns: EvidenceColumn[],
  lineColumns: EvidenceColumn[],
): UnitFeatures {
  const n = groups.keys.length;
  const { dims } = lines;
  const vectors = new Float32Array(n * dims);
  const maxima = lineColumns.map((c) => {
    if (c.values.length < lines.count)
      throw new FeatureError(`line column "${c.name}" has ${c.values.length} values for ${lines.count} lines`);
    return new Float64Array(n);
  });
  const size = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    const from = groups.starts[g];
    const to = groups.starts[g + 1];
    size[g] = Math.log1p(to - from);
    if (to === from) continue;
    maxima.forEach((m) => (m[g] = -Infinity));
    for (let k = from; k < to; k++) {
      const i = groups.members[k];
      if (i >= lines.count) throw new FeatureError(`group ${groups.keys[g]} names line ${i}, beyond the ${lines.count} lines`);
      const row = lines.textIndex[i] * dims;
      for (let d = 0; d < dims; d++) vectors[g * dims + d] += lines.vectors[row + d] / (to - from);
      lineColumns.forEach((c, j) => {
        if (c.values[i] > maxima[j][g]) maxima[j][g] = c.values[i];
      });
    }
  }
  return {
    count: n,
    vectors,
    dims,
    evidence: [
      ...groupColumns,
      ...lineColumns.map((c, j) => ({ name: `max ${c.name}`, values: maxima[j] })),
      { name: 'log lines', values: size },
    ],
  };
}

/** Diversity key of each group for the suggestions: the template of its highest-scoring line (-1 if empty). */
export function groupKeys(groups: RecordGroups, lineScores: ArrayLike<number>, templateId: ArrayLike<number>): Int32Array {
  const n = groups.keys.length;
  const out = new Int32Array(n).fill(-1);
  for (let g = 0; g < n; g++) {
    let best = -Infinity;
    for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) {
      const i = groups.members[k];
      if (lineScores[i] > best) {
        best = lineScores[i];
        out[g] = templateId[i];
      }
    }
  }
  return out;
}

/** Mean of a per-line score over each group's lines (0 for an empty group): a session feature. */
export function groupMeans(groups: RecordGroups, lineScores: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: groups.keys.length }, (_, g) => {
    const from = groups.starts[g];
    const to = groups.starts[g + 1];
    let sum = 0;
    for (let k = from; k < to; k++) sum += lineScores[groups.members[k]];
    return to === from ? 0 : sum / (to - from);
  });
}
