/**
 * The sharing store's downloads (issue 11): the lines, templates and sessions as CSV (the current
 * filter or everything, with the analyst's labels) and the standalone HTML report.
 */
import { describeLearning } from '../core/analysis/learning';
import type { RowFilter } from '../core/analysis/types';
import { csvRow, LINE_HEADER, lineRowsCsv, templatesCsv, unitsCsv } from '../core/bundle/csv';
import { renderReport } from '../core/bundle/report';
import { isFlagged, lineCutoff } from '../core/detect/threshold';
import { baseName, type SharingContext } from './sharingContext';
import type { SharingActions } from './sharingTypes';

/** Rows asked per call when writing the lines CSV: the worker answers pages, never the whole log. */
const CSV_PAGE = 5000;
/** Anomalies explained in the report (each runs the word saliency). */
const REPORT_TOP = 10;

export function exportActions(ctx: SharingContext): Pick<SharingActions, 'exportCsv' | 'exportReport'> {
  const { deps, set, get, main, fail } = ctx;
  return {
    async exportCsv(kind, scope) {
      const state = main();
      const summary = state.summary;
      if (!summary || get().busy) return;
      set({ busy: 'Writing the CSV…', error: null });
      try {
        await ctx.fileKeysNow();
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
          createdAt: new Date(ctx.now()),
          summary,
          threshold: state.threshold,
          linesAbove: view.linesAbove,
          top: explained,
          labels: get().currentLabels(),
          notes: get().notes,
          // The ranking shown is the blended one once a head exists: the report says what taught it.
          learning: get().learning?.trained ? describeLearning(get().learning!, summary.settings.unit) : undefined,
        });
        deps.download(`${get().reopened?.name ?? baseName(summary)}.report.html`, new Blob([html], { type: 'text/html' }));
        set({ busy: null });
      } catch (error) {
        fail('Report failed', error);
      }
    },
  };
}
