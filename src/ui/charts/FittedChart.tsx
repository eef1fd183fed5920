/**
 * A chart filling its box, like recharts' ResponsiveContainer, but measured before the chart is
 * first drawn. ResponsiveContainer measures in a passive effect and draws the chart in a later
 * render that React schedules on its own: charts mounted in separate tasks (useStaggered) were
 * then all drawn in one scheduler task (150 ms at first scores on the 16 Loghub logs, bench:e2e
 * trace). Here the box is measured in a layout effect, so the chart is drawn in the task that
 * mounts it; later resizes come from a ResizeObserver, as before.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

interface Size {
  width: number;
  height: number;
}

export function FittedChart({ minHeight, children }: { minHeight?: number; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size | null>(null);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const fit = (width: number, height: number) => {
      const next = { width: Math.round(width), height: Math.round(height) };
      setSize((was) => (was && was.width === next.width && was.height === next.height ? was : next));
    };
    const { width, height } = element.getBoundingClientRect();
    fit(width, height);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) fit(entry.contentRect.width, entry.contentRect.height);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className="recharts-responsive-container" style={{ width: '100%', height: '100%', minWidth: 0, minHeight }}>
      {/* No size of its own: the chart never pushes its box wider or taller (as in ResponsiveContainer). */}
      <div style={{ width: 0, height: 0, overflow: 'visible' }}>
        {size && size.width > 0 && size.height > 0 && (
          // Fixed numbers: ResponsiveContainer then only hands the size to the chart, with no observer of its own.
          <ResponsiveContainer width={size.width} height={size.height}>
            {children}
          </ResponsiveContainer>
        )}
      </div>
    </div>
  );
}
