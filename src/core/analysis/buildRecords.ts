/**
 * Files → records → templates, streaming: the part of the pipeline that touches every line, kept
 * to one pass and no per-line objects beyond the strings themselves.
 */
import { readLines, type ByteSource } from '../ingest';
import { defaultTextSpool, type TextSpoolFactory } from '../ingest/textSpool';
import { isGzip } from '../ingest/sniff';
import { createRecordParser, detectLayout, MAX_FOLDED_MESSAGE_CHARS, parseLayoutFormat, type Layout, type RecordParser } from '../parse';
import { Drain } from '../templates/drain';
import { drainOptionsForLayout } from '../templates/presets';
import { applyMasks, compileMasks, type CompiledMasks } from '../templates/masks';
import type { IngestReport, LineChunk, ParsedRecord } from '../types';
import { levelIndex } from '../parse/level';
import { RecordTableBuilder } from './recordTable';

/** Lines sampled from the top of each file to detect its layout. */
const LAYOUT_SAMPLE_LINES = 200;
/** Blank lines held after a record in case a continuation follows; more end the record. */
const MAX_HELD_BLANKS = 64;

export interface RecordSource {
  name: string;
  data: ByteSource;
  /**
   * The file's modification time (epoch ms), whose year is given to year-less timestamps (syslog
   * `Jun 17 07:07:00`). Defaults to File.lastModified when `data` is a File.
   */
  lastModified?: number;
}

/**
 * The text kept as strings for the target's files together: once the text read (decompressed, as
 * it streams) passes `limit`, the strings kept so far are dropped and records keep only their byte
 * range, read back from the files on demand. Deciding by decompressed bytes bounds memory whatever
 * a gzip file expands to.
 */
export interface TextBudget {
  limit: number;
  /** Text bytes of the target read so far. */
  used: number;
  /** Lines are still kept as strings. */
  kept: boolean;
}

export interface BuildOptions {
  layoutFormat?: string;
  masks: { add: Array<{ name: string; pattern: string }>; remove: string[] };
  signal?: AbortSignal;
  /** Called every chunk with the records so far and how much of this file was read so far. */
  onLines?: (recordsSoFar: number, read: FileProgress) => void;
  /**
   * Strings kept under a shared budget (the target), never (false: the reference, whose lines are
   * never shown), or always (absent).
   */
  textBudget?: TextBudget | false;
  /** Where the text of gzip files and streams goes while it may be needed by byte offset. */
  textSpool?: TextSpoolFactory;
}

/** Bytes read from the file itself (compressed for gzip: the share done) and text bytes decoded. */
export interface FileProgress {
  sourceBytes: number;
  textBytes: number;
  gzip: boolean;
}

export interface FileRecords {
  name: string;
  /** The file's text, readable by byte offset, for a target file under a text budget. */
  text?: Blob;
  /** Releases a spooled `text` when the strings were kept after all. */
  discardText?: () => void;
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
    const counts = new Uint32Array(c);
    counts.set(this.counts);
    this.counts = counts;
    const templateOf = new Int32Array(c);
    templateOf.set(this.templateOf);
    this.templateOf = templateOf;
    const levelOf = new Uint8Array(c);
    levelOf.set(this.levelOf);
    this.levelOf = levelOf;
  }

  /** The texts with trimmed columns. */
  table(): { texts: string[]; counts: Uint32Array; templateOf: Int32Array; levelOf: Uint8Array } {
    const n = this.texts.length;
    return {
      texts: this.texts,
      counts: this.counts.slice(0, n),
      templateOf: this.templateOf.slice(0, n),
      levelOf: this.levelOf.slice(0, n),
    };
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
  state: RecordBuilderState,
  source: RecordSource,
  fileIndex: number,
  options: BuildOptions,
): Promise<FileRecords> {
  const { builder, texts } = state;
  let miner = state.miner;
  const budget = options.textBudget === false ? undefined : options.textBudget;
  const keepsText = (): boolean => (options.textBudget === undefined ? true : (budget?.kept ?? false));
  // Under a budget the text must stay readable by byte offset: the source itself when it is a
  // plain Blob, else the decompressed bytes written to a spool as they stream.
  const plainBlob =
    budget !== undefined && source.data instanceof Blob && !isGzip(new Uint8Array(await source.data.slice(0, 2).arrayBuffer()));
  const spool = budget !== undefined && !plainBlob ? (options.textSpool ?? defaultTextSpool())(source.name) : undefined;
  let read: FileProgress = { sourceBytes: 0, textBytes: 0, gzip: false };
  const onText =
    budget === undefined
      ? undefined
      : (bytes: Uint8Array) => {
          spool?.write(bytes);
          budget.used += bytes.length;
          if (budget.kept && budget.used > budget.limit) {
            // Past the budget: from here on records keep byte ranges, and the strings so far go.
            budget.kept = false;
            builder.raw.length = 0;
            builder.message.length = 0;
          }
        };
  const lines = readLines(source.data, {
    fileIndex,
    fileName: source.name,
    signal: options.signal,
    onText,
    onRead: (r) => {
      read = r;
    },
  });
  let layout: Layout | undefined = options.layoutFormat ? parseLayoutFormat(options.layoutFormat) : undefined;
  const yearHint = yearOfModification(source);
  let parser: RecordParser | undefined = layout ? createRecordParser(layout, { yearHint }) : undefined;
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
    const i = builder.push(fileIndex, line, record.timestamp, level, label, raw, record.message, start, end, keepsText());
    // Templates and vectors come from the record's first line: a stack trace's frames would make
    // every occurrence unique, while its first line names the exception.
    const newline = record.message.indexOf('\n');
    const head = newline < 0 ? record.message : record.message.slice(0, newline);
    const masked = applyMasks(head, miner!.masks);
    const templateId = miner!.drain.addMasked(masked, i);
    builder.columns.templateId[i] = templateId;
    builder.columns.textIndex[i] = texts.idOf(masked, templateId, level);
    pending = undefined;
  };

  const fold = (into: NonNullable<typeof pending>, line: string): void => {
    if (into.raw.length < MAX_FOLDED_MESSAGE_CHARS) into.raw += '\n' + line;
    parser!.fold(into.record, line);
  };
  /** Blank lines after the pending record, and the byte offset of the first. */
  let blanks: string[] = [];
  let blanksFrom = 0;
  let result: IteratorResult<LineChunk, IngestReport>;
  try {
    result = await lines.next();
    while (!result.done) {
      const chunk = result.value;
      if (!parser) {
        layout = detectLayout(chunk.lines.slice(0, LAYOUT_SAMPLE_LINES));
        parser = createRecordParser(layout, { yearHint });
      }
      miner ??= minerFor(state, layout!.id);
      for (let k = 0; k < chunk.lines.length; k++) {
        const raw = chunk.lines[k];
        const offset = chunk.byteOffsets[k];
        if (isBlank(raw)) {
          // A blank line starts no record (a file of only whitespace holds no log lines). After a
          // record it is held: it joins the record if a continuation follows, else the record ends before it.
          if (pending && blanks.length < MAX_HELD_BLANKS) {
            if (blanks.length === 0) blanksFrom = offset;
            blanks.push(raw);
          } else {
            flush(blanks.length > 0 ? blanksFrom : offset);
            blanks = [];
          }
          continue;
        }
        const parsed = parser.parse(raw);
        if (parsed === null && pending) {
          // A continuation (stack frame, wrapped text) belongs to the record that started it.
          for (const blank of blanks) fold(pending, blank);
          blanks = [];
          fold(pending, raw);
          continue;
        }
        flush(blanks.length > 0 ? blanksFrom : offset);
        blanks = [];
        // A continuation with nothing before it stands as a record of its own.
        const record = parsed ?? { timestamp: Number.NaN, level: '', component: '', message: raw };
        pending = { record, raw, line: chunk.firstLineNumber + k, start: offset };
      }
      options.onLines?.(builder.count, read);
      result = await lines.next();
    }
  } catch (error) {
    spool?.discard();
    throw error;
  }
  // The last record runs to the end of the text (its range matters if the strings are dropped later).
  flush(blanks.length > 0 ? blanksFrom : result.value.textBytes);
  if (!layout) layout = detectLayout([]);
  const text = budget === undefined ? undefined : plainBlob ? (source.data as Blob) : await spool!.finish();
  return {
    name: source.name,
    report: result.value,
    layout,
    records: builder.count - first,
    labelledRecords: labelled,
    text,
    discardText: spool ? () => spool.discard() : undefined,
  };
}

/** The year (UTC) the file was last modified, when known: year-less timestamps take it. */
function yearOfModification(source: RecordSource): number | undefined {
  const modified =
    source.lastModified ?? (typeof File !== 'undefined' && source.data instanceof File ? source.data.lastModified : undefined);
  return modified !== undefined && Number.isFinite(modified) && modified > 0 ? new Date(modified).getUTCFullYear() : undefined;
}

/** Empty or only spaces/tabs (checked without allocating for ordinary lines). */
function isBlank(line: string): boolean {
  if (line.length === 0) return true;
  const first = line.charCodeAt(0);
  if (first > 32 && first !== 0xa0 && first < 0x2000) return false;
  return line.trim().length === 0;
}
