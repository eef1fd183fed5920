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
import { detectorScores } from './fusion';
import { scoreGroups, templateScores } from './groups';
import { fitTextForest, scoreWithForest, type FittedTextForest } from './textForest';
import { automaticThreshold, thresholdFor } from './threshold';

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
  /** Per target record: the index of its distinct text and its template. */
  records: { count: number; textIndex: Uint32Array; templateId: Int32Array };
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
    { ...population.texts, surprise: population.surprise }, population.vectors, input.dims, options.forest, pcaCache,
    reference ? 'distinct' : 'lines',
  );
  const n = target.texts.texts.length;
  // Without a reference the population is the target itself: each text's own index is itself.
  const selfIndex = reference ? undefined : Int32Array.from({ length: n }, (_, i) => i);
  const textForest = scoreWithForest(forest, target.vectors, n, { ...target.texts, selfIndex, surprise: target.surprise });
  const text = detectorScores(options.detector, textForest, target.surprise);
  const line = lineScoresOf(records.textIndex, records.count, text);
  const template = templateScores(input.templateCount, records.templateId, line);
  const groupOptions = { nEstimators: options.forest.nEstimators, maxSamples: options.forest.maxSamples, seed: options.forest.seed };
  const session = input.sessions ? scoreGroups(input.sessions, line, records.templateId, groupOptions).score : undefined;
  const window = options.unit === 'window' ? scoreGroups(input.windows, line, records.templateId, groupOptions).score : undefined;
  let unit: Float32Array;
  let scored: Float32Array = line;
  switch (options.unit) {
    case 'template': {
      unit = template;
      // Templates seen only in the reference have no lines here and take no part in the threshold.
      const seen = new Uint8Array(input.templateCount);
      for (let i = 0; i < records.count; i++) seen[records.templateId[i]] = 1;
      scored = template.filter((_, t) => seen[t]);
      break;
    }
    case 'session':
      if (!session) throw new ScoringError('No sessions found in this log: set a session-id regex or score by window.');
      unit = scored = session;
      break;
    case 'window':
      unit = scored = window!;
      break;
    default:
      unit = line;
  }
  const lineThreshold = automaticThreshold(line);
  const threshold = options.unit === 'line' && options.forest.contamination === 'auto' ? lineThreshold : thresholdFor(scored, options.forest.contamination);
  return { forest, textForest, text, line, template, session, window, unit, threshold, lineThreshold };
}
