/**
 * Every change to the store, as a pure `(state, payload) => patch`. The store's named actions
 * call these after (or before) talking to the worker; tests call them directly, without React.
 */
import type {
  AnalysisSettings,
  AnalysisSummary,
  LineDetail,
  LogRow,
  MapPoint,
  RowFilter,
  StageProgress,
  ThresholdView,
} from '../core/analysis/types';
import type { LoupeData, SaliencyMode, Selection, SourceFiles, ThemeChoice } from './shape';
import type { MapProjection } from '../core/analysis/types';
import { MAX_CACHED_PAGES } from './shape';

export type Patch = Partial<LoupeData>;

/** Identifies the rows of one filter over one summary; pages fetched for another key are dropped. */
export function rowsKeyOf(summaryVersion: number, filter: RowFilter): string {
  return `${summaryVersion}|${JSON.stringify(filter, Object.keys(filter).sort())}`;
}

function freshRows(summaryVersion: number, filter: RowFilter): LoupeData['rows'] {
  return { key: rowsKeyOf(summaryVersion, filter), total: 0, pages: {}, order: [] };
}

export function analysisStarted(_state: LoupeData, payload: { fileNames: string[]; startedAt: number }): Patch {
  return {
    run: { startedAt: payload.startedAt, fileNames: payload.fileNames, stages: {}, cancelling: false },
    error: null,
    notice: null,
  };
}

export function progressReceived(state: LoupeData, progress: StageProgress): Patch {
  if (!state.run) return {};
  return { run: { ...state.run, current: progress.stage, stages: { ...state.run.stages, [progress.stage]: progress } } };
}

export function cancelRequested(state: LoupeData): Patch {
  return state.run ? { run: { ...state.run, cancelling: true } } : {};
}

/** A new analysis replaces everything derived from the previous one; the analyst's labels stay. */
export function analysisSucceeded(state: LoupeData, summary: AnalysisSummary): Patch {
  const summaryVersion = state.summaryVersion + 1;
  return {
    run: null,
    summary,
    summaryVersion,
    threshold: summary.threshold,
    thresholdView: null,
    selection: {},
    filter: {},
    rows: freshRows(summaryVersion, {}),
    jump: null,
    detail: null,
    detailLoading: false,
    error: null,
    // A model that failed to load is said out loud, not only in the header's tooltip.
    notice: summary.encoder?.modelNote
      ? `${summary.encoder.modelNote}. Pick another model in Settings once it can be reached.`
      : summary.encoder?.device === 'none' && summary.encoder.fallbackReason
        ? `The model could not be used (${summary.encoder.fallbackReason}). Scores use TF-IDF vectors; pick another model in Settings.`
        : null,
    mapProjection: 'pca',
    projecting: false,
    previewBackup: null,
  };
}

/**
 * Preliminary results of a large log (TF-IDF scores while the encoder runs): shown like a finished
 * analysis, while the run goes on; what they replaced is kept in case the run fails.
 */
export function previewReceived(state: LoupeData, preview: AnalysisSummary): Patch {
  const backup = state.previewBackup ?? {
    summary: state.summary,
    summaryVersion: state.summaryVersion,
    threshold: state.threshold,
    thresholdView: state.thresholdView,
    selection: state.selection,
    filter: state.filter,
    rows: state.rows,
    detail: state.detail,
  };
  const { run: _run, notice: _notice, error: _error, ...shown } = analysisSucceeded(state, preview);
  return { ...shown, previewBackup: backup };
}

/** A failed or cancelled run leaves the previous analysis exactly as it was. */
export function analysisFailed(state: LoupeData, payload: { message: string; cancelled: boolean }): Patch {
  const wasCancelled = payload.cancelled || state.run?.cancelling === true;
  return {
    ...(state.previewBackup ?? {}),
    previewBackup: null,
    run: null,
    error: wasCancelled ? null : payload.message,
    notice: wasCancelled ? 'Analysis cancelled; the previous results are unchanged.' : null,
  };
}

/** A re-score keeps the selection and filter (same records) but every score and page changes. */
export function rescoreSucceeded(state: LoupeData, summary: AnalysisSummary): Patch {
  const summaryVersion = state.summaryVersion + 1;
  const sameUnit = state.summary?.settings.unit === summary.settings.unit;
  return {
    rescoring: false,
    summary,
    summaryVersion,
    threshold: summary.threshold,
    thresholdView: null,
    rows: freshRows(summaryVersion, state.filter),
    selection: sameUnit ? state.selection : { record: state.selection.record },
    detail: null,
    error: null,
  };
}

export function rescoreStarted(): Patch {
  return { rescoring: true, error: null, notice: null };
}

export function rescoreFailed(_state: LoupeData, message: string): Patch {
  return { rescoring: false, error: message };
}

export function thresholdSet(state: LoupeData, threshold: number): Patch {
  if (!Number.isFinite(threshold) || threshold === state.threshold) return {};
  return { threshold };
}

/** Views computed for a threshold the analyst has since moved away from are ignored. */
export function thresholdViewReceived(state: LoupeData, view: ThresholdView): Patch {
  return view.threshold === state.threshold ? { thresholdView: view } : {};
}

export function settingsChanged(state: LoupeData, settings: Partial<AnalysisSettings>): Patch {
  return { settings: { ...state.settings, ...settings } };
}

export function sourcesChanged(state: LoupeData, sources: Partial<SourceFiles>): Patch {
  return { sources: { ...state.sources, ...sources } };
}

export function dropAsReferenceSet(_state: LoupeData, dropAsReference: boolean): Patch {
  return { dropAsReference };
}

export function filterChanged(state: LoupeData, change: Partial<RowFilter>): Patch {
  const filter: RowFilter = { ...state.filter };
  for (const [name, value] of Object.entries(change) as Array<[keyof RowFilter, RowFilter[keyof RowFilter]]>) {
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) delete filter[name];
    else (filter as Record<string, unknown>)[name] = value;
  }
  return { filter, rows: freshRows(state.summaryVersion, filter), jump: null };
}

export function filterCleared(state: LoupeData): Patch {
  return { filter: {}, rows: freshRows(state.summaryVersion, {}), jump: null };
}

/**
 * Stores one fetched page; pages for a stale key are dropped, and the least recently used pages
 * are evicted so memory stays flat however far the analyst scrolls.
 */
export function rowPageReceived(state: LoupeData, payload: { key: string; page: number; total: number; rows: LogRow[] }): Patch {
  if (payload.key !== state.rows.key) return {};
  const pages = { ...state.rows.pages, [payload.page]: payload.rows };
  const order = [...state.rows.order.filter((p) => p !== payload.page), payload.page];
  while (order.length > MAX_CACHED_PAGES) {
    const evicted = order.shift()!;
    delete pages[evicted];
  }
  return { rows: { key: state.rows.key, total: payload.total, pages, order } };
}

export function selectionChanged(state: LoupeData, change: Partial<Selection>): Patch {
  const selection = { ...state.selection, ...change };
  const recordChanged = 'record' in change && change.record !== state.selection.record;
  return recordChanged ? { selection, detail: null, detailLoading: change.record !== undefined } : { selection };
}

export function jumpRequested(state: LoupeData, position: number): Patch {
  if (position < 0) return {};
  return { jump: { position, nonce: (state.jump?.nonce ?? 0) + 1 } };
}

/** Details arrive asynchronously: only the one for the still-selected record is kept. */
export function detailReceived(state: LoupeData, detail: LineDetail): Patch {
  if (detail.row.record !== state.selection.record) return {};
  return { detail, detailLoading: false };
}

export function detailFailed(state: LoupeData, payload: { record: number; message: string }): Patch {
  if (payload.record !== state.selection.record) return {};
  return { detailLoading: false, error: payload.message };
}

export function projectionRequested(_state: LoupeData, mapProjection: MapProjection): Patch {
  return { mapProjection, projecting: true };
}

/** New map positions; ignored when the analyst has switched projection again meanwhile. */
export function projectionReceived(state: LoupeData, payload: { projection: MapProjection; map: MapPoint[] }): Patch {
  if (!state.summary || payload.projection !== state.mapProjection) return {};
  return { summary: { ...state.summary, map: payload.map }, projecting: false };
}

export function projectionFailed(_state: LoupeData, message: string): Patch {
  return { projecting: false, mapProjection: 'pca', error: `The map projection failed: ${message}` };
}

export function saliencyModeSet(_state: LoupeData, saliencyMode: SaliencyMode): Patch {
  return { saliencyMode };
}

export function errorRaised(_state: LoupeData, message: string): Patch {
  return { error: message };
}

export function errorDismissed(): Patch {
  return { error: null };
}

export function noticeDismissed(): Patch {
  return { notice: null };
}

export function themeChanged(_state: LoupeData, theme: ThemeChoice): Patch {
  return { theme };
}
