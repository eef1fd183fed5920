import { describe, expect, it } from 'vitest';
import { createLoupeStore } from '../../src/state/createStore';
import { createSharingStore, type SavedStorage } from '../../src/state/sharing';
import { AnalysisService } from '../../src/core/analysis/service';
import { generateLog } from '../../src/core/generate';
import type { AnalystLabel } from '../../src/core/labels/labels';
import { MemoryStorage } from './fakeAnalysis';

/** Labels kept in memory; nothing saved (the learning needs only labels). */
const storage: SavedStorage = {
  listSaved: async () => [],
  deleteSaved: async () => undefined,
  deleteAllSaved: async () => undefined,
  storageUse: async () => undefined,
  putLabels: async (labels: AnalystLabel[]) => labels,
  allLabels: async () => [],
  onLabelsFromOtherTabs: () => () => undefined,
  getNote: async () => undefined,
  putNote: async () => true,
};

const waitFor = async (ok: () => boolean, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('learning from labels in the page (issue 12)', () => {
  it('a label of each class retrains the head: every view gets the blended scoring, the Label next list refreshes, the slider overrides', async () => {
    // The real service without an encoder (TF-IDF vectors), as the worker holds it.
    const service = new AnalysisService();
    const lines = [...generateLog({ seed: 11, lines: 2000, layout: 'iso' })];
    const main = createLoupeStore({
      client: () => service,
      storage: new MemoryStorage(),
      fetchDemo: async () => [],
      download: () => undefined,
      thresholdDebounceMs: 5,
      takeBundles: async (files) => files,
    });
    const sharing = createSharingStore({ main, api: () => service, storage, download: () => undefined, fingerprint: async () => 'f-app' });
    await sharing.getState().start();
    await main.getState().openFiles([new File([lines.map((l) => l.text).join('\n') + '\n'], 'app.log')]);
    await waitFor(() => !!main.getState().summary && !main.getState().run && sharing.getState().fileKeys !== null);
    const before = await service.unitScores();
    const order = Array.from(before.keys()).sort((a, b) => before[b] - before[a]);
    // The analyst calls the top line noise and a true anomaly far down an incident.
    const noise = order.find((u) => !lines[u].anomaly)!;
    const incident = [...order].reverse().find((u) => lines[u].anomaly)!;
    const version = main.getState().summaryVersion;
    await sharing.getState().setVerdict({ target: 'line', row: { file: 0, lineNumber: noise + 1 } }, 0);
    await waitFor(() => sharing.getState().learning !== null);
    expect(sharing.getState().learning?.trained).toBe(false);
    // One class: the views were not re-scored.
    expect(main.getState().summaryVersion).toBe(version);
    expect(sharing.getState().suggestions.length).toBeGreaterThan(0);
    expect(sharing.getState().suggestions.length).toBeLessThanOrEqual(10);
    expect(sharing.getState().suggestions[0]).toMatchObject({ file: 0 });
    expect(typeof sharing.getState().suggestions[0].text).toBe('string');

    await sharing.getState().setVerdict({ target: 'line', row: { file: 0, lineNumber: incident + 1 } }, 1);
    await waitFor(() => !!sharing.getState().learning?.trained);
    const learning = sharing.getState().learning!;
    expect(learning).toMatchObject({ anomalous: 1, trained: true });
    expect(learning.normal).toBeGreaterThan(1); // the normal verdict spread over its template
    expect(main.getState().summaryVersion).toBeGreaterThan(version);
    // The worker's unit scores (histogram, timeline, viewer order) are the blended ones now.
    const after = await service.unitScores();
    expect(after.every((s) => s >= 0 && s < 1)).toBe(true);
    const rank = (s: Float32Array, u: number) => s.filter((v) => v > s[u]).length;
    expect(rank(after, incident)).toBeLessThan(rank(before, incident));
    expect(main.getState().summary!.threshold).toBeLessThan(1);
    expect(sharing.getState().fileKeys).toEqual(['f-app']); // not taken for a new analysis
    const scores = await sharing.getState().learningScores(incident);
    expect(scores).toMatchObject({ unsupervised: before[incident] });
    expect(scores?.blended).toBeCloseTo(after[incident], 6);

    // The slider: the analyst's weight, then back to the labels' choice.
    sharing.getState().setBlendWeight(0);
    await waitFor(() => sharing.getState().learning?.weightFrom === 'analyst');
    expect(sharing.getState().learning?.movedIntoTop).toBe(0);
    sharing.getState().setBlendWeight(2);
    expect(sharing.getState().blendWeight).toBe(0);
    sharing.getState().setBlendWeight(null);
    await waitFor(() => sharing.getState().learning?.weightFrom !== 'analyst');
  }, 60_000);
});
