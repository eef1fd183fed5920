/**
 * Columnar storage for millions of records: typed arrays grown by doubling, plus the raw and
 * message strings (V8 keeps message substrings as slices of the raw line, so they cost little).
 * The numeric columns are declared once, in RECORD_COLUMNS; everything else loops over it.
 */
/** Each numeric column of a record and the typed array that holds it. */
const RECORD_COLUMNS = {
  fileIndex: Uint16Array,
  /** 0-based line number, within its file, of the record's first line. */
  lineNumber: Uint32Array,
  timestamp: Float64Array,
  /** Index in LEVELS (core/parse/level.ts). */
  level: Uint8Array,
  templateId: Int32Array,
  /** Index into the distinct texts of the record's masked message (what the encoder sees). */
  textIndex: Uint32Array,
  /** Ground truth: -1 unknown, 0 normal, 1 anomalous. */
  label: Int8Array,
  /** Byte range of each record in its file's (decompressed) text: [textStart, textEnd). */
  textStart: Float64Array,
  textEnd: Float64Array,
} as const;

type ColumnName = keyof typeof RECORD_COLUMNS;
type Columns = { [K in ColumnName]: InstanceType<(typeof RECORD_COLUMNS)[K]> };
const COLUMN_NAMES = Object.keys(RECORD_COLUMNS) as ColumnName[];

function allocate(n: number): Columns {
  const out = {} as Record<ColumnName, unknown>;
  for (const name of COLUMN_NAMES) out[name] = new RECORD_COLUMNS[name](n);
  return out as Columns;
}

export interface RecordTable extends Columns {
  count: number;
  /**
   * Raw line and message of each record, as strings; EMPTY when the input was too large to keep
   * its text in memory: then `lazyText` reads records back from the files by byte offset.
   */
  raw: string[];
  message: string[];
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
  columns: Columns;
  raw: string[] = [];
  message: string[] = [];

  constructor(initialCapacity = 1 << 14) {
    this.capacity = initialCapacity;
    this.columns = allocate(initialCapacity);
  }

  /** Adds one record and returns its index; `raw`/`message` are not stored when `keepText` is false. */
  push(
    fileIndex: number,
    lineNumber: number,
    timestamp: number,
    level: number,
    label: number,
    raw: string,
    message: string,
    textStart = 0,
    textEnd = 0,
    keepText = true,
  ): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    const c = this.columns;
    c.fileIndex[i] = fileIndex;
    c.lineNumber[i] = lineNumber;
    c.timestamp[i] = timestamp;
    c.level[i] = level;
    c.label[i] = label;
    c.templateId[i] = -1;
    c.textStart[i] = textStart;
    c.textEnd[i] = textEnd;
    if (keepText) {
      this.raw.push(raw);
      this.message.push(message);
    }
    return i;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = allocate(this.capacity);
    for (const name of COLUMN_NAMES) (grown[name] as { set(a: ArrayLike<number>): void }).set(this.columns[name]);
    this.columns = grown;
  }

  /** Trims the columns to the record count. The builder must not be used afterwards. */
  finish(): RecordTable {
    const n = this.count;
    const trimmed = {} as Record<ColumnName, unknown>;
    for (const name of COLUMN_NAMES) trimmed[name] = this.columns[name].slice(0, n);
    return { ...(trimmed as Columns), count: n, raw: this.raw, message: this.message };
  }
}

/** Reorders every column by `order` (a permutation of record indices). */
export function permuteRecords(table: RecordTable, order: Uint32Array): RecordTable {
  const n = table.count;
  const columns = allocate(n);
  for (const name of COLUMN_NAMES) {
    const from = table[name];
    const to = columns[name];
    for (let i = 0; i < n; i++) to[i] = from[order[i]];
  }
  const keepsText = table.raw.length > 0;
  return {
    ...columns,
    count: n,
    raw: keepsText ? Array.from(order, (j) => table.raw[j]) : [],
    message: keepsText ? Array.from(order, (j) => table.message[j]) : [],
    lazyText: table.lazyText,
  };
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
