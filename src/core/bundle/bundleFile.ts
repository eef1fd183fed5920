/**
 * The analysis bundle: one gzip file that reopens an analysis exactly, without recomputing. Inside
 * the gzip: the line `LOUPE-BUNDLE`, a 4-byte length, a JSON header (format version, name, model,
 * the snapshot's meta, the analyst's labels and notes, and a table of sections), then the sections:
 * typed-array columns (8-byte aligned, read in place) and lists of texts (UTF-16 lengths, then the
 * texts as UTF-8). Everything is validated before use (schema.ts, snapshot.ts); the file is
 * recognised by its content, whatever its name.
 */
import { z } from 'zod';
import { analystLabelSchema, type AnalystLabel } from '../labels/labels';
import type { AnalysisSnapshot, SnapshotColumn } from '../analysis/snapshot';
import { COLUMN_TYPES, columnType, isKnownStringList } from './columns';
import { MAX_ITEMS, SnapshotError, snapshotMetaSchema } from './schema';
import { gunzip, gunzipHead, gzip, GzipError, isGzip } from './gzip';

export const BUNDLE_FORMAT = 'loupe-analysis';
export const BUNDLE_FILE_VERSION = 2;
const MAGIC = 'LOUPE-BUNDLE\n';
const MAGIC_BYTES = new TextEncoder().encode(MAGIC);
/** Largest header JSON: labels and notes live there, lines and vectors do not. */
const MAX_HEADER_BYTES = 256 * 2 ** 20;
/** Decompressed size above which a bundle is refused (the browser could not hold it anyway). */
export const MAX_BUNDLE_BYTES = 2 ** 31;
/** Texts per part of a text list: a part decodes to one string, well under V8's string limit. */
const MAX_PART_CHARS = 1 << 24;

export class BundleError extends Error {}

const sectionSchema = z.strictObject({
  kind: z.enum(['column', 'strings']),
  name: z.string().max(200),
  type: z.enum(Object.keys(COLUMN_TYPES) as [keyof typeof COLUMN_TYPES, ...Array<keyof typeof COLUMN_TYPES>]).optional(),
  offset: z.number().int().min(0).max(MAX_BUNDLE_BYTES),
  byteLength: z.number().int().min(0).max(MAX_BUNDLE_BYTES),
  count: z.number().int().min(0).max(MAX_ITEMS),
});

const headerSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_FILE_VERSION),
  createdAt: z.iso.datetime(),
  name: z.string().max(4096),
  app: z.string().max(200),
  model: z.strictObject({ id: z.string().max(4096), hash: z.string().max(200).optional() }),
  fileKeys: z.array(z.string().max(200)).max(65_535),
  notes: z.string().max(1 << 20),
  labels: z.array(analystLabelSchema).max(1_000_000),
  snapshot: z.unknown(),
  sections: z.array(sectionSchema).max(10_000),
});

export type BundleHeader = z.output<typeof headerSchema>;

export interface BundleContents {
  name: string;
  createdAt: string;
  model: { id: string; hash?: string };
  fileKeys: string[];
  notes: string;
  labels: AnalystLabel[];
  snapshot: AnalysisSnapshot;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function stringParts(list: string[]): string[][] {
  const parts: string[][] = [];
  let part: string[] = [];
  let chars = 0;
  for (const s of list) {
    if (part.length && chars + s.length > MAX_PART_CHARS) {
      parts.push(part);
      part = [];
      chars = 0;
    }
    part.push(s);
    chars += s.length;
  }
  if (part.length || parts.length === 0) parts.push(part);
  return parts;
}

function encodeStrings(list: string[]): Uint8Array {
  const lengths = Uint32Array.from(list, (s) => s.length);
  // Lone surrogates become U+FFFD, one code unit like them: the lengths still hold.
  const text = new TextEncoder().encode(list.join(''));
  const out = new Uint8Array(lengths.byteLength + text.byteLength);
  out.set(new Uint8Array(lengths.buffer), 0);
  out.set(text, lengths.byteLength);
  return out;
}

/** Writes a bundle: gzip-compressed bytes ready to download. */
export async function writeBundle(
  contents: Omit<BundleContents, 'createdAt'> & { createdAt?: string; app?: string },
): Promise<Uint8Array<ArrayBuffer>> {
  const { snapshot } = contents;
  const sections: BundleHeader['sections'] = [];
  const blobs: Array<{ offset: number; bytes: Uint8Array }> = [];
  let offset = 0; // relative to the end of the header, fixed below
  const add = (section: Omit<BundleHeader['sections'][number], 'offset'>, bytes: Uint8Array) => {
    offset = align8(offset);
    sections.push({ ...section, offset });
    blobs.push({ offset, bytes });
    offset += bytes.byteLength;
  };
  for (const [name, column] of Object.entries(snapshot.columns)) {
    const type = column.constructor.name as keyof typeof COLUMN_TYPES;
    add(
      { kind: 'column', name, type, byteLength: column.byteLength, count: column.length },
      new Uint8Array(column.buffer, column.byteOffset, column.byteLength),
    );
  }
  for (const [name, list] of Object.entries(snapshot.strings)) {
    for (const part of stringParts(list)) {
      const bytes = encodeStrings(part);
      add({ kind: 'strings', name, byteLength: bytes.byteLength, count: part.length }, bytes);
    }
  }
  const header = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_FILE_VERSION,
    createdAt: contents.createdAt ?? new Date().toISOString(),
    name: contents.name,
    app: contents.app ?? 'loupe',
    model: contents.model,
    fileKeys: contents.fileKeys,
    notes: contents.notes,
    labels: contents.labels,
    snapshot: snapshot.meta,
    sections: [] as BundleHeader['sections'],
  };
  // The section offsets count from the start of the file: they depend on the header's length,
  // which depends on the offsets' digits; padding the header to a multiple of 8 settles it.
  let dataStart = 0;
  for (let pass = 0; pass < 3; pass++) {
    header.sections = sections.map((s) => ({ ...s, offset: s.offset + dataStart }));
    const json = new TextEncoder().encode(JSON.stringify(header));
    const next = align8(MAGIC_BYTES.length + 4 + json.byteLength);
    if (next === dataStart) break;
    dataStart = next;
  }
  header.sections = sections.map((s) => ({ ...s, offset: s.offset + dataStart }));
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerEnd = MAGIC_BYTES.length + 4 + json.byteLength;
  if (align8(headerEnd) !== dataStart) throw new Error('bundle header length did not settle');
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.byteLength, true);
  const parts: BlobPart[] = [MAGIC_BYTES, length, json, new Uint8Array(dataStart - headerEnd)];
  let at = dataStart;
  for (const b of blobs) {
    const target = b.offset + dataStart;
    if (target > at) parts.push(new Uint8Array(target - at));
    parts.push(b.bytes as Uint8Array<ArrayBuffer>);
    at = target + b.bytes.byteLength;
  }
  return gzip(parts);
}

/** True when the bytes are a Loupe bundle (gzip whose content starts with the bundle line). */
export async function isBundle(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (!isGzip(head)) return false;
  const inner = await gunzipHead(file, MAGIC_BYTES.length);
  return inner.length === MAGIC_BYTES.length && inner.every((b, i) => b === MAGIC_BYTES[i]);
}

function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
  return `${where}: ${issue?.message ?? 'it does not match the format'}`;
}

/**
 * Reads and checks a bundle's container and header. The snapshot it returns is checked again,
 * in full, by `restoreSnapshot` before anything is shown.
 */
export async function readBundle(data: Blob | Uint8Array, options: { maxBytes?: number } = {}): Promise<BundleContents> {
  const maxBytes = options.maxBytes ?? MAX_BUNDLE_BYTES;
  const head = data instanceof Blob ? new Uint8Array(await data.slice(0, 2).arrayBuffer()) : data.subarray(0, 2);
  if (!isGzip(head)) {
    const first = data instanceof Blob ? await data.slice(0, 1).text() : String.fromCharCode(data[0] ?? 0);
    if (first === '{')
      throw new BundleError(
        'This is a JSON export from an older Loupe: it holds scores only and cannot be reopened. Analyse the log again.',
      );
    throw new BundleError('This is not a Loupe analysis bundle: it is not gzip-compressed.');
  }
  let bytes: Uint8Array;
  try {
    bytes = await gunzip(data, maxBytes);
  } catch (error) {
    if (error instanceof GzipError) throw new BundleError(`This bundle cannot be opened: ${error.message}.`);
    throw error;
  }
  if (bytes.length < MAGIC_BYTES.length + 4 || !MAGIC_BYTES.every((b, i) => bytes[i] === b)) {
    throw new BundleError('This is a gzip file but not a Loupe analysis bundle.');
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC_BYTES.length, true);
  const headerStart = MAGIC_BYTES.length + 4;
  if (headerLength > MAX_HEADER_BYTES || headerStart + headerLength > bytes.length)
    throw new BundleError('This bundle is truncated: its header is cut short.');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(headerStart, headerStart + headerLength)));
  } catch {
    throw new BundleError('This bundle is damaged: its header is not valid JSON.');
  }
  const version = typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > BUNDLE_FILE_VERSION) {
    throw new BundleError(
      `This bundle was made by a newer Loupe (format version ${version}); this one reads version ${BUNDLE_FILE_VERSION}. Update Loupe to open it.`,
    );
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) throw new BundleError(`This bundle is damaged${zodMessage(parsed.error)}.`);
  const header = parsed.data;
  // The analysis's own description is checked before any section is read (restoreSnapshot checks it again with the columns).
  const meta = snapshotMetaSchema.safeParse(header.snapshot);
  if (!meta.success) throw new BundleError(SnapshotError.fromZod(meta.error).message);
  const dataStart = headerStart + headerLength;
  const columns: Record<string, SnapshotColumn> = Object.create(null);
  const stringParts: Record<string, string[][]> = Object.create(null);
  for (const s of header.sections) {
    if (s.offset < dataStart) throw new BundleError(`This bundle is damaged: section "${s.name}" overlaps its header.`);
    if (s.offset + s.byteLength > bytes.length) throw new BundleError(`This bundle is truncated: section "${s.name}" lies past its end.`);
    const slice = bytes.subarray(s.offset, s.offset + s.byteLength);
    if (s.kind === 'column') {
      const type = columnType(s.name);
      if (!type || s.type !== type) throw new BundleError(`This bundle is damaged: section "${s.name}" is not a known column.`);
      if (Object.hasOwn(columns, s.name)) throw new BundleError(`This bundle is damaged: column "${s.name}" appears twice.`);
      const Ctor = COLUMN_TYPES[type] as unknown as {
        new (b: ArrayBuffer, o: number, n: number): SnapshotColumn;
        BYTES_PER_ELEMENT: number;
      };
      if (s.byteLength !== s.count * Ctor.BYTES_PER_ELEMENT || (bytes.byteOffset + s.offset) % Ctor.BYTES_PER_ELEMENT) {
        throw new BundleError(`This bundle is damaged: column "${s.name}" has a bad size or position.`);
      }
      columns[s.name] = new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset + s.offset, s.count);
    } else {
      if (!isKnownStringList(s.name)) throw new BundleError(`This bundle is damaged: section "${s.name}" is not a known text list.`);
      (stringParts[s.name] ??= []).push(decodeStrings(slice, s.count, s.name));
    }
  }
  const strings: Record<string, string[]> = Object.create(null);
  for (const [name, parts] of Object.entries(stringParts)) strings[name] = parts.length === 1 ? parts[0] : parts.flat();
  return {
    name: header.name,
    createdAt: header.createdAt,
    model: header.model,
    fileKeys: header.fileKeys,
    notes: header.notes,
    labels: header.labels as AnalystLabel[],
    snapshot: { meta: header.snapshot as AnalysisSnapshot['meta'], columns, strings },
  };
}

function decodeStrings(bytes: Uint8Array, count: number, name: string): string[] {
  if (count * 4 > bytes.byteLength) throw new BundleError(`This bundle is damaged: text list "${name}" is cut short.`);
  const lengths = new Uint32Array(bytes.slice(0, count * 4).buffer);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(count * 4));
  } catch {
    throw new BundleError(`This bundle is damaged: text list "${name}" is not valid UTF-8.`);
  }
  const out = new Array<string>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const end = at + lengths[i];
    if (end > text.length) throw new BundleError(`This bundle is damaged: text list "${name}" is cut short.`);
    out[i] = text.slice(at, end);
    at = end;
  }
  if (at !== text.length) throw new BundleError(`This bundle is damaged: text list "${name}" has text left over.`);
  return out;
}
