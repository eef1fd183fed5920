/**
 * One run of the pipeline, kept whole: files → records → evidence. A fit never changes once made;
 * re-scoring (another detector, unit or forest) makes a new `Scoring` from it (scoring.ts), and the
 * encoder that produced its vectors travels with it, so explanations embed variants with the same
 * model the detectors were fitted on.
 */
import type { Encoder } from '../embed/encoder';
import type { VectorCache } from '../embed/vectorCache';
import type { RecordGroups } from '../sessions';
import { gatherEvidence, type TextEvidence } from './evidence';
import type { LabelSet } from './labels';
import { buildRecords, type InputFile, type PipelineProgress, type RecordsOptions, type RecordsResult } from './records';
import { layoutTimeline, type TimelineLayout } from './timeline';
import { sessionGroups } from './units';
import { recordValues, type RecordValues } from './values';
import type { AnalysisSettings } from './types';

export interface AnalysisFit {
  /** The settings the records and evidence were made with (scoring settings live on the Scoring). */
  settings: AnalysisSettings;
  records: RecordsResult;
  evidence: TextEvidence;
  /** The encoder behind `evidence` (undefined: TF-IDF vectors). */
  encoder?: Encoder;
  labels?: LabelSet;
  /** Per record: ground truth from the log itself (BGL prefixes) or a labels CSV keyed by line. */
  lineLabels?: Int8Array;
  timeline: TimelineLayout;
  /** What the values behind each record's wildcards say (absent in analyses saved without them). */
  values?: RecordValues;
  /** Sessions by session regex ('' = found automatically): a memo, filled once per regex. */
  sessionsByRegex: Map<string, RecordGroups | undefined>;
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
      if (given !== undefined) {
        out[i] = given;
        any = true;
      }
    }
  }
  return any ? out : undefined;
}

/**
 * The fit's records and labels, before any evidence: enough for preliminary scores. The last
 * argument is the text limit alone or the records options (the parse pool among them).
 */
export async function readInput(
  files: InputFile[],
  settings: AnalysisSettings,
  labels: LabelSet | undefined,
  onProgress: (p: PipelineProgress) => void,
  signal: AbortSignal,
  limitOrOptions?: number | RecordsOptions,
): Promise<Omit<AnalysisFit, 'evidence' | 'encoder'>> {
  const records = await buildRecords(files, settings, onProgress, signal, limitOrOptions);
  const values = await recordValues(records, signal);
  return {
    settings,
    records,
    labels,
    lineLabels: lineLabelsOf(records, labels),
    timeline: layoutTimeline(records.target),
    values,
    sessionsByRegex: new Map(),
  };
}

/** Completes a fit with the encoder's evidence (or TF-IDF without an encoder). */
export async function withEvidence(
  base: Omit<AnalysisFit, 'evidence' | 'encoder'>,
  encoder: Encoder | undefined,
  encoderError: string | undefined,
  onProgress: (p: PipelineProgress) => void,
  signal: AbortSignal,
  cache?: VectorCache,
): Promise<AnalysisFit> {
  const evidence = await gatherEvidence(base.records, encoder, onProgress, signal, cache);
  if (encoderError) evidence.encoderError = encoderError;
  return { ...base, evidence, encoder };
}

/** Sessions of the fit for a session regex ('' = automatic), grouped once per regex. */
export async function sessionsOf(
  fit: Pick<AnalysisFit, 'records' | 'sessionsByRegex'>,
  regex: string | undefined,
  signal?: AbortSignal,
): Promise<RecordGroups | undefined> {
  const key = regex?.trim() ?? '';
  if (!fit.sessionsByRegex.has(key)) fit.sessionsByRegex.set(key, await sessionGroups(fit.records.target, key || undefined, signal));
  return fit.sessionsByRegex.get(key);
}
