/** Tables of an analysis: template rows, unit rows, line labels, session members. */
import type { RecordGroups } from '../sessions';
import type { LabelSet } from './labels';
import type { RecordsResult } from './records';
import { LEVELS } from './recordTable';
import type { Analysis } from './state';
import type { TemplateRow, UnitRow } from './types';

export function countAbove(scores: Float32Array, value: number): number {
  let c = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > value) c++;
  return c;
}

/** Indices of the `k` highest scores, highest first (ties by index). */
export function topIndices(scores: Float32Array, k: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k);
}

export function templateSeen(records: RecordsResult, templateId: number): boolean {
  return records.targetTemplateCounts[templateId] > 0;
}

/** Line ground truth: BGL-style prefixes, overridden by a labels CSV keyed by line number. */
export function lineLabelsOf(records: RecordsResult, labels: LabelSet | undefined): Int8Array | undefined {
  const target = records.target;
  let any = false;
  const out = new Int8Array(target.count);
  for (let i = 0; i < target.count; i++) {
    out[i] = target.label[i];
    if (out[i] >= 0) any = true;
  }
  if (labels && labels.byLine.size) {
    for (let i = 0; i < target.count; i++) {
      const given = labels.byLine.get(target.lineNumber[i] + 1);
      if (given !== undefined) { out[i] = given; any = true; }
    }
  }
  return any ? out : undefined;
}

export function templateTable(analysis: Analysis): TemplateRow[] {
  const { records, scored } = analysis;
  const target = records.target;
  const counts = records.targetTemplateCounts;
  const first = new Int32Array(counts.length).fill(-1);
  const last = new Int32Array(counts.length).fill(-1);
  const worstLevel = new Uint8Array(counts.length);
  for (let i = 0; i < target.count; i++) {
    const t = target.templateId[i];
    if (first[t] < 0) first[t] = i;
    last[t] = i;
    if (target.level[i] > worstLevel[t]) worstLevel[t] = target.level[i];
  }
  const referenceCounts = records.referenceTemplateCounts;
  const rows: TemplateRow[] = [];
  for (const t of records.templates) {
    if (!counts[t.id]) continue;
    rows.push({
      id: t.id, text: t.text, count: counts[t.id], firstSeen: first[t.id], lastSeen: last[t.id],
      score: scored.templateScores[t.id], level: LEVELS[worstLevel[t.id]],
      novel: referenceCounts ? !referenceCounts[t.id] : false,
    });
  }
  return rows.sort((a, b) => b.score - a.score || b.count - a.count);
}

export function groupRows(groups: RecordGroups, scores: Float32Array, target: { timestamp: Float64Array }, labels: Int8Array | undefined): UnitRow[] {
  const order = topIndices(scores, scores.length);
  return order.map((g, r) => {
    const from = groups.starts[g];
    const to = groups.starts[g + 1];
    return {
      index: g, id: groups.keys[g], score: scores[g], rank: r + 1, count: to - from, label: labels ? labels[g] : -1,
      start: to > from ? target.timestamp[groups.members[from]] : Number.NaN,
      end: to > from ? target.timestamp[groups.members[to - 1]] : Number.NaN,
    };
  });
}

export function sessionMemberSet(analysis: Analysis, session: string): Set<number> {
  const groups = analysis.scored.sessions;
  const out = new Set<number>();
  if (!groups) return out;
  const g = groups.keys.indexOf(session);
  if (g < 0) return out;
  for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) out.add(groups.members[k]);
  return out;
}
