/**
 * The one store: plain data (shape.ts) plus named actions. Every state change goes through a pure
 * reducer from actions.ts; the actions here only add the talking to the worker around them.
 * The worker client, storage, demo fetch and download are injected so Node tests can drive it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnalysisApi, AnalysisInput, AnalysisSettings, RowFilter, StageProgress } from '../core/analysis/types';
import * as A from './actions';
import { clearVectorCache } from '../core/embed/idbCache';
import { splitDroppedFiles } from './droppedFiles';
import { loadSettings, loadTheme, saveSettings, saveTheme, type KeyValueStorage } from './persist';
import { scoringSettingsOf, settingsChange } from './settingsDiff';
import type { LoupeData, SaliencyMode, SourceFiles, ThemeChoice } from './shape';
import type { MapProjection } from '../core/analysis/types';
import { INITIAL_DATA, PAGE_SIZE } from './shape';
import { thresholdForShare } from '../core/detect/threshold';
import { pagesFor } from './viewerWindow';
import { navigationActions, type NavigationActions } from './navigation';
import { rejectedMessage, screenLogs } from './screenFiles';

export interface LoupeActions {
  /** Dropped or picked files: logs (as target or, with the toggle on, as reference) and a labels CSV. */
  openFiles(files: File[], role?: 'target' | 'reference'): Promise<void>;
  openDemo(): Promise<void>;
  clearReference(): Promise<void>;
  cancel(): void;
  applySettings(next: AnalysisSettings): Promise<void>;
  setThreshold(threshold: number): void;
  /** Sets the threshold so that `share` (0..1) of the units are flagged. */
  setFlaggedShare(share: number): void;
  selectRecord(record: number, options?: { jump?: boolean }): Promise<void>;
  selectTemplate(templateId: number | undefined): Promise<void>;
  selectSession(session: string | undefined): void;
  brushRange(range: [number, number] | undefined): void;
  setFilter(change: Partial<RowFilter>): void;
  clearFilter(): void;
  /** Fetches the pages covering rows [first, end) of the current filter that are not cached yet. */
  ensureRows(first: number, end: number): void;
  jumpToRecord(record: number): Promise<void>;
  nextAnomaly(direction: 1 | -1): Promise<void>;
  setSaliencyMode(mode: SaliencyMode): void;
  setMapProjection(projection: MapProjection): Promise<void>;
  setDropAsReference(on: boolean): void;
  setTheme(theme: ThemeChoice): void;
  dismissError(): void;
  dismissNotice(): void;
  reportError(message: string): void;
  /** Empties the browser's cache of vectors and surprise (what is stored: README, "Privacy"). */
  clearVectorCache(): Promise<void>;
}

export type LoupeState = LoupeData & LoupeActions & NavigationActions;
export type LoupeStore = StoreApi<LoupeState>;

export interface StoreDeps {
  /** Created on first use, so merely loading the page starts no worker. */
  client: () => AnalysisApi;
  storage: KeyValueStorage | null;
  fetchDemo: () => Promise<File[]>;
  download: (fileName: string, text: string) => void;
  now?: () => number;
  /** Takes the analysis bundles out of dropped files and reopens them; returns the other files. */
  takeBundles?: (files: File[]) => Promise<File[]>;
  /** Empties the vector cache (IndexedDB in browsers); tests inject their own. */
  clearVectorCache?: () => Promise<boolean>;
  /** Delay before asking the worker for the timeline and metrics of a moved threshold. */
  thresholdDebounceMs?: number;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

export function createLoupeStore(deps: StoreDeps): LoupeStore {
  const now = deps.now ?? (() => Date.now());
  const debounceMs = deps.thresholdDebounceMs ?? 50;
  let client: AnalysisApi | null = null;
  const api = () => (client ??= deps.client());
  let thresholdTimer: ReturnType<typeof setTimeout> | null = null;
  let topTimer: ReturnType<typeof setTimeout> | null = null;
  const inFlightPages = new Set<string>();

  const store = createStore<LoupeState>()((set, get) => {
    const apply = <P>(reducer: (state: LoupeData, payload: P) => A.Patch, payload: P) => set(reducer(get(), payload));

    async function runAnalysis(sources: SourceFiles): Promise<void> {
      if (get().run) {
        const names = sources.targets.map((f) => f.name).join(', ');
        set({ notice: `An analysis is still running: press Cancel (or wait for it), then open ${names || 'the files'} again.` });
        return;
      }
      // References first: the pipeline reads them first, and summary.files must line up with the
      // file index of each row.
      const files: AnalysisInput['files'] = [
        ...sources.references.map((f) => ({ name: f.name, data: f as Blob, role: 'reference' as const })),
        ...sources.targets.map((f) => ({ name: f.name, data: f as Blob, role: 'target' as const })),
      ];
      const input: AnalysisInput = { files };
      if (sources.labels) input.labels = { name: sources.labels.name, data: sources.labels };
      apply(A.analysisStarted, { fileNames: files.map((f) => f.name), startedAt: now() });
      // The worker already sends progress a few times a second (core/analysis/progress.ts).
      const onProgress = (p: StageProgress) => {
        if (p.preview) {
          const { preview, ...progress } = p;
          apply(A.previewReceived, preview);
          apply(A.progressReceived, progress);
          return;
        }
        apply(A.progressReceived, p);
      };
      try {
        const summary = await api().analyze(input, get().settings, onProgress);
        set(A.sourcesChanged(get(), sources));
        apply(A.analysisSucceeded, summary);
      } catch (error) {
        apply(A.analysisFailed, { message: messageOf(error), cancelled: false });
      }
    }

    // Navigation and word explanations (navigation.ts): defined once `selectRecord` exists.
    const nav: NavigationActions = navigationActions({
      get,
      set,
      api,
      notice: (message) => set({ notice: message }),
      error: (message) => apply(A.errorRaised, message),
    });

    async function fetchDetail(record: number): Promise<void> {
      // The words run the encoder: asked separately, so the detail answers at once.
      void nav.explainWords(record);
      try {
        apply(A.detailReceived, await api().detail(record, get().threshold, { words: false }));
      } catch (error) {
        apply(A.detailFailed, { record, message: `Could not explain line: ${messageOf(error)}` });
      }
    }

    async function selectRecord(record: number, options?: { jump?: boolean }): Promise<void> {
      apply(A.selectionChanged, { record });
      const detail = fetchDetail(record);
      if (options?.jump) await jumpToRecord(record);
      await detail;
    }

    async function jumpToRecord(record: number): Promise<void> {
      let position = await api().positionOf(get().filter, record);
      if (position < 0 && Object.keys(get().filter).length > 0) {
        // The line is hidden by the filter: show it rather than jump nowhere.
        const order = get().filter.order;
        apply(A.filterCleared, undefined);
        if (order) apply(A.filterChanged, { order });
        set({ notice: 'Filters cleared to show the selected line.' });
        position = await api().positionOf(get().filter, record);
      }
      apply(A.jumpRequested, position);
    }

    return {
      ...INITIAL_DATA,
      ...nav,
      settings: loadSettings(deps.storage),
      theme: loadTheme(deps.storage),

      async openFiles(dropped0, role) {
        // Analysis bundles are recognised by content and reopened (state/sharing.ts), whatever their name.
        const files = deps.takeBundles ? await deps.takeBundles(dropped0) : dropped0;
        if (files.length === 0 && dropped0.length > 0) return;
        const dropped = splitDroppedFiles(files);
        const { labels } = dropped;
        // Binary or empty files are set aside one by one; the rest are analysed (screenFiles.ts).
        const { good: logs, rejected } = await screenLogs(dropped.logs);
        const current = get().sources;
        const asReference = (role ?? (get().dropAsReference ? 'reference' : 'target')) === 'reference';
        if (logs.length === 0 && !labels) {
          apply(
            A.errorRaised,
            rejected.length ? rejectedMessage(rejected, 0) : 'Nothing to open: drop log files (.log, .txt, .gz, .jsonl) or a labels CSV.',
          );
          return;
        }
        const next: SourceFiles = {
          targets: !asReference && logs.length > 0 ? logs : current.targets,
          references: asReference && logs.length > 0 ? logs : current.references,
          // Labels belong to the log they came with; a new log without labels drops the old ones.
          labels: labels ?? (!asReference && logs.length > 0 ? undefined : current.labels),
        };
        // The reference toggle applies to one drop: the next file is the log to check.
        if (asReference) set({ dropAsReference: false });
        if (next.targets.length === 0) {
          set(A.sourcesChanged(get(), next));
          set({ notice: 'Reference kept. Now drop the log to check against it.' });
          return;
        }
        await runAnalysis(next);
        if (rejected.length) {
          const notice = get().notice;
          set({ notice: `${rejectedMessage(rejected, logs.length)}${notice ? ` ${notice}` : ''}` });
        }
      },

      async openDemo() {
        let files: File[];
        try {
          files = await deps.fetchDemo();
        } catch (error) {
          apply(A.errorRaised, `Could not load the demo log: ${messageOf(error)}`);
          return;
        }
        await get().openFiles(files, 'target');
      },

      async clearReference() {
        const sources = { ...get().sources, references: [] };
        if (get().summary?.referenceMode && sources.targets.length > 0) await runAnalysis(sources);
        else set(A.sourcesChanged(get(), sources));
      },

      cancel() {
        if (!get().run) return;
        apply(A.cancelRequested, undefined);
        api().cancel();
      },

      async applySettings(next) {
        const summary = get().summary;
        const change = summary ? settingsChange(summary.settings, next) : 'none';
        apply(A.settingsChanged, next);
        if (!summary || change === 'none') return;
        if (change === 'reanalyse') {
          await runAnalysis(get().sources);
          return;
        }
        set(A.rescoreStarted());
        try {
          apply(A.rescoreSucceeded, await api().rescore(scoringSettingsOf(next)));
        } catch (error) {
          apply(A.rescoreFailed, `Re-scoring failed: ${messageOf(error)}`);
        }
      },

      setThreshold(threshold) {
        apply(A.thresholdSet, threshold);
        if (thresholdTimer !== null) clearTimeout(thresholdTimer);
        thresholdTimer = setTimeout(() => {
          thresholdTimer = null;
          const wanted = get().threshold;
          api()
            .thresholdView(wanted)
            .then((view) => apply(A.thresholdViewReceived, view))
            .catch((error: unknown) => apply(A.errorRaised, `Could not update counts: ${messageOf(error)}`));
        }, debounceMs);
      },

      setFlaggedShare(share) {
        const scores = get().summary?.scoreDistribution;
        if (scores) get().setThreshold(thresholdForShare(scores, share));
      },

      selectRecord,

      async selectTemplate(templateId) {
        apply(A.selectionChanged, { template: templateId });
        // The template's worst line, not its first.
        if (templateId !== undefined) await nav.openHighest({ templateId });
      },

      selectSession(session) {
        apply(A.selectionChanged, { session });
        apply(A.filterChanged, { session });
        // The session's worst line opens in the filtered viewer.
        if (session !== undefined) void nav.openHighest({ session });
      },

      brushRange(range) {
        apply(A.selectionChanged, { range });
        // The viewer shows the brushed stretch of the log (clearing the brush shows it all again).
        apply(A.filterChanged, { range });
      },

      setFilter(change) {
        apply(A.filterChanged, change);
      },

      clearFilter() {
        apply(A.filterCleared, undefined);
      },

      ensureRows(first, end) {
        const { rows, filter, summary } = get();
        if (!summary) return;
        const key = rows.key;
        // Before the first page arrives the total is unknown: always ask for the first one.
        const wanted = rows.order.length === 0 ? [0, ...pagesFor(first, end, PAGE_SIZE)] : pagesFor(first, end, PAGE_SIZE);
        for (const page of new Set(wanted)) {
          const flightKey = `${key}:${page}`;
          if (rows.pages[page] || inFlightPages.has(flightKey)) continue;
          inFlightPages.add(flightKey);
          api()
            .rows(filter, page * PAGE_SIZE, PAGE_SIZE)
            .then((result) => apply(A.rowPageReceived, { key, page, total: result.total, rows: result.rows }))
            .catch((error: unknown) => apply(A.errorRaised, `Could not read log lines: ${messageOf(error)}`))
            .finally(() => inFlightPages.delete(flightKey));
        }
      },

      jumpToRecord,

      async nextAnomaly(direction) {
        // Flagged lines in the viewer's order (file or score) and filter.
        await nav.stepFlagged(direction);
      },

      setSaliencyMode(mode) {
        apply(A.saliencyModeSet, mode);
      },

      async setMapProjection(projection) {
        if (!get().summary || projection === get().mapProjection) return;
        apply(A.projectionRequested, projection);
        try {
          apply(A.projectionReceived, { projection, map: await api().projectMap(projection) });
        } catch (error) {
          apply(A.projectionFailed, error instanceof Error ? error.message : String(error));
        }
      },

      setDropAsReference(on) {
        apply(A.dropAsReferenceSet, on);
      },

      setTheme(theme) {
        apply(A.themeChanged, theme);
      },

      dismissError() {
        set(A.errorDismissed());
      },

      dismissNotice() {
        set(A.noticeDismissed());
      },

      async clearVectorCache() {
        try {
          const cleared = await (deps.clearVectorCache ?? clearVectorCache)();
          set({
            notice: cleared ? 'Cached vectors cleared: the next analysis embeds every text again.' : 'This browser keeps no vector cache.',
          });
        } catch (error) {
          apply(A.errorRaised, `Could not clear the vector cache: ${messageOf(error)}`);
        }
      },

      reportError(message) {
        apply(A.errorRaised, message);
      },
    };
  });

  store.subscribe((state, previous) => {
    if (state.settings !== previous.settings) saveSettings(deps.storage, state.settings);
    if (state.theme !== previous.theme) saveTheme(deps.storage, state.theme);
    // A new summary or threshold changes what is flagged: the Top anomalies list follows (debounced
    // like the threshold view, so dragging asks once).
    if (state.summaryVersion !== previous.summaryVersion) store.setState({ words: null, wordsProgress: null, topAnomalies: null });
    // A box on the map narrows the session table to the sessions holding its templates.
    const boxed = state.filter.templateIds;
    if (boxed !== previous.filter.templateIds || state.summaryVersion !== previous.summaryVersion) {
      const client = api();
      if (!boxed || !state.summary?.sessions.length || !client.sessionsHolding) {
        if (state.boxedSessions) store.setState({ boxedSessions: null });
      } else {
        client
          .sessionsHolding(boxed)
          .then((ids) => {
            if (store.getState().filter.templateIds === boxed) store.setState({ boxedSessions: { templateIds: boxed, ids } });
          })
          .catch(() => undefined); // the table stays whole
      }
    }
    if (state.summary && (state.summaryVersion !== previous.summaryVersion || state.threshold !== previous.threshold)) {
      if (topTimer !== null) clearTimeout(topTimer);
      const fresh = state.summaryVersion !== previous.summaryVersion;
      topTimer = setTimeout(() => {
        topTimer = null;
        const now = store.getState();
        // A new summary's threshold view says what the labels matched (and evaluates session labels).
        if (fresh) now.setThreshold(now.threshold);
        // "Flagged only" follows the threshold the analyst drags.
        if (now.filter.flaggedAt !== undefined && now.filter.flaggedAt !== now.threshold) now.setFilter({ flaggedAt: now.threshold });
        void now.refreshTopAnomalies();
      }, debounceMs);
    }
  });

  return store;
}
