import { describe, expect, it } from 'vitest';
import { createLoupeStore } from '../../src/state/createStore';
import { decodeView, encodeView, syncViewHash, type ViewState } from '../../src/state/viewHash';
import { FakeAnalysis, MemoryStorage } from './fakeAnalysis';

const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('view state in the URL hash', () => {
  it('round-trips selection, threshold, filters, unit and detector', () => {
    const view: ViewState = {
      record: 42,
      threshold: 0.6125,
      unit: 'session',
      detector: 'surprise',
      filter: {
        text: 'disk -ok "no space"',
        regex: false,
        levels: ['ERROR', 'WARN'],
        templateId: 7,
        session: 'blk_-12 3&x=1',
        range: [10, 200],
        order: 'score',
        flaggedAt: 0.6125,
      },
    };
    const back = decodeView(`#${encodeView(view)}`);
    // regex: false is the default and is not written.
    const { regex: _regex, ...filter } = view.filter;
    expect(back).toEqual({ ...view, filter });
  });

  it('drops malformed parts instead of failing', () => {
    const v = decodeView('#line=-3&t=abc&unit=evil&det=<script>&lv=ERROR,<b>&tpl=1.5&range=9,2&order=up&__proto__=x');
    expect(v).toEqual({ record: undefined, threshold: undefined, unit: undefined, detector: undefined, filter: { levels: ['ERROR'] } });
    expect(decodeView('')).toEqual({ record: undefined, threshold: undefined, unit: undefined, detector: undefined, filter: {} });
  });

  it('applies a shared link to the first analysis shown, then follows the view', async () => {
    const fake = new FakeAnalysis({ scores: Array.from({ length: 300 }, (_, i) => (i % 50 === 0 ? 0.95 : 0.1 + (i % 7) / 100)) });
    const main = createLoupeStore({
      client: () => fake,
      storage: new MemoryStorage(),
      fetchDemo: async () => [],
      download: () => undefined,
      thresholdDebounceMs: 1,
    });
    let hash = '#line=150&t=0.5&q=ERROR&order=score';
    const stop = syncViewHash(main, {
      read: () => hash,
      write: (h) => {
        hash = `#${h}`;
      },
    });
    await main.getState().openFiles([new File(['x'], 'a.log')]);
    await settle();
    const s = main.getState();
    expect(s.threshold).toBe(0.5);
    expect(s.filter).toMatchObject({ text: 'ERROR', order: 'score' });
    expect(s.selection.record).toBe(150);
    main.getState().setThreshold(0.7);
    await settle();
    expect(decodeView(hash).threshold).toBe(0.7);
    expect(decodeView(hash).record).toBe(150);
    stop();
  });
});
