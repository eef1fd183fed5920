/**
 * What a saved analysis keeps beyond its scores, so that a reopened one explains and re-ranks as it
 * did: the default detector's per-line parts and thresholds, each line's value evidence with the
 * templates' value profiles, and the head's unit labels. The order model is not stored: it is
 * re-fitted from the templates and sessions on first use (the same model when the target trained it).
 */
import type { DefaultScores } from '../detect/defaultScore';
import { fitSequenceModel, sequenceEvidence } from '../detect/sequence';
import type { ValueEvidence, ValueProfiles } from '../detect/values';
import type { ParsedMeta, SnapshotMeta } from '../bundle/schema';
import type { RecordGroups } from '../sessions';
import type { AnalysisFit } from './fit';
import type { Scoring } from './scoring';
import type { RecordValues } from './values';

type Columns = Record<string, Int8Array | Int16Array | Int32Array | Float32Array>;

/** The meta fields and columns of the evidence a snapshot keeps (columns are shared, not copied). */
export function evidenceParts(
  fit: AnalysisFit,
  scoring: Scoring,
): { meta: Pick<SnapshotMeta, 'defaultEvidence' | 'valueProfiles'>; columns: Columns } {
  const columns: Columns = {};
  const meta: Pick<SnapshotMeta, 'defaultEvidence' | 'valueProfiles'> = {};
  const parts = scoring.scores.evidence;
  if (parts && parts.line.names.length > 0) {
    // Under the default detector the line scores are these sums: kept once, as `scores.line`.
    if (parts.line.score !== scoring.scores.line) columns['evidence.line.score'] = parts.line.score;
    columns['evidence.line.contributions'] = parts.line.contributions;
    columns['evidence.line.strongest'] = parts.line.strongest;
    meta.defaultEvidence = {
      names: parts.line.names,
      lineThreshold: { ...parts.lineThreshold },
      ...(parts.sessionThreshold ? { sessionThreshold: { ...parts.sessionThreshold } } : {}),
    };
    if (parts.session && scoring.sessions) {
      columns['evidence.session.score'] = parts.session.score;
      columns['evidence.session.worstLine'] = parts.session.worstLine;
      columns['evidence.session.missing'] = parts.session.missing;
    }
  }
  const values = parts?.values ?? fit.values?.evidence;
  if (values && values.score.length === fit.records.target.count) {
    columns['values.score'] = values.score;
    columns['values.position'] = values.position;
  }
  if (fit.values) meta.valueProfiles = [...fit.values.profiles.byTemplate.values()].map((p) => ({ ...p }));
  return { meta, columns };
}

/** What the restore reads of a validated meta. */
type SavedEvidenceMeta = Pick<ParsedMeta, 'defaultEvidence' | 'valueProfiles'>;

/** The fit's value evidence again (undefined when the analysis was saved without it). */
export function restoreValues(meta: SavedEvidenceMeta, columns: Record<string, unknown>): RecordValues | undefined {
  const score = columns['values.score'] as Float32Array | undefined;
  const position = columns['values.position'] as Int16Array | undefined;
  if (!score || !position) return undefined;
  const profiles: ValueProfiles = { byTemplate: new Map(), matchers: new Map() };
  for (const p of meta.valueProfiles ?? []) profiles.byTemplate.set(p.templateId, p);
  return { evidence: { score, position }, profiles };
}

/**
 * The default detector's parts again: per-line evidence, thresholds, session parts, and the order
 * model re-fitted lazily (only explanations of the order evidence read it).
 */
export function restoreDefaultEvidence(
  meta: SavedEvidenceMeta,
  columns: Record<string, unknown>,
  values: ValueEvidence | undefined,
  lineScores: Float32Array,
  records: { templateId: Int32Array; count: number },
  sessions: RecordGroups | undefined,
  fromReference: boolean,
): DefaultScores | undefined {
  const saved = meta.defaultEvidence;
  if (!saved) return undefined;
  const sessionScore = columns['evidence.session.score'] as Float32Array | undefined;
  const parts: DefaultScores = {
    line: {
      score: (columns['evidence.line.score'] as Float32Array | undefined) ?? lineScores,
      names: saved.names,
      contributions: columns['evidence.line.contributions'] as Float32Array,
      strongest: columns['evidence.line.strongest'] as Int8Array,
    },
    lineThreshold: saved.lineThreshold,
    values: values ?? { score: new Float32Array(records.count), position: new Int16Array(records.count).fill(-1) },
    ...(saved.sessionThreshold ? { sessionThreshold: saved.sessionThreshold } : {}),
    ...(sessionScore
      ? {
          session: {
            score: sessionScore,
            worstLine: columns['evidence.session.worstLine'] as Int32Array,
            missing: columns['evidence.session.missing'] as Float32Array,
          },
        }
      : {}),
  };
  // A model trained on a reference log cannot be re-fitted (its records are not kept): explanations
  // then say how unexpected a step was, without naming the usual next ones.
  if (sessions && sessions.keys.length > 0 && !fromReference) {
    let sequence: DefaultScores['sequence'];
    Object.defineProperty(parts, 'sequence', {
      enumerable: true,
      get: () => {
        if (!sequence) {
          const templateId = records.templateId.subarray(0, records.count);
          const model = fitSequenceModel(templateId, sessions);
          sequence = { ...sequenceEvidence(model, templateId, sessions, true), model };
        }
        return sequence;
      },
    });
  }
  return parts;
}
