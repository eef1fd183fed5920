/**
 * What the sharing store's action groups (saved analyses and bundles, downloads, labels) have in
 * common: the injected dependencies, the current analysis's file fingerprints and label keys, the
 * hand-over of a reopened analysis to the main store, and the retraining after labels change.
 * One context per store, so the groups share its caches and timers without module state.
 */
import type { AnalysisSummary } from '../core/analysis/types';
import type { ReopenedAnalysis } from '../core/bundle/reopen';
import { analysisKey, fileFingerprint, lineKey, sessionKey, templateKey } from '../core/labels/labels';
import * as A from './actions';
import type { LoupeState } from './createStore';
import type { LabelSubject, SharingDeps, SharingStore } from './sharingTypes';

export interface SharingContext {
  deps: SharingDeps;
  set: SharingStore['setState'];
  get: SharingStore['getState'];
  main: () => LoupeState;
  now: () => number;
  /** Ends the current busy step with an error saying what failed. */
  fail(what: string, error: unknown): void;
  /** The summary a reopen put in the main store: its file keys came with it, not from dropped files. */
  reopenedSummary: AnalysisSummary | null;
  /** Summaries a retraining put in the main store: the same analysis, not a new one to fingerprint. */
  learnedSummaries: WeakSet<AnalysisSummary>;
  fileKeysNow(): Promise<string[]>;
  syncEvaluation(): void;
  loadNotes(keys: string[]): Promise<void>;
  adoptReopened(reopened: ReopenedAnalysis): void;
  analysisKeyNow(): string | undefined;
  keyOf(subject: LabelSubject): string | undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

export function baseName(summary: AnalysisSummary | null): string {
  const name = summary?.files.find((f) => f.role === 'target')?.name ?? 'analysis';
  return name.replace(/\.(gz|log|txt|jsonl?)$/i, '').replace(/\.(log|txt)$/i, '') || 'analysis';
}

/** The analysis key of the target files only (references are shared across analyses). */
export function targetAnalysisKey(fileKeys: string[], summary: AnalysisSummary | null | undefined): string {
  return analysisKey(fileKeys.filter((_, i) => summary?.files[i]?.role !== 'reference'));
}

/** Wait after a label before the evaluation is recomputed (labelling in a row asks once). */
const EVALUATION_DEBOUNCE_MS = 300;

export function createSharingContext(deps: SharingDeps, set: SharingContext['set'], get: SharingContext['get']): SharingContext {
  const fingerprint = deps.fingerprint ?? fileFingerprint;
  const keyCache = new WeakMap<Blob, Promise<string>>();
  const main = () => deps.main.getState();
  let evaluationTimer: ReturnType<typeof setTimeout> | null = null;

  const ctx: SharingContext = {
    deps,
    set,
    get,
    main,
    now: deps.now ?? (() => Date.now()),
    fail: (what, error) => set({ busy: null, error: `${what}: ${messageOf(error)}` }),
    reopenedSummary: null,
    learnedSummaries: new WeakSet<AnalysisSummary>(),

    async fileKeysNow() {
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
    },

    /** The analyst's labels feed the evaluation strip: sent to the worker, then the view is asked again. */
    syncEvaluation() {
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
    },

    async loadNotes(keys) {
      const note = await deps.storage.getNote(analysisKey(keys)).catch(() => undefined);
      set({ notes: note?.text ?? '' });
    },

    adoptReopened(reopened) {
      ctx.reopenedSummary = reopened.summary;
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
        // A saved head ranks the reopened analysis as it did; the slider shows a weight the analyst set.
        learning: reopened.learning ?? null,
        blendWeight: reopened.learning?.weightFrom === 'analyst' ? reopened.learning.weight : null,
        suggestions: [],
        ...(reopened.headNote ? { error: reopened.headNote } : {}),
      });
      const state = main();
      deps.main.setState({ ...A.analysisSucceeded(state, reopened.summary), sources: { targets: [], references: [] } });
      ctx.syncEvaluation();
    },

    analysisKeyNow() {
      const keys = get().fileKeys;
      const summary = main().summary;
      if (!keys || !summary) return undefined;
      return targetAnalysisKey(keys, summary);
    },

    keyOf(subject) {
      const keys = get().fileKeys;
      if (!keys) return undefined;
      if (subject.target === 'line') {
        const fileKey = keys[subject.row.file];
        return fileKey ? lineKey(fileKey, subject.row.lineNumber) : undefined;
      }
      const analysis = ctx.analysisKeyNow();
      if (!analysis) return undefined;
      return subject.target === 'template' ? templateKey(analysis, subject.text) : sessionKey(analysis, subject.id);
    },
  };

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
      if (!view.unchanged && (view.learning.trained || get().learning?.trained)) {
        ctx.learnedSummaries.add(view.summary);
        deps.main.setState(A.rescoreSucceeded(main(), view.summary));
        // A re-score drops the line detail: the selected line is explained again on the new scores.
        const record = main().selection.record;
        if (record !== undefined) void main().selectRecord(record);
      }
      set({ learning: view.learning, suggestions: (await api.labelNext?.()) ?? [] });
    } catch (error) {
      set({ error: `Learning from your labels failed: ${messageOf(error)}` });
    }
  }

  return ctx;
}
