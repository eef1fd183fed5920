/**
 * Saved analyses and analyst labels in IndexedDB (through `idb`), readable from the page and the
 * worker alike. A saved analysis is written once, in one transaction with its list entry: a save
 * that runs out of quota aborts whole and leaves every earlier save as it was. Labels and notes
 * are written one record at a time, a write landing only when it is newer than what is stored
 * (last write wins per label, whatever the order tabs write in), and announced to other tabs on a
 * BroadcastChannel.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AnalysisSnapshot } from '../analysis/snapshot';
import { formatBytes } from '../bundle/gzip';
import { newerLabel, type AnalystLabel } from '../labels/labels';

export const SAVED_DB = 'loupe-saved';
const DB_VERSION = 1;
const LABELS_CHANNEL = 'loupe-labels';

/** What the start page lists about a saved analysis (the snapshot itself is read only on open). */
export interface SavedAnalysisInfo {
  id: string;
  name: string;
  savedAt: number;
  /** Bytes of the stored snapshot (strings counted as UTF-16). */
  bytes: number;
  /** Bytes of it that are the log lines (0 when saved without them). */
  lineBytes: number;
  records: number;
  files: string[];
  /** Fingerprints of the files, by file index (labels are keyed by them). */
  fileKeys: string[];
  /** The most anomalous unit, in words. */
  topFinding: string;
  model: string;
  hasLines: boolean;
}

export interface SavedNote {
  id: string;
  text: string;
  updatedAt: number;
}

interface SavedSchema extends DBSchema {
  analyses: { key: string; value: { id: string; snapshot: AnalysisSnapshot } };
  index: { key: string; value: SavedAnalysisInfo };
  labels: { key: string; value: AnalystLabel };
  notes: { key: string; value: SavedNote };
}

export class SavedStorageError extends Error {}

let opened: Promise<IDBPDatabase<SavedSchema>> | undefined;

export function savedDb(): Promise<IDBPDatabase<SavedSchema>> {
  if (typeof indexedDB === 'undefined')
    return Promise.reject(
      new SavedStorageError('This browser keeps no saved analyses (IndexedDB is unavailable, e.g. in a private window).'),
    );
  opened ??= openDB<SavedSchema>(SAVED_DB, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('analyses', { keyPath: 'id' });
      db.createObjectStore('index', { keyPath: 'id' });
      db.createObjectStore('labels', { keyPath: 'key' });
      db.createObjectStore('notes', { keyPath: 'id' });
    },
    // Another tab upgrading the database: let it, and reopen next time.
    blocking() {
      void opened?.then((db) => db.close());
      opened = undefined;
    },
  }).catch((error: unknown) => {
    opened = undefined;
    throw new SavedStorageError(`Saved analyses cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  });
  return opened;
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');
}

export interface StorageUse {
  /** Bytes this site stores (all of it: saved analyses, cached vectors and models). */
  usage: number;
  quota: number;
  /** True when the browser promised not to evict it under pressure. */
  persisted: boolean;
}

export async function storageUse(): Promise<StorageUse | undefined> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.estimate) return undefined;
  const { usage = 0, quota = 0 } = await storage.estimate();
  const persisted = storage.persisted ? await storage.persisted() : false;
  return { usage, quota, persisted };
}

/** The message an analyst sees when a save does not fit. */
export function quotaMessage(bytes: number, use: StorageUse | undefined): string {
  const free = use ? ` (${formatBytes(Math.max(0, use.quota - use.usage))} free of ${formatBytes(use.quota)})` : '';
  return (
    `Not enough storage to save this analysis: it needs about ${formatBytes(bytes)}${free}. ` +
    'Delete saved analyses, or save without the log lines. Earlier saves are unchanged.'
  );
}

/** Saves a snapshot and its list entry together; on failure neither is written. */
export async function saveAnalysis(info: SavedAnalysisInfo, snapshot: AnalysisSnapshot): Promise<SavedAnalysisInfo> {
  const db = await savedDb();
  const tx = db.transaction(['analyses', 'index'], 'readwrite');
  try {
    await Promise.all([tx.objectStore('analyses').put({ id: info.id, snapshot }), tx.objectStore('index').put(info), tx.done]);
  } catch (error) {
    // A put fails with AbortError when the transaction aborts; the transaction's error says why.
    if (isQuotaError(error) || isQuotaError(tx.error))
      throw new SavedStorageError(quotaMessage(info.bytes, await storageUse().catch(() => undefined)));
    if (error instanceof DOMException) throw new SavedStorageError(`The analysis could not be saved: ${error.message || error.name}.`);
    throw error;
  }
  return info;
}

export async function listSaved(): Promise<SavedAnalysisInfo[]> {
  const db = await savedDb();
  const all = await db.getAll('index');
  return all.sort((a, b) => b.savedAt - a.savedAt);
}

export async function loadSaved(id: string): Promise<{ info: SavedAnalysisInfo; snapshot: AnalysisSnapshot }> {
  const db = await savedDb();
  const tx = db.transaction(['analyses', 'index'], 'readonly');
  const [record, info] = await Promise.all([tx.objectStore('analyses').get(id), tx.objectStore('index').get(id)]);
  if (!record || !info) throw new SavedStorageError('This saved analysis is gone (deleted in another tab?).');
  return { info, snapshot: record.snapshot };
}

export async function deleteSaved(id: string): Promise<void> {
  const db = await savedDb();
  const tx = db.transaction(['analyses', 'index', 'notes'], 'readwrite');
  await Promise.all([
    tx.objectStore('analyses').delete(id),
    tx.objectStore('index').delete(id),
    tx.objectStore('notes').delete(id),
    tx.done,
  ]);
}

export async function deleteAllSaved(): Promise<void> {
  const db = await savedDb();
  const tx = db.transaction(['analyses', 'index', 'notes'], 'readwrite');
  await Promise.all([tx.objectStore('analyses').clear(), tx.objectStore('index').clear(), tx.objectStore('notes').clear(), tx.done]);
}

// ---- labels and notes ----------------------------------------------------------------------------

/**
 * Writes labels one record each; a copy older than the stored one is not written. Returns the
 * labels that were written (the newer ones) and tells other tabs about them.
 */
export async function putLabels(labels: AnalystLabel[]): Promise<AnalystLabel[]> {
  if (!labels.length) return [];
  const db = await savedDb();
  const tx = db.transaction('labels', 'readwrite');
  const store = tx.objectStore('labels');
  const written: AnalystLabel[] = [];
  await Promise.all(
    labels.map(async (label) => {
      const stored = await store.get(label.key);
      if (stored && newerLabel(stored, label) === stored && stored !== label) return;
      await store.put(label);
      written.push(label);
    }),
  );
  await tx.done;
  if (written.length) announce(written);
  return written;
}

export async function allLabels(): Promise<AnalystLabel[]> {
  const db = await savedDb();
  return db.getAll('labels');
}

export async function putNote(note: SavedNote): Promise<boolean> {
  const db = await savedDb();
  const tx = db.transaction('notes', 'readwrite');
  const stored = await tx.store.get(note.id);
  const newer = !stored || note.updatedAt >= stored.updatedAt;
  if (newer) await tx.store.put(note);
  await tx.done;
  return newer;
}

export async function getNote(id: string): Promise<SavedNote | undefined> {
  const db = await savedDb();
  return db.get('notes', id);
}

function announce(labels: AnalystLabel[]): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(LABELS_CHANNEL);
  channel.postMessage({ kind: 'labels', labels });
  channel.close();
}

/** Calls `onLabels` with labels other tabs write; returns the unsubscribe function. */
export function onLabelsFromOtherTabs(onLabels: (labels: AnalystLabel[]) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(LABELS_CHANNEL);
  channel.onmessage = (event: MessageEvent<{ kind?: string; labels?: AnalystLabel[] }>) => {
    if (event.data?.kind === 'labels' && Array.isArray(event.data.labels)) onLabels(event.data.labels);
  };
  return () => channel.close();
}
