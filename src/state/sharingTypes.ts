/**
 * The sharing store's public shape (issue 11): what it needs injected (storage, downloads), what it
 * holds and what it does. Kept apart from the actions so the UI and tests can import the types
 * without the store's implementation; `sharing.ts` re-exports all of it.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AnalysisApi, LogRow } from '../core/analysis/types';
import type { LabelSuggestion, LearningSummary } from '../core/analysis/learning';
import type { ReopenedAnalysis } from '../core/bundle/reopen';
import type { AnalystLabel, Verdict } from '../core/labels/labels';
import type { SavedAnalysisInfo, SavedNote, StorageUse } from '../core/saved/savedAnalyses';
import type { LoupeStore } from './createStore';

/** What the sharing store needs from IndexedDB (core/saved/savedAnalyses.ts in the browser). */
export interface SavedStorage {
  listSaved(): Promise<SavedAnalysisInfo[]>;
  deleteSaved(id: string): Promise<void>;
  deleteAllSaved(): Promise<void>;
  storageUse(): Promise<StorageUse | undefined>;
  putLabels(labels: AnalystLabel[]): Promise<AnalystLabel[]>;
  allLabels(): Promise<AnalystLabel[]>;
  onLabelsFromOtherTabs(onLabels: (labels: AnalystLabel[]) => void): () => void;
  getNote(id: string): Promise<SavedNote | undefined>;
  putNote(note: SavedNote): Promise<boolean>;
}

export interface SharingDeps {
  main: LoupeStore;
  api: () => AnalysisApi;
  storage: SavedStorage;
  download: (fileName: string, data: Blob) => void;
  now?: () => number;
  fingerprint?: (file: Blob) => Promise<string>;
}

/** What a label is put on. */
export type LabelSubject =
  | { target: 'line'; row: Pick<LogRow, 'file' | 'lineNumber'> }
  | { target: 'template'; templateId: number; text: string }
  | { target: 'session'; id: string };

export interface ReopenedInfo {
  name: string;
  source: ReopenedAnalysis['source'];
  hasLines: boolean;
  createdAt: string;
  id?: string;
}

export interface SharingData {
  saved: SavedAnalysisInfo[] | null;
  storage: StorageUse | null;
  /** Every label known to this browser, by key (labels of other analyses included). */
  labels: Map<string, AnalystLabel>;
  /** Fingerprints of the current analysis's files, by file index; null until known. */
  fileKeys: string[] | null;
  /** Notes on the current analysis. */
  notes: string;
  /** Set when the current analysis was reopened (a saved one or a bundle), not computed here. */
  reopened: ReopenedInfo | null;
  /** What is being done now ("Saving…"), for the buttons to wait. */
  busy: string | null;
  /** The label whose note is being written (the `c` key opens it). */
  noteOpen: boolean;
  message: string | null;
  error: string | null;
  /** What the head learned from the labels (issue 12); null before the first training. */
  learning: LearningSummary | null;
  /** The analyst's weight of the learned score (the slider); null: chosen from the labels. */
  blendWeight: number | null;
  /** "Label next": up to 10 units to label. */
  suggestions: LabelSuggestion[];
}

export interface SharingActions {
  /** Loads labels and the saved list, and listens to other tabs. Returns the unsubscribe function. */
  start(): Promise<() => void>;
  refreshSaved(): Promise<void>;
  saveCurrent(options: { includeLines: boolean; name?: string }): Promise<SavedAnalysisInfo | undefined>;
  openSaved(id: string): Promise<void>;
  deleteSaved(id: string): Promise<void>;
  deleteAllSaved(): Promise<void>;
  exportBundle(options: { includeLines: boolean }): Promise<void>;
  importBundle(file: Blob): Promise<boolean>;
  /** Imports the bundles among dropped files (recognised by content); returns the other files. */
  takeBundles(files: File[]): Promise<File[]>;
  exportCsv(kind: 'lines' | 'templates' | 'sessions', scope: 'filter' | 'all'): Promise<void>;
  exportReport(): Promise<void>;
  /** The key of what a label is put on, in the current analysis (undefined until fingerprints are known). */
  keyOf(subject: LabelSubject): string | undefined;
  labelOf(subject: LabelSubject): AnalystLabel | undefined;
  setVerdict(subject: LabelSubject, verdict: Verdict | null): Promise<void>;
  setNote(subject: LabelSubject, note: string): Promise<void>;
  /** Labels of the current analysis that say something. */
  currentLabels(): AnalystLabel[];
  setNotes(notes: string): Promise<void>;
  setNoteOpen(open: boolean): void;
  /** Overrides the learned score's weight (null: back to the labels' choice) and retrains. */
  setBlendWeight(weight: number | null): void;
  /** A unit's unsupervised, learned and blended scores (undefined while the worker cannot say). */
  learningScores(unit: number): Promise<{ unsupervised: number; learned?: number; blended?: number } | undefined>;
  dismiss(): void;
}

export type SharingState = SharingData & SharingActions;
export type SharingStore = StoreApi<SharingState>;

export const INITIAL_SHARING: SharingData = {
  saved: null,
  storage: null,
  labels: new Map(),
  fileKeys: null,
  notes: '',
  reopened: null,
  busy: null,
  noteOpen: false,
  message: null,
  error: null,
  learning: null,
  blendWeight: null,
  suggestions: [],
};
