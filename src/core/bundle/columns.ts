/**
 * The typed-array columns and text lists of a saved analysis, checked against its meta: no unknown
 * names, each of its type and length, every index inside its table, offsets consistent. A bundle is
 * a file from anywhere: a damaged or hostile one gets a readable error, never a crash.
 */
import { MAX_ITEMS, SnapshotError, type ParsedMeta } from './schema';

type ColumnType =
  'Uint8Array' | 'Int8Array' | 'Uint16Array' | 'Int16Array' | 'Int32Array' | 'Uint32Array' | 'Float32Array' | 'Float64Array';
type Column = Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

interface ColumnSpec {
  type: ColumnType;
  /** Required length, or undefined when any length up to MAX_ITEMS is allowed. */
  length: (m: ParsedMeta, c: Record<string, Column>) => number | undefined;
  required: (m: ParsedMeta) => boolean;
  /** Index of the first bad value and why, or undefined when every value is fine. */
  check?: (values: Column, m: ParsedMeta, c: Record<string, Column>) => string | undefined;
}

const always = () => true;
const records = (m: ParsedMeta) => m.counts.records;
const texts = (m: ParsedMeta) => m.counts.texts;
const refTexts = (m: ParsedMeta) => m.counts.referenceTexts;
const templates = (m: ParsedMeta) => m.counts.templates;

function below(limit: (m: ParsedMeta) => number, allowMinusOne = false) {
  return (values: Column, m: ParsedMeta) => {
    const max = limit(m);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(v < max && (v >= 0 || (allowMinusOne && v === -1)))) return `value ${i} is ${v}, outside 0..${max - 1}`;
    }
    return undefined;
  };
}

function finiteValues(allowNaN: boolean) {
  return (values: Column) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v) && !(allowNaN && Number.isNaN(v))) return `value ${i} is ${v}`;
    }
    return undefined;
  };
}

/** Group offsets: start at 0, never go down, end at the member count. */
function offsets(prefix: string) {
  return (values: Column, _m: ParsedMeta, c: Record<string, Column>) => {
    const members = c[`${prefix}.members`]?.length ?? 0;
    if (values[0] !== 0) return 'the first offset is not 0';
    for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1]) return `offset ${i} goes back`;
    if (values[values.length - 1] !== members) return `the last offset is not the member count ${members}`;
    return undefined;
  };
}

const LEVEL_COUNT = 9;

/** Units of the saved scoring's unit (a head's labels are one per unit). */
function unitCount(m: ParsedMeta): number {
  const unit = m.scoring.settings.unit;
  return unit === 'line'
    ? m.counts.records
    : unit === 'session'
      ? m.counts.sessions
      : unit === 'window'
        ? m.counts.windows
        : m.counts.templates;
}

const COLUMNS: Record<string, ColumnSpec> = {
  'target.fileIndex': { type: 'Uint16Array', length: records, required: always, check: below((m) => m.files.length) },
  'target.lineNumber': { type: 'Uint32Array', length: records, required: always },
  'target.timestamp': { type: 'Float64Array', length: records, required: always, check: finiteValues(true) },
  'target.level': { type: 'Uint8Array', length: records, required: always, check: below(() => LEVEL_COUNT) },
  'target.templateId': { type: 'Int32Array', length: records, required: always, check: below(templates) },
  'target.textIndex': { type: 'Uint32Array', length: records, required: always, check: below(texts) },
  'target.label': { type: 'Int8Array', length: records, required: always, check: below(() => 2, true) },
  'target.textStart': { type: 'Float64Array', length: records, required: () => false, check: finiteValues(false) },
  'target.textEnd': { type: 'Float64Array', length: records, required: () => false, check: finiteValues(false) },
  'target.messageStart': { type: 'Int32Array', length: records, required: (m) => m.hasLines },
  'target.messageLength': { type: 'Uint32Array', length: records, required: (m) => m.hasLines },
  'texts.counts': { type: 'Uint32Array', length: texts, required: always },
  'texts.templateOf': { type: 'Int32Array', length: texts, required: always, check: below(templates, true) },
  'texts.levelOf': { type: 'Uint8Array', length: texts, required: always, check: below(() => LEVEL_COUNT) },
  'templates.targetCounts': { type: 'Uint32Array', length: templates, required: always },
  'templates.referenceCounts': { type: 'Uint32Array', length: templates, required: () => false },
  'reference.counts': { type: 'Uint32Array', length: refTexts, required: (m) => m.reference },
  'reference.templateOf': { type: 'Int32Array', length: refTexts, required: (m) => m.reference, check: below(templates, true) },
  'reference.levelOf': { type: 'Uint8Array', length: refTexts, required: (m) => m.reference, check: below(() => LEVEL_COUNT) },
  'evidence.vectors': { type: 'Float32Array', length: (m) => m.counts.texts * m.dims, required: always, check: finiteValues(false) },
  'evidence.referenceVectors': {
    type: 'Float32Array',
    length: (m) => m.counts.referenceTexts * m.dims,
    required: (m) => m.reference,
    check: finiteValues(false),
  },
  'evidence.surprise': { type: 'Float32Array', length: texts, required: () => false, check: finiteValues(true) },
  'evidence.referenceSurprise': { type: 'Float32Array', length: refTexts, required: () => false, check: finiteValues(true) },
  'labels.line': { type: 'Int8Array', length: records, required: () => false, check: below(() => 2, true) },
  'scores.textForest': { type: 'Float32Array', length: texts, required: always, check: finiteValues(true) },
  'scores.text': { type: 'Float32Array', length: texts, required: always, check: finiteValues(true) },
  'scores.template': { type: 'Float32Array', length: templates, required: always, check: finiteValues(true) },
  'scores.line': { type: 'Float32Array', length: records, required: () => false, check: finiteValues(true) },
  'scores.session': { type: 'Float32Array', length: (m) => m.counts.sessions, required: () => false, check: finiteValues(true) },
  'scores.window': {
    type: 'Float32Array',
    length: (m) => m.counts.windows,
    required: (m) => m.scoring.settings.unit === 'window',
    check: finiteValues(true),
  },
  'sessions.starts': {
    type: 'Uint32Array',
    length: (m) => m.counts.sessions + 1,
    required: (m) => m.counts.sessions > 0,
    check: offsets('sessions'),
  },
  'sessions.members': { type: 'Uint32Array', length: () => undefined, required: (m) => m.counts.sessions > 0, check: below(records) },
  // Absent when it equals `scores.line` (the default detector's line score is this sum).
  'evidence.line.score': { type: 'Float32Array', length: records, required: () => false, check: finiteValues(true) },
  'evidence.line.contributions': {
    type: 'Float32Array',
    length: (m) => m.counts.records * (m.defaultEvidence?.names.length ?? 0),
    required: (m) => !!m.defaultEvidence,
    check: finiteValues(false),
  },
  'evidence.line.strongest': {
    type: 'Int8Array',
    length: records,
    required: (m) => !!m.defaultEvidence,
    check: below((m) => m.defaultEvidence?.names.length ?? 0, true),
  },
  'evidence.session.score': { type: 'Float32Array', length: (m) => m.counts.sessions, required: () => false, check: finiteValues(true) },
  'evidence.session.worstLine': {
    type: 'Int32Array',
    length: (m) => m.counts.sessions,
    required: () => false,
    check: below(records, true),
  },
  'evidence.session.missing': { type: 'Float32Array', length: (m) => m.counts.sessions, required: () => false, check: finiteValues(false) },
  'values.score': { type: 'Float32Array', length: records, required: () => false, check: finiteValues(false) },
  'values.position': { type: 'Int16Array', length: records, required: () => false, check: below(() => 1024, true) },
  'learning.labels': {
    type: 'Int8Array',
    length: (m) => unitCount(m),
    required: (m) => !!m.learning,
    check: below(() => 2, true),
  },
  'windows.starts': { type: 'Uint32Array', length: (m) => m.counts.windows + 1, required: always, check: offsets('windows') },
  'windows.members': { type: 'Uint32Array', length: () => undefined, required: always, check: below(records) },
};

interface StringSpec {
  length: (m: ParsedMeta, c: Record<string, Column>) => number;
  required: (m: ParsedMeta) => boolean;
}

const STRINGS: Record<string, StringSpec> = {
  'texts.texts': { length: texts, required: always },
  'reference.texts': { length: refTexts, required: (m) => m.reference },
  'target.raw': { length: records, required: (m) => m.hasLines },
  'target.messages': {
    length: (_m, c) => (c['target.messageStart'] as Int32Array).reduce((n, v) => n + (v < 0 ? 1 : 0), 0),
    required: (m) => m.hasLines,
  },
  'sessions.keys': { length: (m) => m.counts.sessions, required: (m) => m.counts.sessions > 0 },
  'windows.keys': { length: (m) => m.counts.windows, required: always },
};

const CONSTRUCTORS: Record<ColumnType, { new (n: number): Column }> = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
};

export { CONSTRUCTORS as COLUMN_TYPES };

/** The type each known column must have (the bundle writer names them in its section table). */
export function columnType(name: string): ColumnType | undefined {
  return Object.hasOwn(COLUMNS, name) ? COLUMNS[name].type : undefined;
}

export function isKnownStringList(name: string): boolean {
  return Object.hasOwn(STRINGS, name);
}

/**
 * Checks the columns and string lists against the meta: no unknown names, each of its type and
 * length, every index inside its table, the cross-references consistent. Returns them typed.
 */
export function validateColumns(
  meta: ParsedMeta,
  rawColumns: unknown,
  rawStrings: unknown,
): { columns: Record<string, Column>; strings: Record<string, string[]> } {
  if (typeof rawColumns !== 'object' || rawColumns === null || typeof rawStrings !== 'object' || rawStrings === null) {
    throw new SnapshotError('The analysis file is damaged: its columns are missing.');
  }
  const columns: Record<string, Column> = Object.create(null);
  const strings: Record<string, string[]> = Object.create(null);
  for (const [key, value] of Object.entries(rawColumns)) {
    if (!Object.hasOwn(COLUMNS, key)) throw new SnapshotError(`The analysis file is damaged: unknown column "${key.slice(0, 80)}".`);
    const spec = COLUMNS[key];
    if (!(value instanceof CONSTRUCTORS[spec.type]))
      throw new SnapshotError(`The analysis file is damaged: column "${key}" is not a ${spec.type}.`);
    if (value.length > MAX_ITEMS) throw new SnapshotError(`The analysis file is damaged: column "${key}" is too long.`);
    columns[key] = value;
  }
  for (const [key, value] of Object.entries(rawStrings)) {
    if (!Object.hasOwn(STRINGS, key)) throw new SnapshotError(`The analysis file is damaged: unknown text list "${key.slice(0, 80)}".`);
    if (!Array.isArray(value) || value.length > MAX_ITEMS)
      throw new SnapshotError(`The analysis file is damaged: "${key}" is not a list of texts.`);
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] !== 'string') throw new SnapshotError(`The analysis file is damaged: "${key}" item ${i} is not text.`);
    }
    strings[key] = value as string[];
  }
  for (const [key, spec] of Object.entries(COLUMNS)) {
    const values = columns[key];
    if (!values) {
      if (spec.required(meta)) throw new SnapshotError(`The analysis file is damaged: column "${key}" is missing.`);
      continue;
    }
    const length = spec.length(meta, columns);
    if (length !== undefined && values.length !== length) {
      throw new SnapshotError(`The analysis file is damaged: column "${key}" has ${values.length} values, expected ${length}.`);
    }
  }
  // Values are checked once every length is known (offsets compare against member counts).
  for (const [key, spec] of Object.entries(COLUMNS)) {
    const values = columns[key];
    const problem = values && spec.check?.(values, meta, columns);
    if (problem) throw new SnapshotError(`The analysis file is damaged: column "${key}" ${problem}.`);
  }
  for (const [key, spec] of Object.entries(STRINGS)) {
    const values = strings[key];
    if (!values) {
      if (spec.required(meta)) throw new SnapshotError(`The analysis file is damaged: text list "${key}" is missing.`);
      continue;
    }
    const length = spec.length(meta, columns);
    if (values.length !== length)
      throw new SnapshotError(`The analysis file is damaged: "${key}" has ${values.length} texts, expected ${length}.`);
  }
  const ids = new Set<number>();
  for (const t of meta.templates) {
    if (t.id >= meta.counts.templates || ids.has(t.id))
      throw new SnapshotError(`The analysis file is damaged: template id ${t.id} is out of range or repeated.`);
    ids.add(t.id);
  }
  if (meta.templates.length !== meta.counts.templates)
    throw new SnapshotError('The analysis file is damaged: the template count does not match.');
  if (meta.files.reduce((n, f) => n + (f.role === 'target' ? f.records : 0), 0) !== meta.counts.records) {
    throw new SnapshotError('The analysis file is damaged: the files do not add up to the record count.');
  }
  if (meta.reference !== meta.files.some((f) => f.role === 'reference'))
    throw new SnapshotError('The analysis file is damaged: reference files do not match.');
  return { columns, strings };
}
