import type { ParsedRecord } from '../types';
import { parseAccessRecord } from './access';
import { isContinuationLine } from './continuation';
import { levelAtLineStart } from './level';
import { compileFieldsLayout, type LineToRecord } from './fieldsParser';
import { parseJsonRecord } from './json';
import type { Layout } from './layout';
import { parseSyslog5424Record } from './syslog5424';
import { resolveYear } from './timestampYear';

export interface ParseOptions {
  /**
   * Year of timestamps written without one (syslog `Jun 17 07:07:00`): pass the year of the file's
   * modification time. Without it, the newest year written in the layout's detection sample
   * (`layout.sampleYear`) is used, else the current year; never a fixed year.
   */
  yearHint?: number;
}

/** A folded record's message stops growing here (a runaway trace must not eat memory). */
export const MAX_FOLDED_MESSAGE_CHARS = 65536;

/**
 * Turns one file's lines into records. Use one parser per file, lines in order:
 *
 *   const record = parser.parse(line);
 *   if (record === null) parser.fold(previousRecord, line); else previousRecord = record;
 *
 * `parse` returns null for a continuation line (stack-trace frame, "Caused by:", Python
 * traceback, indented or blank line) when the file already has a record to fold it into. An
 * indented line that fits the layout once its indent is dropped, or that starts with a timestamp
 * or a level word, is a record of its own. A line that fits neither the layout nor a continuation
 * becomes a record of its own: message = the whole line (trimmed), no timestamp or component, and
 * the level word it starts with, if any (`ERROR disk full`, `[warn] ...`).
 */
export interface RecordParser {
  readonly layout: Layout;
  parse(line: string): ParsedRecord | null;
  /** Appends a continuation line to the record's message, on a new line. */
  fold(record: ParsedRecord, line: string): void;
  /** Forget the previous record (start of a new file). */
  reset(): void;
}

/** `year`: the year of timestamps written without one (see ParseOptions.yearHint). */
export function compileLayout(layout: Layout, year?: number): LineToRecord {
  switch (layout.kind) {
    case 'fields':
      return compileFieldsLayout(layout, year);
    case 'json':
      return parseJsonRecord;
    case 'syslog5424':
      return parseSyslog5424Record;
    case 'access':
      return parseAccessRecord;
    case 'plain':
      return plainRecord;
  }
}

function plainRecord(line: string): ParsedRecord {
  const message = line.trim();
  return { timestamp: NaN, level: levelAtLineStart(message), component: '', message };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

export function createRecordParser(layout: Layout, options: ParseOptions = {}): RecordParser {
  const parseLine = compileLayout(layout, resolveYear(options.yearHint, layout.sampleYear));
  const plain = layout.kind === 'plain';
  let hasRecord = false;

  return {
    layout,
    parse(line: string): ParsedRecord | null {
      // Plain layouts match every line, so continuations are checked first there.
      if (plain) {
        if (hasRecord && isContinuationLine(line)) return null;
        hasRecord = true;
        return plainRecord(line);
      }
      let record = parseLine(line);
      // An indented line may be a whole record (its own timestamp) that the layout's `^` missed.
      if (record === null && line.length > 0 && isBlank(line.charCodeAt(0))) record = parseLine(line.trimStart());
      if (record !== null) {
        hasRecord = true;
        return record;
      }
      if (hasRecord && isContinuationLine(line)) return null;
      hasRecord = true;
      return plainRecord(line);
    },
    fold(record: ParsedRecord, line: string): void {
      const text = line.trimEnd();
      if (text === '' || record.message.length >= MAX_FOLDED_MESSAGE_CHARS) return;
      record.message = (record.message + '\n' + text).slice(0, MAX_FOLDED_MESSAGE_CHARS);
    },
    reset(): void {
      hasRecord = false;
    },
  };
}
