/**
 * Evidence → scores per text and per line under the chosen detector.
 */
import type { Pca } from '../detect/pca';
import type { RecordTable } from './recordTable';
import type { RecordsResult } from './records';
import type { TextEvidence } from './evidence';
import { detectorScores, fitTextForest, scoreWithForest, type FittedTextForest } from './textScores';
import type { AnalysisSettings } from './types';

export interface TextScoring {
  fitted: FittedTextForest;
  forest: Float32Array;
  /** Score of each target text under the chosen detector (higher = more anomalous). */
  scores: Float32Array;
}

export function scoreTexts(
  records: RecordsResult, evidence: TextEvidence, settings: Pick<AnalysisSettings, 'detector' | 'forest'>, pcaCache?: Map<string, Pca>,
): TextScoring {
  const population = records.reference && evidence.referenceVectors ? records.reference.texts : records.targetTexts;
  const populationVectors = records.reference && evidence.referenceVectors ? evidence.referenceVectors : evidence.vectors;
  const populationSurprise = records.reference && evidence.referenceVectors ? evidence.referenceSurprise : evidence.surprise;
  const fitted = fitTextForest(
    { ...population, surprise: populationSurprise }, populationVectors, evidence.dims, settings.forest, pcaCache,
    records.reference ? 'distinct' : 'lines',
  );
  const texts = records.targetTexts;
  // Without a reference the population is the target itself: each text's own index is itself.
  const selfIndex = population === texts ? Int32Array.from(texts.texts.keys()) : undefined;
  const forest = scoreWithForest(fitted, evidence.vectors, texts.texts.length, { ...texts, selfIndex, surprise: evidence.surprise });
  const scores = detectorScores(settings.detector, forest, evidence.surprise);
  return { fitted, forest, scores };
}

/** Line scores: each record takes its text's score. */
export function lineScoresOf(records: RecordTable, textScores: Float32Array): Float32Array {
  const out = new Float32Array(records.count);
  for (let i = 0; i < records.count; i++) out[i] = textScores[records.textIndex[i]];
  return out;
}
