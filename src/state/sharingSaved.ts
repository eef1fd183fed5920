/**
 * The sharing store's saved analyses and bundles (issue 11): list, save, reopen and delete the
 * analyses kept in this browser, and write or open `.loupe.gz` bundles. A reopened analysis is
 * handed to the main store exactly as a finished one (see SharingContext.adoptReopened).
 */
import { isBundle } from '../core/bundle/bundleFile';
import { mergeLabels } from '../core/labels/labels';
import { baseName, messageOf, targetAnalysisKey, type SharingContext } from './sharingContext';
import type { SharingActions } from './sharingTypes';

type SavedActions = Pick<
  SharingActions,
  'refreshSaved' | 'saveCurrent' | 'openSaved' | 'deleteSaved' | 'deleteAllSaved' | 'exportBundle' | 'importBundle' | 'takeBundles'
>;

export function savedAnalysisActions(ctx: SharingContext): SavedActions {
  const { deps, set, get, main, fail } = ctx;
  return {
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
        const fileKeys = await ctx.fileKeysNow();
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
        ctx.adoptReopened(reopened);
        await ctx.loadNotes(reopened.fileKeys.filter((_, i) => reopened.summary.files[i]?.role !== 'reference'));
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
        const fileKeys = await ctx.fileKeysNow();
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
        ctx.adoptReopened(reopened);
        // Labels that came in the bundle join this browser's, label by label (later writes win).
        set({ labels: mergeLabels(get().labels, reopened.labels) });
        await deps.storage.putLabels(reopened.labels).catch(() => undefined);
        if (reopened.notes)
          await deps.storage
            .putNote({ id: targetAnalysisKey(reopened.fileKeys, reopened.summary), text: reopened.notes, updatedAt: ctx.now() })
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
  };
}
