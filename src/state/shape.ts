/**
 * The shape of the one store the page renders from. Plain data only: the worker owns the full
 * columnar analysis, the store holds what the views show (a summary, pages of rows, a selection).
 */
import type {
  AnalysisSettings,
  AnalysisSummary,
  LineDetail,
  LogRow,
  RowFilter,
  StageName,
  StageProgress,
  ThresholdView,
  TopAnomaly,
  SaliencyProgress,
  WordsExplanation,
} from '../core/analysis/types';
import { DEFAULT_SETTINGS } from '../core/analysis/types';
import type { MapProjection } from '../core/analysis/types';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type SaliencyMode = 'occlusion' | 'surprise';

/** The files behind the current (or next) analysis. Kept so settings changes can re-analyse. */
export interface SourceFiles {
  targets: File[];
  references: File[];
  labels?: File;
}

export interface RunState {
  startedAt: number;
  fileNames: string[];
  /** Latest progress per stage, in pipeline order. */
  stages: Partial<Record<StageName, StageProgress>>;
  current?: StageName;
  cancelling: boolean;
}

export interface Selection {
  record?: number;
  template?: number;
  session?: string;
  /** Brushed range on the timeline: epoch ms, or record indices when the log is untimed. */
  range?: [number, number];
}

/** Pages of viewer rows for one filter over one analysis; `key` changes whenever either does. */
export interface RowPages {
  key: string;
  total: number;
  pages: Record<number, LogRow[]>;
  /** Page indices in least-recently-used order (oldest first), for eviction. */
  order: number[];
}

export interface ViewerJump {
  /** Row position (within the filter) to scroll to. */
  position: number;
  /** Bumped on every request so jumping to the same row twice still scrolls. */
  nonce: number;
}

/** What a preliminary (preview) summary replaced, restored if the analysis then fails. */
export type PreviewBackup = Pick<
  LoupeData,
  'summary' | 'summaryVersion' | 'threshold' | 'thresholdView' | 'selection' | 'filter' | 'rows' | 'detail'
>;

/** How the viewer shows rows: wrapped messages, header fields (time, host, level) shown or folded. */
export interface ViewerLayout {
  wrap: boolean;
  headerFields: boolean;
}

export interface LoupeData {
  /** Settings for the next run; `summary.settings` says what the current analysis used. */
  settings: AnalysisSettings;
  sources: SourceFiles;
  /** The next dropped or picked log files are a known-good reference. */
  dropAsReference: boolean;
  run: RunState | null;
  /** A re-score (new detector or unit) is running; the current views stay usable. */
  rescoring: boolean;
  summary: AnalysisSummary | null;
  /** Bumped with every new summary (analysis or re-score): row pages and details go stale. */
  summaryVersion: number;
  threshold: number;
  thresholdView: ThresholdView | null;
  selection: Selection;
  filter: RowFilter;
  rows: RowPages;
  jump: ViewerJump | null;
  detail: LineDetail | null;
  detailLoading: boolean;
  /** Word saliency of the selected line (asked after the detail; cancelable, with progress). */
  words: WordsExplanation | null;
  wordsProgress: SaliencyProgress | null;
  /** The flagged units of the current unit, most anomalous first (asked per summary and threshold). */
  topAnomalies: TopAnomaly[] | null;
  /** The sessions holding the templates boxed on the map (asked of the worker per box). */
  boxedSessions: { templateIds: number[]; ids: string[] } | null;
  viewerLayout: ViewerLayout;
  /** The keyboard help overlay is open. */
  helpOpen: boolean;
  saliencyMode: SaliencyMode;
  /** How the template map is laid out; UMAP is computed on demand in the worker. */
  mapProjection: MapProjection;
  projecting: boolean;
  /** Set while preliminary results of a running analysis are shown. */
  previewBackup: PreviewBackup | null;
  error: string | null;
  notice: string | null;
  theme: ThemeChoice;
}

export const PAGE_SIZE = 200;
/** Pages kept in memory: enough for a few screens either side, tiny next to millions of lines. */
export const MAX_CACHED_PAGES = 40;

export const INITIAL_DATA: LoupeData = {
  settings: DEFAULT_SETTINGS,
  sources: { targets: [], references: [] },
  dropAsReference: false,
  run: null,
  rescoring: false,
  summary: null,
  summaryVersion: 0,
  threshold: 0,
  thresholdView: null,
  selection: {},
  filter: {},
  rows: { key: '', total: 0, pages: {}, order: [] },
  jump: null,
  detail: null,
  detailLoading: false,
  words: null,
  wordsProgress: null,
  topAnomalies: null,
  boxedSessions: null,
  viewerLayout: { wrap: false, headerFields: true },
  helpOpen: false,
  saliencyMode: 'occlusion',
  mapProjection: 'pca',
  projecting: false,
  previewBackup: null,
  error: null,
  notice: null,
  theme: 'system',
};
