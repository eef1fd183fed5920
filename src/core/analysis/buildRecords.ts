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
export const LAYOUT_SAMPLE_LINES = 200;
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

  /** `idOf` for a text known to have `id` already (its first use set its template). */
  countAgain(id: number, level: number): void {
    this.counts[id]++;
    if (level > this.levelOf[id]) this.levelOf[id] = level;
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

export function minerFor(state: RecordBuilderState, layoutId: string): { drain: Drain; masks: CompiledMasks } {
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
          spendTextBudget(budget, builder, bytes.length);
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
  const first = builder.count;
  let labelled = 0;

  const store: RecordSink = (record, raw, line, start, end) => {
    const level = levelIndex(record.level);
    const label = record.label === undefined ? -1 : record.label === '-' ? 0 : 1;
    if (label >= 0) labelled++;
    const i = builder.push(fileIndex, line, record.timestamp, level, label, raw, record.message, start, end, keepsText());
    const masked = applyMasks(messageHead(record.message), miner!.masks);
    const templateId = miner!.drain.addMasked(masked, i);
    builder.columns.templateId[i] = templateId;
    builder.columns.textIndex[i] = texts.idOf(masked, templateId, level);
  };
  let assembler: RecordAssembler | undefined;
  let result: IteratorResult<LineChunk, IngestReport>;
  try {
    result = await lines.next();
    while (!result.done) {
      const chunk = result.value;
      if (!assembler) {
        layout ??= detectLayout(chunk.lines.slice(0, LAYOUT_SAMPLE_LINES));
        assembler = new RecordAssembler(createRecordParser(layout, { yearHint }), store);
      }
      miner ??= minerFor(state, layout!.id);
      assembler.add(chunk);
      options.onLines?.(builder.count, read);
      result = await lines.next();
    }
  } catch (error) {
    spool?.discard();
    throw error;
  }
  // The last record runs to the end of the text (its range matters if the strings are dropped later).
  assembler?.finish(result.value.textBytes);
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

/**
 * Counts text bytes read against the budget; past it, records keep byte ranges from here on and
 * the strings kept so far go.
 */
export function spendTextBudget(budget: TextBudget, builder: RecordTableBuilder, bytes: number): void {
  budget.used += bytes;
  if (budget.kept && budget.used > budget.limit) {
    budget.kept = false;
    builder.raw.length = 0;
    builder.message.length = 0;
  }
}

/**
 * Templates and vectors come from a record's first line: a stack trace's frames would make every
 * occurrence unique, while its first line names the exception.
 */
export function messageHead(message: string): string {
  const newline = message.indexOf('\n');
  return newline < 0 ? message : message.slice(0, newline);
}

/** Receives each record once it is complete; `end` is the byte offset where the next record starts. */
export type RecordSink = (record: ParsedRecord, raw: string, line: number, start: number, end: number) => void;

/**
 * Lines → records for one file (or one piece of a file that starts at a record, see parseShard):
 * continuation lines are folded into the record that started them, and blank lines are held after
 * a record until it is known whether a continuation follows. The one place this rule lives, for
 * the one-thread path and the parallel one alike.
 */
export class RecordAssembler {
  private pending: { record: ParsedRecord; raw: string; line: number; start: number } | undefined;
  /** Blank lines after the pending record, and the byte offset of the first. */
  private blanks: string[] = [];
  private blanksFrom = 0;

  constructor(
    private readonly parser: RecordParser,
    private readonly sink: RecordSink,
  ) {}

  add(chunk: LineChunk): void {
    const parser = this.parser;
    for (let k = 0; k < chunk.lines.length; k++) {
      const raw = chunk.lines[k];
      const offset = chunk.byteOffsets[k];
      if (isBlank(raw)) {
        // A blank line starts no record (a file of only whitespace holds no log lines). After a
        // record it is held: it joins the record if a continuation follows, else the record ends before it.
        if (this.pending && this.blanks.length < MAX_HELD_BLANKS) {
          if (this.blanks.length === 0) this.blanksFrom = offset;
          this.blanks.push(raw);
        } else {
          this.flush(this.blanks.length > 0 ? this.blanksFrom : offset);
          this.blanks = [];
        }
        continue;
      }
      const parsed = parser.parse(raw);
      if (parsed === null && this.pending) {
        // A continuation (stack frame, wrapped text) belongs to the record that started it.
        if (this.blanks.length > 0) {
          for (const blank of this.blanks) this.fold(this.pending, blank);
          this.blanks = [];
        }
        this.fold(this.pending, raw);
        continue;
      }
      this.flush(this.blanks.length > 0 ? this.blanksFrom : offset);
      // Most lines have no blanks before them: no new (empty) array per line.
      if (this.blanks.length > 0) this.blanks = [];
      // A continuation with nothing before it stands as a record of its own.
      const record = parsed ?? { timestamp: Number.NaN, level: '', component: '', message: raw };
      this.pending = { record, raw, line: chunk.firstLineNumber + k, start: offset };
    }
  }

  /** Ends the last record at `textEnd`, the end of the text read (or before its trailing blanks). */
  finish(textEnd: number): void {
    this.flush(this.blanks.length > 0 ? this.blanksFrom : textEnd);
    this.blanks = [];
  }

  private flush(end: number): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.sink(pending.record, pending.raw, pending.line, pending.start, end);
  }

  private fold(into: NonNullable<RecordAssembler['pending']>, line: string): void {
    if (into.raw.length < MAX_FOLDED_MESSAGE_CHARS) into.raw += '\n' + line;
    this.parser.fold(into.record, line);
  }
}

/** The year (UTC) the file was last modified, when known: year-less timestamps take it. */
export function yearOfModification(source: RecordSource): number | undefined {
  const modified =
    source.lastModified ?? (typeof File !== 'undefined' && source.data instanceof File ? source.data.lastModified : undefined);
  return modified !== undefined && Number.isFinite(modified) && modified > 0 ? new Date(modified).getUTCFullYear() : undefined;
}

/** Empty or only spaces/tabs (checked without allocating for ordinary lines). */
export function isBlank(line: string): boolean {
  if (line.length === 0) return true;
  const first = line.charCodeAt(0);
  if (first > 32 && first !== 0xa0 && first < 0x2000) return false;
  return line.trim().length === 0;
}
