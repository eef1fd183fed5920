/**
 * The analyst's verdicts as ground truth for the evaluation: a fit whose line labels (and session
 * labels) are the log's own, overridden wherever the analyst said otherwise. The records and
 * evidence are shared, not copied; the fit the labels started from is remembered, so clearing a
 * label brings the log's own label back.
 */
import type { AnalysisFit } from '../analysis/fit';
import type { LabelLookup } from '../analysis/labels';
import type { RecordGroups } from '../sessions';
import { verdictArrays, type AnalystLabel } from './labels';

/** The fit as analysed (before any analyst verdict), for each fit made here. */
const original = new WeakMap<AnalysisFit, AnalysisFit>();

export function fitWithVerdicts(
  fit: AnalysisFit,
  sessions: RecordGroups | undefined,
  labels: readonly AnalystLabel[],
  fileKeys: readonly string[],
): { fit: AnalysisFit; matched: number } {
  const base = original.get(fit) ?? fit;
  const target = base.records.target;
  const verdicts = verdictArrays(labels, {
    fileKeys,
    fileIndex: target.fileIndex,
    lineNumber: target.lineNumber,
    templates: base.records.templates,
    templateCount: base.records.templates.length,
    sessionKeys: sessions?.keys,
  });
  if (verdicts.matched === 0) return { fit: base, matched: 0 };
  let lineLabels = base.lineLabels;
  if (verdicts.line.some((v) => v >= 0)) {
    lineLabels = base.lineLabels ? base.lineLabels.slice() : new Int8Array(target.count).fill(-1);
    for (let i = 0; i < target.count; i++) if (verdicts.line[i] >= 0) lineLabels[i] = verdicts.line[i];
  }
  let labelSet = base.labels;
  if (sessions && verdicts.session?.some((v) => v >= 0)) {
    const analyst = new Map<string, number>();
    verdicts.session.forEach((v, g) => {
      if (v >= 0) analyst.set(sessions.keys[g], v);
    });
    const given = base.labels?.bySession;
    const bySession: LabelLookup<string> = { get: (id) => analyst.get(id) ?? given?.get(id), size: analyst.size + (given?.size ?? 0) };
    labelSet = { byLine: base.labels?.byLine ?? new Map<number, number>(), bySession };
  }
  const next: AnalysisFit = { ...base, lineLabels, labels: labelSet };
  original.set(next, base);
  return { fit: next, matched: verdicts.matched };
}
