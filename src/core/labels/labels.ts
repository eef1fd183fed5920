/**
 * The analyst's labels: a verdict (anomaly / normal) and a note on a line, a template or a session.
 * A label is keyed by the CONTENT it is about, not by a file name: a line by a fingerprint of its
 * file's bytes and its line number, a template or session by the analysis (its files'
 * fingerprints) and its text. Each label carries the time it was written, so copies from another
 * tab, a saved analysis or a bundle merge label by label: the later write wins.
 */
import { z } from 'zod';

/** 1 anomalous, 0 normal (a false positive). */
export type Verdict = 0 | 1;
export type LabelTarget = 'line' | 'template' | 'session';

export interface AnalystLabel {
  key: string;
  target: LabelTarget;
  /** null: the verdict was cleared (kept, so the clearing wins over older copies). */
  verdict: Verdict | null;
  note: string;
  /** Epoch ms of the write. */
  updatedAt: number;
  /** What the label is on, for people and exports (the key alone decides what it matches). */
  file?: string;
  line?: number;
  template?: string;
  session?: string;
}

const MAX_KEY = 512;
export const MAX_NOTE = 10_000;

export const analystLabelSchema = z.strictObject({
  key: z.string().min(1).max(MAX_KEY),
  target: z.enum(['line', 'template', 'session']),
  verdict: z.union([z.literal(0), z.literal(1), z.null()]),
  note: z.string().max(MAX_NOTE),
  updatedAt: z.number().int().min(0).max(8.64e15),
  file: z.string().max(4096).optional(),
  line: z
    .number()
    .int()
    .min(1)
    .max(2 ** 32)
    .optional(),
  template: z
    .string()
    .max(1 << 20)
    .optional(),
  session: z.string().max(4096).optional(),
});

/**
 * A 64-bit string hash (two 32-bit FNV-1a-like lanes mixed with multiplication), as 13 base-36
 * digits: stable across browsers and Node, fast enough for every record of a large log.
 */
export function hashText(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return finish(h1, h2);
}

function finish(h1: number, h2: number): string {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).padStart(11, '0');
}

/**
 * hashText of the bytes read as Latin-1 text, with seeds 1 and 2, in one pass straight over the
 * bytes: building the string first cost the page 50 ms and megabytes of garbage when 16 files
 * were fingerprinted at the end of an analysis (issue 13 §1, long main-thread tasks).
 */
function hashBytesTwice(bytes: Uint8Array): string {
  let a1 = 0xdeadbeef ^ 1;
  let a2 = 0x41c6ce57 ^ 1;
  let b1 = 0xdeadbeef ^ 2;
  let b2 = 0x41c6ce57 ^ 2;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    a1 = Math.imul(a1 ^ c, 2654435761);
    a2 = Math.imul(a2 ^ c, 1597334677);
    b1 = Math.imul(b1 ^ c, 2654435761);
    b2 = Math.imul(b2 ^ c, 1597334677);
  }
  return finish(a1, a2) + finish(b1, b2);
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Bytes read from a file to fingerprint it: its head, its tail and evenly spaced pieces between. */
const HEAD_BYTES = 256 * 1024;
const PIECE_BYTES = 4096;
const PIECES = 32;

/**
 * A fingerprint of a file's bytes: its size and a hash of its head, tail and 32 pieces between (a
 * few hundred KB, whatever the size), so a multi-GB log is fingerprinted at once. Two files with
 * the same name but other contents get other fingerprints.
 */
export async function fileFingerprint(file: Blob): Promise<string> {
  // A task of its own before touching the file: callers start every file's fingerprint in the
  // task that received the analysis, and reading the picked files' sizes, slicing them and
  // starting the reads cost that task 40-65 ms for 16 files (issue 13 §1, a 177-245 ms task).
  await nextTask();
  const size = file.size;
  const parts: Blob[] = [file.slice(0, HEAD_BYTES)];
  if (size > HEAD_BYTES) {
    const span = size - 2 * HEAD_BYTES;
    for (let k = 0; k < PIECES && span > 0; k++) {
      const at = HEAD_BYTES + Math.floor((span * k) / PIECES);
      parts.push(file.slice(at, Math.min(at + PIECE_BYTES, size - HEAD_BYTES)));
    }
    parts.push(file.slice(Math.max(HEAD_BYTES, size - HEAD_BYTES)));
  }
  const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
  // A task of its own per file: many files read at once must not be hashed in one long task.
  await nextTask();
  return `f${size.toString(36)}-${hashBytesTwice(bytes)}`;
}

/** The analysis a template or session label belongs to: its target files' fingerprints. */
export function analysisKey(fileKeys: readonly string[]): string {
  return `a${hashText([...fileKeys].sort().join('\n'))}`;
}

export function lineKey(fileKey: string, line: number): string {
  return `${fileKey}:L${line}`;
}

export function templateKey(analysis: string, templateText: string): string {
  return `${analysis}:T${hashText(templateText)}`;
}

export function sessionKey(analysis: string, session: string): string {
  return `${analysis}:S${hashText(session)}`;
}

/** The later of two copies of a label (ties: the one with a verdict, then the longer note). */
export function newerLabel(a: AnalystLabel, b: AnalystLabel): AnalystLabel {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  if ((a.verdict === null) !== (b.verdict === null)) return a.verdict === null ? b : a;
  return b.note.length > a.note.length ? b : a;
}

/** Merges copies of labels: per key, the later write wins. Returns a new map. */
export function mergeLabels(into: ReadonlyMap<string, AnalystLabel>, incoming: Iterable<AnalystLabel>): Map<string, AnalystLabel> {
  const out = new Map(into);
  for (const label of incoming) {
    const have = out.get(label.key);
    out.set(label.key, have ? newerLabel(have, label) : label);
  }
  return out;
}

/** A label that still says something (a verdict or a note), as opposed to a cleared one. */
export function isLive(label: AnalystLabel): boolean {
  return label.verdict !== null || label.note.trim() !== '';
}

/** What a set of verdict arrays is computed over: the records, templates and sessions of one analysis. */
export interface LabelUnits {
  /** Fingerprint of each file, by file index. */
  fileKeys: readonly string[];
  /** Per record: its file and 0-based line number. */
  fileIndex: ArrayLike<number>;
  lineNumber: ArrayLike<number>;
  /** Templates by id (their text keys them). */
  templates: ReadonlyArray<{ id: number; text: string }>;
  templateCount?: number;
  /** Session ids in session order, when the analysis has sessions. */
  sessionKeys?: readonly string[];
}

export interface VerdictArrays {
  /** Per record / template id / session: 1 anomaly, 0 normal, -1 not labelled. */
  line: Int8Array;
  template: Int8Array;
  session?: Int8Array;
  /** How many labels matched a unit of this analysis. */
  matched: number;
}

/**
 * Turns labels into per-unit verdict arrays for one analysis (for the evaluation strip and for a
 * few-shot head to learn from). Pure: labels about other files or analyses are ignored.
 */
export function verdictArrays(labels: Iterable<AnalystLabel>, units: LabelUnits): VerdictArrays {
  const count = units.fileIndex.length;
  const line = new Int8Array(count).fill(-1);
  const templateCount = units.templateCount ?? units.templates.reduce((n, t) => Math.max(n, t.id + 1), 0);
  const template = new Int8Array(templateCount).fill(-1);
  const session = units.sessionKeys ? new Int8Array(units.sessionKeys.length).fill(-1) : undefined;
  const analysis = analysisKey(units.fileKeys);
  const byLine = new Map<string, Verdict>();
  const byOther = new Map<string, Verdict>();
  for (const label of labels) {
    if (label.verdict === null) continue;
    (label.target === 'line' ? byLine : byOther).set(label.key, label.verdict);
  }
  let matched = 0;
  if (byLine.size) {
    for (let i = 0; i < count; i++) {
      const v = byLine.get(lineKey(units.fileKeys[units.fileIndex[i]], units.lineNumber[i] + 1));
      if (v !== undefined) {
        line[i] = v;
        matched++;
      }
    }
  }
  if (byOther.size) {
    for (const t of units.templates) {
      const v = byOther.get(templateKey(analysis, t.text));
      if (v !== undefined && t.id < templateCount) {
        template[t.id] = v;
        matched++;
      }
    }
    units.sessionKeys?.forEach((id, g) => {
      const v = byOther.get(sessionKey(analysis, id));
      if (v !== undefined) {
        session![g] = v;
        matched++;
      }
    });
  }
  return { line, template, session, matched };
}
