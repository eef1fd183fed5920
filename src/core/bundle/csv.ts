/**
 * CSV exports of scored lines, templates and sessions. Cells are quoted as RFC 4180 says, and a
 * cell a spreadsheet would run as a formula (starting with = + - @, or a tab / carriage return
 * that some spreadsheets strip first) is prefixed with a single quote: a log line such as
 * `=HYPERLINK("http://evil")` stays text when the CSV is opened.
 */
import type { LogRow, TemplateRow, UnitRow } from '../analysis/types';
import type { AnalystLabel } from '../labels/labels';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: numbers as they are, text quoted when needed and defused when formula-like. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: Array<string | number | boolean | null | undefined>): string {
  return cells.map(csvCell).join(',');
}

const VERDICT = { 1: 'anomaly', 0: 'normal' } as const;

function verdictOf(label: AnalystLabel | undefined): string {
  return label?.verdict === 0 || label?.verdict === 1 ? VERDICT[label.verdict] : '';
}

export const LINE_HEADER = [
  'file',
  'line',
  'time',
  'level',
  'score',
  'flagged',
  'template_id',
  'ground_truth',
  'your_verdict',
  'your_note',
  'text',
];

/** Rows of the scored-lines CSV (the caller writes the header once, then pages of rows). */
export function lineRowsCsv(
  rows: LogRow[],
  fileNames: readonly string[],
  isFlagged: (score: number) => boolean,
  labelOf: (row: LogRow) => AnalystLabel | undefined,
): string {
  return rows
    .map((r) => {
      const label = labelOf(r);
      return csvRow([
        fileNames[r.file] ?? '',
        r.lineNumber,
        Number.isFinite(r.timestamp) ? new Date(r.timestamp).toISOString() : '',
        r.level,
        r.score,
        isFlagged(r.score),
        r.templateId,
        r.label >= 0 ? VERDICT[r.label as 0 | 1] : '',
        verdictOf(label),
        label?.note ?? '',
        r.raw,
      ]);
    })
    .join('\r\n');
}

export function templatesCsv(templates: readonly TemplateRow[], labelOf: (t: TemplateRow) => AnalystLabel | undefined): string {
  const lines = [
    csvRow(['template_id', 'score', 'count', 'level', 'novel', 'first_line', 'last_line', 'your_verdict', 'your_note', 'template']),
  ];
  for (const t of templates) {
    const label = labelOf(t);
    lines.push(
      csvRow([t.id, t.score, t.count, t.level, t.novel, t.firstSeen + 1, t.lastSeen + 1, verdictOf(label), label?.note ?? '', t.text]),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function unitsCsv(kind: string, units: readonly UnitRow[], labelOf: (u: UnitRow) => AnalystLabel | undefined): string {
  const lines = [csvRow([kind, 'rank', 'score', 'lines', 'ground_truth', 'start', 'end', 'your_verdict', 'your_note'])];
  for (const u of units) {
    const label = labelOf(u);
    lines.push(
      csvRow([
        u.id,
        u.rank,
        u.score,
        u.count,
        u.label >= 0 ? VERDICT[u.label as 0 | 1] : '',
        Number.isFinite(u.start) ? new Date(u.start).toISOString() : '',
        Number.isFinite(u.end) ? new Date(u.end).toISOString() : '',
        verdictOf(label),
        label?.note ?? '',
      ]),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
