/**
 * Reading files on several threads with the same result as one thread. Each plain UTF-8 file is
 * cut into pieces (shards) at record starts (ingest/shards.ts); a ShardParser parses the pieces at
 * once, ahead of time; here they are merged back in input order: line numbers shifted, texts
 * joined to the shared TextIndex, and the templates mined by the one Drain, record by record in
 * file order, exactly as the one-thread path feeds it. Drain is cheap on repeated texts (it caches
 * each text's tokens and leaf), so it stays on this thread while the pieces are parsed elsewhere.
 *
 * Left on the one-thread path (appendFile), in their turn among the others: gzip files (their text
 * is spooled and counted against the budget as it expands, and a gzip stream cannot be cut), UTF-16
 * files (rare), and files read with a user layout whose time format is 'auto' (its parser settles on
 * the first timestamp it meets, so a piece could settle differently). Inputs that are not all Blobs
 * (streams) are read on one thread entirely.
 */
import { IngestError } from '../ingest/errors';
import { readLines } from '../ingest/readLines';
import { DEFAULT_MAX_LINE_BYTES } from '../ingest/readLines';
import { planByteRanges, type ByteRange } from '../ingest/shards';
import { detectEncoding, isGzip, SNIFF_BYTES } from '../ingest/sniff';
import { createRecordParser, detectLayout, parseLayoutFormat, type Layout } from '../parse';
import type { IngestReport } from '../types';
import {
  isBlank,
  LAYOUT_SAMPLE_LINES,
  spendTextBudget,
  yearOfModification,
  type BuildOptions,
  type FileRecords,
  type RecordBuilderState,
  type TextBudget,
} from './buildRecords';
import { markFileStarted, type MaskChoice, type ParsedShard, type Shard, type ShardParser } from './parseShard';
import type { InputFile } from './records';

/** Pieces per thread in an input: enough that the threads finish close together. */
const PIECES_PER_THREAD = 8;
const MIN_PIECE_BYTES = 1024 * 1024;
/**
 * Small pieces keep the merge busy from early on (it waits for the first piece only) and bound one
 * piece's joined string far below V8's string limit.
 */
const MAX_PIECE_BYTES = 8 * 1024 * 1024;
/** Pieces parsed ahead of the merge, per thread: enough to keep threads busy, few enough to bound memory. */
const AHEAD_PER_THREAD = 2;

interface PiecePlan {
  file: InputFile;
  layout: Layout;
  yearHint?: number;
  ranges: ByteRange[];
}

interface Task {
  plan: PiecePlan;
  shard: Shard;
  result?: Promise<ParsedShard>;
}

/** What the head of a file says: its layout and whether it can be cut. */
interface Head {
  layout: Layout;
  hasLines: boolean;
  cuttable: boolean;
}

/**
 * The files read in pieces, parsed ahead by `parser`, merged on demand by `appendFile` in input order.
 * Make it with `planParallelRead`; call `stop` when done (or failed).
 */
export class ParallelRead {
  private readonly tasks: Task[] = [];
  private readonly byFile = new Map<InputFile, Task[]>();
  private readonly controller = new AbortController();
  private nextToMerge = 0;
  private submitted = 0;
  private readonly unlink: () => void;

  constructor(
    plans: PiecePlan[],
    fileIndexOf: (file: InputFile) => number,
    /** The miner's masks: those of the first file that has lines. */
    masks: MaskChoice,
    private readonly parser: ShardParser,
    /** The target's text budget: pieces return strings only while it keeps them. */
    private readonly budget: TextBudget,
    signal: AbortSignal | undefined,
  ) {
    for (const plan of plans) {
      const tasks = plan.ranges.map((range): Task => ({
        plan,
        shard: {
          fileIndex: fileIndexOf(plan.file),
          fileName: plan.file.name,
          data: (plan.file.data as Blob).slice(range.start, range.end),
          start: range.start,
          layout: plan.layout,
          yearHint: plan.yearHint,
          masks,
          keepText: false,
        },
      }));
      this.byFile.set(plan.file, tasks);
      this.tasks.push(...tasks);
    }
    const abort = (): void => this.controller.abort();
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort);
    this.unlink = () => signal?.removeEventListener('abort', abort);
  }

  /** Starts the first pieces now, so that they parse while earlier one-thread files are read. */
  start(): void {
    this.submitAhead();
  }

  /** Whether this file is read in pieces. */
  has(file: InputFile): boolean {
    return this.byFile.has(file);
  }

  /** Merges the file's pieces into `state`, as appendFile would have read the file there. */
  async appendFile(state: RecordBuilderState, file: InputFile, fileIndex: number, options: BuildOptions): Promise<FileRecords> {
    const tasks = this.byFile.get(file)!;
    const plan = tasks[0].plan;
    const budget = options.textBudget === false ? undefined : options.textBudget;
    const first = state.builder.count;
    let labelled = 0;
    let lineOffset = 0;
    let bytes = 0;
    const report: IngestReport = {
      fileName: file.name,
      bytesRead: 0,
      textBytes: 0,
      lines: 0,
      compression: 'none',
      encoding: 'utf-8',
      invalidSequences: 0,
      truncatedLines: 0,
      truncatedBytes: 0,
      nulCharacters: 0,
      endsWithNewline: true,
    };
    for (const task of tasks) {
      this.submitAhead();
      const parsed = await task.result!;
      task.result = undefined;
      this.nextToMerge++;
      if (options.signal?.aborted) throw new IngestError('aborted', `Reading ${file.name} was cancelled`);
      const read = parsed.read;
      if (budget !== undefined) spendTextBudget(budget, state.builder, read.textBytes);
      const keepText = options.textBudget === undefined ? true : (budget?.kept ?? false);
      labelled += mergeShard(state, parsed, fileIndex, lineOffset, keepText);
      lineOffset += read.lines;
      bytes += read.textBytes;
      report.lines += read.lines;
      report.invalidSequences += read.invalidSequences;
      report.truncatedLines += read.truncatedLines;
      report.truncatedBytes += read.truncatedBytes;
      report.nulCharacters += read.nulCharacters;
      report.endsWithNewline = read.endsWithNewline;
      options.onLines?.(state.builder.count, { sourceBytes: bytes, textBytes: bytes, gzip: false });
    }
    report.bytesRead = bytes;
    report.textBytes = bytes;
    return {
      name: file.name,
      report,
      layout: plan.layout,
      records: state.builder.count - first,
      labelledRecords: labelled,
      text: budget === undefined ? undefined : (file.data as Blob),
    };
  }

  /** Cancels the pieces still parsing (after a failure) and forgets the caller's signal. */
  stop(): void {
    this.unlink();
    if (this.nextToMerge < this.tasks.length) this.controller.abort();
    for (const task of this.tasks) task.result = undefined;
  }

  private submitAhead(): void {
    const limit = Math.min(this.tasks.length, this.nextToMerge + Math.max(1, this.parser.threads) * AHEAD_PER_THREAD);
    for (; this.submitted < limit; this.submitted++) {
      const task = this.tasks[this.submitted];
      task.shard.keepText = task.plan.file.role === 'target' && this.budget.kept;
      const result = this.parser.parse(task.shard, this.controller.signal);
      // Awaited in turn by appendFile; a piece that fails after a cancel must not go unhandled.
      result.catch(() => undefined);
      task.result = result;
    }
  }
}

/**
 * Adds one parsed piece's records to the builder, in order, and mines their templates: the same
 * calls, in the same order, as appendFile's per-record step. Returns the labelled records.
 */
export function mergeShard(
  state: RecordBuilderState,
  parsed: ParsedShard,
  fileIndex: number,
  lineOffset: number,
  keepText: boolean,
): number {
  const { builder, texts } = state;
  const r = parsed.records;
  const n = r.count;
  if (n === 0) return 0;
  const drain = state.miner!.drain;
  const spans = parsed.spans;
  const text = parsed.text;
  const withText = keepText && spans !== undefined && text !== undefined;
  const local = parsed.texts;
  // The piece's texts map to the shared index once each; later records skip the lookup.
  const globalId = new Int32Array(local.length).fill(-1);
  let labelled = 0;
  for (let k = 0; k < n; k++) {
    const level = r.level[k];
    const label = r.label[k];
    if (label >= 0) labelled++;
    const raw = withText ? text.slice(spans[4 * k], spans[4 * k + 1]) : '';
    const message = withText ? text.slice(spans[4 * k + 2], spans[4 * k + 3]) : '';
    const i = builder.push(
      fileIndex,
      lineOffset + r.lineNumber[k],
      r.timestamp[k],
      level,
      label,
      raw,
      message,
      r.textStart[k],
      r.textEnd[k],
      keepText,
    );
    const localId = r.textIndex[k];
    const masked = local[localId];
    const templateId = drain.addMasked(masked, i);
    builder.columns.templateId[i] = templateId;
    let id = globalId[localId];
    if (id < 0) {
      id = texts.idOf(masked, templateId, level);
      globalId[localId] = id;
    } else texts.countAgain(id, level);
    builder.columns.textIndex[i] = id;
  }
  return labelled;
}

/**
 * Decides how the files are read: undefined when all on one thread (inputs that are not all Blobs,
 * too little plain text to pay for workers), else the ParallelRead for the files read in pieces.
 * `files` are in input order (records name their file by its index there), `ordered` in reading
 * order (references first); `masks` are the analyst's. `minerLayout` is the layout whose presets the
 * template miner takes: that of the first file with a line, as appendFile decides it.
 */
export async function planParallelRead(
  files: InputFile[],
  ordered: InputFile[],
  layoutFormat: string | undefined,
  masks: BuildOptions['masks'],
  parser: ShardParser,
  budget: TextBudget,
  signal?: AbortSignal,
): Promise<{ read: ParallelRead; minerLayout?: string } | undefined> {
  if (parser.threads < 1 || !ordered.every((f) => f.data instanceof Blob)) return undefined;
  const totalBytes = ordered.reduce((n, f) => n + (f.data as Blob).size, 0);
  if (totalBytes < (parser.minInputBytes ?? 0)) return undefined;
  const pieceBytes =
    parser.pieceBytes ?? Math.min(MAX_PIECE_BYTES, Math.max(MIN_PIECE_BYTES, Math.ceil(totalBytes / (parser.threads * PIECES_PER_THREAD))));
  const plans: PiecePlan[] = [];
  let minerLayout: string | undefined;
  for (const file of ordered) {
    const blob = file.data as Blob;
    const head = await readHead(blob, file, layoutFormat, signal, minerLayout !== undefined);
    if (head === undefined) continue;
    if (head.hasLines) minerLayout ??= head.layout.id;
    if (!head.cuttable) continue;
    const yearHint = yearOfModification(file);
    const probe = createRecordParser(head.layout, { yearHint });
    markFileStarted(probe);
    // A piece starts at a record (a line the parser takes as one, in a file that already has one),
    // after a line that is not blank: the one-thread path would end the previous record right there.
    const accept = (before: string, line: string): boolean => !isBlank(before) && !isBlank(line) && probe.parse(line) !== null;
    const ranges = await planByteRanges(blob, pieceBytes, accept, DEFAULT_MAX_LINE_BYTES, signal);
    plans.push({ file, layout: head.layout, yearHint, ranges });
  }
  if (signal?.aborted) throw new IngestError('aborted', `Reading ${ordered[0]?.name ?? 'the files'} was cancelled`);
  if (plans.length === 0) return undefined;
  // Without a line anywhere no piece has a record, and no miner is made: the choice is never used.
  const maskChoice: MaskChoice = { layoutId: minerLayout ?? plans[0].layout.id, masks };
  const fileIndexOf = (file: InputFile): number => files.indexOf(file);
  return { read: new ParallelRead(plans, fileIndexOf, maskChoice, parser, budget, signal), minerLayout };
}

/**
 * The file's head: its layout from its first lines, exactly as appendFile detects it, and whether it
 * can be cut (plain UTF-8). A damaged or binary file fails here with appendFile's message.
 * `skipUncuttable`: the miner's layout is known, so a gzip file's head need not be read (undefined).
 */
async function readHead(
  blob: Blob,
  file: InputFile,
  layoutFormat: string | undefined,
  signal: AbortSignal | undefined,
  skipUncuttable: boolean,
): Promise<Head | undefined> {
  const sniffed = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const plainUtf8 = !isGzip(sniffed) && detectEncoding(sniffed).encoding === 'utf-8';
  const given = layoutFormat ? parseLayoutFormat(layoutFormat) : undefined;
  // An 'auto' time format settles on the first timestamp its parser meets: one parser per file.
  const cuttable = plainUtf8 && given?.timeFormat !== 'auto';
  if (!cuttable && skipUncuttable) return undefined;
  const lines = readLines(blob, { fileName: file.name, chunkLines: LAYOUT_SAMPLE_LINES, signal });
  let sample: string[] = [];
  let hasLines = false;
  // The first chunk only: leaving the loop stops the reading.
  for await (const chunk of lines) {
    sample = chunk.lines;
    hasLines = true;
    break;
  }
  return { layout: given ?? detectLayout(sample), hasLines, cuttable };
}
