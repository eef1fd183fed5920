/**
 * The shapes the analysis pipeline hands to its callers (the worker, the CLI, benchmarks).
 *
 * The worker owns the full, columnar analysis (millions of records); the page receives an
 * `AnalysisSummary` (aggregates sized for charts and tables) and asks for log rows page by page.
 */
import type { AnalystLabel } from '../bundle/exportBundle';
import type { IngestReport, Template } from '../types';
import type { DetectorKind, ForestSettings, ScoringUnit } from '../detect/settings';

export type { DetectorKind, ForestSettings, ScoringUnit } from '../detect/settings';

export type ModelSource =
  | { kind: 'bundled' }
  | { kind: 'hub'; modelId: string }
  | { kind: 'local'; name: string; files: Record<string, Blob> };

export type DevicePreference = 'auto' | 'webgpu' | 'wasm';

export interface WindowSettings {
  kind: 'time' | 'count';
  /** Milliseconds for time windows, records for count windows. */
  size: number;
  /** Slide step; equal to size (or 0) for tumbling windows. */
  step: number;
}

export interface AnalysisSettings {
  /** Layout in Loghub notation, e.g. `<Date> <Time> <Level> <Component>: <Content>`; overrides detection. */
  layoutFormat?: string;
  masks: { add: Array<{ name: string; pattern: string }>; remove: string[] };
  /** User regex naming the session of a record (first capture group, or the whole match). */
  sessionRegex?: string;
  window: WindowSettings;
  detector: DetectorKind;
  unit: ScoringUnit;
  forest: ForestSettings;
  model: ModelSource;
  device: DevicePreference;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  masks: { add: [], remove: [] },
  window: { kind: 'time', size: 60_000, step: 60_000 },
  detector: 'fused',
  unit: 'line',
  forest: { nEstimators: 100, maxSamples: 256, contamination: 'auto', extended: false, pcaComponents: 4, seed: 42 },
  model: { kind: 'bundled' },
  device: 'auto',
};

/** Settings that only change scoring: changing them re-scores from cached vectors, no re-embedding. */
export type ScoringSettings = Pick<AnalysisSettings, 'detector' | 'unit' | 'forest' | 'window' | 'sessionRegex'>;

export type StageName = 'read' | 'parse' | 'templates' | 'embed' | 'score';

export interface StageProgress {
  stage: StageName;
  /** Units done and total for this stage (lines, texts...); total is NaN when unknown. */
  done: number;
  total: number;
  /** Estimated seconds left for the whole analysis, NaN when unknown. */
  etaSeconds: number;
  message?: string;
  /**
   * Preliminary results of a large log, sent once before the encoder runs: the same analysis
   * scored with TF-IDF vectors, so the analyst can start looking while the model refines it.
   */
  preview?: AnalysisSummary;
}

export interface FileSummary {
  name: string;
  role: 'target' | 'reference';
  report: IngestReport;
  layoutName: string;
  layoutFormat?: string;
  records: number;
  /** Line-level ground truth found (BGL/Thunderbird-style prefixes). */
  labelledRecords: number;
}

export interface EncoderStatus {
  modelId: string;
  device: string;
  fallbackReason?: string;
  threads: number;
  hasMlmHead: boolean;
}

/** One scored unit (a line, template, session or window) as tables and charts show it. */
export interface UnitRow {
  /** Index of the unit in its unit space (record index, template id, session or window index). */
  index: number;
  /** Display id: line number, template text, session id or window start. */
  id: string;
  score: number;
  /** Rank by score, 1 = most anomalous. */
  rank: number;
  count: number;
  /** Ground truth when known: 1 anomalous, 0 normal, -1 unknown. */
  label: number;
  /** Epoch ms of the first record, NaN when untimed. */
  start: number;
  end: number;
}

export interface TemplateRow extends Template {
  score: number;
  /** Most severe level seen for this template. */
  level: string;
  /** Not seen in the reference log (reference mode only). */
  novel: boolean;
}

export interface TimelineBucket {
  /** Bucket start: epoch ms, or record index when the log has no timestamps. */
  start: number;
  end: number;
  maxScore: number;
  countAbove: number;
  /** Records per level in this bucket, keyed by level name. */
  levels: Record<string, number>;
  /** First record index in the bucket (click to jump). */
  firstRecord: number;
}

export interface MapPoint {
  templateId: number;
  x: number;
  y: number;
  count: number;
  score: number;
  text: string;
}

export interface Metrics {
  unit: ScoringUnit;
  detector: DetectorKind;
  auroc: number;
  ap: number;
  bestF1: number;
  precision: number;
  recall: number;
  f1: number;
  threshold: number;
  pr: Array<{ recall: number; precision: number }>;
}

/** What the page receives after an analysis or a re-score: everything sized for charts and tables. */
export interface AnalysisSummary {
  files: FileSummary[];
  records: number;
  timed: boolean;
  encoder?: EncoderStatus;
  settings: AnalysisSettings;
  referenceMode: boolean;
  /**
   * The current unit's scores sorted ascending (NaN dropped): what the histogram, the counts above a
   * threshold and the flagged share need, sorted once in the worker and transferred, not copied.
   */
  scoreDistribution: Float32Array;
  /** The most anomalous units of the current unit kind, highest score first (capped for tables). */
  unitRows: UnitRow[];
  /** The default threshold on the unit's scores. */
  threshold: number;
  /**
   * The threshold on line scores used to flag lines when the unit is a session or window (see
   * `lineCutoff` in core/detect/threshold.ts, the one rule for "is this line flagged").
   */
  lineThreshold: number;
  templates: TemplateRow[];
  sessions: UnitRow[];
  timeline: TimelineBucket[];
  map: MapPoint[];
  metrics?: Metrics;
  durationsMs: Partial<Record<StageName, number>>;
}

/** A filter for the log viewer. Every field narrows the rows. */
export interface RowFilter {
  minScore?: number;
  levels?: string[];
  templateId?: number;
  session?: string;
  text?: string;
  /** A brushed stretch of the timeline: [start, end] in epoch ms (timed logs) or record indices. */
  range?: [number, number];
}

export interface LogRow {
  record: number;
  file: number;
  lineNumber: number;
  timestamp: number;
  level: string;
  raw: string;
  message: string;
  templateId: number;
  score: number;
  label: number;
}

export interface WordSaliency {
  word: string;
  start: number;
  end: number;
  /** score(original) − score(variant) with the word replaced by [MASK]: positive = the word raised the score. */
  masked: number;
  /** Same with the word deleted. */
  deleted: number;
  /** Masked-token surprise of the word from the model of normal text; NaN without an MLM head. */
  surprise: number;
}

export interface LineDetail {
  row: LogRow;
  rank: number;
  template: string;
  neighbours: Array<{ record: number; message: string; similarity: number; score: number }>;
  saliency: WordSaliency[];
  saliencyMs: number;
}

export interface AnalysisInput {
  files: Array<{ name: string; data: Blob; role: 'target' | 'reference' }>;
  /** Optional labels CSV `id,label` (id = line number or session id). */
  labels?: { name: string; data: Blob };
}

/** The view of one threshold: what every count in the app shows. Cheap to recompute while dragging. */
export interface ThresholdView {
  threshold: number;
  /** Lines flagged at this threshold (equal to the units flagged when the unit is the line). */
  linesAbove: number;
  timeline: TimelineBucket[];
  metrics?: Metrics;
}

/**
 * What the analysis worker exposes (src/core/analysis/service.ts implements it; the worker is a thin
 * Comlink adapter over it). Calls are serialised by the caller; `cancel` may be called at any time.
 */
export interface AnalysisApi {
  analyze(input: AnalysisInput, settings: AnalysisSettings, onProgress: (p: StageProgress) => void): Promise<AnalysisSummary>;
  /** Aborts the analysis in flight; the previous analysis stays intact. */
  cancel(): void;
  /** Re-scores from cached vectors (detector, unit, forest, windows, session regex). */
  rescore(settings: ScoringSettings): Promise<AnalysisSummary>;
  thresholdView(threshold: number): Promise<ThresholdView>;
  /** A page of log rows matching the filter, in record order. */
  rows(filter: RowFilter, start: number, count: number): Promise<{ total: number; rows: LogRow[]; firstIndexOf?: number }>;
  /** Position (row index within the filter) of a record, for jumping; -1 when filtered out. */
  positionOf(filter: RowFilter, record: number): Promise<number>;
  /** Next/previous record at or above the threshold, from a record; -1 when none. */
  nextAnomaly(fromRecord: number, direction: 1 | -1, threshold: number): Promise<number>;
  /** Why a line scored as it did; neighbours are lines not flagged at `threshold` (default: the unit's). */
  detail(record: number, threshold?: number): Promise<LineDetail>;
  /** Template map positions by PCA (default, instant) or UMAP (on demand, slower). */
  projectMap(projection: 'pca' | 'umap'): Promise<MapPoint[]>;
  /** Scores of the current unit, one per unit in unit order (transferred). */
  unitScores(): Promise<Float32Array>;
  /** A versioned JSON bundle of settings, labels and scores (no raw log text unless asked). */
  exportBundle(includeLines: boolean, labels?: AnalystLabel[]): Promise<string>;
}
