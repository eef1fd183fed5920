/**
 * Files → records → templates, streaming: the part of the pipeline that touches every line, kept
 * to one pass and no per-line objects beyond the strings themselves.
 */
import { readLines, type ByteSource } from '../ingest';
import { isGzip } from '../ingest/sniff';
import { createRecordParser, detectLayout, MAX_FOLDED_MESSAGE_CHARS, parseLayoutFormat, type Layout, type RecordParser } from '../parse';
import { Drain } from '../templates/drain';
import { drainOptionsForLayout } from '../templates/presets';
import { applyMasks, compileMasks, type CompiledMasks } from '../templates/masks';
import type { IngestReport, ParsedRecord } from '../types';
import { levelIndex, RecordTableBuilder } from './recordTable';

/** Lines sampled from the top of each file to detect its layout. */
const LAYOUT_SAMPLE_LINES = 200;

export interface RecordSource {
  name: string;
  data: ByteSource;
}

export interface BuildOptions {
  layoutFormat?: string;
  masks: { add: Array<{ name: string; pattern: string }>; remove: string[] };
  signal?: AbortSignal;
  /** Called every chunk with the records so far and the characters of this file read so far. */
  onLines?: (recordsSoFar: number, charsRead: number) => void;
  /**
   * False for inputs too large to hold as strings: records keep only their byte range, and the
   * file's text is kept as a Blob (which browsers page to disk) to read lines back on demand.
   */
  keepText?: boolean;
}

export interface FileRecords {
  name: string;
  /** The file's text when strings are not kept (keepText false). */
  text?: Blob;
  report: IngestReport;
  layout: Layout;
  records: number;
  labelledRecords: number;
}

/** Unique masked message texts with their occurrence counts, grown while records stream in. */
export class TextIndex {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();
  counts = new Uint32Array(1024);
  templateOf = new Int32Array(1024);
  levelOf = new Uint8Array(1024);

  idOf(text: string, templateId: number, level: number): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
      if (id === this.counts.length) this.grow();
      this.templateOf[id] = templateId;
    }
    this.counts[id]++;
    if (level > this.levelOf[id]) this.levelOf[id] = level;
    return id;
  }

  has(text: string): boolean {
    return this.ids.has(text);
  }

  private grow(): void {
    const c = this.counts.length * 2;
    const counts = new Uint32Array(c); counts.set(this.counts); this.counts = counts;
    const templateOf = new Int32Array(c); templateOf.set(this.templateOf); this.templateOf = templateOf;
    const levelOf = new Uint8Array(c); levelOf.set(this.levelOf); this.levelOf = levelOf;
  }

  /** The texts with trimmed columns. */
  table(): { texts: string[]; counts: Uint32Array; templateOf: Int32Array; levelOf: Uint8Array } {
    const n = this.texts.length;
    return { texts: this.texts, counts: this.counts.slice(0, n), templateOf: this.templateOf.slice(0, n), levelOf: this.levelOf.slice(0, n) };
  }
}

export interface RecordBuilderState {
  builder: RecordTableBuilder;
  /** Template miner and masks, made when the first file's layout is known (presets follow the layout). */
  miner?: { drain: Drain; masks: CompiledMasks };
  texts: TextIndex;
  userMasks: BuildOptions['masks'];
}

export function createRecordBuilder(options: Pick<BuildOptions, 'masks'>): RecordBuilderState {
  return { builder: new RecordTableBuilder(), texts: new TextIndex(), userMasks: options.masks };
}

function minerFor(state: RecordBuilderState, layoutId: string): { drain: Drain; masks: CompiledMasks } {
  if (!state.miner) {
    const options = drainOptionsForLayout(layoutId, { add: state.userMasks.add, remove: state.userMasks.remove });
    state.miner = { drain: new Drain(options), masks: compileMasks(options.masks) };
  }
  return state.miner;
}

/**
 * Reads one file into the shared builder: detects (or takes) its layout, parses every line, folds
 * continuation lines into their record, and assigns templates and masked texts.
 */
export async function appendFile(
  state: RecordBuilderState, source: RecordSource, fileIndex: number, options: BuildOptions,
): Promise<FileRecords> {
  const { builder, texts } = state;
  let miner = state.miner;
  const keepText = options.keepText ?? true;
  // Without strings, the text stays readable by byte offset: the source itself when it is a plain
  // Blob, else the decompressed bytes gathered into one (a Blob built from parts; browsers spill
  // large Blobs to disk).
  let textBytes = 0;
  const textParts: BlobPart[] = [];
  let textBlob: Blob | undefined;
  const plainBlob = !keepText && source.data instanceof Blob && !isGzip(new Uint8Array(await source.data.slice(0, 2).arrayBuffer()));
  const onText = keepText ? undefined : (bytes: Uint8Array) => {
    textBytes += bytes.length;
    if (plainBlob) return;
    textParts.push(bytes.slice());
    if (textParts.length >= 64) textBlob = new Blob([...(textBlob ? [textBlob] : []), ...textParts.splice(0)]);
  };
  const lines = readLines(source.data, { fileIndex, fileName: source.name, signal: options.signal, onText });
  let layout: Layout | undefined = options.layoutFormat ? parseLayoutFormat(options.layoutFormat) : undefined;
  let parser: RecordParser | undefined = layout ? createRecordParser(layout) : undefined;
  const first = builder.count;
  let labelled = 0;
  let pending: { record: ParsedRecord; raw: string; line: number; start: number } | undefined;

  /** Stores the pending record; `end` is the byte offset where the next record starts. */
  const flush = (end: number): void => {
    if (!pending) return;
    const { record, raw, line, start } = pending;
    const level = levelIndex(record.level);
    const label = record.label === undefined ? -1 : record.label === '-' ? 0 : 1;
    if (label >= 0) labelled++;
    const i = builder.push(fileIndex, line, record.timestamp, level, label, raw, record.message, start, end, keepText);
    // Templates and vectors come from the record's first line: a stack trace's frames would make
    // every occurrence unique, while its first line names the exception.
    const newline = record.message.indexOf('\n');
    const head = newline < 0 ? record.message : record.message.slice(0, newline);
    const masked = applyMasks(head, miner!.masks);
    const templateId = miner!.drain.addMasked(masked, i);
    builder.templateId[i] = templateId;
    builder.textIndex[i] = texts.idOf(masked, templateId, level);
    pending = undefined;
  };

  let chars = 0;
  let result = await lines.next();
  while (!result.done) {
    const chunk = result.value;
    if (!parser) {
      layout = detectLayout(chunk.lines.slice(0, LAYOUT_SAMPLE_LINES));
      parser = createRecordParser(layout);
    }
    miner ??= minerFor(state, layout!.id);
    for (let k = 0; k < chunk.lines.length; k++) {
      const raw = chunk.lines[k];
      chars += raw.length + 1;
      const parsed = parser.parse(raw);
      if (parsed === null) {
        if (pending) {
          // A continuation (stack frame, wrapped text) belongs to the record that started it.
          if (pending.raw.length < MAX_FOLDED_MESSAGE_CHARS) pending.raw += '\n' + raw;
          parser.fold(pending.record, raw);
          continue;
        }
        // A continuation with nothing before it stands as a record of its own.
        flush(chunk.byteOffsets[k]);
        pending = { record: { timestamp: Number.NaN, level: '', component: '', message: raw }, raw, line: chunk.firstLineNumber + k, start: chunk.byteOffsets[k] };
        continue;
      }
      flush(chunk.byteOffsets[k]);
      pending = { record: parsed, raw, line: chunk.firstLineNumber + k, start: chunk.byteOffsets[k] };
    }
    options.onLines?.(builder.count, chars);
    result = await lines.next();
  }
  flush(keepText ? 0 : textBytes);
  if (!layout) layout = detectLayout([]);
  let text: Blob | undefined;
  if (!keepText) {
    text = plainBlob ? (source.data as Blob) : new Blob([...(textBlob ? [textBlob] : []), ...textParts]);
  }
  return { name: source.name, report: result.value, layout, records: builder.count - first, labelledRecords: labelled, text };
}
