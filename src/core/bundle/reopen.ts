/**
 * Saving, exporting and reopening the current analysis, for the service to call: a saved analysis
 * (IndexedDB) and a bundle (a file) are both a snapshot (analysis/snapshot.ts) plus what the page
 * lists about them. Reopening validates everything before the service commits anything.
 */
import { restoreSnapshot, snapshotBytes, snapshotOf, type RestoredAnalysis } from '../analysis/snapshot';
import type { AnalysisFit } from '../analysis/fit';
import type { Scoring } from '../analysis/scoring';
import type { AnalysisSummary, MapPoint } from '../analysis/types';
import type { AnalystLabel } from '../labels/labels';
import { loadSaved, saveAnalysis, type SavedAnalysisInfo } from '../saved/savedAnalyses';
import { readBundle, writeBundle } from './bundleFile';

export interface SaveOptions {
  name: string;
  /** Keep the log lines too (bigger; without them lines show their masked text). */
  includeLines: boolean;
  /** Fingerprints of the analysis's files, in file order (see labels/labels.ts). */
  fileKeys: string[];
}

export interface BundleOptions extends SaveOptions {
  labels: AnalystLabel[];
  notes: string;
}

/** An analysis reopened from a saved copy or a bundle, as the page needs it. */
export interface ReopenedAnalysis {
  summary: AnalysisSummary;
  name: string;
  fileKeys: string[];
  hasLines: boolean;
  /** Labels and notes that came in a bundle (saved analyses keep theirs in the labels store). */
  labels: AnalystLabel[];
  notes: string;
  createdAt: string;
  source: 'saved' | 'bundle';
  /** The saved analysis's id (source 'saved'). */
  id?: string;
}

export interface CurrentAnalysis {
  fit: AnalysisFit;
  scoring: Scoring;
  map: Array<Omit<MapPoint, 'score'>>;
  summary: AnalysisSummary;
}

/** The most anomalous unit in a few words, for the list of saved analyses. */
export function topFindingOf(summary: AnalysisSummary, templateOfRecord?: (record: number) => string | undefined): string {
  const unit = summary.settings.unit;
  const top = summary.unitRows[0];
  if (!top) return 'nothing scored';
  const score = Number.isFinite(top.score) ? top.score.toFixed(3) : 'n/a';
  if (unit === 'line') {
    const template = templateOfRecord?.(top.index);
    return `line ${top.id} (score ${score})${template ? `: ${template.slice(0, 120)}` : ''}`;
  }
  return `${unit} ${top.id.slice(0, 120)} (score ${score})`;
}

/** The model's id and the hash of its weights (the encoder names it `source:name#sha256-prefix`). */
export function modelOf(current: Pick<CurrentAnalysis, 'fit'>): { id: string; hash?: string } {
  const id = current.fit.evidence.encoder?.modelId ?? 'tf-idf';
  const hash = /#([0-9a-f]{8,64})$/.exec(id)?.[1];
  return hash ? { id, hash } : { id };
}

function newId(): string {
  return typeof crypto !== 'undefined' && crypto.randomUUID
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export async function saveCurrent(current: CurrentAnalysis, options: SaveOptions): Promise<SavedAnalysisInfo> {
  const { fit, scoring, map, summary } = current;
  const snapshot = await snapshotOf(fit, scoring, { includeLines: options.includeLines, map, durationsMs: summary.durationsMs });
  const bytes = snapshotBytes(snapshot);
  const lineBytes = snapshot.strings['target.raw'] ? snapshot.strings['target.raw'].reduce((n, s) => n + 2 * s.length + 8, 0) : 0;
  const info: SavedAnalysisInfo = {
    id: newId(),
    name: options.name.slice(0, 200) || 'analysis',
    savedAt: Date.now(),
    bytes,
    lineBytes,
    records: summary.records,
    files: summary.files.map((f) => f.name),
    fileKeys: options.fileKeys,
    topFinding: topFindingOf(summary, (r) => {
      const id = fit.records.target.templateId[r];
      return fit.records.templates.find((t) => t.id === id)?.text;
    }),
    model: modelOf(current).id,
    hasLines: snapshot.meta.hasLines,
  };
  return saveAnalysis(info, snapshot);
}

/** Reads a saved analysis and rebuilds it (validated: IndexedDB data can be damaged too). */
export async function reopenSaved(id: string): Promise<{ restored: RestoredAnalysis; info: SavedAnalysisInfo }> {
  const { info, snapshot } = await loadSaved(id);
  return { restored: restoreSnapshot(snapshot), info };
}

export async function bundleOfCurrent(current: CurrentAnalysis, options: BundleOptions): Promise<Uint8Array<ArrayBuffer>> {
  const { fit, scoring, map, summary } = current;
  const snapshot = await snapshotOf(fit, scoring, { includeLines: options.includeLines, map, durationsMs: summary.durationsMs });
  return writeBundle({
    name: options.name,
    model: modelOf(current),
    fileKeys: options.fileKeys,
    notes: options.notes,
    labels: options.labels,
    snapshot,
  });
}

export async function reopenBundle(file: Blob): Promise<{ restored: RestoredAnalysis; contents: Awaited<ReturnType<typeof readBundle>> }> {
  const contents = await readBundle(file);
  return { restored: restoreSnapshot(contents.snapshot), contents };
}
