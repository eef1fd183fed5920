import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { buildRecords } from '../../src/core/analysis/records';
import { DEFAULT_SETTINGS } from '../../src/core/analysis/types';
import { filesNotes, ingestNotes } from '../../src/core/ingest/notes';
import type { IngestReport } from '../../src/core/types';
import { IngestNotes } from '../../src/ui/IngestNotes';

const clean: IngestReport = {
  fileName: 'app.log',
  bytesRead: 100,
  textBytes: 100,
  lines: 3,
  compression: 'none',
  encoding: 'utf-8',
  invalidSequences: 0,
  truncatedLines: 0,
  truncatedBytes: 0,
  nulCharacters: 0,
  endsWithNewline: true,
};

describe('notes on what reading altered', () => {
  it('say nothing for a file read as-is, and one sentence per alteration otherwise', () => {
    expect(ingestNotes(clean, 3)).toEqual([]);
    expect(ingestNotes({ ...clean, truncatedLines: 2, truncatedBytes: 3 * 2 ** 20, invalidSequences: 1, nulCharacters: 12 }, 3)).toEqual([
      '2 lines longer than 64 KiB cut to that length (3 MiB left out)',
      '1 invalid UTF-8 sequence shown as \uFFFD',
      '12 NUL characters removed',
    ]);
    expect(ingestNotes({ ...clean, lines: 0 }, 0)).toEqual(['no log lines (the file is empty)']);
    expect(ingestNotes(clean, 0)).toEqual(['no log lines (only blank lines)']);
  });

  it('come from the reports of a real read, and the banner shows them per file', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(`INFO ok\nWARN ${'z'.repeat(70_000)}\nINFO bad `), 0xc3, 0x28, 0x0a]);
    const records = await buildRecords(
      [
        { name: 'odd.log', data: new Blob([bytes]), role: 'target' },
        { name: 'blank.log', data: new Blob(['\n \n']), role: 'target' },
        { name: 'fine.log', data: new Blob(['INFO fine\n']), role: 'target' },
      ],
      { layoutFormat: undefined, masks: DEFAULT_SETTINGS.masks },
    );
    const notes = filesNotes(records.files.map((f) => ({ name: f.name, report: f.report, records: f.records })));
    expect(notes).toEqual([
      {
        name: 'odd.log',
        notes: ['1 line longer than 64 KiB cut to that length (4.4 KiB left out)', '1 invalid UTF-8 sequence shown as \uFFFD'],
      },
      { name: 'blank.log', notes: ['no log lines (only blank lines)'] },
    ]);
    const html = renderToStaticMarkup(createElement(IngestNotes, { files: notes, onDismiss: () => {} }));
    expect(html).toContain('data-testid="ingest-notes"');
    expect(html).toContain(
      'odd.log: 1 line longer than 64 KiB cut to that length (4.4 KiB left out); 1 invalid UTF-8 sequence shown as \uFFFD',
    );
    expect(html).toContain('blank.log: no log lines (only blank lines)');
    expect(html).not.toContain('fine.log');
    expect(renderToStaticMarkup(createElement(IngestNotes, { files: [], onDismiss: () => {} }))).toBe('');
  });
});
