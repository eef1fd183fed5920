/**
 * Where every score comes from. `scoreAnalysis` takes the evidence of an analysis (per distinct
 * text: vector, template, level, surprise; per record: its text and template; the sessions and
 * windows) and returns the score of each text, line, template, session and window, the score of the
 * unit the analyst chose, and the thresholds. Nothing else in Loupe computes a score.
 */
import type { RecordGroups } from '../sessions';
import type { TextTable } from '../types';
import type { Pca } from './pca';
import type { DetectorKind, ForestSettings, ScoringUnit } from './settings';
import { autoThreshold } from './autoThreshold';
import { groupScores as evidenceGroupScores } from './calibrate';
import { defaultScores, type DefaultScores } from './defaultScore';
import { detectorScores } from './fusion';
import { scoreGroups, templateScores } from './groups';
import { fitTextForest, scoreWithForest, type FittedTextForest } from './textForest';
import { automaticThreshold, thresholdFor } from './threshold';
import type { ValueEvidence } from './values';

/** The texts a forest is fitted on or scored: their table, vectors and surprise. */
export interface TextEvidenceSet {
  texts: TextTable;
  vectors: Float32Array;
  /** Mean masked-token surprise per text; absent without an MLM head. */
  surprise?: Float32Array;
}

export interface ScoringInput {
  target: TextEvidenceSet;
  /** A known-good log: when given, detectors are fitted on it instead of the target. */
  reference?: TextEvidenceSet;
  dims: number;
  /** Per target record: the index of its distinct text, its template and its level (LEVELS). */
  records: { count: number; textIndex: Uint32Array; templateId: Int32Array; level: Uint8Array };
  /** What each record's values behind the wildcards say (detect/values.ts), when known. */
  values?: ValueEvidence;
  templateCount: number;
  sessions?: RecordGroups;
  windows: RecordGroups;
}

export interface ScoringOptions {
  detector: DetectorKind;
  unit: ScoringUnit;
  forest: ForestSettings;
}

export interface AnalysisScores {
  /** The fitted text forest: explanations re-score variants of a line with it. */
  forest: FittedTextForest;
  /** Per distinct text: the forest's score, and the chosen detector's. */
  textForest: Float32Array;
  text: Float32Array;
  line: Float32Array;
  template: Float32Array;
  session?: Float32Array;
  window?: Float32Array;
  /** Scores of the scoring unit (one of the above). */
  unit: Float32Array;
  /** The default threshold on the unit's scores. */
  threshold: number;
  /** The automatic threshold on line scores: flags lines when the unit is a session or window. */
  lineThreshold: number;
  /** One line for the analyst: how the default threshold was chosen. */
  thresholdExplanation: string;
  /** The `evidence` detector's parts: what each evidence added to each line, the sequence model. */
  evidence?: DefaultScores;
}

/** Each record takes its text's score. */
export function lineScoresOf(textIndex: Uint32Array, count: number, textScores: Float32Array): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = textScores[textIndex[i]];
  return out;
}

export class ScoringError extends Error {}

export function scoreAnalysis(input: ScoringInput, options: ScoringOptions, pcaCache?: Map<string, Pca>): AnalysisScores {
  const { target, reference, records } = input;
  const population = reference ?? target;
  const forest = fitTextForest(
    { ...population.texts, surprise: population.surprise },
    population.vectors,
    input.dims,
    options.forest,
    pcaCache,
    reference ? 'distinct' : 'lines',
  );
  const n = target.texts.texts.length;
  // Without a reference the population is the target itself: each text's own index is itself.
  const selfIndex = reference ? undefined : Int32Array.from({ length: n }, (_, i) => i);
  const textForest = scoreWithForest(forest, target.vectors, n, { ...target.texts, selfIndex, surprise: target.surprise });
  const groupOptions = { nEstimators: options.forest.nEstimators, maxSamples: options.forest.maxSamples, seed: options.forest.seed };
  const textOnly = { forest, textForest };
  if (options.detector === 'evidence') return { ...textOnly, ...scoreByEvidence(input, options) };

  const text = detectorScores(options.detector, textForest, target.surprise);
  const line = lineScoresOf(records.textIndex, records.count, text);
  const template = templateScores(input.templateCount, records.templateId, line);
  const session = input.sessions ? scoreGroups(input.sessions, line, records.templateId, groupOptions).score : undefined;
  const window = options.unit === 'window' ? scoreGroups(input.windows, line, records.templateId, groupOptions).score : undefined;
  const unit = unitOf(options.unit, line, template, session, window);
  const lineThreshold = automaticThreshold(line);
  const threshold =
    options.unit === 'line' && options.forest.contamination === 'auto'
      ? lineThreshold
      : thresholdFor(scoredUnits(options.unit, unit, records, input.templateCount), options.forest.contamination);
  const thresholdExplanation =
    options.forest.contamination === 'auto'
      ? 'Median + 5 robust deviations of the scores, flagging at most 5% of the units.'
      : `The ${(options.forest.contamination * 100).toFixed(1)}% highest-scored units (your contamination setting).`;
  return { ...textOnly, text, line, template, session, window, unit, threshold, lineThreshold, thresholdExplanation };
}

function unitOf(
  unit: ScoringUnit,
  line: Float32Array,
  template: Float32Array,
  session?: Float32Array,
  window?: Float32Array,
): Float32Array {
  switch (unit) {
    case 'template':
      return template;
    case 'session':
      if (!session) throw new ScoringError('No sessions found in this log: set a session-id regex or score by window.');
      return session;
    case 'window':
      return window!;
    default:
      return line;
  }
}

/** The unit scores a threshold is chosen from: templates seen only in the reference take no part. */
function scoredUnits(unit: ScoringUnit, scores: Float32Array, records: ScoringInput['records'], templateCount: number): Float32Array {
  if (unit !== 'template') return scores;
  const seen = new Uint8Array(templateCount);
  for (let i = 0; i < records.count; i++) seen[records.templateId[i]] = 1;
  return scores.filter((_, t) => seen[t]);
}

/** Above every score: what a threshold that flags nothing shows as (a finite number the views can draw). */
function aboveAll(scores: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  return max + Math.max(max * 1e-6, 1e-6);
}

/**
 * The default detector: each line's evidence (surprise, level, values, order) in nats, summed;
 * sessions and windows add the steps they never wrote; templates take the mean of their lines.
 */
function scoreByEvidence(input: ScoringInput, options: ScoringOptions): Omit<AnalysisScores, 'forest' | 'textForest'> {
  const { target, records } = input;
  const evidence = defaultScores({
    records,
    texts: { counts: target.texts.counts, levelOf: target.texts.levelOf, surprise: target.surprise },
    values: input.values,
    sessions: input.sessions,
  });
  const line = evidence.line.score;
  // A text is as anomalous as its worst line (its lines differ by their values and place).
  const text = new Float32Array(target.texts.texts.length);
  for (let i = 0; i < records.count; i++) if (line[i] > text[records.textIndex[i]]) text[records.textIndex[i]] = line[i];
  const template = templateScores(input.templateCount, records.templateId, line);
  const session = evidence.session?.score;
  const window = options.unit === 'window' ? evidenceGroupScores(input.windows, line).score : undefined;
  const unit = unitOf(options.unit, line, template, session, window);
  const names = { line: 'lines', template: 'templates', session: 'sessions', window: 'windows' } as const;
  const chosen =
    options.forest.contamination !== 'auto'
      ? {
          threshold: thresholdFor(scoredUnits(options.unit, unit, records, input.templateCount), options.forest.contamination),
          explanation: '',
        }
      : options.unit === 'line'
        ? evidence.lineThreshold
        : options.unit === 'session' && evidence.sessionThreshold
          ? evidence.sessionThreshold
          : autoThreshold(scoredUnits(options.unit, unit, records, input.templateCount), names[options.unit]);
  const finite = (t: number, scores: ArrayLike<number>) => (Number.isFinite(t) ? t : aboveAll(scores));
  return {
    text,
    line,
    template,
    session,
    window,
    unit,
    evidence,
    threshold: finite(chosen.threshold, unit),
    lineThreshold: finite(evidence.lineThreshold.threshold, line),
    thresholdExplanation:
      chosen.explanation ||
      `The ${((options.forest.contamination as number) * 100).toFixed(1)}% highest-scored units (your contamination setting).`,
  };
}
