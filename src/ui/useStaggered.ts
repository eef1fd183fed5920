/**
 * Hands a new value to heavy components one per task. A finished analysis changes the data of
 * every chart at once; rendered together (even as a deferred, interruptible render) their commit
 * (DOM creation, recharts' layout effects and its store updates) is one long main-thread task:
 * 200-440 ms on the 16 Loghub logs (bench:e2e with BENCH_TRACE=1). Here each component using
 * the hook renders and commits its new value in a task of its own, queued behind the others.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

const queue: Array<() => void> = [];
let pumping = false;

function pump(): void {
  const next = queue.shift();
  // Render and commit now, inside this task: left to React's scheduler, two queued updates could
  // still meet in one render.
  if (next) flushSync(next);
  if (queue.length) setTimeout(pump, 0);
  else pumping = false;
}

/** Queues `update` behind the others; the returned function takes it out if it has not run. */
function enqueue(update: () => void): () => void {
  queue.push(update);
  if (!pumping) {
    pumping = true;
    setTimeout(pump, 0);
  }
  return () => {
    const at = queue.indexOf(update);
    if (at >= 0) queue.splice(at, 1);
  };
}

/** `value`, shown one task after it changes (`initial` until the first value is handed over). */
export function useStaggered<T>(value: T, initial: T): T {
  const [shown, setShown] = useState<T>(initial);
  useEffect(() => enqueue(() => setShown(() => value)), [value]);
  return shown;
}

/**
 * `value` as useStaggered hands it over, with what is drawn alongside it (`companion`: the
 * threshold, the axis format...). While the shown value is the current one, the companion passes
 * through at once (a dragged threshold moves the line in the same frame); while a new value waits
 * its turn, the old value keeps the companion it was handed over with, so a chart is never drawn
 * twice for one analysis (new threshold over old bars, then the new bars).
 */
export function useStaggeredWith<T, C>(value: T, initial: T, companion: C): [T, C] {
  const [shown, setShown] = useState<{ value: T; companion: C }>(() => ({ value: initial, companion }));
  const latest = useRef(companion);
  useLayoutEffect(() => {
    latest.current = companion;
  });
  useEffect(() => enqueue(() => setShown({ value, companion: latest.current })), [value]);
  return shown.value === value ? [value, companion] : [shown.value, shown.companion];
}

/**
 * False until one queued task after `ready` first holds, then true for good. A heavy chart mounted
 * (empty and hidden) in a turn of its own makes the turn that hands it data an update, about half
 * the work: declare it before the useStaggered of the same data, so its turn comes first.
 */
export function useMountTurn(ready: boolean): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => (ready && !mounted ? enqueue(() => setMounted(true)) : undefined), [ready, mounted]);
  return mounted;
}

/**
 * Runs `prepare(value)` in a queued task of its own each time `value` changes: work a chart would
 * otherwise do in its render (binning a million scores), done ahead of its turn. `prepare` should
 * cache what it computes where the chart's render finds it.
 */
export function usePrepareTurn<T>(value: T, prepare: (value: T) => void): void {
  useEffect(() => enqueue(() => prepare(value)), [value, prepare]);
}
