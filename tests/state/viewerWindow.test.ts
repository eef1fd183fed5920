import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, pagesFor, scrollTopFor, viewerWindow } from '../../src/state/viewerWindow';

describe('viewerWindow', () => {
  it('renders only the visible rows plus overscan for a small log', () => {
    const w = viewerWindow(2000, 400, 1000, 20, 5);
    expect(w.scrollHeight).toBe(20_000);
    expect(w.first).toBe(95);
    expect(w.end).toBe(125);
    expect(w.top).toBe(95 * 20);
  });

  it('clamps at both ends and handles an empty log', () => {
    expect(viewerWindow(0, 400, 10, 20)).toMatchObject({ first: 0, end: 10, top: 0 });
    expect(viewerWindow(0, 400, 0, 20)).toEqual({ scrollHeight: 0, first: 0, end: 0, top: 0 });
  });

  it('scales the scroll range for ten million lines and still reaches the last line', () => {
    const total = 10_000_000;
    const viewport = 600;
    const bottom = viewerWindow(MAX_SCROLL_HEIGHT - viewport, viewport, total, 20, 0);
    expect(bottom.scrollHeight).toBe(MAX_SCROLL_HEIGHT);
    expect(bottom.end).toBe(total);
    expect(bottom.end - bottom.first).toBeLessThanOrEqual(viewport / 20 + 1);
    const middle = viewerWindow((MAX_SCROLL_HEIGHT - viewport) / 2, viewport, total, 20, 0);
    expect(Math.abs(middle.first - total / 2)).toBeLessThan(100);
    // Rendered rows sit inside the viewport, whatever the scaling.
    expect(middle.top).toBeGreaterThan((MAX_SCROLL_HEIGHT - viewport) / 2 - 20);
    expect(middle.top).toBeLessThanOrEqual((MAX_SCROLL_HEIGHT - viewport) / 2);
  });

  it('scrollTopFor brings the row into the window, scaled or not', () => {
    for (const total of [5_000, 10_000_000]) {
      for (const row of [0, 1234, Math.floor(total / 2), total - 1]) {
        const top = scrollTopFor(row, 600, total, 20);
        const w = viewerWindow(top, 600, total, 20, 0);
        expect(row).toBeGreaterThanOrEqual(w.first);
        expect(row).toBeLessThan(w.end);
      }
    }
  });

  it('pagesFor lists the pages a row range touches', () => {
    expect(pagesFor(0, 50, 200)).toEqual([0]);
    expect(pagesFor(190, 410, 200)).toEqual([0, 1, 2]);
    expect(pagesFor(10, 10, 200)).toEqual([]);
  });
});
