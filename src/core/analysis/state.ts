/**
 * The analysis the worker holds between calls: the pipeline's results plus the current scoring.
 * Internal to the analysis module (the page only sees summaries and rows).
 */
import type { Pca } from '../detect/pca';
import type { RecordGroups } from '../sessions';
import type { LabelSet } from './labels';
import type { RecordsResult } from './records';
import type { TextEvidence } from './evidence';
import type { TextScoring } from './pipeline';
import type { TimelineLayout } from './timeline';
import type { AnalysisSettings, AnalysisSummary, MapPoint } from './types';

export interface Scored {
  scoring: TextScoring;
  lineScores: Float32Array;
  sessions?: RecordGroups;
  sessionScores?: Float32Array;
  windows: RecordGroups;
  windowScores?: Float32Array;
  templateScores: Float32Array;
  unitScores: Float32Array;
  threshold: number;
}

export interface Analysis {
  settings: AnalysisSettings;
  /** PCA fits reused by re-scores (keyed by components and seed). */
  pcaCache: Map<string, Pca>;
  /** Template map positions: computed once per analysis, re-coloured by each re-score. */
  map?: MapPoint[];
  /** Sessions by session regex ('' = found automatically), computed once each. */
  sessions: Map<string, RecordGroups | undefined>;
  records: RecordsResult;
  evidence: TextEvidence;
  labels?: LabelSet;
  lineLabels?: Int8Array;
  timeline: TimelineLayout;
  scored: Scored;
  summary: AnalysisSummary;
}
