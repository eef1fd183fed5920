/**
 * The analyst's verdicts (a labels CSV or the page's labels store) turned into one label per unit
 * of a scoring, apart from the training so the CLI, the service and the head read them alike.
 */
import { DEFAULT_PROPAGATION, FeatureError, groupLabels, lineLabelsWithTemplates, type UnitLabel } from '../learn';
import { verdictArrays, type AnalystLabel } from '../labels/labels';
import type { LabelSet } from './labels';
import type { AnalysisFit } from './fit';
import type { Scoring } from './scoring';
import { unitGroups } from './learningFeatures';

/** What the analyst said, per unit kind (-1 = nothing): from `verdictArrays` or a labels CSV. */
export interface AnalystVerdicts {
  /** Per line of the target (record index). */
  line?: ArrayLike<number>;
  /** Per template id. */
  template?: ArrayLike<number>;
  /** Per session id. */
  session?: ReadonlyMap<string, UnitLabel>;
}
/**
 * Verdicts from a labels CSV (ids as in `--labels`: 1-based line numbers, session ids), for the
 * command line's `--train-labels`. Line numbers are per file, as `--labels` reads them.
 */
export function verdictsFromLabelSet(fit: AnalysisFit, scoring: Scoring, labels: LabelSet): AnalystVerdicts {
  const t = fit.records.target;
  const line = new Int8Array(t.count).fill(-1);
  if (labels.byLine.size) {
    for (let i = 0; i < t.count; i++) {
      const v = labels.byLine.get(t.lineNumber[i] + 1);
      if (v === 0 || v === 1) line[i] = v;
    }
  }
  const session = new Map<string, UnitLabel>();
  if (labels.bySession.size && scoring.sessions) {
    for (const key of scoring.sessions.keys) {
      const v = labels.bySession.get(key);
      if (v === 0 || v === 1) session.set(key, v);
    }
  }
  return { line, session };
}

/** Verdicts from the analyst's content-keyed labels (the page's labels store, issue 11). */
export function verdictsFromAnalystLabels(
  fit: AnalysisFit,
  scoring: Scoring,
  labels: Iterable<AnalystLabel>,
  fileKeys: readonly string[],
): AnalystVerdicts & { matched: number } {
  const t = fit.records.target;
  const v = verdictArrays(labels, {
    fileKeys,
    fileIndex: t.fileIndex.subarray(0, t.count),
    lineNumber: t.lineNumber.subarray(0, t.count),
    templates: fit.records.templates,
    templateCount: fit.records.templates.length,
    sessionKeys: scoring.sessions?.keys,
  });
  const session = new Map<string, UnitLabel>();
  v.session?.forEach((verdict, g) => {
    if (verdict === 0 || verdict === 1) session.set(scoring.sessions!.keys[g], verdict);
  });
  return { line: v.line, template: v.template, session, matched: v.matched };
}
/** Labels per unit of the scoring: line verdicts spread over templates; sessions from their lines. */
export function labelsForUnits(
  fit: AnalysisFit,
  scoring: Scoring,
  verdicts: AnalystVerdicts,
  propagation = DEFAULT_PROPAGATION,
): Int8Array {
  const t = fit.records.target;
  const templateId = t.templateId.subarray(0, t.count);
  const line = verdicts.line ? Int8Array.from({ length: t.count }, (_, i) => verdicts.line![i] ?? -1) : new Int8Array(t.count).fill(-1);
  const templateLabels = new Map<number, UnitLabel>();
  if (verdicts.template) {
    for (let id = 0; id < verdicts.template.length; id++) {
      const v = verdicts.template[id];
      if (v === 0 || v === 1) templateLabels.set(id, v);
    }
  }
  const lineLabels = lineLabelsWithTemplates(templateId, line, propagation, templateLabels);
  if (scoring.settings.unit === 'line') return lineLabels;
  const groups = unitGroups(scoring);
  if (!groups) throw new FeatureError(`no ${scoring.settings.unit}s to label`);
  // Only the analyst's own session labels key sessions: windows take theirs from their lines.
  const byKey = scoring.settings.unit === 'session' ? (verdicts.session ?? new Map<string, UnitLabel>()) : new Map<string, UnitLabel>();
  return groupLabels(groups, byKey, lineLabels);
}
