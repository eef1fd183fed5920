/**
 * Navigation through the store, against the fake worker: j/k in the viewer's order, g/G, arrow
 * keys, the highest-scored line of a template, Esc, the order toggle, the Top anomalies list
 * following the threshold, and word explanations that a newer selection cancels.
 */
import { describe, expect, it } from 'vitest';
import { createLoupeStore, type LoupeStore } from '../../src/state/createStore';
import { FakeAnalysis, MemoryStorage } from './fakeAnalysis';

// Line 3 scores highest, then 1, then 5; the threshold is 0.5.
const SCORES = [0.1, 0.8, 0.2, 0.95, 0.3, 0.7, 0.1];

function setup() {
  const fake = new FakeAnalysis({ scores: SCORES });
  const store = createLoupeStore({
    client: () => fake,
    storage: new MemoryStorage(),
    fetchDemo: async () => [],
    download: () => {},
    thresholdDebounceMs: 1,
  });
  return { fake, store };
}

const settle = (ms = 15) => new Promise((r) => setTimeout(r, ms));

async function analysed(store: LoupeStore) {
  await store.getState().openFiles([new File(['x\n'], 'a.log')]);
  await settle();
}

describe('store: navigation', () => {
  it('walks flagged lines in file order, then in score order', async () => {
    const { store } = setup();
    await analysed(store);
    const s = () => store.getState();
    await s().nextAnomaly(1);
    expect(s().selection.record).toBe(1);
    await s().nextAnomaly(1);
    expect(s().selection.record).toBe(3);
    s().setOrder('score');
    expect(s().filter.order).toBe('score');
    await s().stepFlagged(1);
    // After line 3 (the top score) in score order comes line 1, then 5.
    expect(s().selection.record).toBe(1);
    await s().stepFlagged(1);
    expect(s().selection.record).toBe(5);
    await s().stepFlagged(1);
    expect(s().selection.record).toBe(5);
    expect(s().notice).toMatch(/No flagged line after/);
  });

  it('goes to the first and last row and moves the selection with arrows', async () => {
    const { store } = setup();
    await analysed(store);
    const s = () => store.getState();
    await settle();
    await s().selectEdge('last');
    expect(s().selection.record).toBe(6);
    await s().moveSelection(-1);
    expect(s().selection.record).toBe(5);
    await s().selectEdge('first');
    expect(s().selection.record).toBe(0);
    await s().moveSelection(-1);
    expect(s().selection.record).toBe(0);
    s().setOrder('score');
    await settle();
    await s().selectEdge('first');
    expect(s().selection.record).toBe(3);
  });

  it('opens the highest-scored line of a template, and Esc clears filters then the selection', async () => {
    const { store, fake } = setup();
    await analysed(store);
    const s = () => store.getState();
    s().setFilter({ text: 'ERROR' });
    await s().selectTemplate(7);
    expect(fake.calls).toContain('highestScored:{"templateId":7}');
    expect(s().selection.record).toBe(3);
    s().escape();
    expect(s().filter).toEqual({});
    expect(s().selection.record).toBe(3);
    s().escape();
    expect(s().selection.record).toBeUndefined();
    s().setHelpOpen(true);
    s().escape();
    expect(s().helpOpen).toBe(false);
  });

  it('lists the top anomalies at the threshold and follows it', async () => {
    const { store } = setup();
    await analysed(store);
    await settle();
    expect(store.getState().topAnomalies?.map((t) => t.record)).toEqual([3, 1, 5]);
    store.getState().setThreshold(0.9);
    await settle(30);
    expect(store.getState().topAnomalies?.map((t) => t.record)).toEqual([3]);
  });

  it('explains words after the detail; a newer selection cancels the older words quietly', async () => {
    const { store, fake } = setup();
    await analysed(store);
    fake.holdWords = true;
    const s = () => store.getState();
    const first = s().selectRecord(1);
    await settle();
    expect(s().detail?.row.record).toBe(1);
    expect(s().wordsProgress).not.toBeNull();
    const second = s().selectRecord(3);
    await settle();
    fake.releaseWords();
    await Promise.all([first, second]);
    await settle();
    expect(s().words?.record).toBe(3);
    expect(s().error).toBeNull();
    expect(fake.calls.filter((c) => c.startsWith('words:'))).toEqual(['words:1', 'words:3']);
  });

  it('filters the viewer to a box selection of templates', async () => {
    const { store } = setup();
    await analysed(store);
    store.getState().selectMapTemplates([7, 8]);
    expect(store.getState().filter.templateIds).toEqual([7, 8]);
    store.getState().selectMapTemplates(undefined);
    expect(store.getState().filter.templateIds).toBeUndefined();
  });

  it('narrows the sessions to those holding the boxed templates, and lets go with the box', async () => {
    const fake = new FakeAnalysis({
      scores: SCORES,
      sessions: [
        { id: 'blk_1', templates: [7, 2] },
        { id: 'blk_2', templates: [3] },
        { id: 'blk_3', templates: [8] },
      ],
    });
    const store = createLoupeStore({ client: () => fake, storage: new MemoryStorage(), fetchDemo: async () => [], download: () => {} });
    await analysed(store);
    store.getState().selectMapTemplates([7, 8]);
    await settle();
    expect(store.getState().boxedSessions).toEqual({ templateIds: [7, 8], ids: ['blk_1', 'blk_3'] });
    store.getState().selectMapTemplates(undefined);
    await settle();
    expect(store.getState().boxedSessions).toBeNull();
  });
});
