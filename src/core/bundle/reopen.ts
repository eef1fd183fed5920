/**
 * Saving, exporting and reopening the current analysis, for the service to call: a saved analysis
 * (IndexedDB) and a bundle (a file) are both a snapshot (analysis/snapshot.ts) plus what the page
 * lists about them. Reopening validates everything before the service commits anything.
 */
import { restoreSnapshot, type RestoredAnalysis } from '../analysis/restoreSnapshot';
import { snapshotBytes, snapshotOf, type SnapshotOptions } from '../analysis/snapshot';
import type { AnalysisFit } from '../analysis/fit';
import type { LearnedScoring, LearningSummary } from '../analysis/learning';
import { restoreLearning, savedLearningOf } from '../analysis/savedLearning';
import { FeatureError } from '../learn';
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
  /** What the saved head learned (it ranks the reopened analysis), or why it was not applied. */
  learning?: LearningSummary;
  headNote?: string;
}

export interface CurrentAnalysis {
  fit: AnalysisFit;
  scoring: Scoring;
  map: Array<Omit<MapPoint, 'score'>>;
  summary: AnalysisSummary;
  /** The head behind `scoring` when it is the blended one: saved with the unsupervised scoring it blends. */
  learned?: LearnedScoring;
}

/** What is saved of the current analysis: the unsupervised scoring, and the head that blends it. */
function snapshotParts(current: CurrentAnalysis): { scoring: Scoring; learning?: SnapshotOptions['learning'] } {
  const learned = current.learned?.scoring === current.scoring ? current.learned : undefined;
  const saved = learned && savedLearningOf(learned);
  return learned && saved ? { scoring: learned.unsupervised, learning: { saved, labels: learned.labels } } : { scoring: current.scoring };
}

/** A reopened analysis with its saved head re-applied (no retraining), when the head still fits. */
export interface RestoredWithHead extends RestoredAnalysis {
  learned?: LearnedScoring;
  /** Why a saved head was not re-applied (the unsupervised ranking is shown then). */
  headNote?: string;
}

/**
 * Re-applies a saved head to the reopened unsupervised scoring: `scoring` becomes the blended one.
 * A head that does not fit these features (FeatureError) is dropped, and the page says so.
 */
function withSavedHead(restored: RestoredAnalysis): RestoredWithHead {
  if (!restored.learning) return restored;
  try {
    const learned = restoreLearning(restored.fit, restored.scoring, restored.learning.saved, restored.learning.labels);
    return { ...restored, scoring: learned.scoring, learned };
  } catch (error) {
    if (!(error instanceof FeatureError)) throw error;
    return { ...restored, headNote: `The head saved with it was not applied (${error.message}): the unsupervised ranking is shown.` };
  }
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
  const { fit, map, summary } = current;
  const { scoring, learning } = snapshotParts(current);
  const snapshot = await snapshotOf(fit, scoring, { includeLines: options.includeLines, map, durationsMs: summary.durationsMs, learning });
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
export async function reopenSaved(id: string): Promise<{ restored: RestoredWithHead; info: SavedAnalysisInfo }> {
  const { info, snapshot } = await loadSaved(id);
  return { restored: withSavedHead(restoreSnapshot(snapshot)), info };
}

export async function bundleOfCurrent(current: CurrentAnalysis, options: BundleOptions): Promise<Uint8Array<ArrayBuffer>> {
  const { fit, map, summary } = current;
  const { scoring, learning } = snapshotParts(current);
  const snapshot = await snapshotOf(fit, scoring, { includeLines: options.includeLines, map, durationsMs: summary.durationsMs, learning });
  return writeBundle({
    name: options.name,
    model: modelOf(current),
    fileKeys: options.fileKeys,
    notes: options.notes,
    labels: options.labels,
    snapshot,
  });
}

export async function reopenBundle(file: Blob): Promise<{ restored: RestoredWithHead; contents: Awaited<ReturnType<typeof readBundle>> }> {
  const contents = await readBundle(file);
  return { restored: withSavedHead(restoreSnapshot(contents.snapshot)), contents };
}

/** What the page is told of a reopened analysis, besides its summary (the service commits that). */
export function reopenedFrom(
  restored: RestoredWithHead,
  from: { info: SavedAnalysisInfo } | { contents: Awaited<ReturnType<typeof readBundle>> },
): Omit<ReopenedAnalysis, 'summary'> {
  const head = {
    ...(restored.learned ? { learning: restored.learned.summary } : {}),
    ...(restored.headNote ? { headNote: restored.headNote } : {}),
  };
  if ('info' in from) {
    const { info } = from;
    const createdAt = new Date(info.savedAt).toISOString();
    // Saved analyses keep their labels and notes in this browser's labels store.
    return {
      name: info.name,
      fileKeys: info.fileKeys,
      hasLines: restored.hasLines,
      labels: [],
      notes: '',
      createdAt,
      source: 'saved',
      id: info.id,
      ...head,
    };
  }
  const { contents } = from;
  const { name, fileKeys, labels, notes, createdAt } = contents;
  return { name, fileKeys, hasLines: restored.hasLines, labels, notes, createdAt, source: 'bundle', ...head };
}
