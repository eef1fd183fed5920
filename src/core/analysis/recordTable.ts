/**
 * Columnar storage for millions of records: typed arrays grown by doubling, plus the raw and
 * message strings (V8 keeps message substrings as slices of the raw line, so they cost little).
 */

export const LEVELS = ['', 'TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'ERROR', 'CRITICAL', 'FATAL'] as const;
const LEVEL_ALIASES: Record<string, string> = {
  WARNING: 'WARN', ERR: 'ERROR', SEVERE: 'ERROR', CRIT: 'CRITICAL', ALERT: 'CRITICAL', EMERG: 'FATAL',
  EMERGENCY: 'FATAL', PANIC: 'FATAL', FAILURE: 'ERROR', FINE: 'DEBUG', FINER: 'TRACE', FINEST: 'TRACE',
  I: 'INFO', W: 'WARN', E: 'ERROR', D: 'DEBUG', V: 'TRACE', F: 'FATAL', INFORMATION: 'INFO',
};
const levelIndexByName = new Map<string, number>(LEVELS.map((name, i) => [name, i]));

/** Index of a level name in LEVELS (0 = unknown); unknown spellings map to 0. */
export function levelIndex(level: string): number {
  if (!level) return 0;
  const upper = level.toUpperCase();
  return levelIndexByName.get(upper) ?? levelIndexByName.get(LEVEL_ALIASES[upper] ?? '') ?? 0;
}

/** Severity rank used to pick "the most severe level" of a group; higher is worse. */
export function levelSeverity(index: number): number {
  return index;
}

export interface RecordTable {
  count: number;
  fileIndex: Uint16Array;
  /** 0-based line number, within its file, of the record's first line. */
  lineNumber: Uint32Array;
  timestamp: Float64Array;
  level: Uint8Array;
  templateId: Int32Array;
  /** Index into `texts` of the record's masked message (what the encoder sees). */
  textIndex: Uint32Array;
  /** Ground truth: -1 unknown, 0 normal, 1 anomalous. */
  label: Int8Array;
  /**
   * Raw line and message of each record, as strings; EMPTY when the input was too large to keep
   * its text in memory: then `lazyText` reads records back from the files by byte offset.
   */
  raw: string[];
  message: string[];
  /** Byte range of each record in its file's (decompressed) text: [textStart, textEnd). */
  textStart: Float64Array;
  textEnd: Float64Array;
  /** The files' text, by file index, when the strings are not kept (see recordText.ts). */
  lazyText?: LazyTextSources;
}

/** Where the text of a large input lives (Blobs, paged to disk by the browser), by file index. */
export interface LazyTextSources {
  files: Array<{ blob: Blob; encoding: string; layoutId: string; layoutFormat?: string } | undefined>;
}

/** Appends records column by column, doubling capacity as needed. */
export class RecordTableBuilder {
  private capacity: number;
  count = 0;
  fileIndex: Uint16Array;
  lineNumber: Uint32Array;
  timestamp: Float64Array;
  level: Uint8Array;
  templateId: Int32Array;
  textIndex: Uint32Array;
  label: Int8Array;
  raw: string[] = [];
  message: string[] = [];
  textStart: Float64Array;
  textEnd: Float64Array;

  constructor(initialCapacity = 1 << 14) {
    this.capacity = initialCapacity;
    this.fileIndex = new Uint16Array(initialCapacity);
    this.lineNumber = new Uint32Array(initialCapacity);
    this.timestamp = new Float64Array(initialCapacity);
    this.level = new Uint8Array(initialCapacity);
    this.templateId = new Int32Array(initialCapacity);
    this.textIndex = new Uint32Array(initialCapacity);
    this.label = new Int8Array(initialCapacity);
    this.textStart = new Float64Array(initialCapacity);
    this.textEnd = new Float64Array(initialCapacity);
  }

  /** Adds one record and returns its index. */
  /** Adds one record; `raw`/`message` are left out (not stored) when `keepText` is false. */
  push(
    fileIndex: number, lineNumber: number, timestamp: number, level: number, label: number, raw: string, message: string,
    textStart = 0, textEnd = 0, keepText = true,
  ): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.fileIndex[i] = fileIndex;
    this.lineNumber[i] = lineNumber;
    this.timestamp[i] = timestamp;
    this.level[i] = level;
    this.label[i] = label;
    this.templateId[i] = -1;
    this.textStart[i] = textStart;
    this.textEnd[i] = textEnd;
    if (keepText) {
      this.raw.push(raw);
      this.message.push(message);
    }
    return i;
  }

  private grow(): void {
    this.capacity *= 2;
    const c = this.capacity;
    this.fileIndex = extend(this.fileIndex, new Uint16Array(c));
    this.lineNumber = extend(this.lineNumber, new Uint32Array(c));
    this.timestamp = extend(this.timestamp, new Float64Array(c));
    this.level = extend(this.level, new Uint8Array(c));
    this.templateId = extend(this.templateId, new Int32Array(c));
    this.textIndex = extend(this.textIndex, new Uint32Array(c));
    this.label = extend(this.label, new Int8Array(c));
    this.textStart = extend(this.textStart, new Float64Array(c));
    this.textEnd = extend(this.textEnd, new Float64Array(c));
  }

  /** Trims the columns to the record count. The builder must not be used afterwards. */
  finish(): RecordTable {
    const n = this.count;
    return {
      count: n,
      fileIndex: this.fileIndex.slice(0, n),
      lineNumber: this.lineNumber.slice(0, n),
      timestamp: this.timestamp.slice(0, n),
      level: this.level.slice(0, n),
      templateId: this.templateId.slice(0, n),
      textIndex: this.textIndex.slice(0, n),
      label: this.label.slice(0, n),
      raw: this.raw,
      message: this.message,
      textStart: this.textStart.slice(0, n),
      textEnd: this.textEnd.slice(0, n),
    };
  }
}

function extend<T extends { set(a: ArrayLike<number>): void }>(old: T, grown: T): T {
  grown.set(old as unknown as ArrayLike<number>);
  return grown;
}

/** Reorders every column by `order` (a permutation of record indices). */
export function permuteRecords(table: RecordTable, order: Uint32Array): RecordTable {
  const n = table.count;
  const out: RecordTable = {
    count: n,
    fileIndex: new Uint16Array(n),
    lineNumber: new Uint32Array(n),
    timestamp: new Float64Array(n),
    level: new Uint8Array(n),
    templateId: new Int32Array(n),
    textIndex: new Uint32Array(n),
    label: new Int8Array(n),
    raw: table.raw.length ? new Array<string>(n) : [],
    message: table.message.length ? new Array<string>(n) : [],
    textStart: new Float64Array(n),
    textEnd: new Float64Array(n),
    lazyText: table.lazyText,
  };
  for (let i = 0; i < n; i++) {
    const j = order[i];
    out.fileIndex[i] = table.fileIndex[j];
    out.lineNumber[i] = table.lineNumber[j];
    out.timestamp[i] = table.timestamp[j];
    out.level[i] = table.level[j];
    out.templateId[i] = table.templateId[j];
    out.textIndex[i] = table.textIndex[j];
    out.label[i] = table.label[j];
    if (table.raw.length) {
      out.raw[i] = table.raw[j];
      out.message[i] = table.message[j];
    }
    out.textStart[i] = table.textStart[j];
    out.textEnd[i] = table.textEnd[j];
  }
  return out;
}

/**
 * Merge order for records of several files: by timestamp where both records have one, otherwise
 * keeping each file's own order (a stable sort on (timestamp, file, line)). Untimed records inherit
 * the time of the record before them in their file so they stay next to their neighbours.
 */
export function timestampOrder(table: RecordTable): Uint32Array {
  const n = table.count;
  const effective = new Float64Array(n);
  let lastFile = -1;
  let lastTime = -Infinity;
  for (let i = 0; i < n; i++) {
    if (table.fileIndex[i] !== lastFile) {
      lastFile = table.fileIndex[i];
      lastTime = -Infinity;
    }
    const t = table.timestamp[i];
    if (!Number.isNaN(t)) lastTime = t;
    effective[i] = lastTime;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => effective[a] - effective[b] || table.fileIndex[a] - table.fileIndex[b] || a - b);
  return order;
}
