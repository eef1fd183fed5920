import { concatBytes } from '../bytes';
import { BlockGatherer } from './blocks';
import type { IngestReport, LineChunk } from '../types';
import { gunzipChunks, prepend, sourceChunks, type ByteSource } from './byteSource';
import { IngestError } from './errors';
import { LineBatch } from './lineBatch';
import { binaryReason, detectEncoding, isGzip, type TextEncoding } from './sniff';
import { Utf16LineSplitter } from './utf16Lines';
import { Utf8LineSplitter } from './utf8Lines';

export interface ReadLinesOptions {
  /** Index of this file among the files being analysed (copied into every LineChunk). */
  fileIndex?: number;
  /** Name used in reports and error messages; defaults to File.name, else "file N". */
  fileName?: string;
  /** Lines longer than this many bytes are cut to it and flagged as truncated. */
  maxLineBytes?: number;
  /** Lines per yielded chunk. */
  chunkLines?: number;
  signal?: AbortSignal;
  /**
   * Receives the file's text bytes (decompressed, BOM included) in order, as they are read: a
   * caller can keep them out of the JS heap (as a Blob) and read lines back by their byte offsets.
   */
  onText?: (bytes: Uint8Array) => void;
  /**
   * Called after each piece of text is read: bytes read from the source so far (compressed for
   * gzip: the share of the file done) and text bytes so far (decompressed).
   */
  onRead?: (read: { sourceBytes: number; textBytes: number; gzip: boolean }) => void;
}

export const DEFAULT_MAX_LINE_BYTES = 65536;
export const DEFAULT_CHUNK_LINES = 4096;
/** Source chunks are passed on in pieces of at most this size (see `counted`). */
const SOURCE_PIECE_BYTES = 64 * 1024;

/**
 * Streams one file as batches of lines. Detects gzip by its magic bytes, the text encoding by
 * its BOM (else UTF-16 by alternating NULs, else UTF-8), and rejects binary files. The generator's return value is the
 * file's IngestReport (use `.next()` until done, or `collectLines`).
 *
 * `IngestReport.bytesRead` counts bytes read from the source (compressed bytes for gzip);
 * `LineChunk.byteOffsets` are offsets in the decompressed text.
 */
export async function* readLines(source: ByteSource, options: ReadLinesOptions = {}): AsyncGenerator<LineChunk, IngestReport> {
  const fileIndex = options.fileIndex ?? 0;
  const fileName = options.fileName ?? fileNameOf(source) ?? `file ${fileIndex + 1}`;
  const maxLineBytes = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const chunkLines = Math.max(1, options.chunkLines ?? DEFAULT_CHUNK_LINES);
  const signal = options.signal;
  const checkAborted = (): void => {
    if (signal?.aborted) throw new IngestError('aborted', `Reading ${fileName} was cancelled`);
  };
  checkAborted();

  let bytesRead = 0;
  // In pieces: the gunzipper takes one piece at a time as its text is read (see gunzipChunks), so
  // bytesRead follows the text and the compressed share read is the progress of a gzip file.
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of sourceChunks(source, fileName)) {
      for (let at = 0; at < chunk.length; at += SOURCE_PIECE_BYTES) {
        const piece = chunk.length <= SOURCE_PIECE_BYTES ? chunk : chunk.subarray(at, at + SOURCE_PIECE_BYTES);
        bytesRead += piece.length;
        yield piece;
      }
    }
  }

  // Peek at the first two bytes for the gzip magic, keeping what was read.
  const raw = counted();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const next = await raw.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  const gzip = isGzip(concatBytes(head, true));
  const rawWithHead = prepend(head, raw);
  const text = gzip ? gunzipChunks(rawWithHead, fileName) : rawWithHead;

  const batch = new LineBatch(fileIndex);
  let splitter: Utf8LineSplitter | Utf16LineSplitter | null = null;
  let encoding: TextEncoding = 'utf-8';

  const feed = (block: Uint8Array): void => {
    if (splitter !== null) {
      splitter.push(block);
      return;
    }
    const detected = detectEncoding(block);
    encoding = detected.encoding;
    const body = block.subarray(detected.bomBytes);
    if (detected.encoding === 'utf-8') {
      const reason = binaryReason(body);
      if (reason !== null) {
        throw new IngestError('binary', `${fileName} looks like a binary file (${reason}), not a text log`);
      }
      splitter = new Utf8LineSplitter(batch, maxLineBytes, detected.bomBytes);
    } else {
      splitter = new Utf16LineSplitter(detected.encoding, batch, maxLineBytes, detected.bomBytes);
    }
    splitter.push(body);
  };

  const blocks = new BlockGatherer();
  let textBytes = 0;
  try {
    for await (const chunk of text) {
      checkAborted();
      textBytes += chunk.length;
      options.onText?.(chunk);
      options.onRead?.({ sourceBytes: bytesRead, textBytes, gzip });
      for (const block of blocks.push(chunk)) {
        feed(block);
        while (batch.size >= chunkLines) {
          checkAborted();
          yield batch.take(chunkLines);
        }
      }
    }
    const last = blocks.flush();
    if (last) feed(last);
  } finally {
    // Stops reading the source when the consumer breaks out early or an error is thrown.
    await text.return(undefined);
  }

  const active = splitter as Utf8LineSplitter | Utf16LineSplitter | null;
  const endsWithNewline = active === null ? true : active.finish();
  while (batch.size > 0) yield batch.take(chunkLines);

  return {
    fileName,
    bytesRead,
    textBytes,
    lines: batch.firstLineNumber,
    compression: gzip ? 'gzip' : 'none',
    encoding,
    invalidSequences: active?.invalidSequences ?? 0,
    truncatedLines: active?.truncatedLines ?? 0,
    truncatedBytes: active?.truncatedBytes ?? 0,
    nulCharacters: active?.nulCharacters ?? 0,
    endsWithNewline,
  };
}

function fileNameOf(source: ByteSource): string | undefined {
  if (source instanceof Blob && 'name' in source && typeof source.name === 'string') return source.name;
  return undefined;
}
