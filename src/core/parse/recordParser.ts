import type { ParsedRecord } from '../types';
import { parseAccessRecord } from './access';
import { isContinuationLine } from './continuation';
import { compileFieldsLayout, type LineToRecord } from './fieldsParser';
import { parseJsonRecord } from './json';
import type { Layout } from './layout';
import { parseSyslog5424Record } from './syslog5424';

/** A folded record's message stops growing here (a runaway trace must not eat memory). */
export const MAX_FOLDED_MESSAGE_CHARS = 65536;

/**
 * Turns one file's lines into records. Use one parser per file, lines in order:
 *
 *   const record = parser.parse(line);
 *   if (record === null) parser.fold(previousRecord, line); else previousRecord = record;
 *
 * `parse` returns null for a continuation line (stack-trace frame, "Caused by:", Python
 * traceback, indented or blank line) when the file already has a record to fold it into. A line
 * that fits neither the layout nor a continuation becomes a record of its own: message = the
 * whole line, no timestamp, level or component.
 */
export interface RecordParser {
  readonly layout: Layout;
  parse(line: string): ParsedRecord | null;
  /** Appends a continuation line to the record's message, on a new line. */
  fold(record: ParsedRecord, line: string): void;
  /** Forget the previous record (start of a new file). */
  reset(): void;
}

export function compileLayout(layout: Layout): LineToRecord {
  switch (layout.kind) {
    case 'fields':
      return compileFieldsLayout(layout);
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
  return { timestamp: NaN, level: '', component: '', message: line.trim() };
}

export function createRecordParser(layout: Layout): RecordParser {
  const parseLine = compileLayout(layout);
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
      const record = parseLine(line);
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
