/**
 * The app's store instance and its React hook. Components read state with `useLoupe(selector)` and
 * call actions from it; only this file knows the worker client and the browser's storage.
 */
import { useStore } from 'zustand';
import { createAnalysisClient } from '../workers/analysisClient';
import { createLoupeStore, type LoupeState } from './createStore';
import type { AnalysisApi } from '../core/analysis/types';
import {
  allLabels,
  deleteAllSaved,
  deleteSaved,
  getNote,
  listSaved,
  onLabelsFromOtherTabs,
  putLabels,
  putNote,
  storageUse,
} from '../core/saved/savedAnalyses';
import { createSharingStore, type SharingState } from './sharing';

function browserStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

async function fetchFile(url: string, name: string): Promise<File> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return new File([await response.blob()], name);
}

/** The demo log and its labels ship in public/samples, fetched relative to the page (base './'). */
async function fetchDemo(): Promise<File[]> {
  const log = await fetchFile('samples/demo.log', 'demo.log');
  const labels = await fetchFile('samples/demo.labels.csv', 'demo.labels.csv').catch(() => undefined);
  return labels ? [log, labels] : [log];
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoke after the click has been handled; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function downloadBlob(fileName: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// One worker for both stores: the sharing store saves and reopens the analysis the main one shows.
let client: AnalysisApi | null = null;
const sharedClient = (): AnalysisApi => (client ??= createAnalysisClient());

export const loupeStore = createLoupeStore({
  client: sharedClient,
  storage: browserStorage(),
  fetchDemo,
  download,
  takeBundles: (files) => sharingStore.getState().takeBundles(files),
});

/** Saved analyses, bundles, exports, labels and notes (state/sharing.ts). */
export const sharingStore = createSharingStore({
  main: loupeStore,
  api: sharedClient,
  storage: {
    listSaved,
    deleteSaved,
    deleteAllSaved,
    storageUse,
    putLabels,
    allLabels,
    onLabelsFromOtherTabs,
    getNote,
    putNote,
  },
  download: downloadBlob,
});

export function useLoupe<T>(selector: (state: LoupeState) => T): T {
  return useStore(loupeStore, selector);
}

export function useSharing<T>(selector: (state: SharingState) => T): T {
  return useStore(sharingStore, selector);
}

export type { LoupeState };
