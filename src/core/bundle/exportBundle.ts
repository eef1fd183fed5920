/**
 * The analysis bundle: a versioned JSON document with the settings, what was found (templates,
 * scored units, line scores) and, only when asked, the log lines themselves. Analysts share it
 * to hand over an investigation; `readBundle` validates one before anything trusts it.
 */
import type { RecordTable } from '../analysis/recordTable';
import type { AnalysisSettings, AnalysisSummary } from '../analysis/types';

export const BUNDLE_FORMAT = 'loupe-analysis';
export const BUNDLE_VERSION = 1;

/** The analyst's verdict on a line: 1 anomalous, 0 normal (a false positive). */
export type Verdict = 0 | 1;

export interface AnalystLabel {
  /** 1-based line number within its file. */
  line: number;
  file: string;
  label: Verdict;
  note?: string;
}

export interface AnalysisBundle {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  createdAt: string;
  settings: Omit<AnalysisSettings, 'model'> & { model: { kind: string; modelId?: string; name?: string } };
  files: Array<{ name: string; role: string; layout: string; records: number }>;
  encoder?: AnalysisSummary['encoder'];
  threshold: number;
  unit: AnalysisSettings['unit'];
  templates: Array<{ id: number; text: string; count: number; score: number; level: string; novel: boolean }>;
  units: Array<{ id: string; score: number; rank: number; count: number; label: number }>;
  metrics?: Omit<NonNullable<AnalysisSummary['metrics']>, 'pr'>;
  /** Line scores as base64 little-endian float32, in record order. */
  lineScores: string;
  lines?: Array<{ file: number; line: number; raw: string }>;
  labels: AnalystLabel[];
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function exportAnalysisBundle(input: {
  settings: AnalysisSettings; summary: AnalysisSummary; lineScores: Float32Array; records: RecordTable;
  /** Raw lines in record order, when the export should carry the log itself. */
  lines?: string[];
  labels?: AnalystLabel[];
}): string {
  const { settings, summary, records } = input;
  const model = settings.model.kind === 'local'
    ? { kind: 'local', name: settings.model.name }
    : settings.model.kind === 'hub' ? { kind: 'hub', modelId: settings.model.modelId } : { kind: 'bundled' };
  const scores = new Float32Array(input.lineScores);
  const bundle: AnalysisBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: new Date().toISOString(),
    settings: { ...settings, model },
    files: summary.files.map((f) => ({ name: f.name, role: f.role, layout: f.layoutName, records: f.records })),
    encoder: summary.encoder,
    threshold: summary.threshold,
    unit: settings.unit,
    templates: summary.templates.map((t) => ({ id: t.id, text: t.text, count: t.count, score: t.score, level: t.level, novel: t.novel })),
    units: summary.unitRows.map((u) => ({ id: u.id, score: u.score, rank: u.rank, count: u.count, label: u.label })),
    metrics: summary.metrics ? (({ pr: _pr, ...rest }) => rest)(summary.metrics) : undefined,
    lineScores: toBase64(new Uint8Array(scores.buffer, scores.byteOffset, scores.byteLength)),
    labels: input.labels ?? [],
  };
  const lines = input.lines;
  if (lines) {
    bundle.lines = Array.from({ length: records.count }, (_, i) => ({ file: records.fileIndex[i], line: records.lineNumber[i] + 1, raw: lines[i] }));
  }
  return JSON.stringify(bundle);
}

export class BundleError extends Error {}

/** Parses and validates a bundle; throws a BundleError saying what is wrong. */
export function readBundle(text: string): AnalysisBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BundleError(`This is not a Loupe bundle: it is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (typeof value !== 'object' || value === null) throw new BundleError('This is not a Loupe bundle: expected a JSON object.');
  const b = value as Partial<AnalysisBundle>;
  if (b.format !== BUNDLE_FORMAT) throw new BundleError(`This is not a Loupe bundle: "format" is ${JSON.stringify(b.format)}, expected "${BUNDLE_FORMAT}".`);
  if (b.version !== BUNDLE_VERSION) throw new BundleError(`Unsupported bundle version ${JSON.stringify(b.version)}: this Loupe reads version ${BUNDLE_VERSION}.`);
  const arrays: Array<keyof AnalysisBundle> = ['files', 'templates', 'units', 'labels'];
  for (const key of arrays) {
    if (!Array.isArray(b[key])) throw new BundleError(`The bundle is damaged: "${key}" should be a list.`);
  }
  if (typeof b.lineScores !== 'string') throw new BundleError('The bundle is damaged: "lineScores" is missing.');
  if (typeof b.threshold !== 'number' || !Number.isFinite(b.threshold)) throw new BundleError('The bundle is damaged: "threshold" is not a number.');
  for (const label of b.labels as unknown[]) {
    const l = label as Partial<AnalystLabel>;
    if (typeof l !== 'object' || l === null || typeof l.line !== 'number' || (l.label !== 0 && l.label !== 1)) {
      throw new BundleError('The bundle is damaged: every label needs a line number and a label of 0 or 1.');
    }
  }
  return b as AnalysisBundle;
}

