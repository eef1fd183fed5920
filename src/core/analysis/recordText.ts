/**
 * The text of records, whether it is held as strings (most logs) or left in the files (inputs too
 * large to hold: records then keep only their byte range, and lines are read back on demand, a
 * page at a time, so memory stays bounded whatever the file size).
 */
import { createRecordParser, type RecordParser } from '../parse';
import { BUILTIN_LAYOUTS, PLAIN_LAYOUT, parseLayoutFormat, type Layout } from '../parse';
import type { RecordTable } from './recordTable';

export interface RecordText {
  raw: string;
  message: string;
}

/** Longest stretch of a record read back for display: a runaway line is cut here. */
const MAX_RECORD_BYTES = 1 << 20;
/** Records read per block when scanning the whole log. */
const SCAN_BLOCK = 8192;

export function textIsLazy(table: RecordTable): boolean {
  return table.raw.length === 0 && table.count > 0 && table.lazyText !== undefined;
}

const parsers = new WeakMap<object, RecordParser>();

function parserFor(file: { layoutId: string; layoutFormat?: string }): RecordParser {
  let parser = parsers.get(file);
  if (!parser) {
    const layout: Layout =
      file.layoutId === 'custom' && file.layoutFormat
        ? parseLayoutFormat(file.layoutFormat)
        : (BUILTIN_LAYOUTS.find((l) => l.id === file.layoutId) ?? PLAIN_LAYOUT);
    parser = createRecordParser(layout);
    parsers.set(file, parser);
  }
  return parser;
}

/** The record's message, parsed again from its raw text with its file's layout. */
function messageOf(raw: string, file: { layoutId: string; layoutFormat?: string }): string {
  const lines = raw.split('\n');
  const parser = parserFor(file);
  parser.reset();
  const record = parser.parse(lines[0]);
  if (!record) return raw;
  for (let k = 1; k < lines.length; k++) parser.fold(record, lines[k]);
  return record.message;
}

/** Raw text and message of each record in `indices` (any order; results in the same order). */
export async function readRecords(table: RecordTable, indices: ArrayLike<number>): Promise<RecordText[]> {
  const out: RecordText[] = new Array(indices.length);
  if (!textIsLazy(table)) {
    for (let k = 0; k < indices.length; k++) out[k] = { raw: table.raw[indices[k]], message: table.message[indices[k]] };
    return out;
  }
  const files = table.lazyText!.files;
  // Runs of records of one file whose bytes are contiguous are read with one slice.
  let k = 0;
  while (k < indices.length) {
    const file = table.fileIndex[indices[k]];
    let end = k + 1;
    while (
      end < indices.length &&
      table.fileIndex[indices[end]] === file &&
      table.textStart[indices[end]] >= table.textEnd[indices[end - 1]] &&
      table.textStart[indices[end]] - table.textEnd[indices[end - 1]] < 1 << 16
    )
      end++;
    const source = files[file];
    if (!source) {
      for (let m = k; m < end; m++) out[m] = { raw: '', message: '' };
      k = end;
      continue;
    }
    const from = table.textStart[indices[k]];
    const to = Math.min(table.textEnd[indices[end - 1]], from + (end - k) * MAX_RECORD_BYTES);
    const bytes = new Uint8Array(await source.blob.slice(from, to).arrayBuffer());
    const decoder = new TextDecoder(source.encoding);
    for (let m = k; m < end; m++) {
      const i = indices[m];
      const s = table.textStart[i] - from;
      const e = Math.min(table.textEnd[i] - from, s + MAX_RECORD_BYTES, bytes.length);
      // As reading did: no BOM, no terminators, no NULs (ingest strips them from lines).
      const raw = decoder
        .decode(bytes.subarray(s, e))
        .replace(/^\uFEFF/, '')
        .replace(/(\r\n|\n|\r)+$/, '')
        .replace(/\r\n?/g, '\n')
        .replaceAll('\0', '');
      out[m] = { raw, message: messageOf(raw, source) };
    }
    k = end;
  }
  return out;
}

/** Calls `visit` for every record in order, reading lazy text a block at a time. */
export async function scanRecords(
  table: RecordTable,
  visit: (record: number, text: RecordText) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (!textIsLazy(table)) {
    for (let i = 0; i < table.count; i++) visit(i, { raw: table.raw[i], message: table.message[i] });
    return;
  }
  for (let first = 0; first < table.count; first += SCAN_BLOCK) {
    signal?.throwIfAborted();
    const last = Math.min(table.count, first + SCAN_BLOCK);
    const indices = Uint32Array.from({ length: last - first }, (_, k) => first + k);
    const texts = await readRecords(table, indices);
    for (let k = 0; k < texts.length; k++) visit(first + k, texts[k]);
  }
}
