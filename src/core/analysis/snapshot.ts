/**
 * A scored fit as plain data: one JSON-able `meta` plus typed-array columns and string lists, so a
 * saved analysis (IndexedDB) or a bundle (a file) reopens with every view as it was, without
 * parsing, embedding or scoring again. `snapshotOf` takes a committed fit and its scoring;
 * `restoreSnapshot` (restoreSnapshot.ts) validates a snapshot and rebuilds them.
 *
 * What is not kept, and why: the encoder (reloaded on demand for saliency), the text forest
 * (re-fitted from the stored vectors with the stored seed, which gives the same forest), the
 * template miner (variants match templates by their text), and, unless asked, the log lines
 * (lines then show their masked text).
 */
import type { RecordGroups } from '../sessions';
import type { SnapshotMeta } from '../bundle/schema';
import type { AnalysisFit } from './fit';
import type { RecordTable } from './recordTable';
import { readRecords } from './recordText';
import type { Scoring } from './scoring';
import type { SavedLearning } from './savedLearning';
import { evidenceParts } from './snapshotEvidence';
import type { AnalysisSettings, AnalysisSummary, MapPoint } from './types';

export type { SnapshotMeta } from '../bundle/schema';

export type SnapshotColumn = Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

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
  /** The head trained on the analyst's labels, and its label per unit; `scoring` is then the unsupervised one it blends. */
  learning?: { saved: SavedLearning; labels: Int8Array };
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
  const parts = evidenceParts(fit, scoring);
  Object.assign(columns, parts.columns);
  if (options.learning) columns['learning.labels'] = options.learning.labels;
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
    ...parts.meta,
    ...(options.learning ? { learning: options.learning.saved } : {}),
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
