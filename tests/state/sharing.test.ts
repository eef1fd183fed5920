import { describe, expect, it } from 'vitest';
import { createLoupeStore } from '../../src/state/createStore';
import { createSharingStore, type SavedStorage } from '../../src/state/sharing';
import { mergeLabels, type AnalystLabel } from '../../src/core/labels/labels';
import type { SavedAnalysisInfo, SavedNote } from '../../src/core/saved/savedAnalyses';
import { FakeAnalysis, MemoryStorage } from './fakeAnalysis';

/** IndexedDB stand-in with the real semantics that matter here: per-label last write wins, a shared "other tab" channel. */
class MemorySaved implements SavedStorage {
  labels = new Map<string, AnalystLabel>();
  notes = new Map<string, SavedNote>();
  listeners = new Set<(labels: AnalystLabel[]) => void>();
  constructor(private readonly fake: FakeAnalysis) {}
  async listSaved(): Promise<SavedAnalysisInfo[]> {
    return [...this.fake.saved.values()].map((s) => s.info);
  }
  async deleteSaved(id: string) {
    this.fake.saved.delete(id);
  }
  async deleteAllSaved() {
    this.fake.saved.clear();
  }
  async storageUse() {
    return { usage: 1000, quota: 10_000_000, persisted: false };
  }
  async putLabels(labels: AnalystLabel[]) {
    const before = this.labels;
    this.labels = mergeLabels(this.labels, labels);
    const written = labels.filter((l) => this.labels.get(l.key) === l && before.get(l.key) !== l);
    for (const listener of this.listeners) listener(written);
    return written;
  }
  async allLabels() {
    return [...this.labels.values()];
  }
  onLabelsFromOtherTabs(on: (labels: AnalystLabel[]) => void) {
    this.listeners.add(on);
    return () => this.listeners.delete(on);
  }
  async getNote(id: string) {
    return this.notes.get(id);
  }
  async putNote(note: SavedNote) {
    this.notes.set(note.id, note);
    return true;
  }
}

function tab(fake: FakeAnalysis, saved: MemorySaved, clock: { t: number }) {
  const downloads: Array<{ name: string; data: Blob }> = [];
  const main = createLoupeStore({
    client: () => fake,
    storage: new MemoryStorage(),
    fetchDemo: async () => [],
    download: () => undefined,
    thresholdDebounceMs: 5,
    takeBundles: (files) => sharing.getState().takeBundles(files),
  });
  const sharing = createSharingStore({
    main,
    api: () => fake,
    storage: saved,
    download: (name, data) => downloads.push({ name, data }),
    now: () => clock.t,
    fingerprint: async (file) => `f-${await file.text()}`,
  });
  return { main, sharing, downloads };
}

const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('sharing store', () => {
  it('labels lines by content, not by name; two tabs merge label by label', async () => {
    const fake = new FakeAnalysis({ scores: [0.1, 0.9, 0.2] });
    const saved = new MemorySaved(fake);
    const clock = { t: 1000 };
    const one = tab(fake, saved, clock);
    const two = tab(fake, saved, clock);
    await one.sharing.getState().start();
    await two.sharing.getState().start();
    await one.main.getState().openFiles([new File(['content A'], 'app.log')]);
    await settle();
    const row = { file: 0, lineNumber: 2 };
    await one.sharing.getState().setVerdict({ target: 'line', row }, 1);
    expect(one.sharing.getState().labelOf({ target: 'line', row })?.verdict).toBe(1);
    // The evaluation follows: the worker gets this analysis's labels (once, after a short wait).
    await settle(400);
    expect(fake.calls.filter((c) => c.startsWith('useAnalystLabels:1:f-content A'))).toHaveLength(1);
    // The other tab sees it as soon as it is written.
    expect([...two.sharing.getState().labels.values()].map((l) => l.verdict)).toEqual([1]);
    // A file with the same name but other content does not inherit the label.
    await two.main.getState().openFiles([new File(['content B'], 'app.log')]);
    await settle();
    expect(two.sharing.getState().labelOf({ target: 'line', row })).toBeUndefined();
    clock.t = 2000;
    await two.sharing.getState().setNote({ target: 'line', row }, 'rotated disk');
    await one.sharing.getState().setNote({ target: 'line', row }, 'checked: real');
    // Each tab wrote a different label: both survive everywhere.
    expect(saved.labels.size).toBe(2);
    expect(one.sharing.getState().labels.size).toBe(2);
    expect(one.sharing.getState().labelOf({ target: 'line', row })).toMatchObject({ verdict: 1, note: 'checked: real' });
    expect(
      one.sharing
        .getState()
        .currentLabels()
        .map((l) => l.note),
    ).toEqual(['checked: real']);
  });

  it('saves, lists and reopens an analysis without recomputing, keeping its fingerprints', async () => {
    const fake = new FakeAnalysis({ scores: [0.1, 0.9, 0.2] });
    const saved = new MemorySaved(fake);
    const clock = { t: 1 };
    const { main, sharing } = tab(fake, saved, clock);
    await sharing.getState().start();
    await main.getState().openFiles([new File(['content A'], 'app.log')]);
    await settle();
    const info = await sharing.getState().saveCurrent({ includeLines: false });
    expect(info?.fileKeys).toEqual(['f-content A']);
    expect(sharing.getState().saved?.map((s) => s.id)).toEqual([info!.id]);
    const analyses = fake.calls.filter((c) => c.startsWith('analyze')).length;
    await sharing.getState().openSaved(info!.id);
    expect(fake.calls.filter((c) => c.startsWith('analyze')).length).toBe(analyses);
    expect(main.getState().summary).not.toBeNull();
    expect(sharing.getState().reopened).toMatchObject({ source: 'saved', hasLines: false });
    expect(sharing.getState().fileKeys).toEqual(['f-content A']);
    await sharing.getState().openSaved('gone');
    expect(sharing.getState().error).toMatch(/gone/);
    await sharing.getState().deleteAllSaved();
    expect(sharing.getState().saved).toEqual([]);
  });

  it('a dropped file that is not a bundle is analysed; a bundle travels with its labels and notes', async () => {
    const fake = new FakeAnalysis({ scores: [0.1, 0.9, 0.2] });
    const saved = new MemorySaved(fake);
    const clock = { t: 5 };
    const { main, sharing, downloads } = tab(fake, saved, clock);
    await sharing.getState().start();
    await main.getState().openFiles([new File(['content A'], 'x.loupe.gz')]); // named like a bundle, but text
    expect(fake.calls.some((c) => c.startsWith('analyze:target:x.loupe.gz'))).toBe(true);
    await settle();
    await sharing.getState().setVerdict({ target: 'line', row: { file: 0, lineNumber: 1 } }, 0);
    await sharing.getState().setNotes('seen before');
    await sharing.getState().exportBundle({ includeLines: true });
    expect(downloads[0].name).toMatch(/\.loupe\.gz$/);
    // Another browser: empty labels, imports the bundle.
    const other = tab(fake, new MemorySaved(fake), clock);
    await other.sharing.getState().start();
    expect(await other.sharing.getState().importBundle(downloads[0].data)).toBe(true);
    expect(other.sharing.getState().notes).toBe('seen before');
    expect(other.sharing.getState().labelOf({ target: 'line', row: { file: 0, lineNumber: 1 } })?.verdict).toBe(0);
  });
});
