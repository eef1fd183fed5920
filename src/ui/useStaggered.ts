/**
 * Hands a new value to heavy components one per task. A finished analysis changes the data of
 * every chart at once; rendered together (even as a deferred, interruptible render) their commit
 * (DOM creation, recharts' layout effects and its store updates) is one long main-thread task:
 * 200-440 ms on the 16 Loghub logs (bench:e2e with BENCH_TRACE=1). Here each component using
 * the hook renders and commits its new value in a task of its own, queued behind the others.
 */
import { useEffect, useState } from 'react';
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

/** `value`, shown one task after it changes (`initial` until the first value is handed over). */
export function useStaggered<T>(value: T, initial: T): T {
  const [shown, setShown] = useState<T>(initial);
  useEffect(() => {
    const update = () => setShown(() => value);
    queue.push(update);
    if (!pumping) {
      pumping = true;
      setTimeout(pump, 0);
    }
    return () => {
      const at = queue.indexOf(update);
      if (at >= 0) queue.splice(at, 1);
    };
  }, [value]);
  return shown;
}
