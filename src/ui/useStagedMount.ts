/**
 * Mounts a screen in stages, one animation frame apart: the first render of the explorer compiles
 * and lays out a lot (charts, tables, the viewer), and doing it all in one task would freeze the
 * page for a noticeable moment. Each stage is its own short task instead.
 */
import { useEffect, useState } from 'react';

export function useStagedMount(stages: number): number {
  const [stage, setStage] = useState(0);
  useEffect(() => {
    if (stage >= stages) return;
    const frame = requestAnimationFrame(() => setStage((s) => s + 1));
    return () => cancelAnimationFrame(frame);
  }, [stage, stages]);
  return stage;
}
