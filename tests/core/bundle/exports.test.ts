import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { csvCell, LINE_HEADER, lineRowsCsv, templatesCsv, csvRow } from '../../../src/core/bundle/csv';
import { escapeHtml, renderReport } from '../../../src/core/bundle/report';

/** A minimal CSV reader (RFC 4180 quoting) to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe('CSV export', () => {
  it('defuses formula-like cells and quotes separators', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      const cell = csvCell(evil);
      const [[back]] = parseCsv(cell + '\r\n');
      expect(back.startsWith("'")).toBe(true);
      expect(back.slice(1)).toBe(evil);
    }
    expect(csvCell('a,b "c"\nd')).toBe('"a,b ""c""\nd"');
    expect(csvCell(-1.5)).toBe('-1.5'); // numbers are numbers
    expect(csvCell(Number.NaN)).toBe('');
    expect(parseCsv(csvRow(['x', 'y,z', '=1']) + '\r\n')).toEqual([['x', 'y,z', "'=1"]]);
  });

  const BGL = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'loghub_2k', 'BGL', 'BGL_2k.log');
  it.skipIf(!existsSync(BGL))('writes every scored line of BGL_2k with its label, and a report that escapes log text', async () => {
    const service = new AnalysisService();
    const lines = readFileSync(BGL, 'utf8').split('\n');
    lines[4] = '=cmd|" /C calc"!A0 <script>alert(1)</script>';
    const summary = await service.analyze(
      { files: [{ name: 'BGL_2k.log', data: new Blob([lines.join('\n')]), role: 'target' }] },
      { ...DEFAULT_SETTINGS, detector: 'forest' },
      () => undefined,
    );
    const { rows, total } = await service.rows({}, 0, 5000);
    expect(total).toBe(2000);
    const csv = `${csvRow(LINE_HEADER)}\r\n${lineRowsCsv(
      rows,
      ['BGL_2k.log'],
      (s) => s >= summary.threshold,
      (r) => (r.lineNumber === 5 ? { key: 'k', target: 'line', verdict: 1, note: '+ mine', updatedAt: 1 } : undefined),
    )}\r\n`;
    const parsed = parseCsv(csv);
    expect(parsed.length).toBe(2001);
    const fifth = parsed.find((r) => r[1] === '5')!;
    expect(fifth[fifth.length - 1]).toBe(`'${lines[4]}`);
    expect(fifth[8]).toBe('anomaly');
    expect(fifth[9]).toBe("'+ mine");
    expect(parseCsv(templatesCsv(summary.templates, () => undefined)).length).toBe(summary.templates.length + 1);

    const top = await service.topAnomalies(summary.unitRows[4].score, 5);
    expect(top.length).toBeGreaterThan(0);
    const detail = await service.detail(4);
    const html = renderReport({
      title: 'BGL <report>',
      createdAt: new Date(0),
      summary,
      threshold: summary.threshold,
      linesAbove: 10,
      top: [{ anomaly: { ...top[0], record: 4, text: lines[4] }, detail }, ...top.slice(1).map((anomaly) => ({ anomaly }))],
      labels: [{ key: 'k', target: 'line', verdict: 1, note: '<b>bold</b>', updatedAt: 1, file: 'BGL_2k.log', line: 5 }],
      notes: '</div><script>x()</script>',
    });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(escapeHtml(lines[4]));
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i); // nothing loaded from elsewhere
    expect(html).toContain("default-src 'none'");
    // A ranking taught by labels says so (escaped like everything else); an untaught one does not.
    expect(html).not.toContain('taught by labels');
    const taught = renderReport({
      title: 'BGL',
      createdAt: new Date(0),
      summary,
      threshold: summary.threshold,
      linesAbove: 10,
      top: [],
      labels: [],
      notes: '',
      learning: 'Learned from 3 anomalous and 40 normal lines (<mlp> head)',
    });
    expect(taught).toContain('<th>taught by labels</th><td>Learned from 3 anomalous and 40 normal lines (&lt;mlp&gt; head)</td>');
  });
});
