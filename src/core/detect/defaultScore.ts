/**
 * The default detector in one call: from an analysis's evidence (the model's surprise per distinct
 * text, each record's level, message and template, the sessions when the log names any) to line
 * and session scores in nats, what each evidence added, and the automatic thresholds.
 *
 * Values and order are learnt from the reference log when one is given (its records and sessions
 * are normal behaviour), else from the log itself, each session scored against the others.
 */
import type { RecordGroups } from '../sessions/groups';
import { autoThreshold, type AutoThreshold } from './autoThreshold';
import { defaultLineScores, groupScores, type FusedEvidence, type GroupScores } from './calibrate';
import { fitSequenceModel, sequenceEvidence, type SequenceEvidence, type SequenceModel } from './sequence';
import { fitValueProfiles, valueEvidence, type ValueEvidence, type ValueProfiles } from './values';

export interface DefaultScoreRecords {
  count: number;
  /** Per record: its distinct text, template (negative: none), level index (LEVELS) and raw message. */
  textIndex: ArrayLike<number>;
  templateId: ArrayLike<number>;
  level: ArrayLike<number>;
  /** Raw messages: needed only when `values` is not given. */
  message?: ArrayLike<string>;
}

export interface DefaultScoreInput {
  records: DefaultScoreRecords;
  /**
   * Per distinct target text: lines written with it, its most severe level, and the model's mean
   * surprise (absent without an MLM head).
   */
  texts: { counts: ArrayLike<number>; levelOf?: ArrayLike<number>; surprise?: ArrayLike<number> };
  /** The text of a template id, with `<*>` for its variables: needed only when `values` is not given. */
  templateText?: (templateId: number) => string | undefined;
  /**
   * Value evidence of each record, when the caller computed it (core/analysis streams it for logs
   * whose lines stay in the files); otherwise it is computed here from the messages.
   */
  values?: ValueEvidence;
  sessions?: RecordGroups;
  /** A known-good log: its records (and sessions) teach what values and orders are normal. */
  reference?: { records: { templateId: ArrayLike<number>; message: ArrayLike<string> }; sessions?: RecordGroups };
}

export interface DefaultScores {
  line: FusedEvidence;
  lineThreshold: AutoThreshold;
  values: ValueEvidence;
  /** Present when the values were computed here. */
  profiles?: ValueProfiles;
  /** Present when the log has sessions. */
  sequence?: SequenceEvidence & { model: SequenceModel };
  session?: GroupScores;
  sessionThreshold?: AutoThreshold;
}

export function defaultScores(input: DefaultScoreInput): DefaultScores {
  const { records, reference } = input;
  let values = input.values;
  let profiles: ValueProfiles | undefined;
  if (!values) {
    if (records.message && input.templateText) {
      const target = { templateId: records.templateId, message: records.message };
      profiles = fitValueProfiles(reference?.records ?? target, input.templateText);
      values = valueEvidence(profiles, target, input.templateText);
    } else {
      values = { score: new Float32Array(records.count), position: new Int16Array(records.count).fill(-1) };
    }
  }

  let sequence: DefaultScores['sequence'];
  let lineSequence: Float32Array | undefined;
  if (input.sessions && input.sessions.keys.length > 0) {
    const fromReference = Boolean(reference?.sessions && reference.sessions.keys.length > 0);
    const model = fromReference
      ? fitSequenceModel(reference!.records.templateId, reference!.sessions!)
      : fitSequenceModel(records.templateId, input.sessions);
    const evidence = sequenceEvidence(model, records.templateId, input.sessions, !fromReference);
    sequence = { ...evidence, model };
    // A session that stopped early is told on its last line: that is where the missing step was due.
    lineSequence = evidence.lineSurprise.slice();
    const { starts, members } = input.sessions;
    for (let g = 0; g < input.sessions.keys.length; g++) {
      if (starts[g + 1] === starts[g]) continue;
      const last = members[starts[g + 1] - 1];
      lineSequence[last] = Math.max(lineSequence[last], evidence.endSurprise[g]);
    }
  }

  const line = defaultLineScores({
    textIndex: records.textIndex,
    textSurprise: input.texts.surprise,
    textCounts: input.texts.counts,
    textLevel: input.texts.levelOf,
    level: records.level,
    values: values.score,
    sequence: lineSequence,
  });
  const result: DefaultScores = { line, lineThreshold: autoThreshold(line.score, 'lines'), values, profiles, sequence };
  if (input.sessions && sequence) {
    result.session = groupScores(input.sessions, line.score, sequence.missingSurprise);
    result.sessionThreshold = autoThreshold(result.session.score, 'sessions');
  }
  return result;
}
