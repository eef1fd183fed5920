/**
 * The page's side of saving, sharing and labelling (issue 11), as a store of its own beside the
 * main one: saved analyses (list, save, reopen, delete, storage used), bundles (export, import by
 * content), CSV and HTML report downloads, and the analyst's labels and notes (content-keyed,
 * written per label, merged from other tabs). It reads the main store and hands it a reopened
 * analysis exactly as a finished one. Storage and downloads are injected so Node tests drive it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AnalysisApi, AnalysisSummary, LogRow, RowFilter } from '../core/analysis/types';
import type { LabelSuggestion, LearningSummary } from '../core/analysis/learning';
import { isBundle } from '../core/bundle/bundleFile';
import { csvRow, LINE_HEADER, lineRowsCsv, templatesCsv, unitsCsv } from '../core/bundle/csv';
import type { ReopenedAnalysis } from '../core/bundle/reopen';
import { renderReport } from '../core/bundle/report';
import { isFlagged, lineCutoff } from '../core/detect/threshold';
import {
  analysisKey,
  fileFingerprint,
  isLive,
  lineKey,
  mergeLabels,
  MAX_NOTE,
  sessionKey,
  templateKey,
  type AnalystLabel,
  type LabelTarget,
  type Verdict,
} from '../core/labels/labels';
import type { SavedAnalysisInfo, SavedNote, StorageUse } from '../core/saved/savedAnalyses';
import * as A from './actions';
import type { LoupeStore } from './createStore';

/** What the sharing store needs from IndexedDB (core/saved/savedAnalyses.ts in the browser). */
export interface SavedStorage {
  listSaved(): Promise<SavedAnalysisInfo[]>;
  deleteSaved(id: string): Promise<void>;
  deleteAllSaved(): Promise<void>;
  storageUse(): Promise<StorageUse | undefined>;
  putLabels(labels: AnalystLabel[]): Promise<AnalystLabel[]>;
  allLabels(): Promise<AnalystLabel[]>;
  onLabelsFromOtherTabs(onLabels: (labels: AnalystLabel[]) => void): () => void;
  getNote(id: string): Promise<SavedNote | undefined>;
  putNote(note: SavedNote): Promise<boolean>;
}

export interface SharingDeps {
  main: LoupeStore;
  api: () => AnalysisApi;
  storage: SavedStorage;
  download: (fileName: string, data: Blob) => void;
  now?: () => number;
  fingerprint?: (file: Blob) => Promise<string>;
}

/** What a label is put on. */
export type LabelSubject =
  | { target: 'line'; row: Pick<LogRow, 'file' | 'lineNumber'> }
  | { target: 'template'; templateId: number; text: string }
  | { target: 'session'; id: string };

export interface ReopenedInfo {
  name: string;
  source: ReopenedAnalysis['source'];
  hasLines: boolean;
  createdAt: string;
  id?: string;
}

export interface SharingData {
  saved: SavedAnalysisInfo[] | null;
  storage: StorageUse | null;
  /** Every label known to this browser, by key (labels of other analyses included). */
  labels: Map<string, AnalystLabel>;
  /** Fingerprints of the current analysis's files, by file index; null until known. */
  fileKeys: string[] | null;
  /** Notes on the current analysis. */
  notes: string;
  /** Set when the current analysis was reopened (a saved one or a bundle), not computed here. */
  reopened: ReopenedInfo | null;
  /** What is being done now ("Saving…"), for the buttons to wait. */
  busy: string | null;
  /** The label whose note is being written (the `c` key opens it). */
  noteOpen: boolean;
  message: string | null;
  error: string | null;
  /** What the head learned from the labels (issue 12); null before the first training. */
  learning: LearningSummary | null;
  /** The analyst's weight of the learned score (the slider); null: chosen from the labels. */
  blendWeight: number | null;
  /** "Label next": up to 10 units to label. */
  suggestions: LabelSuggestion[];
}

export interface SharingActions {
  /** Loads labels and the saved list, and listens to other tabs. Returns the unsubscribe function. */
  start(): Promise<() => void>;
  refreshSaved(): Promise<void>;
  saveCurrent(options: { includeLines: boolean; name?: string }): Promise<SavedAnalysisInfo | undefined>;
  openSaved(id: string): Promise<void>;
  deleteSaved(id: string): Promise<void>;
  deleteAllSaved(): Promise<void>;
  exportBundle(options: { includeLines: boolean }): Promise<void>;
  importBundle(file: Blob): Promise<boolean>;
  /** Imports the bundles among dropped files (recognised by content); returns the other files. */
  takeBundles(files: File[]): Promise<File[]>;
  exportCsv(kind: 'lines' | 'templates' | 'sessions', scope: 'filter' | 'all'): Promise<void>;
  exportReport(): Promise<void>;
  /** The key of what a label is put on, in the current analysis (undefined until fingerprints are known). */
  keyOf(subject: LabelSubject): string | undefined;
  labelOf(subject: LabelSubject): AnalystLabel | undefined;
  setVerdict(subject: LabelSubject, verdict: Verdict | null): Promise<void>;
  setNote(subject: LabelSubject, note: string): Promise<void>;
  /** Labels of the current analysis that say something. */
  currentLabels(): AnalystLabel[];
  setNotes(notes: string): Promise<void>;
  setNoteOpen(open: boolean): void;
  /** Overrides the learned score's weight (null: back to the labels' choice) and retrains. */
  setBlendWeight(weight: number | null): void;
  /** A unit's unsupervised, learned and blended scores (undefined while the worker cannot say). */
  learningScores(unit: number): Promise<{ unsupervised: number; learned?: number; blended?: number } | undefined>;
  dismiss(): void;
}

export type SharingState = SharingData & SharingActions;
export type SharingStore = StoreApi<SharingState>;

export const INITIAL_SHARING: SharingData = {
  saved: null,
  storage: null,
  labels: new Map(),
  fileKeys: null,
  notes: '',
  reopened: null,
  busy: null,
  noteOpen: false,
  message: null,
  error: null,
  learning: null,
  blendWeight: null,
  suggestions: [],
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

function baseName(summary: AnalysisSummary | null): string {
  const name = summary?.files.find((f) => f.role === 'target')?.name ?? 'analysis';
  return name.replace(/\.(gz|log|txt|jsonl?)$/i, '').replace(/\.(log|txt)$/i, '') || 'analysis';
}

/** Rows asked per call when writing the lines CSV: the worker answers pages, never the whole log. */
const CSV_PAGE = 5000;
/** Wait after a label before the evaluation is recomputed (labelling in a row asks once). */
const EVALUATION_DEBOUNCE_MS = 300;
/** Anomalies explained in the report (each runs the word saliency). */
const REPORT_TOP = 10;

export function createSharingStore(deps: SharingDeps): SharingStore {
  const now = deps.now ?? (() => Date.now());
  const fingerprint = deps.fingerprint ?? fileFingerprint;
  const keyCache = new WeakMap<Blob, Promise<string>>();
  /** The summary a reopen put in the main store: its file keys came with it, not from dropped files. */
  let reopenedSummary: AnalysisSummary | null = null;
  /** Summaries a retraining put in the main store: the same analysis, not a new one to fingerprint. */
  const learnedSummaries = new WeakSet<AnalysisSummary>();

  const store = createStore<SharingState>()((set, get) => {
    const main = () => deps.main.getState();
    const fail = (what: string, error: unknown) => set({ busy: null, error: `${what}: ${messageOf(error)}` });

    async function fileKeysNow(): Promise<string[]> {
      const known = get().fileKeys;
      if (known) return known;
      const { sources } = main();
      // Same order as summary.files: references first, then targets (see createStore's runAnalysis).
      const files = [...sources.references, ...sources.targets];
      const keys = await Promise.all(
        files.map((f) => {
          let key = keyCache.get(f);
          if (!key) keyCache.set(f, (key = fingerprint(f)));
          return key;
        }),
      );
      set({ fileKeys: keys });
      return keys;
    }

    let evaluationTimer: ReturnType<typeof setTimeout> | null = null;
    /** The analyst's labels feed the evaluation strip: sent to the worker, then the view is asked again. */
    function syncEvaluation(): void {
      if (evaluationTimer !== null) clearTimeout(evaluationTimer);
      evaluationTimer = setTimeout(() => {
        evaluationTimer = null;
        const keys = get().fileKeys;
        const state = main();
        if (!keys || !state.summary || state.run) return;
        deps
          .api()
          .useAnalystLabels(get().currentLabels(), keys)
          .then(() => main().setThreshold(main().threshold))
          .catch(() => undefined) // the evaluation keeps the log's own labels
          .then(() => learn(keys));
      }, EVALUATION_DEBOUNCE_MS);
    }

    /**
     * The head retrained on the labels (issue 12): once it exists, the blended scoring replaces the
     * one every view reads (as a re-score does); the "Label next" list is asked again.
     */
    async function learn(keys: string[]): Promise<void> {
      const api = deps.api();
      if (!api.trainOnLabels || !main().summary || main().run) return;
      try {
        const weight = get().blendWeight ?? undefined;
        const view = await api.trainOnLabels(get().currentLabels(), keys, { weight });
        // Without a head before or now, the scoring did not change: the views stay as they are.
        if (view.learning.trained || get().learning?.trained) {
          learnedSummaries.add(view.summary);
          deps.main.setState(A.rescoreSucceeded(main(), view.summary));
        }
        set({ learning: view.learning, suggestions: (await api.labelNext?.()) ?? [] });
      } catch (error) {
        set({ error: `Learning from your labels failed: ${messageOf(error)}` });
      }
    }

    async function loadNotes(keys: string[]): Promise<void> {
      const note = await deps.storage.getNote(analysisKey(keys)).catch(() => undefined);
      set({ notes: note?.text ?? '' });
    }

    function adoptReopened(reopened: ReopenedAnalysis): void {
      reopenedSummary = reopened.summary;
      set({
        fileKeys: reopened.fileKeys,
        notes: reopened.notes,
        reopened: {
          name: reopened.name,
          source: reopened.source,
          hasLines: reopened.hasLines,
          createdAt: reopened.createdAt,
          id: reopened.id,
        },
      });
      const state = main();
      deps.main.setState({ ...A.analysisSucceeded(state, reopened.summary), sources: { targets: [], references: [] } });
      syncEvaluation();
    }

    function analysisKeyNow(): string | undefined {
      const keys = get().fileKeys;
      const summary = main().summary;
      if (!keys || !summary) return undefined;
      return analysisKey(keys.filter((_, i) => summary.files[i]?.role !== 'reference'));
    }

    const keyOf = (subject: LabelSubject): string | undefined => {
      const keys = get().fileKeys;
      if (!keys) return undefined;
      if (subject.target === 'line') {
        const fileKey = keys[subject.row.file];
        return fileKey ? lineKey(fileKey, subject.row.lineNumber) : undefined;
      }
      const analysis = analysisKeyNow();
      if (!analysis) return undefined;
      return subject.target === 'template' ? templateKey(analysis, subject.text) : sessionKey(analysis, subject.id);
    };

    async function writeLabel(subject: LabelSubject, change: Partial<Pick<AnalystLabel, 'verdict' | 'note'>>): Promise<void> {
      await fileKeysNow();
      const key = keyOf(subject);
      if (!key) return;
      const before = get().labels.get(key);
      const summary = main().summary;
      const label: AnalystLabel = {
        key,
        target: subject.target as LabelTarget,
        verdict: before?.verdict ?? null,
        note: before?.note ?? '',
        ...change,
        updatedAt: Math.max(now(), (before?.updatedAt ?? 0) + 1),
      };
      if (subject.target === 'line') {
        label.file = summary?.files[subject.row.file]?.name;
        label.line = subject.row.lineNumber;
      } else if (subject.target === 'template') label.template = subject.text;
      else label.session = subject.id;
      label.note = label.note.slice(0, MAX_NOTE);
      set({ labels: mergeLabels(get().labels, [label]) });
      syncEvaluation();
      try {
        await deps.storage.putLabels([label]);
      } catch (error) {
        set({ error: `The label is shown but could not be stored: ${messageOf(error)}` });
      }
    }

    return {
      ...INITIAL_SHARING,

      async start() {
        try {
          set({ labels: mergeLabels(get().labels, await deps.storage.allLabels()) });
        } catch (error) {
          set({ error: `Labels could not be loaded: ${messageOf(error)}` });
        }
        void get().refreshSaved();
        const stopTabs = deps.storage.onLabelsFromOtherTabs((labels) => {
          set({ labels: mergeLabels(get().labels, labels) });
          syncEvaluation();
        });
        // A new analysis from dropped files: its fingerprints are computed from those files.
        const stopMain = deps.main.subscribe((state, previous) => {
          if (state.summary === previous.summary || !state.summary || state.summary === reopenedSummary) return;
          if (learnedSummaries.has(state.summary)) return;
          if (state.summaryVersion !== previous.summaryVersion && state.run === null && state.sources.targets.length) {
            reopenedSummary = null;
            set({ fileKeys: null, reopened: null, notes: '', learning: null, suggestions: [] });
            void fileKeysNow().then((keys) => {
              syncEvaluation();
              return loadNotes(keys.filter((_, i) => state.summary?.files[i]?.role !== 'reference'));
            });
          }
        });
        return () => {
          stopTabs();
          stopMain();
        };
      },

      async refreshSaved() {
        try {
          const [saved, storage] = await Promise.all([deps.storage.listSaved(), deps.storage.storageUse().catch(() => undefined)]);
          set({ saved, storage: storage ?? null });
        } catch (error) {
          set({ saved: [], error: messageOf(error) });
        }
      },

      async saveCurrent({ includeLines, name }) {
        const summary = main().summary;
        if (!summary || get().busy) return undefined;
        set({ busy: 'Saving the analysis…', error: null, message: null });
        try {
          const fileKeys = await fileKeysNow();
          const info = await deps.api().saveAnalysis({ name: name ?? get().reopened?.name ?? baseName(summary), includeLines, fileKeys });
          set({ busy: null, message: `Saved "${info.name}" in this browser.` });
          await get().refreshSaved();
          return info;
        } catch (error) {
          // The worker's message says what to do (quota: delete saves or drop the lines).
          fail('Not saved', error);
          await get().refreshSaved();
          return undefined;
        }
      },

      async openSaved(id) {
        if (main().run) {
          set({ error: 'An analysis is running: cancel it (or wait), then open the saved one.' });
          return;
        }
        set({ busy: 'Opening the saved analysis…', error: null, message: null });
        try {
          const reopened = await deps.api().openSaved(id);
          adoptReopened(reopened);
          await loadNotes(reopened.fileKeys.filter((_, i) => reopened.summary.files[i]?.role !== 'reference'));
          // Without the lines, SharingBanner says so for as long as this analysis is shown.
          set({ busy: null });
        } catch (error) {
          fail('Could not open the saved analysis', error);
        }
      },

      async deleteSaved(id) {
        try {
          await deps.storage.deleteSaved(id);
        } catch (error) {
          set({ error: messageOf(error) });
        }
        await get().refreshSaved();
      },

      async deleteAllSaved() {
        try {
          await deps.storage.deleteAllSaved();
        } catch (error) {
          set({ error: messageOf(error) });
        }
        await get().refreshSaved();
      },

      async exportBundle({ includeLines }) {
        const summary = main().summary;
        if (!summary || get().busy) return;
        set({ busy: 'Writing the bundle…', error: null });
        try {
          const fileKeys = await fileKeysNow();
          const name = get().reopened?.name ?? baseName(summary);
          const bytes = await deps
            .api()
            .exportAnalysisBundle({ name, includeLines, fileKeys, labels: get().currentLabels(), notes: get().notes });
          deps.download(`${name}.loupe.gz`, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/gzip' }));
          set({ busy: null });
        } catch (error) {
          fail('Export failed', error);
        }
      },

      async importBundle(file) {
        if (main().run) {
          set({ error: 'An analysis is running: cancel it (or wait), then drop the bundle again.' });
          return false;
        }
        set({ busy: 'Opening the bundle…', error: null, message: null });
        try {
          const reopened = await deps.api().importAnalysisBundle(file);
          adoptReopened(reopened);
          // Labels that came in the bundle join this browser's, label by label (later writes win).
          set({ labels: mergeLabels(get().labels, reopened.labels) });
          await deps.storage.putLabels(reopened.labels).catch(() => undefined);
          if (reopened.notes)
            await deps.storage
              .putNote({
                id: analysisKey(reopened.fileKeys.filter((_, i) => reopened.summary.files[i]?.role !== 'reference')),
                text: reopened.notes,
                updatedAt: now(),
              })
              .catch(() => undefined);
          set({
            busy: null,
            message: `Opened the bundle "${reopened.name}"${reopened.hasLines ? '' : ' (without log lines: lines show their masked text)'}.`,
          });
          return true;
        } catch (error) {
          // The current analysis is untouched: the worker validated everything before replacing it.
          fail('This bundle cannot be opened', error);
          return false;
        }
      },

      async takeBundles(files) {
        const rest: File[] = [];
        let bundle: File | undefined;
        for (const f of files) {
          if (!bundle && (await isBundle(f).catch(() => false))) bundle = f;
          else rest.push(f);
        }
        if (bundle) await get().importBundle(bundle);
        return rest;
      },

      async exportCsv(kind, scope) {
        const state = main();
        const summary = state.summary;
        if (!summary || get().busy) return;
        set({ busy: 'Writing the CSV…', error: null });
        try {
          await fileKeysNow();
          const name = `${get().reopened?.name ?? baseName(summary)}.${kind}${scope === 'filter' ? '.filtered' : ''}.csv`;
          if (kind === 'templates') {
            const filter = state.filter;
            const templates =
              scope === 'filter' && filter.templateIds?.length
                ? summary.templates.filter((t) => filter.templateIds!.includes(t.id))
                : summary.templates;
            deps.download(
              name,
              new Blob([templatesCsv(templates, (t) => get().labelOf({ target: 'template', templateId: t.id, text: t.text }))], {
                type: 'text/csv',
              }),
            );
          } else if (kind === 'sessions') {
            deps.download(
              name,
              new Blob([unitsCsv('session', summary.sessions, (u) => get().labelOf({ target: 'session', id: u.id }))], {
                type: 'text/csv',
              }),
            );
          } else {
            const filter: RowFilter = scope === 'filter' ? state.filter : {};
            const cutoff = lineCutoff(summary.settings.unit, state.threshold, summary.lineThreshold);
            const names = summary.files.map((f) => f.name);
            const parts: string[] = [`${csvRow(LINE_HEADER)}\r\n`];
            for (let start = 0; ; start += CSV_PAGE) {
              const { total, rows } = await deps.api().rows(filter, start, CSV_PAGE);
              if (rows.length)
                parts.push(
                  `${lineRowsCsv(
                    rows,
                    names,
                    (s) => isFlagged(s, cutoff),
                    (r) => get().labelOf({ target: 'line', row: r }),
                  )}\r\n`,
                );
              if (!rows.length || start + rows.length >= total) break;
            }
            deps.download(name, new Blob(parts, { type: 'text/csv' }));
          }
          set({ busy: null });
        } catch (error) {
          fail('CSV export failed', error);
        }
      },

      async exportReport() {
        const state = main();
        const summary = state.summary;
        if (!summary || get().busy) return;
        set({ busy: 'Writing the report (explaining the top anomalies)…', error: null });
        try {
          const api = deps.api();
          const view = state.thresholdView ?? (await api.thresholdView(state.threshold));
          const top = await api.topAnomalies(state.threshold, REPORT_TOP);
          const explained = [];
          for (const anomaly of top)
            explained.push({ anomaly, detail: await api.detail(anomaly.record, state.threshold, { words: true }).catch(() => undefined) });
          const html = renderReport({
            title: `Loupe report: ${get().reopened?.name ?? baseName(summary)}`,
            createdAt: new Date(now()),
            summary,
            threshold: state.threshold,
            linesAbove: view.linesAbove,
            top: explained,
            labels: get().currentLabels(),
            notes: get().notes,
          });
          deps.download(`${get().reopened?.name ?? baseName(summary)}.report.html`, new Blob([html], { type: 'text/html' }));
          set({ busy: null });
        } catch (error) {
          fail('Report failed', error);
        }
      },

      keyOf,

      labelOf(subject) {
        const key = keyOf(subject);
        return key ? get().labels.get(key) : undefined;
      },

      async setVerdict(subject, verdict) {
        await writeLabel(subject, { verdict });
      },

      async setNote(subject, note) {
        await writeLabel(subject, { note });
      },

      currentLabels() {
        const keys = get().fileKeys;
        const analysis = analysisKeyNow();
        if (!keys || !analysis) return [];
        const prefixes = [...keys.map((k) => `${k}:L`), `${analysis}:`];
        return [...get().labels.values()].filter((l) => isLive(l) && prefixes.some((p) => l.key.startsWith(p)));
      },

      async setNotes(notes) {
        set({ notes });
        const keys = await fileKeysNow();
        const summary = main().summary;
        await deps.storage
          .putNote({
            id: analysisKey(keys.filter((_, i) => summary?.files[i]?.role !== 'reference')),
            text: notes.slice(0, 1 << 20),
            updatedAt: now(),
          })
          .catch((error: unknown) => set({ error: `Notes could not be stored: ${messageOf(error)}` }));
      },

      setNoteOpen(open) {
        set({ noteOpen: open });
      },

      async learningScores(unit) {
        return deps.api().learningScores?.(unit).catch(() => undefined);
      },

      setBlendWeight(weight) {
        if (weight !== null && !(weight >= 0 && weight <= 1)) return;
        set({ blendWeight: weight });
        syncEvaluation();
      },

      dismiss() {
        set({ error: null, message: null });
      },
    };
  });
  return store;
}
