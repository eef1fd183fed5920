/**
 * Plain data shared between the stages of the pipeline (ingest → parse → templates → sessions →
 * embed → detect → evaluate). Every stage is a function over these shapes; nothing here knows
 * about React, the DOM or workers.
 */

/** A batch of decoded lines from one file, in file order. Batches keep per-line overhead low. */
export interface LineChunk {
  /** Index of the file this chunk came from, in the order the files were given. */
  fileIndex: number;
  /** Decoded lines, without their line terminator. */
  lines: string[];
  /** Byte offset in the (decompressed) file of the start of each line. */
  byteOffsets: number[];
  /** 0-based line number (within its file) of `lines[0]`. */
  firstLineNumber: number;
  /** Indices into `lines` of lines cut at the length limit. */
  truncated: number[];
}

/** What reading a file found out about it, reported once the file is done. */
export interface IngestReport {
  fileName: string;
  bytesRead: number;
  /** Bytes of text after decompression (BOM included): what lines and byte offsets are cut from. */
  textBytes: number;
  lines: number;
  compression: 'none' | 'gzip';
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** Number of invalid UTF-8 sequences replaced by U+FFFD. */
  invalidSequences: number;
  truncatedLines: number;
  /** Bytes dropped from the ends of lines cut at the length limit. */
  truncatedBytes: number;
  /** NUL characters removed from lines (a text log has none; the binary check sees only the first 64 KiB). */
  nulCharacters: number;
  /** False when the last line had no terminator (it is still kept). */
  endsWithNewline: boolean;
}

/** A log record after layout parsing. Multi-line records (stack traces) are folded into one. */
export interface ParsedRecord {
  /** Epoch milliseconds, or NaN when the line has no timestamp. */
  timestamp: number;
  /** Upper-case level (INFO, WARN, ERROR, FATAL, DEBUG, TRACE, ...) or '' when unknown. */
  level: string;
  /** Source / component / process, or '' when unknown. */
  component: string;
  /** The free-text message: what templates and the encoder see. */
  message: string;
  /** Ground-truth label taken from a BGL/Thunderbird-style prefix: '-' normal, else the alert category. */
  label?: string;
}

/** A template mined by Drain: constant tokens and `<*>` wildcards. */
export interface Template {
  id: number;
  /** Template text with `<*>` for variable positions. */
  text: string;
  count: number;
  /** Record index of the first and last record that matched. */
  firstSeen: number;
  lastSeen: number;
}

/** The distinct masked texts of a log: the unit the encoder embeds and every score starts from. */
export interface TextTable {
  texts: string[];
  /** Records per text. */
  counts: Uint32Array;
  /** Template of each text. */
  templateOf: Int32Array;
  /** Most severe level index seen with each text. */
  levelOf: Uint8Array;
}
