import { describe, expect, it, vi } from 'vitest';
import { createLoupeStore, type LoupeStore } from '../../src/state/createStore';
import { INITIAL_DATA, PAGE_SIZE } from '../../src/state/shape';
import { analysisFailed, analysisSucceeded, previewReceived } from '../../src/state/actions';
import type { AnalysisSummary } from '../../src/core/analysis/types';
import { FakeAnalysis, MemoryStorage } from './fakeAnalysis';

function setup(scores: number[], options: { failOn?: RegExp } = {}) {
  const fake = new FakeAnalysis({ scores, ...options });
  const storage = new MemoryStorage();
  const downloads: Array<{ name: string; text: string }> = [];
  const store = createLoupeStore({
    client: () => fake,
    storage,
    fetchDemo: async () => [new File(['x'], 'demo.log'), new File(['1,1'], 'demo.labels.csv')],
    download: (name, text) => downloads.push({ name, text }),
    thresholdDebounceMs: 5,
  });
  return { fake, storage, store, downloads };
}

const log = (name: string) => new File(['line\n'], name);
const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const scoresOf = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

async function analysed(store: LoupeStore) {
  await store.getState().openFiles([log('a.log')]);
  expect(store.getState().summary).not.toBeNull();
}

describe('store: analysis lifecycle', () => {
  it('runs an analysis, records per-stage progress, and resets derived state', async () => {
    const { store, fake } = setup([0.1, 0.9, 0.2]);
    const stages: string[] = [];
    store.subscribe((s) => s.run?.current && stages.push(s.run.current));
    await store.getState().openFiles([log('a.log'), log('labels.csv')]);
    const s = store.getState();
    expect(fake.calls[0]).toBe('analyze:target:a.log+labels.csv');
    expect(stages).toContain('read');
    expect(stages).toContain('parse');
    expect(s.run).toBeNull();
    expect(s.summary?.records).toBe(3);
    expect(s.threshold).toBe(0.5);
    expect(s.sources.targets.map((f) => f.name)).toEqual(['a.log']);
  });

  it('a failed analysis shows the error and keeps the previous analysis and its sources', async () => {
    const { store } = setup([0.1, 0.9], { failOn: /\.bin$/ });
    await analysed(store);
    const before = store.getState().summary;
    await store.getState().openFiles([log('photo.bin')]);
    const s = store.getState();
    expect(s.error).toMatch(/binary/);
    expect(s.summary).toBe(before);
    expect(s.sources.targets.map((f) => f.name)).toEqual(['a.log']);
  });

  it('cancel stops the run quietly and leaves the previous analysis intact', async () => {
    const { store, fake } = setup([0.1, 0.9]);
    await analysed(store);
    const before = store.getState().summary;
    fake.hold = true;
    const running = store.getState().openFiles([log('b.log')]);
    await settle(1);
    expect(store.getState().run?.fileNames).toEqual(['b.log']);
    store.getState().cancel();
    await running;
    const s = store.getState();
    expect(fake.calls).toContain('cancel');
    expect(s.run).toBeNull();
    expect(s.error).toBeNull();
    expect(s.notice).toMatch(/cancelled/);
    expect(s.summary).toBe(before);
  });

  it('a reference log joins the next analysis with role reference', async () => {
    const { store, fake } = setup([0.1]);
    store.getState().setDropAsReference(true);
    await store.getState().openFiles([log('good.log')]);
    expect(store.getState().notice).toMatch(/drop the log/);
    expect(fake.calls).toEqual([]);
    await store.getState().openFiles([log('new.log')]);
    expect(fake.calls[0]).toBe('analyze:reference:good.log,target:new.log');
  });

  it('opens the demo log with its labels', async () => {
    const { store, fake } = setup([0.1]);
    await store.getState().openDemo();
    expect(fake.calls[0]).toBe('analyze:target:demo.log+demo.labels.csv');
  });

  it('a drop while an analysis runs says so and starts nothing', async () => {
    const { store, fake } = setup([0.1]);
    fake.hold = true;
    const running = store.getState().openFiles([log('a.log')]);
    await settle();
    await store.getState().openFiles([log('b.log')]);
    expect(store.getState().notice).toMatch(/still running.*b\.log/);
    expect(fake.calls.filter((c) => c.startsWith('analyze'))).toHaveLength(1);
    store.getState().cancel();
    await running;
  });

  it('rejects a drop with nothing usable in it', async () => {
    const { store, fake } = setup([0.1]);
    await store.getState().openFiles([]);
    expect(store.getState().error).toMatch(/Nothing to open/);
    expect(fake.calls).toEqual([]);
  });
});

describe('store: settings', () => {
  it('detector changes re-score without re-analysing; model changes re-analyse', async () => {
    const { store, fake } = setup([0.1, 0.9]);
    await analysed(store);
    const settings = store.getState().settings;
    await store.getState().applySettings({ ...settings, detector: 'forest' });
    expect(fake.calls.filter((c) => c.startsWith('analyze'))).toHaveLength(1);
    expect(fake.calls).toContain('rescore:forest');
    expect(store.getState().summary?.settings.detector).toBe('forest');
    await store.getState().applySettings({ ...store.getState().settings, model: { kind: 'hub', modelId: 'x/y' } });
    expect(fake.calls.filter((c) => c.startsWith('analyze'))).toHaveLength(2);
  });

  it('persists settings and theme and reloads them', async () => {
    const { store, storage } = setup([0.1, 0.9]);
    await analysed(store);
    await store.getState().applySettings({ ...store.getState().settings, unit: 'template' });
    store.getState().setTheme('dark');
    const reloaded = createLoupeStore({
      client: () => new FakeAnalysis({ scores: [] }),
      storage,
      fetchDemo: async () => [],
      download: () => {},
    });
    expect(reloaded.getState().settings.unit).toBe('template');
    expect(reloaded.getState().theme).toBe('dark');
  });
});

describe('store: threshold, rows and navigation', () => {
  it('moving the threshold asks the worker once for the latest value only', async () => {
    const { store, fake } = setup(scoresOf(10, (i) => i / 10));
    await analysed(store);
    for (const t of [0.6, 0.7, 0.8]) store.getState().setThreshold(t);
    expect(store.getState().threshold).toBe(0.8);
    await settle();
    expect(fake.calls.filter((c) => c.startsWith('thresholdView'))).toEqual(['thresholdView:0.8']);
    expect(store.getState().thresholdView?.linesAbove).toBe(2);
  });

  it('a flagged share sets the threshold from the unit scores', async () => {
    const { store } = setup(scoresOf(100, (i) => i));
    await analysed(store);
    store.getState().setFlaggedShare(0.05);
    expect(store.getState().threshold).toBe(95);
  });

  it('fetches each page once, evicts old pages, and refetches after a filter change', async () => {
    const { store, fake } = setup(scoresOf(100_000, (i) => (i % 1000 === 0 ? 0.95 : 0.1)));
    await analysed(store);
    store.getState().ensureRows(0, 50);
    store.getState().ensureRows(10, 60);
    await settle();
    expect(fake.calls.filter((c) => c.startsWith('rows'))).toEqual(['rows:0']);
    expect(store.getState().rows.total).toBe(100_000);
    for (let p = 0; p < 60; p++) store.getState().ensureRows(p * PAGE_SIZE, p * PAGE_SIZE + 40);
    await settle(50);
    const rows = store.getState().rows;
    expect(Object.keys(rows.pages).length).toBeLessThanOrEqual(40);
    expect(rows.pages[59]?.[0].record).toBe(59 * PAGE_SIZE);
    store.getState().setFilter({ minScore: 0.9 });
    store.getState().ensureRows(0, 50);
    await settle();
    expect(store.getState().rows.total).toBe(100);
    expect(store.getState().rows.pages[0][1].record).toBe(1000);
  });

  it('j/k walk the anomalies, selecting and jumping to each, and fetch its detail', async () => {
    const { store, fake } = setup([0.1, 0.9, 0.1, 0.1, 0.95, 0.1]);
    await analysed(store);
    await store.getState().nextAnomaly(1);
    expect(store.getState().selection.record).toBe(1);
    expect(store.getState().jump?.position).toBe(1);
    expect(store.getState().detail?.row.record).toBe(1);
    await store.getState().nextAnomaly(1);
    expect(store.getState().selection.record).toBe(4);
    await store.getState().nextAnomaly(1);
    expect(store.getState().notice).toMatch(/No flagged line after/);
    await store.getState().nextAnomaly(-1);
    expect(store.getState().selection.record).toBe(1);
    expect(fake.calls.filter((c) => c.startsWith('detail'))).toEqual(['detail:1', 'detail:4', 'detail:1']);
  });

  it('jumping to a line hidden by the filter clears the filter', async () => {
    const { store } = setup([0.1, 0.9, 0.1]);
    await analysed(store);
    store.getState().setFilter({ minScore: 0.5 });
    await store.getState().selectRecord(2, { jump: true });
    expect(store.getState().filter).toEqual({});
    expect(store.getState().jump?.position).toBe(2);
  });

  it('selecting a template opens its highest-scored line', async () => {
    const { store, fake } = setup(scoresOf(12, (i) => (i === 9 ? 0.7 : 0.1)));
    await analysed(store);
    await store.getState().selectTemplate(7);
    expect(fake.calls).toContain('highestScored:{"templateId":7}');
    expect(store.getState().selection).toMatchObject({ template: 7, record: 9 });
  });

  it('worker errors while paging surface as a message, not a hang', async () => {
    const { store, fake } = setup([0.1]);
    await analysed(store);
    vi.spyOn(fake, 'rows').mockRejectedValue(new Error('boom'));
    store.getState().ensureRows(0, 10);
    await settle();
    expect(store.getState().error).toMatch(/boom/);
  });
});

describe('store: template map projection', () => {
  it('switches the map to UMAP on demand and back to PCA on a new analysis', async () => {
    const { store, fake } = setup([0.1, 0.9, 0.2]);
    await analysed(store);
    await store.getState().setMapProjection('umap');
    expect(fake.calls).toContain('projectMap:umap');
    expect(store.getState().mapProjection).toBe('umap');
    expect(store.getState().projecting).toBe(false);
    expect(store.getState().summary?.map[0].x).toBe(1);
    await analysed(store);
    expect(store.getState().mapProjection).toBe('pca');
  });
});

describe('store: model problems are said out loud', () => {
  it('an analysis that fell back to TF-IDF shows a notice with the reason', () => {
    const summary = {
      encoder: { modelId: 'tf-idf', device: 'none', fallbackReason: 'onnx/model.onnx is missing', threads: 0, hasMlmHead: false },
      threshold: 0.5,
    };
    const patch = analysisSucceeded(INITIAL_DATA, summary as unknown as AnalysisSummary);
    expect(patch.notice).toMatch(/onnx\/model.onnx is missing/);
    const fine = analysisSucceeded(INITIAL_DATA, {
      ...summary,
      encoder: { ...summary.encoder, device: 'wasm' },
    } as unknown as AnalysisSummary);
    expect(fine.notice).toBeNull();
  });
});

describe('store: preliminary results of a large log', () => {
  it('shows a preview during the run and restores the previous analysis if the run then fails', () => {
    const previous = { ...INITIAL_DATA, summary: { records: 10 } as unknown as AnalysisSummary, summaryVersion: 3, threshold: 0.7 };
    const running = { ...previous, run: { startedAt: 0, fileNames: ['big.log'], stages: {}, cancelling: false } };
    const preview = {
      records: 500_000,
      threshold: 0.5,
      encoder: { device: 'none', fallbackReason: 'Preliminary' },
    } as unknown as AnalysisSummary;
    const shown = { ...running, ...previewReceived(running, preview) };
    expect(shown.summary?.records).toBe(500_000);
    expect(shown.run).not.toBeNull();
    expect(shown.notice).toBeNull();
    expect(shown.previewBackup?.summary?.records).toBe(10);
    const failed = { ...shown, ...analysisFailed(shown, { message: 'boom', cancelled: false }) };
    expect(failed.summary?.records).toBe(10);
    expect(failed.threshold).toBe(0.7);
    expect(failed.previewBackup).toBeNull();
    const done = {
      ...shown,
      ...analysisSucceeded(shown, { ...preview, records: 500_001, encoder: { device: 'wasm' } } as unknown as AnalysisSummary),
    };
    expect(done.previewBackup).toBeNull();
    expect(done.summary?.records).toBe(500_001);
  });
});

describe('store: vector cache', () => {
  it('clears the vector cache and says so, or says there is none', async () => {
    let cleared = 0;
    const store = createLoupeStore({
      client: () => new FakeAnalysis({ scores: [0.1] }),
      storage: new MemoryStorage(),
      fetchDemo: async () => [],
      download: () => {},
      clearVectorCache: async () => (cleared++, true),
    });
    await store.getState().clearVectorCache();
    expect(cleared).toBe(1);
    expect(store.getState().notice).toMatch(/Cached vectors cleared/);
    const none = createLoupeStore({
      client: () => new FakeAnalysis({ scores: [0.1] }),
      storage: null,
      fetchDemo: async () => [],
      download: () => {},
      clearVectorCache: async () => false,
    });
    await none.getState().clearVectorCache();
    expect(none.getState().notice).toMatch(/no vector cache/);
  });
});
