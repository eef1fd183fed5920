/**
 * Histogram of unit scores with the threshold as a draggable vertical line. Scores are binned and sorted
 * once per `scores` array; moving the threshold only re-splits ~50 bins and binary-searches the count,
 * so dragging stays smooth with a million scores. The chart is two step-area paths whatever the data size.
 */
import { countFlaggedSorted } from '../../core/detect/threshold';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { Area, ComposedChart, XAxis, YAxis, ZIndexLayer, usePlotArea } from 'recharts';
import {
  DEFAULT_BIN_COUNT,
  histogramDomain,
  countFromLog,
  histogramSteps,
  logCount,
  logCountTicks,
  maxBinCount,
  preparedScores,
} from './binning';
import { BASE_AXIS, MARGIN, PLAIN_AREA, VALUE_AXIS } from './chartStyle';
import { ChartFrame } from './ChartFrame';
import { ANOMALY_COLOR, THEME } from './palette';
import { approxTextWidth, fractionOfValue, niceTicksWithin, placeLabelBeside, valueAtFraction } from './scales';
import { formatCompactCount, formatScoreShort } from '../format';
import { FittedChart } from './FittedChart';

export interface ScoreHistogramProps {
  scores: Float32Array;
  threshold: number;
  onThresholdChange(t: number): void;
  /** Start with log-compressed counts (default true: anomalies are rare and would be invisible bars). */
  initialLogScale?: boolean;
  bins?: number;
  /** With no scores yet: mount the chart, hidden, for the scores on their way (see ChartFrame). */
  mountHidden?: boolean;
}

const identity = (c: number) => c;

/** Memoised: its panel re-renders for counts and controls, the chart only for its own props. */
export const ScoreHistogram = memo(function ScoreHistogram({
  scores,
  threshold,
  onThresholdChange,
  initialLogScale = true,
  bins = DEFAULT_BIN_COUNT,
  mountHidden = false,
}: ScoreHistogramProps) {
  const [logScale, setLogScale] = useState(initialLogScale);
  // While dragging, the line follows the pointer at once; the store hears about it once per frame.
  const [draft, setDraft] = useState<number | null>(null);
  const shown = draft ?? threshold;

  // Usually computed already, in the panel's turn before this one (see preparedScores).
  const { binned, sorted } = preparedScores(scores, bins);
  const above = Number.isNaN(shown) ? 0 : countFlaggedSorted(sorted, shown);

  // The range follows the committed threshold, not the draft, so the axis holds still under the pointer.
  const [lo, hi] = histogramDomain(binned, threshold);
  const xTicks = useMemo(() => niceTicksWithin(lo, hi, 5), [lo, hi]);
  const steps = useMemo(() => histogramSteps(binned, shown, logScale ? logCount : identity), [binned, shown, logScale]);
  const peak = maxBinCount(binned);
  const yTicks = logScale ? logCountTicks(peak) : undefined;

  const pending = useRef<number | null>(null);
  const frame = useRef(0);
  const flush = useCallback(() => {
    frame.current = 0;
    if (pending.current !== null) onThresholdChange(pending.current);
    pending.current = null;
  }, [onThresholdChange]);
  const schedule = useCallback(
    (t: number) => {
      pending.current = t;
      if (!frame.current) frame.current = requestAnimationFrame(flush);
    },
    [flush],
  );
  useEffect(
    () => () => {
      if (frame.current) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const drag = useMemo(
    () => ({
      move(t: number) {
        setDraft(t);
        schedule(t);
      },
      end(t: number | null) {
        if (frame.current) cancelAnimationFrame(frame.current);
        frame.current = 0;
        pending.current = null;
        if (t !== null) onThresholdChange(t);
        setDraft(null);
      },
    }),
    [schedule, onThresholdChange],
  );

  const empty = binned.total === 0 ? 'No scores yet: run an analysis to see their distribution.' : undefined;
  const actions = (
    <label style={{ display: 'flex', alignItems: 'center', gap: 4, fontSize: 11, color: THEME.muted, cursor: 'pointer' }}>
      <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} style={{ margin: 0 }} />
      log counts
    </label>
  );

  return (
    <ChartFrame
      title={`Score distribution · ${formatCompactCount(binned.total)} scores`}
      actions={empty ? undefined : actions}
      empty={empty}
      mountHidden={mountHidden}
    >
      <FittedChart minHeight={80}>
        <ComposedChart
          data={steps}
          margin={{ ...MARGIN, top: 18, right: 12 }}
          title={`Histogram of ${binned.total} scores; ${above} at or above the threshold ${formatScoreShort(shown)}`}
        >
          <XAxis
            type="number"
            dataKey="x"
            domain={[lo, hi]}
            allowDataOverflow
            {...BASE_AXIS}
            ticks={xTicks}
            tickFormatter={formatScoreShort}
            height={20}
          />
          <YAxis
            {...VALUE_AXIS}
            ticks={yTicks}
            domain={logScale ? [0, yTicks?.[yTicks.length - 1] ?? 1] : [0, 'auto']}
            allowDecimals={false}
            tickFormatter={(v: number) => formatCompactCount(logScale ? countFromLog(v) : v)}
          />
          <Area {...PLAIN_AREA} type="stepAfter" dataKey="below" fill={THEME.muted} fillOpacity={0.45} />
          <Area {...PLAIN_AREA} type="stepAfter" dataKey="above" fill={ANOMALY_COLOR} fillOpacity={0.85} />
          <ThresholdHandle lo={lo} hi={hi} value={shown} above={above} onMove={drag.move} onEnd={drag.end} />
        </ComposedChart>
      </FittedChart>
    </ChartFrame>
  );
});

interface ThresholdHandleProps {
  lo: number;
  hi: number;
  value: number;
  above: number;
  onMove(t: number): void;
  onEnd(t: number | null): void;
}

/**
 * The threshold line, its "N above" label and a transparent slider over the plot area: press or drag
 * anywhere to move the line there, or use the arrow keys when it has focus.
 */
function ThresholdHandle({ lo, hi, value, above, onMove, onEnd }: ThresholdHandleProps) {
  const plot = usePlotArea();
  const dragging = useRef(false);
  const last = useRef<number | null>(null);
  if (!plot || !(hi > lo)) return null;

  const finite = Number.isFinite(value);
  const x = plot.x + fractionOfValue(value, lo, hi) * plot.width;
  // The longest text that fits beside the line, on whichever side has room.
  const label = [
    `${above.toLocaleString('en-US')} above threshold ${formatScoreShort(value)}`,
    `${formatCompactCount(above)} above ${formatScoreShort(value)}`,
    `${formatCompactCount(above)} above`,
  ]
    .map((text) => {
      const spot = placeLabelBeside(x, approxTextWidth(text), plot.x - 36, plot.x + plot.width + 8);
      return spot && { ...spot, text };
    })
    .find((spot) => spot !== null);
  const valueAt = (e: PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return valueAtFraction((e.clientX - box.left) / box.width, lo, hi);
  };
  const step = (hi - lo) / 200;
  const onKeyDown = (e: KeyboardEvent<SVGRectElement>) => {
    const base = finite ? value : lo;
    const moves: Record<string, number> = {
      ArrowLeft: base - step,
      ArrowDown: base - step,
      ArrowRight: base + step,
      ArrowUp: base + step,
      PageDown: base - step * 10,
      PageUp: base + step * 10,
      Home: lo,
      End: hi,
    };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    onEnd(Math.min(hi, Math.max(lo, next)));
  };

  return (
    <ZIndexLayer zIndex={2100}>
      <g>
        {finite && (
          <g pointerEvents="none">
            <line x1={x} x2={x} y1={plot.y - 6} y2={plot.y + plot.height} stroke={ANOMALY_COLOR} strokeWidth={2} />
            <path d={`M${x - 5},${plot.y - 12} L${x + 5},${plot.y - 12} L${x},${plot.y - 5} Z`} fill={ANOMALY_COLOR} />
            {label && (
              <text x={label.x} y={plot.y - 4} textAnchor={label.anchor} fontSize={11} fill={THEME.fg}>
                {label.text}
              </text>
            )}
          </g>
        )}
        <rect
          x={plot.x}
          y={plot.y - 12}
          width={plot.width}
          height={plot.height + 12}
          fill="transparent"
          style={{ cursor: 'ew-resize', touchAction: 'none', outline: 'none' }}
          role="slider"
          tabIndex={0}
          aria-label="Score threshold"
          aria-valuemin={lo}
          aria-valuemax={hi}
          aria-valuenow={finite ? value : undefined}
          aria-valuetext={finite ? `${formatScoreShort(value)}, ${above} above` : 'not set'}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture(e.pointerId);
            dragging.current = true;
            last.current = valueAt(e);
            onMove(last.current);
          }}
          onPointerMove={(e) => {
            if (!dragging.current) return;
            last.current = valueAt(e);
            onMove(last.current);
          }}
          onPointerUp={(e) => {
            if (!dragging.current) return;
            dragging.current = false;
            onEnd(valueAt(e));
          }}
          onPointerCancel={() => {
            if (!dragging.current) return;
            dragging.current = false;
            onEnd(last.current);
          }}
          onKeyDown={onKeyDown}
        />
      </g>
    </ZIndexLayer>
  );
}
