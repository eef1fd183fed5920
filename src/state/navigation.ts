/**
 * Moving through a log like an analyst: flagged lines in the viewer's order (j/k, n/N), first and
 * last row (g/G), the selection by arrow keys, the highest-scored line of a timeline bucket,
 * template or session, the viewer's order and layout, the Top anomalies list, the map's box
 * selection, the help overlay and Esc. Also the word explanation of the selected line, asked
 * after its detail so the panel answers at once and the words follow, cancelable.
 */
import type { AnalysisApi, RowFilter, RowOrder } from '../core/analysis/types';
import type { LoupeData, ViewerLayout } from './shape';
import { filterChanged, filterCleared, selectionChanged, type Patch } from './actions';

export interface NavigationActions {
  setOrder(order: RowOrder): void;
  /** The next (1) or previous (-1) flagged line in the viewer's order, from the selection. */
  stepFlagged(direction: 1 | -1): Promise<void>;
  /** The first or last row of the viewer (in its order). */
  selectEdge(edge: 'first' | 'last'): Promise<void>;
  /** Moves the selection by rows of the viewer (arrow keys). */
  moveSelection(delta: number): Promise<void>;
  /** Opens the highest-scored line among `filter`'s rows (a bucket, a template, a session). */
  openHighest(filter: RowFilter): Promise<void>;
  setViewerLayout(change: Partial<ViewerLayout>): void;
  setHelpOpen(open: boolean): void;
  /** Esc: closes the help, else clears the filters, else the selection. */
  escape(): void;
  /** A box selection on the template map filters the viewer to those templates (undefined clears it). */
  selectMapTemplates(templateIds: number[] | undefined): void;
  refreshTopAnomalies(): Promise<void>;
  /** Word saliency of a line (the selected one): progress shown, a newer request cancels it. */
  explainWords(record: number): Promise<void>;
}

/** Units listed in the Top anomalies panel. */
const TOP_ANOMALIES = 100;

export interface NavigationDeps {
  get(): LoupeData & { selectRecord(record: number, options?: { jump?: boolean }): Promise<void> };
  set(patch: Patch): void;
  api(): AnalysisApi;
  notice(message: string): void;
  error(message: string): void;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

export function navigationActions({ get, set, api, notice, error }: NavigationDeps): NavigationActions {
  /** Only the newest Top anomalies request is kept (the threshold moves while dragging). */
  let topRequest = 0;

  async function selectAndShow(record: number): Promise<void> {
    if (record < 0) return;
    await get().selectRecord(record, { jump: true });
  }

  return {
    setOrder(order) {
      const state = get();
      set(filterChanged(state, { order: order === 'file' ? undefined : order }));
      // Keep the selected line in view in the new order.
      const record = get().selection.record;
      if (record !== undefined) void get().selectRecord(record, { jump: true });
    },

    async stepFlagged(direction) {
      const { summary, selection, threshold, filter } = get();
      if (!summary) return;
      const record = await api().stepFlagged(filter, selection.record ?? -1, direction, threshold);
      if (record < 0) {
        notice(
          direction === 1
            ? 'No flagged line after this one (in this order and filter).'
            : 'No flagged line before this one (in this order and filter).',
        );
        return;
      }
      await selectAndShow(record);
    },

    async selectEdge(edge) {
      const { summary, rows, filter } = get();
      if (!summary) return;
      const total = rows.total || (await api().rows(filter, 0, 0)).total;
      if (total === 0) return;
      await selectAndShow(await api().recordAt(filter, edge === 'first' ? 0 : total - 1));
    },

    async moveSelection(delta) {
      const { summary, selection, filter, rows } = get();
      if (!summary) return;
      const total = rows.total || (await api().rows(filter, 0, 0)).total;
      if (total === 0) return;
      const at = selection.record === undefined ? -1 : await api().positionOf(filter, selection.record);
      const next = at < 0 ? (delta > 0 ? 0 : total - 1) : Math.min(total - 1, Math.max(0, at + delta));
      if (next === at) return;
      await selectAndShow(await api().recordAt(filter, next));
    },

    async openHighest(scope) {
      try {
        const record = await api().highestScored(scope);
        if (record < 0) notice('No line there.');
        else await selectAndShow(record);
      } catch (e) {
        error(`Could not open the line: ${messageOf(e)}`);
      }
    },

    setViewerLayout(change) {
      set({ viewerLayout: { ...get().viewerLayout, ...change } });
    },

    setHelpOpen(open) {
      set({ helpOpen: open });
    },

    escape() {
      const state = get();
      if (state.helpOpen) {
        set({ helpOpen: false });
        return;
      }
      const { order, ...narrowing } = state.filter;
      if (Object.keys(narrowing).length > 0) {
        // The order is how the analyst reads, not a filter: Esc keeps it.
        set(filterCleared(state));
        if (order) set(filterChanged(get(), { order }));
        set(selectionChanged(get(), { template: undefined, session: undefined, range: undefined }));
        return;
      }
      if (state.selection.record !== undefined || state.selection.template !== undefined) {
        set({ ...selectionChanged(state, { record: undefined, template: undefined }), words: null, wordsProgress: null });
      }
    },

    selectMapTemplates(templateIds) {
      set(filterChanged(get(), { templateIds: templateIds && templateIds.length ? templateIds : undefined }));
    },

    async refreshTopAnomalies() {
      const { summary, threshold } = get();
      if (!summary) return;
      const request = ++topRequest;
      try {
        const top = await api().topAnomalies(threshold, TOP_ANOMALIES);
        if (request === topRequest) set({ topAnomalies: top });
      } catch (e) {
        if (request === topRequest) error(`Could not list the top anomalies: ${messageOf(e)}`);
      }
    },

    async explainWords(record) {
      set({ words: null, wordsProgress: { done: 0, total: 1 } });
      try {
        let done = false;
        const words = await api().words(record, (p) => {
          // Progress messages can arrive after the result (they cross the worker boundary on their own).
          if (!done && get().selection.record === record) set({ wordsProgress: p });
        });
        done = true;
        if (get().selection.record === record) set({ words, wordsProgress: null });
      } catch (e) {
        // A newer line's request cancelled this one: nothing to say.
        if (isAbort(e)) return;
        if (get().selection.record === record) {
          set({ wordsProgress: null });
          error(`Could not explain the words: ${messageOf(e)}`);
        }
      }
    },
  };
}
