import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/analysis/types';
import { loadSettings, saveSettings } from '../../src/state/persist';
import { settingsChange } from '../../src/state/settingsDiff';
import { splitDroppedFiles } from '../../src/state/droppedFiles';
import { SerialQueue } from '../../src/core/embed/serialQueue';
import { MemoryStorage } from './fakeAnalysis';

describe('settingsChange', () => {
  const base = DEFAULT_SETTINGS;
  it('says which changes re-score and which re-analyse', () => {
    expect(settingsChange(base, { ...base })).toBe('none');
    expect(settingsChange(base, { ...base, detector: 'forest' })).toBe('rescore');
    expect(settingsChange(base, { ...base, unit: 'session' })).toBe('rescore');
    expect(settingsChange(base, { ...base, forest: { ...base.forest, nEstimators: 50 } })).toBe('rescore');
    expect(settingsChange(base, { ...base, window: { kind: 'count', size: 100, step: 100 } })).toBe('rescore');
    expect(settingsChange(base, { ...base, layoutFormat: '<Date> <Content>' })).toBe('reanalyse');
    expect(settingsChange(base, { ...base, masks: { add: [], remove: ['ip'] } })).toBe('reanalyse');
    expect(settingsChange(base, { ...base, model: { kind: 'hub', modelId: 'a/b' } })).toBe('reanalyse');
    expect(settingsChange(base, { ...base, device: 'wasm' })).toBe('reanalyse');
  });
});

describe('persisted settings', () => {
  it('round-trips, fills missing fields and never stores local model files', () => {
    const storage = new MemoryStorage();
    const files = { 'config.json': new Blob(['{}']) };
    saveSettings(storage, { ...DEFAULT_SETTINGS, detector: 'surprise', model: { kind: 'local', name: 'm', files } });
    const loaded = loadSettings(storage);
    expect(loaded.detector).toBe('surprise');
    expect(loaded.model).toEqual({ kind: 'bundled' });
    storage.setItem('loupe.settings.v1', JSON.stringify({ forest: { nEstimators: 7 } }));
    expect(loadSettings(storage).forest).toEqual({ ...DEFAULT_SETTINGS.forest, nEstimators: 7 });
    storage.setItem('loupe.settings.v1', '{not json');
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    expect(loadSettings(null)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('dropped files', () => {
  it('separates logs from a labels CSV, preferring one named for labels', () => {
    const split = splitDroppedFiles([{ name: 'x.csv' }, { name: 'app.log.gz' }, { name: 'BGL.labels.CSV' }, { name: 'b.jsonl' }]);
    expect(split.logs.map((f) => f.name)).toEqual(['app.log.gz', 'b.jsonl']);
    expect(split.labels?.name).toBe('BGL.labels.CSV');
    expect(splitDroppedFiles([{ name: 'a.log' }]).labels).toBeUndefined();
  });
});

describe('SerialQueue', () => {
  it('runs jobs one at a time, in order, and survives a failing job', async () => {
    const queue = new SerialQueue();
    const enqueue = <T>(job: () => Promise<T>) => queue.run(job);
    const log: string[] = [];
    let running = 0;
    const job =
      (name: string, ms: number, fail = false) =>
      async () => {
        running++;
        expect(running).toBe(1);
        await new Promise((r) => setTimeout(r, ms));
        log.push(name);
        running--;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([enqueue(job('a', 20)), enqueue(job('b', 1, true)), enqueue(job('c', 5))]);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
