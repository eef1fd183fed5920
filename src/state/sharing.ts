/**
 * The page's side of saving, sharing and labelling (issue 11), as a store of its own beside the
 * main one: saved analyses (list, save, reopen, delete, storage used), bundles (export, import by
 * content), CSV and HTML report downloads, and the analyst's labels and notes (content-keyed,
 * written per label, merged from other tabs). It reads the main store and hands it a reopened
 * analysis exactly as a finished one. Storage and downloads are injected so Node tests drive it.
 *
 * This module composes the store from its parts: sharingTypes (the public shape), sharingContext
 * (what the parts share), sharingSaved (saved analyses, bundles), sharingExports (CSV, report) and
 * sharingLabels (labels, notes, learning); it keeps listening to other tabs and new analyses.
 */
import { createStore } from 'zustand/vanilla';
import { mergeLabels } from '../core/labels/labels';
import { createSharingContext, messageOf } from './sharingContext';
import { exportActions } from './sharingExports';
import { labelActions } from './sharingLabels';
import { savedAnalysisActions } from './sharingSaved';
import { INITIAL_SHARING, type SharingDeps, type SharingState, type SharingStore } from './sharingTypes';

// The names other modules import from here; the rest of the public shape (INITIAL_SHARING, SharingData,
// SharingActions, ReopenedInfo) is imported from sharingTypes.ts directly.
export { type LabelSubject, type SavedStorage, type SharingDeps, type SharingState, type SharingStore } from './sharingTypes';

export function createSharingStore(deps: SharingDeps): SharingStore {
  return createStore<SharingState>()((set, get) => {
    const ctx = createSharingContext(deps, set, get);

    return {
      ...INITIAL_SHARING,
      ...savedAnalysisActions(ctx),
      ...exportActions(ctx),
      ...labelActions(ctx),

      async start() {
        try {
          set({ labels: mergeLabels(get().labels, await deps.storage.allLabels()) });
        } catch (error) {
          set({ error: `Labels could not be loaded: ${messageOf(error)}` });
        }
        void get().refreshSaved();
        const stopTabs = deps.storage.onLabelsFromOtherTabs((labels) => {
          set({ labels: mergeLabels(get().labels, labels) });
          ctx.syncEvaluation();
        });
        // A new analysis from dropped files: its fingerprints are computed from those files.
        const stopMain = deps.main.subscribe((state, previous) => {
          if (state.summary === previous.summary || !state.summary || state.summary === ctx.reopenedSummary) return;
          if (ctx.learnedSummaries.has(state.summary)) return;
          if (state.summaryVersion !== previous.summaryVersion && state.run === null && state.sources.targets.length) {
            ctx.reopenedSummary = null;
            set({ fileKeys: null, reopened: null, notes: '', learning: null, suggestions: [] });
            void ctx.fileKeysNow().then((keys) => {
              ctx.syncEvaluation();
              return ctx.loadNotes(keys.filter((_, i) => state.summary?.files[i]?.role !== 'reference'));
            });
          }
        });
        return () => {
          stopTabs();
          stopMain();
        };
      },

      dismiss() {
        set({ error: null, message: null });
      },
    };
  });
}
