/**
 * The shapes the analysis pipeline hands to its callers (the worker, the CLI, benchmarks).
 *
 * The worker owns the full, columnar analysis (millions of records); the page receives an
 * `AnalysisSummary` (aggregates sized for charts and tables) and asks for log rows page by page.
 */
import type { BundleOptions, ReopenedAnalysis, SaveOptions } from '../bundle/reopen';
import type { SavedAnalysisInfo } from '../saved/savedAnalyses';
import type { IngestReport, Template } from '../types';
import type { PositionSummary } from '../detect/values';
import type { Contribution as EvidenceContribution } from '../explain/evidence';
import type { DetectorKind, ForestSettings, ScoringUnit } from '../detect/settings';

export type { DetectorKind, ForestSettings, ScoringUnit } from '../detect/settings';

export type ModelSource =
  { kind: 'bundled' } | { kind: 'hub'; modelId: string } | { kind: 'local'; name: string; files: Record<string, Blob> };

export type DevicePreference = 'auto' | 'webgpu' | 'wasm';

/** How the template map is laid out: PCA (instant) or UMAP (on demand). */
export type MapProjection = 'pca' | 'umap';

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
  detector: 'evidence',
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
  /** Set when the chosen model could not be loaded and the bundled one scored instead, with why. */
  modelNote?: string;
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
  /** Why these metrics are of another unit than the scored one, when they are. */
  note?: string;
}

/** What a labels CSV matched in this log. */
export interface LabelsReport {
  ids: number;
  matched: number;
  /** Ids that are line numbers, and how many of them are lines of this log. */
  lineIds: number;
  matchedLines: number;
  /** Ids that are session ids, and how many of them name a session of this log. */
  sessionIds: number;
  matchedSessions: number;
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
  /** One line for the analyst: how the default threshold was chosen. */
  thresholdExplanation: string;
  templates: TemplateRow[];
  sessions: UnitRow[];
  timeline: TimelineBucket[];
  map: MapPoint[];
  metrics?: Metrics;
  durationsMs: Partial<Record<StageName, number>>;
}

/** The order of the viewer's rows: by position in the file, or most anomalous first. */
export type RowOrder = 'file' | 'score';

/** A filter for the log viewer. Every field narrows the rows (except `order`, which sorts them). */
export interface RowFilter {
  /** Line scores in [minScore, maxScore] (inclusive). */
  minScore?: number;
  maxScore?: number;
  /**
   * Only lines flagged at this threshold on the UNIT's scores: a line is kept when its score reaches
   * the line cutoff that goes with it (core/detect/threshold `lineCutoff`), whatever the unit.
   */
  flaggedAt?: number;
  levels?: string[];
  templateId?: number;
  /** Any of these templates (a box selection on the template map). */
  templateIds?: number[];
  session?: string;
  /**
   * Search: words that must all appear (case-insensitive), `-word` for words that must not, and
   * "quoted phrases"; with `regex`, one case-insensitive regular expression.
   */
  text?: string;
  regex?: boolean;
  /** Keep the lines the search does NOT match. */
  negate?: boolean;
  /** A brushed stretch of the timeline: [start, end] in epoch ms (timed logs) or record indices. */
  range?: [number, number];
  order?: RowOrder;
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
  /**
   * Forest score(original) − score(variant) with the word replaced by [MASK] (on long lines, its
   * group of neighbouring words, the group's effect shared by its words): positive = raised the score.
   */
  masked: number;
  /** Masked-token surprise of the word from the model of normal text; NaN without an MLM head. */
  surprise: number;
  /**
   * What the word did to the score the analyst sees (the chosen detector's scale): the forest's
   * change with the word masked plus, for surprise and fused, the word's share of the line's mean
   * surprise, each mapped onto that scale. NaN for words past the explained ones.
   */
  effect: number;
  /** The forest part and the surprise part of `effect`, on the same scale. */
  forestEffect: number;
  surpriseEffect: number;
}

/** One piece of evidence the detector used, and how much it moved this unit's score. */
export type { Contribution as EvidenceContribution } from '../explain/evidence';

/** Word saliency of one line, computed on demand (it runs the encoder) and cancelable. */
export interface WordsExplanation {
  record: number;
  words: WordSaliency[];
  /** Effects smaller than this (in absolute value) are noise: drawn neutral. */
  noiseFloor: number;
  /** Words of the line, and how many of them were explained (the encoder reads the first tokens only). */
  wordsTotal: number;
  wordsExplained: number;
  /** Why fewer words were explained than the line has, in words; absent when all were. */
  cutNote?: string;
  /** The detector whose score `effect` explains. */
  detector: DetectorKind;
  ms: number;
}

export interface LineDetail {
  row: LogRow;
  rank: number;
  template: string;
  /** Lines below the threshold and not labelled anomalous, most similar first (cosine on vectors). */
  neighbours: Array<{ record: number; message: string; similarity: number; score: number }>;
  /** Which evidence moved the score, largest effect first (empty when the detector uses none). */
  evidence: EvidenceContribution[];
  /** The values this log wrote behind each `<*>` of the line's template, unusual ones marked. */
  values: PositionSummary[];
  /** Word saliency; empty when the detail was asked without words (see `AnalysisApi.words`). */
  saliency: WordSaliency[];
  saliencyMs: number;
  /** The rest of the word explanation (noise floor, cut), when words were computed. */
  words?: WordsExplanation;
}

/** One of the most anomalous units, as the Top anomalies panel lists it. */
export interface TopAnomaly extends UnitRow {
  unit: ScoringUnit;
  /** The unit's highest-scored line: what a click opens. */
  record: number;
  /** Which evidence moved that line's score most, in the analyst's words. */
  reason: string;
  /** That line's text as the detectors read it (variables masked), cut to a preview. */
  text: string;
}

export interface SaliencyProgress {
  done: number;
  total: number;
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
  /** What the labels CSV matched (absent without one). */
  labels?: LabelsReport;
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
  /**
   * The next (direction 1) or previous flagged line among the filter's rows in the filter's order
   * (file or score), after `fromRecord` (-1: from the start; a record outside the rows: from
   * where it would sit). Flagged = at the line cutoff of the unit threshold. -1 when none.
   */
  stepFlagged(filter: RowFilter, fromRecord: number, direction: 1 | -1, threshold: number): Promise<number>;
  /** The record at a row position of the filter (in its order), -1 when out of range. */
  recordAt(filter: RowFilter, position: number): Promise<number>;
  /** The highest-scored line among the filter's rows (a timeline bucket, a template, a session), -1 when none. */
  highestScored(filter: RowFilter): Promise<number>;
  /** The flagged units of the current unit, most anomalous first, with the line to open and a reason. */
  topAnomalies(threshold: number, limit: number): Promise<TopAnomaly[]>;
  /** Ids of the sessions holding a line of any of these templates. */
  sessionsHolding?(templateIds: number[]): Promise<string[]>;
  /**
   * Why a line scored as it did; neighbours are lines not flagged at `threshold` (default: the
   * unit's). With `words: false` the word saliency is left out (ask `words` for it).
   */
  detail(record: number, threshold?: number, options?: { words?: boolean }): Promise<LineDetail>;
  /**
   * Word saliency of a line, with progress. A newer `words` or `detail` call (or a new analysis)
   * cancels an older one still running: it rejects with an AbortError.
   */
  words(record: number, onProgress?: (p: SaliencyProgress) => void): Promise<WordsExplanation>;
  /** Template map positions by PCA (default, instant) or UMAP (on demand, slower). */
  projectMap(projection: MapProjection): Promise<MapPoint[]>;
  /** Scores of the current unit, one per unit in unit order (transferred). */
  unitScores(): Promise<Float32Array>;
  /** Saves the current analysis in IndexedDB, to reopen without recomputing (core/bundle/reopen.ts). */
  saveAnalysis(options: SaveOptions): Promise<SavedAnalysisInfo>;
  openSaved(id: string): Promise<ReopenedAnalysis>;
  /** The current analysis as a gzip analysis bundle (core/bundle/bundleFile.ts). */
  exportAnalysisBundle(options: BundleOptions): Promise<Uint8Array>;
  /** Reopens a bundle; a malformed or hostile one throws and the current analysis stays. */
  importAnalysisBundle(file: Blob): Promise<ReopenedAnalysis>;
  /** The analyst's content-keyed labels join the ground truth the evaluation uses; returns how many matched. */
  useAnalystLabels(labels: import('../labels/labels').AnalystLabel[], fileKeys: string[]): Promise<number>;
  /**
   * Learning from the analyst (issue 12, analysis/learning.ts): trains the head on the labels and
   * makes the blended scoring the one every view follows. Optional: stand-ins may leave it out.
   */
  trainOnLabels?(
    labels: import('../labels/labels').AnalystLabel[],
    fileKeys: string[],
    options?: import('./learning').LearningOptions,
  ): Promise<import('./learning').LearningView>;
  /** "Label next": up to 10 units to label, no two of one template. */
  labelNext?(limit?: number): Promise<import('./learning').LabelSuggestion[]>;
  /** A unit's unsupervised, learned and blended scores. */
  learningScores?(unit: number): Promise<{ unsupervised: number; learned?: number; blended?: number }>;
}
