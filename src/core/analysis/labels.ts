/**
 * Ground-truth labels from a CSV `id,label` dropped beside a log: id is a 1-based line number or a
 * session id (HDFS block, OpenStack instance...). Labels read as anomalous: 1, true, anomaly,
 * anomalous, abnormal, yes; as normal: 0, false, normal, no, '-'.
 *
 * The CSV is read as a stream of lines (`parseLabelsStream`): a labels file of hundreds of MB
 * never becomes one string, and line labels are stored one byte per line.
 */
import { readLines, type ByteSource } from '../ingest';

/** Labels looked up by id: what the analysis needs (a Map satisfies it). */
export interface LabelLookup<K> {
  get(id: K): number | undefined;
  readonly size: number;
}

export interface LabelSet {
  /** 1-based line number → 1 anomalous / 0 normal. */
  byLine: LabelLookup<number>;
  /** Session id → 1 anomalous / 0 normal. */
  bySession: LabelLookup<string>;
}

const ANOMALOUS = new Set(['1', 'true', 'anomaly', 'anomalous', 'abnormal', 'yes', 'y']);
const NORMAL = new Set(['0', 'false', 'normal', 'no', 'n', '-']);

export class LabelsError extends Error {}

/** Reads a labels CSV from a File/Blob or byte stream, line by line (gzip and UTF-16 too). */
export async function parseLabelsStream(source: ByteSource, fileName = 'The labels CSV'): Promise<LabelSet> {
  const parser = new LabelsParser();
  const lines = readLines(source, { fileName });
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    const chunk = next.value;
    for (let k = 0; k < chunk.lines.length; k++) parser.line(chunk.lines[k], chunk.firstLineNumber + k);
  }
  return parser.finish();
}

/** The same for a CSV already held as a string (small files, tests). */
export function parseLabelsCsv(text: string): LabelSet {
  const parser = new LabelsParser();
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) parser.line(lines[i], i);
  return parser.finish();
}

class LabelsParser {
  private readonly byLine = new LineLabels();
  private readonly bySession = new SessionLabels();
  private parsed = 0;

  /** One CSV line; `index` is its 0-based line number in the file. */
  line(text: string, index: number): void {
    const line = text.trim();
    if (!line) return;
    const comma = line.indexOf(',');
    if (comma < 0) throw new LabelsError(`Labels CSV line ${index + 1} has no comma: expected "id,label".`);
    const id = unquote(line.slice(0, comma));
    const rest = line.slice(comma + 1);
    const nextComma = rest.indexOf(',');
    const value = unquote(nextComma < 0 ? rest : rest.slice(0, nextComma)).toLowerCase();
    let label: number;
    if (ANOMALOUS.has(value)) label = 1;
    else if (NORMAL.has(value)) label = 0;
    else if (this.parsed === 0 && index === 0)
      return; // a header row such as "BlockId,Label"
    else throw new LabelsError(`Labels CSV line ${index + 1}: "${value.slice(0, 80)}" is not a label (use 1/0, anomaly/normal).`);
    this.parsed++;
    if (/^\d+$/.test(id) && id.length <= 15) this.byLine.set(Number(id), label);
    else this.bySession.set(id, label);
  }

  finish(): LabelSet {
    if (this.parsed === 0) throw new LabelsError('The labels CSV holds no labels: expected rows of "id,label".');
    return { byLine: this.byLine, bySession: this.bySession };
  }
}

/** Line labels as one byte per line (-1 none): tens of millions of labelled lines stay small. */
class LineLabels implements LabelLookup<number> {
  size = 0;
  private labels = new Int8Array(0);
  /** Line numbers far beyond the others (a sparse file) stay out of the dense array. */
  private readonly sparse = new Map<number, number>();

  get(line: number): number | undefined {
    if (line < this.labels.length) {
      const label = this.labels[line];
      return label < 0 ? undefined : label;
    }
    return this.sparse.get(line);
  }

  set(line: number, label: number): void {
    if (line >= this.labels.length && line < 8 * (this.size + 65536)) {
      const grown = new Int8Array(Math.max(line + 1, 2 * this.labels.length)).fill(-1);
      grown.set(this.labels);
      this.labels = grown;
    }
    if (line < this.labels.length) {
      if (this.labels[line] < 0) this.size++;
      this.labels[line] = label;
      return;
    }
    if (!this.sparse.has(line)) this.size++;
    this.sparse.set(line, label);
  }
}

/** Entries per Map: V8 Maps stop at 2^24 entries, a labels file may hold more sessions. */
const SESSIONS_PER_SHARD = 1 << 23;

/** Session labels in Maps of bounded size. */
class SessionLabels implements LabelLookup<string> {
  size = 0;
  private readonly shards: Array<Map<string, number>> = [new Map()];

  get(id: string): number | undefined {
    for (const shard of this.shards) {
      const label = shard.get(id);
      if (label !== undefined) return label;
    }
    return undefined;
  }

  set(id: string, label: number): void {
    for (const shard of this.shards) {
      if (shard.has(id)) {
        shard.set(id, label);
        return;
      }
    }
    let last = this.shards[this.shards.length - 1];
    if (last.size >= SESSIONS_PER_SHARD) this.shards.push((last = new Map()));
    last.set(id, label);
    this.size++;
  }
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}
