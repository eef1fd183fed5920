/**
 * Draws a small invisible chart, piece by piece in idle time, soon after the page loads. The first
 * recharts chart of a page costs far more than the next ones (its code is compiled and its
 * internals set up on first use): 60-100 ms of CPU for the histogram's first mount against 25-30
 * for the next charts (bench:e2e trace, 16 Loghub logs), one long task right when the first scores
 * arrive. Done here, while the page waits for the analyst or for the worker, in tasks of a few ms.
 */
import { createElement, type ReactElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { Area, ComposedChart, Line, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';

const DATA = [
  { x: 0, y: 1, z: 2 },
  { x: 1, y: 3, z: 1 },
  { x: 2, y: 2, z: 0 },
];
const SIZE = { width: 160, height: 90 };

/** What the timeline and histogram draw, in the order the pieces add it. */
const COMPOSED_PARTS = [
  () => createElement(XAxis, { dataKey: 'x', type: 'number' }),
  () => createElement(YAxis),
  () => createElement(Area, { dataKey: 'y', type: 'stepAfter', isAnimationActive: false }),
  () => createElement(Line, { dataKey: 'z', dot: false, isAnimationActive: false }),
  () => createElement(ReferenceLine, { y: 1 }),
  () => createElement(Tooltip, { isAnimationActive: false }),
];

/** A composed chart holding the first `parts` of COMPOSED_PARTS. */
const composed = (parts: number) => () =>
  createElement(ComposedChart, { ...SIZE, data: DATA }, ...COMPOSED_PARTS.slice(0, parts).map((part) => part()));

/** Each piece adds to the last, so each idle task mounts a little more of what the charts use. */
const PIECES: Array<() => ReactElement> = [
  composed(0),
  composed(2),
  composed(3),
  composed(COMPOSED_PARTS.length),
  () =>
    createElement(
      ScatterChart,
      SIZE,
      createElement(XAxis, { dataKey: 'x', type: 'number', hide: true }),
      createElement(YAxis, { dataKey: 'y', type: 'number', hide: true }),
      createElement(Scatter, { data: DATA, isAnimationActive: false }),
    ),
];

let started = false;

/** Starts the warm-up once per page; a no-op outside a browser. */
export function warmUpCharts(): void {
  if (started || typeof document === 'undefined' || typeof window === 'undefined') return;
  started = true;
  const idle = (run: () => void) =>
    typeof window.requestIdleCallback === 'function' ? window.requestIdleCallback(run, { timeout: 2000 }) : window.setTimeout(run, 50);
  idle(() => {
    const host = document.createElement('div');
    host.setAttribute('aria-hidden', 'true');
    host.style.cssText = 'position:absolute;left:-10000px;top:0;width:160px;height:90px;visibility:hidden;pointer-events:none';
    document.body.appendChild(host);
    const root = createRoot(host);
    let next = 0;
    const step = () => {
      if (next < PIECES.length) {
        // Rendered now, in this idle task (left to React's scheduler, pieces could meet in one task).
        const piece = PIECES[next++]();
        flushSync(() => root.render(piece));
        idle(step);
        return;
      }
      root.unmount();
      host.remove();
    };
    step();
  });
}
