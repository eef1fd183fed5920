/**
 * What reading a file changed or left out, in the analyst's words: the app's banner and the CLI
 * say the same sentences, so that no alteration of the input is silent.
 */
import type { IngestReport } from '../types';
import { DEFAULT_MAX_LINE_BYTES } from './readLines';

export interface FileNotes {
  name: string;
  notes: string[];
}

/** One sentence per alteration of a file (none for a file read as-is). */
export function ingestNotes(report: IngestReport, records?: number): string[] {
  const notes: string[] = [];
  if (records === 0) notes.push(report.lines === 0 ? 'no log lines (the file is empty)' : 'no log lines (only blank lines)');
  if (report.truncatedLines > 0) {
    notes.push(
      `${plural(report.truncatedLines, 'line')} longer than ${formatBytes(DEFAULT_MAX_LINE_BYTES)} cut to that length (${formatBytes(report.truncatedBytes)} left out)`,
    );
  }
  if (report.invalidSequences > 0) {
    const encoding = report.encoding === 'utf-8' ? 'UTF-8' : 'UTF-16';
    notes.push(`${plural(report.invalidSequences, `invalid ${encoding} sequence`)} shown as \uFFFD`);
  }
  if (report.nulCharacters > 0) notes.push(`${plural(report.nulCharacters, 'NUL character')} removed`);
  return notes;
}

/** Notes of every file that has any. */
export function filesNotes(files: ReadonlyArray<{ name: string; report: IngestReport; records?: number }>): FileNotes[] {
  const out: FileNotes[] = [];
  for (const f of files) {
    const notes = ingestNotes(f.report, f.records);
    if (notes.length > 0) out.push({ name: f.name, notes });
  }
  return out;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
