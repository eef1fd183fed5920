/**
 * One piece (shard) of a plain UTF-8 file, read and parsed on its own, on any thread: lines are
 * split and decoded, parsed with the file's layout, continuations folded, messages masked and
 * their distinct masked texts listed. What it returns is columns (typed arrays, transferable) and
 * strings; the templates are mined afterwards, in file order, by mergeShards.ts, because Drain
 * depends on the order records arrive in.
 */
import { sourceChunks } from '../ingest/byteSource';
import { IngestError } from '../ingest/errors';
import { LineBatch } from '../ingest/lineBatch';
import { DEFAULT_CHUNK_LINES, DEFAULT_MAX_LINE_BYTES } from '../ingest/readLines';
import { detectEncoding } from '../ingest/sniff';
import { Utf8LineSplitter } from '../ingest/utf8Lines';
import { BlockGatherer } from '../ingest/blocks';
import { createRecordParser, type Layout, type RecordParser } from '../parse';
import { levelIndex } from '../parse/level';
import { applyMasks, compileMasks, type CompiledMasks } from '../templates/masks';
import { drainOptionsForLayout } from '../templates/presets';
import { messageHead, RecordAssembler, type BuildOptions } from './buildRecords';
import { RecordTableBuilder, type RecordTable } from './recordTable';
import type { LineChunk } from '../types';

/** Which masks the template miner uses: the presets of the first file's layout plus the analyst's. */
export interface MaskChoice {
  layoutId: string;
  masks: BuildOptions['masks'];
}

/** A piece of a file to parse. Plain data and a Blob: it crosses to a worker as is. */
export interface Shard {
  fileIndex: number;
  fileName: string;
  /** The piece's bytes, a slice [start, end) of the file. */
  data: Blob;
  /** Offset of the piece in the file. A piece after the first starts at a record (ingest/shards.ts). */
  start: number;
  /** The file's layout, detected once from its head. */
  layout: Layout;
  yearHint?: number;
  masks: MaskChoice;
  /** Return the lines and messages as strings too (the target's text fits in memory). */
  keepText: boolean;
}

/** What reading the piece found out (summed over a file's pieces into its IngestReport). */
export interface ShardReadReport {
  /** Bytes of the piece (a BOM included). */
  textBytes: number;
  /** Lines in the piece, blank ones included. */
  lines: number;
  invalidSequences: number;
  truncatedLines: number;
  truncatedBytes: number;
  nulCharacters: number;
  endsWithNewline: boolean;
}

export interface ParsedShard {
  /**
   * The piece's records: line numbers counted from the piece's first line, byte offsets in the
   * file, `textIndex` into `texts`; `fileIndex` and `templateId` are not filled; raw/message empty.
   */
  records: RecordTable;
  /** Distinct masked texts (each record's first message line, masked), in order of first use. */
  texts: string[];
  /**
   * When `keepText`: every record's raw text and message, by `spans` (4 per record: raw from, to,
   * message from, to) into `text`. One string crosses threads far cheaper than a million, and
   * slices of it cost little memory.
   */
  text?: string;
  spans?: Uint32Array;
  read: ShardReadReport;
}

/** Parses pieces of files: a pool of workers in the browser, or the same function in-process. */
export interface ShardParser {
  /** Pieces parsed at once. */
  readonly threads: number;
  /** Inputs with fewer plain bytes than this are read on one thread (starting workers costs more). */
  readonly minInputBytes?: number;
  /** Bytes per piece of a big file; by default about a quarter of the input per thread (1 to 16 MiB). */
  readonly pieceBytes?: number;
  /** Parses one piece; rejects with an IngestError('aborted') when `signal` aborts. */
  parse(shard: Shard, signal?: AbortSignal): Promise<ParsedShard>;
}

/** Masks compiled once per thread and choice (every piece of a run shares one). */
const compiledMasks = new Map<string, CompiledMasks>();

function masksFor(choice: MaskChoice): CompiledMasks {
  const key = JSON.stringify(choice);
  let compiled = compiledMasks.get(key);
  if (compiled === undefined) {
    compiled = compileMasks(drainOptionsForLayout(choice.layoutId, { add: choice.masks.add, remove: choice.masks.remove }).masks);
    if (compiledMasks.size > 16) compiledMasks.clear();
    compiledMasks.set(key, compiled);
  }
  return compiled;
}

/**
 * Reads and parses one piece. The first piece of a file starts with a fresh parser, as the one-thread
 * path does; a later piece starts at a record of a file that already has one, so its parser is told
 * so (a continuation at its very start would otherwise stand as a record of its own).
 */
export async function parseShard(shard: Shard, signal?: AbortSignal): Promise<ParsedShard> {
  const masks = masksFor(shard.masks);
  const parser = createRecordParser(shard.layout, { yearHint: shard.yearHint });
  if (shard.start > 0) markFileStarted(parser);
  const builder = new RecordTableBuilder(1 << 12);
  const ids = new Map<string, number>();
  const texts: string[] = [];
  const parts: string[] = [];
  let spans = shard.keepText ? new Uint32Array(1 << 14) : undefined;
  let textLength = 0;
  const append = (s: string): number => {
    parts.push(s);
    textLength += s.length;
    return textLength;
  };

  const assembler = new RecordAssembler(parser, (record, raw, line, start, end) => {
    const label = record.label === undefined ? -1 : record.label === '-' ? 0 : 1;
    const i = builder.push(shard.fileIndex, line, record.timestamp, levelIndex(record.level), label, '', '', start, end, false);
    const masked = applyMasks(messageHead(record.message), masks);
    let id = ids.get(masked);
    if (id === undefined) {
      id = texts.length;
      ids.set(masked, id);
      texts.push(masked);
    }
    builder.columns.textIndex[i] = id;
    if (spans !== undefined) {
      if (spans.length < 4 * (i + 1)) {
        const grown = new Uint32Array(spans.length * 2);
        grown.set(spans);
        spans = grown;
      }
      const rawFrom = textLength;
      const rawTo = append(raw);
      spans[4 * i] = rawFrom;
      spans[4 * i + 1] = rawTo;
      // The message is usually the line's tail: a slice of the raw text, not a second copy.
      const message = record.message;
      if (raw.endsWith(message)) {
        spans[4 * i + 2] = rawTo - message.length;
        spans[4 * i + 3] = rawTo;
      } else {
        spans[4 * i + 2] = textLength;
        spans[4 * i + 3] = append(message);
      }
    }
  });

  const read = await readShardLines(shard, signal, (chunk) => assembler.add(chunk));
  assembler.finish(shard.start + read.textBytes);
  const records = builder.finish();
  const count = records.count;
  return {
    records,
    texts,
    text: spans !== undefined ? parts.join('') : undefined,
    spans: spans?.slice(0, 4 * count),
    read,
  };
}

/** The buffers a ParsedShard can hand over to another thread instead of copying. */
export function shardTransferables(parsed: ParsedShard): ArrayBuffer[] {
  const r = parsed.records;
  const arrays = [r.fileIndex, r.lineNumber, r.timestamp, r.level, r.templateId, r.textIndex, r.label, r.textStart, r.textEnd];
  const out = arrays.map((a) => a.buffer as ArrayBuffer);
  if (parsed.spans) out.push(parsed.spans.buffer as ArrayBuffer);
  return out;
}

/**
 * Tells a fresh parser that its file already holds a record, by giving it one line: every path of
 * RecordParser.parse marks the file started, and the record returned is dropped.
 */
export function markFileStarted(parser: RecordParser): void {
  parser.parse('');
}

/**
 * The piece's lines, split as readLines splits the whole file: the same splitter, fed from the
 * piece's offset. Only the first piece can hold the BOM; the file's head was already checked for
 * gzip, its encoding and binary content before it was cut.
 */
async function readShardLines(
  shard: Shard,
  signal: AbortSignal | undefined,
  onChunk: (chunk: LineChunk) => void,
): Promise<ShardReadReport> {
  const name = shard.fileName;
  const checkAborted = (): void => {
    if (signal?.aborted) throw new IngestError('aborted', `Reading ${name} was cancelled`);
  };
  checkAborted();
  const batch = new LineBatch(shard.fileIndex);
  let splitter: Utf8LineSplitter | undefined;
  let textBytes = 0;
  const feed = (block: Uint8Array): void => {
    if (splitter === undefined) {
      const bom = shard.start === 0 ? detectEncoding(block).bomBytes : 0;
      splitter = new Utf8LineSplitter(batch, DEFAULT_MAX_LINE_BYTES, shard.start + bom);
      splitter.push(block.subarray(bom));
    } else splitter.push(block);
    while (batch.size >= DEFAULT_CHUNK_LINES) onChunk(batch.take(DEFAULT_CHUNK_LINES));
  };
  // Blocks as readLines makes them: the same line splitting whatever the source's chunk sizes.
  const blocks = new BlockGatherer();
  for await (const chunk of sourceChunks(shard.data, name)) {
    checkAborted();
    textBytes += chunk.length;
    for (const block of blocks.push(chunk)) feed(block);
  }
  const last = blocks.flush();
  if (last) feed(last);
  const active = splitter as Utf8LineSplitter | undefined;
  const endsWithNewline = active === undefined ? true : active.finish();
  while (batch.size > 0) onChunk(batch.take(DEFAULT_CHUNK_LINES));
  return {
    textBytes,
    lines: batch.firstLineNumber,
    invalidSequences: active?.invalidSequences ?? 0,
    truncatedLines: active?.truncatedLines ?? 0,
    truncatedBytes: active?.truncatedBytes ?? 0,
    nulCharacters: active?.nulCharacters ?? 0,
    endsWithNewline,
  };
}
