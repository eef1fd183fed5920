/**
 * A scored fit as plain data: one JSON-able `meta` plus typed-array columns and string lists, so a
 * saved analysis (IndexedDB) or a bundle (a file) reopens with every view as it was, without
 * parsing, embedding or scoring again. `snapshotOf` takes a committed fit and its scoring;
 * `restoreSnapshot` validates a snapshot (it may come from a hostile file) and rebuilds them.
 *
 * What is not kept, and why: the encoder (reloaded on demand for saliency), the text forest
 * (re-fitted from the stored vectors with the stored seed, which gives the same forest), the
 * template miner (variants match templates by their text), and, unless asked, the log lines
 * (lines then show their masked text).
 */
import { compileMasks } from '../templates/masks';
import { drainOptionsForLayout } from '../templates/presets';
import { fitTextForest } from '../detect/textForest';
import { lineScoresOf, type AnalysisScores } from '../detect/score';
import { TfidfVectorizer } from '../detect/tfidf';
import type { RecordGroups } from '../sessions';
import type { Layout } from '../parse/layout';
import { SnapshotError, snapshotMetaSchema, validateColumns, type SnapshotMeta } from '../bundle/schema';
import { TFIDF_DIMS, type TextEvidence } from './evidence';
import type { AnalysisFit } from './fit';
import type { RecordTable } from './recordTable';
import { readRecords } from './recordText';
import type { RecordsResult } from './records';
import type { Scoring } from './scoring';
import { layoutTimeline } from './timeline';
import type { AnalysisSettings, AnalysisSummary, MapPoint } from './types';

export type { SnapshotMeta } from '../bundle/schema';

export type SnapshotColumn = Uint8Array | Int8Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export interface AnalysisSnapshot {
  meta: SnapshotMeta;
  columns: Record<string, SnapshotColumn>;
  strings: Record<string, string[]>;
}

export interface SnapshotOptions {
  /** Keep the log lines (raw text) so the viewer shows them after reopening. */
  includeLines?: boolean;
  map?: Array<Omit<MapPoint, 'score'>>;
  durationsMs?: AnalysisSummary['durationsMs'];
}

/** Settings as they can be stored: a local model folder's files stay on the analyst's disk. */
function storableSettings(settings: AnalysisSettings): SnapshotMeta['settings'] {
  const model = settings.model.kind === 'local' ? { kind: 'local' as const, name: settings.model.name } : settings.model;
  return { ...settings, model };
}

function groupsColumns(
  prefix: string,
  groups: RecordGroups,
  columns: AnalysisSnapshot['columns'],
  strings: AnalysisSnapshot['strings'],
): void {
  columns[`${prefix}.starts`] = groups.starts;
  columns[`${prefix}.members`] = groups.members;
  strings[`${prefix}.keys`] = groups.keys;
}

/**
 * Where each record's message sits in its raw line (-1: not a slice of it, then it is listed in
 * `target.messages`): the message is kept once, as a range of the raw text, not a second string.
 */
function messageOffsets(raw: string[], message: string[]): { start: Int32Array; length: Uint32Array; others: string[] } {
  const start = new Int32Array(raw.length);
  const length = new Uint32Array(raw.length);
  const others: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    // A message that appears twice in its line is found at its first place: the same text.
    const at = raw[i].lastIndexOf(message[i]);
    start[i] = at;
    length[i] = at < 0 ? 0 : message[i].length;
    if (at < 0) others.push(message[i]);
  }
  return { start, length, others };
}

/** Everything needed to show a scored fit again, as columns (the arrays are shared, not copied). */
export async function snapshotOf(fit: AnalysisFit, scoring: Scoring, options: SnapshotOptions = {}): Promise<AnalysisSnapshot> {
  const { records, evidence } = fit;
  const target = records.target;
  const { scores } = scoring;
  const columns: AnalysisSnapshot['columns'] = {
    'target.fileIndex': target.fileIndex,
    'target.lineNumber': target.lineNumber,
    'target.timestamp': target.timestamp,
    'target.level': target.level,
    'target.templateId': target.templateId,
    'target.textIndex': target.textIndex,
    'target.label': target.label,
    'texts.counts': records.targetTexts.counts,
    'texts.templateOf': records.targetTexts.templateOf,
    'texts.levelOf': records.targetTexts.levelOf,
    'templates.targetCounts': records.targetTemplateCounts,
    'evidence.vectors': evidence.vectors,
    'scores.textForest': scores.textForest,
    'scores.text': scores.text,
    'scores.template': scores.template,
    // Kept as they are: a detector may score a line by more than its text (values, order in its session).
    'scores.line': scores.line,
  };
  const strings: AnalysisSnapshot['strings'] = { 'texts.texts': records.targetTexts.texts };
  if (records.reference) {
    const ref = records.reference.texts;
    columns['reference.counts'] = ref.counts;
    columns['reference.templateOf'] = ref.templateOf;
    columns['reference.levelOf'] = ref.levelOf;
    strings['reference.texts'] = ref.texts;
    if (records.referenceTemplateCounts) columns['templates.referenceCounts'] = records.referenceTemplateCounts;
    if (evidence.referenceVectors) columns['evidence.referenceVectors'] = evidence.referenceVectors;
    if (evidence.referenceSurprise) columns['evidence.referenceSurprise'] = evidence.referenceSurprise;
  }
  if (evidence.surprise) columns['evidence.surprise'] = evidence.surprise;
  if (fit.lineLabels) columns['labels.line'] = fit.lineLabels;
  if (scores.session) columns['scores.session'] = scores.session;
  if (scores.window) columns['scores.window'] = scores.window;
  if (scoring.sessions) groupsColumns('sessions', scoring.sessions, columns, strings);
  groupsColumns('windows', scoring.windows, columns, strings);
  let hasLines = false;
  if (options.includeLines) {
    const all = Uint32Array.from({ length: target.count }, (_, i) => i);
    const texts = target.raw.length === target.count ? { raw: target.raw, message: target.message } : await readAll(target, all);
    const { start, length, others } = messageOffsets(texts.raw, texts.message);
    strings['target.raw'] = texts.raw;
    strings['target.messages'] = others;
    columns['target.messageStart'] = start;
    columns['target.messageLength'] = length;
    // Byte ranges in the files: kept with the lines only (without them nothing reads the files).
    columns['target.textStart'] = target.textStart;
    columns['target.textEnd'] = target.textEnd;
    hasLines = true;
  }
  const firstFile = [...records.files.filter((f) => f.role === 'reference'), ...records.files.filter((f) => f.role === 'target')][0];
  const meta: SnapshotMeta = {
    format: 'loupe-snapshot',
    version: 1,
    settings: storableSettings(fit.settings),
    files: records.files.map((f) => ({
      name: f.name,
      role: f.role,
      report: { ...f.report },
      records: f.records,
      labelledRecords: f.labelledRecords,
      layout: { id: f.layout.id, name: f.layout.name, kind: f.layout.kind, ...(f.layout.format ? { format: f.layout.format } : {}) },
    })),
    minerLayoutId: firstFile?.layout.id ?? 'plain',
    templates: records.templates.map((t) => ({ id: t.id, text: t.text })),
    dims: evidence.dims,
    counts: {
      records: target.count,
      texts: records.targetTexts.texts.length,
      referenceTexts: records.reference ? records.reference.texts.texts.length : 0,
      templates: records.templates.length,
      sessions: scoring.sessions ? scoring.sessions.keys.length : 0,
      windows: scoring.windows.keys.length,
    },
    reference: !!records.reference,
    evidence: {
      ...(evidence.encoder ? { encoder: { ...evidence.encoder } } : {}),
      ...(evidence.encoderError ? { encoderError: evidence.encoderError } : {}),
      tfidf: !!evidence.tfidf,
    },
    scoring: {
      settings: scoringSettingsOf(scoring.settings),
      threshold: scores.threshold,
      lineThreshold: scores.lineThreshold,
      thresholdExplanation: scores.thresholdExplanation,
      sessionRegexKey: scoring.settings.sessionRegex?.trim() ?? '',
    },
    ...(fit.labels ? { labelSet: { byLine: [], bySession: sessionLabels(fit, scoring) } } : {}),
    map: (options.map ?? []).map((p) => ({ templateId: p.templateId, x: p.x, y: p.y, count: p.count, text: p.text })),
    durationsMs: { ...(options.durationsMs ?? {}) },
    hasLines,
  };
  return { meta, columns, strings };
}

/**
 * The labels CSV's session labels for the sessions of this scoring (line labels are already in
 * `lineLabels`, one per record).
 */
function sessionLabels(fit: AnalysisFit, scoring: Scoring): Array<[string, 0 | 1]> {
  const out: Array<[string, 0 | 1]> = [];
  const bySession = fit.labels?.bySession;
  if (!bySession?.size || !scoring.sessions) return out;
  for (const key of scoring.sessions.keys) {
    const label = bySession.get(key);
    if (label === 0 || label === 1) out.push([key, label]);
  }
  return out;
}

function scoringSettingsOf(s: Scoring['settings']): SnapshotMeta['scoring']['settings'] {
  return {
    detector: s.detector,
    unit: s.unit,
    forest: { ...s.forest },
    window: { ...s.window },
    ...(s.sessionRegex !== undefined ? { sessionRegex: s.sessionRegex } : {}),
  };
}

async function readAll(target: RecordTable, indices: Uint32Array): Promise<{ raw: string[]; message: string[] }> {
  const raw = new Array<string>(target.count);
  const message = new Array<string>(target.count);
  const block = 8192;
  for (let from = 0; from < indices.length; from += block) {
    const texts = await readRecords(target, indices.subarray(from, from + block));
    texts.forEach((t, k) => {
      raw[from + k] = t.raw;
      message[from + k] = t.message;
    });
  }
  return { raw, message };
}

/** Bytes the snapshot's columns and strings take (strings as UTF-16, as browsers hold them). */
export function snapshotBytes(snapshot: AnalysisSnapshot): number {
  let bytes = 0;
  for (const c of Object.values(snapshot.columns)) bytes += c.byteLength;
  for (const list of Object.values(snapshot.strings)) for (const s of list) bytes += 2 * s.length + 8;
  return bytes;
}

export interface RestoredAnalysis {
  fit: AnalysisFit;
  scoring: Scoring;
  map: Array<Omit<MapPoint, 'score'>>;
  durationsMs: AnalysisSummary['durationsMs'];
  /** False when the log lines were not saved: the viewer shows each line's masked text. */
  hasLines: boolean;
}

/**
 * Validates a snapshot (schema, then every column's type, length and range) and rebuilds its fit
 * and scoring. Throws a SnapshotError saying what is wrong; nothing is half-built.
 */
export function restoreSnapshot(snapshot: unknown): RestoredAnalysis {
  if (typeof snapshot !== 'object' || snapshot === null) throw new SnapshotError('This is not a saved analysis.');
  const { meta: rawMeta, columns: rawColumns, strings: rawStrings } = snapshot as Record<string, unknown>;
  const parsed = snapshotMetaSchema.safeParse(rawMeta);
  if (!parsed.success) throw SnapshotError.fromZod(parsed.error);
  const meta = parsed.data;
  const { columns, strings } = validateColumns(meta, rawColumns, rawStrings);
  const col = <T extends SnapshotColumn>(name: string) => columns[name] as T;
  const count = meta.counts.records;

  const texts = strings['texts.texts'];
  const hasLines = meta.hasLines;
  let raw: string[];
  let message: string[];
  if (hasLines) {
    raw = strings['target.raw'];
    const start = col<Int32Array>('target.messageStart');
    const length = col<Uint32Array>('target.messageLength');
    const others = strings['target.messages'];
    message = new Array<string>(count);
    let k = 0;
    for (let i = 0; i < count; i++) message[i] = start[i] >= 0 ? raw[i].slice(start[i], start[i] + length[i]) : others[k++];
  } else {
    // Without the lines, each record shows its masked message: the text its scores were made from.
    const textIndex = col<Uint32Array>('target.textIndex');
    raw = new Array<string>(count);
    for (let i = 0; i < count; i++) raw[i] = texts[textIndex[i]];
    message = raw;
  }
  const target: RecordTable = {
    count,
    fileIndex: col('target.fileIndex'),
    lineNumber: col('target.lineNumber'),
    timestamp: col('target.timestamp'),
    level: col('target.level'),
    templateId: col('target.templateId'),
    textIndex: col('target.textIndex'),
    label: col('target.label'),
    raw,
    message,
    textStart: (columns['target.textStart'] as Float64Array<ArrayBuffer> | undefined) ?? new Float64Array(count),
    textEnd: (columns['target.textEnd'] as Float64Array<ArrayBuffer> | undefined) ?? new Float64Array(count),
  };
  const targetTexts = {
    texts,
    counts: col<Uint32Array>('texts.counts'),
    templateOf: col<Int32Array>('texts.templateOf'),
    levelOf: col<Uint8Array>('texts.levelOf'),
  };
  const reference = meta.reference
    ? {
        records: emptyTable(),
        texts: {
          texts: strings['reference.texts'],
          counts: col<Uint32Array>('reference.counts'),
          templateOf: col<Int32Array>('reference.templateOf'),
          levelOf: col<Uint8Array>('reference.levelOf'),
        },
      }
    : undefined;
  const templateByText = new Map(meta.templates.map((t) => [t.text, t.id]));
  const drainOptions = drainOptionsForLayout(meta.minerLayoutId, { add: meta.settings.masks.add, remove: meta.settings.masks.remove });
  const records: RecordsResult = {
    target,
    targetTexts,
    reference,
    files: meta.files.map((f) => ({
      name: f.name,
      role: f.role,
      report: f.report,
      layout: f.layout as Layout,
      records: f.records,
      labelledRecords: f.labelledRecords,
    })),
    templates: meta.templates,
    targetTemplateCounts: col('templates.targetCounts'),
    referenceTemplateCounts: columns['templates.referenceCounts'] as Uint32Array | undefined,
    masks: compileMasks(drainOptions.masks ?? []),
    // The miner is not kept: a variant joins a template only when its masked text is one.
    matchTemplate: (masked) => templateByText.get(masked) ?? -1,
  };
  const evidence: TextEvidence = {
    vectors: col('evidence.vectors'),
    dims: meta.dims,
    referenceVectors: columns['evidence.referenceVectors'] as Float32Array | undefined,
    surprise: columns['evidence.surprise'] as Float32Array | undefined,
    referenceSurprise: columns['evidence.referenceSurprise'] as Float32Array | undefined,
    encoder: meta.evidence.encoder,
    encoderError: meta.evidence.encoderError,
  };
  if (meta.evidence.tfidf) {
    // TF-IDF is fitted from the texts alone: the same population gives the same vectoriser.
    const population = reference?.texts ?? targetTexts;
    evidence.tfidf = new TfidfVectorizer(TFIDF_DIMS).fit(population.texts, population.counts);
  }
  const settings = {
    ...meta.settings,
    model: meta.settings.model.kind === 'local' ? { ...meta.settings.model, files: {} } : meta.settings.model,
  } as AnalysisSettings;
  const groups = (prefix: string): RecordGroups => ({
    keys: strings[`${prefix}.keys`],
    starts: col(`${prefix}.starts`),
    members: col(`${prefix}.members`),
  });
  const sessions = meta.counts.sessions > 0 || columns['sessions.starts'] ? groups('sessions') : undefined;
  const windows = groups('windows');
  const fit: AnalysisFit = {
    settings,
    records,
    evidence,
    labels: meta.labelSet ? { byLine: new Map(meta.labelSet.byLine), bySession: new Map(meta.labelSet.bySession) } : undefined,
    lineLabels: columns['labels.line'] as Int8Array | undefined,
    timeline: layoutTimeline(target),
    sessionsByRegex: new Map([[meta.scoring.sessionRegexKey, sessions]]),
  };
  const scoringSettings = meta.scoring.settings;
  const textScores = col<Float32Array>('scores.text');
  const line = (columns['scores.line'] as Float32Array | undefined) ?? lineScoresOf(target.textIndex, count, textScores);
  const template = col<Float32Array>('scores.template');
  const session = columns['scores.session'] as Float32Array | undefined;
  const window = columns['scores.window'] as Float32Array | undefined;
  const unit = { line, template, session, window }[scoringSettings.unit];
  if (!unit)
    throw new SnapshotError(`The saved analysis is scored by ${scoringSettings.unit} but holds no ${scoringSettings.unit} scores.`);
  const scores = {
    textForest: col<Float32Array>('scores.textForest'),
    text: textScores,
    line,
    template,
    session,
    window,
    unit,
    threshold: meta.scoring.threshold,
    lineThreshold: meta.scoring.lineThreshold,
    thresholdExplanation: meta.scoring.thresholdExplanation ?? '',
  } as AnalysisScores;
  // The forest is needed only to explain a line: re-fitted from the stored vectors with the stored
  // seed (the same forest) on first use, so reopening does not wait for it (1.2 s at 1M lines).
  let forest: AnalysisScores['forest'] | undefined;
  Object.defineProperty(scores, 'forest', {
    enumerable: true,
    get: () => {
      if (!forest) {
        const population = reference
          ? { ...reference.texts, surprise: evidence.referenceSurprise }
          : { ...targetTexts, surprise: evidence.surprise };
        forest = fitTextForest(
          population,
          reference ? (evidence.referenceVectors ?? new Float32Array(0)) : evidence.vectors,
          meta.dims,
          scoringSettings.forest,
          undefined,
          reference ? 'distinct' : 'lines',
        );
      }
      return forest;
    },
  });
  const scoring: Scoring = { settings: scoringSettings, scores, sessions, windows };
  return { fit, scoring, map: meta.map, durationsMs: meta.durationsMs, hasLines };
}

function emptyTable(): RecordTable {
  return {
    count: 0,
    fileIndex: new Uint16Array(0),
    lineNumber: new Uint32Array(0),
    timestamp: new Float64Array(0),
    level: new Uint8Array(0),
    templateId: new Int32Array(0),
    textIndex: new Uint32Array(0),
    label: new Int8Array(0),
    raw: [],
    message: [],
    textStart: new Float64Array(0),
    textEnd: new Float64Array(0),
  };
}
