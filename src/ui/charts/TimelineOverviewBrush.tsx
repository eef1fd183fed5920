/**
 * The score timeline's overview strip: the whole log's score as a faint area inside a Brush whose
 * handles pick the zoomed range. Indexes are overview points; ScoreTimeline maps them to buckets.
 */
import { memo } from 'react';
import { Area, AreaChart, Brush, ComposedChart, YAxis } from 'recharts';
import { MARGIN, Y_AXIS_WIDTH } from './chartStyle';
import { THEME } from './palette';
import { COUNT_AXIS_WIDTH, type ChartRow } from './timelineShared';
import { FittedChart } from './FittedChart';

export interface BrushRange {
  startIndex?: number;
  endIndex?: number;
}

interface OverviewBrushProps {
  overview: ChartRow[];
  startIndex: number;
  endIndex: number;
  formatX(v: number): string;
  /** `notify` is false while dragging, true when the drag ends. */
  onRange(range: BrushRange, notify: boolean): void;
}

/** Memoised: the score timeline re-renders for every threshold move, the strip only for its own props. */
export const OverviewBrush = memo(function OverviewBrush({ overview, startIndex, endIndex, formatX, onRange }: OverviewBrushProps) {
  if (overview.length <= 1) return null;
  return (
    <div style={{ height: 34, flex: 'none' }}>
      <FittedChart>
        <ComposedChart
          data={overview}
          margin={{ top: 2, bottom: 2, left: MARGIN.left + Y_AXIS_WIDTH, right: MARGIN.right + COUNT_AXIS_WIDTH }}
          title="Overview: drag the handles to zoom"
        >
          <Brush
            dataKey="start"
            height={30}
            travellerWidth={7}
            startIndex={startIndex}
            endIndex={endIndex}
            stroke={THEME.grid}
            fill="transparent"
            tickFormatter={(v: number) => formatX(v)}
            onChange={(range) => onRange(range, false)}
            onDragEnd={(range) => onRange(range, true)}
            ariaLabel="Zoom range"
          >
            <AreaChart data={overview} margin={{ top: 2, bottom: 2, left: 0, right: 0 }}>
              <YAxis hide domain={['dataMin', 'dataMax']} />
              <Area
                dataKey="score"
                type="linear"
                stroke={THEME.muted}
                strokeWidth={0.75}
                fill={THEME.muted}
                fillOpacity={0.12}
                isAnimationActive={false}
                dot={false}
              />
            </AreaChart>
          </Brush>
        </ComposedChart>
      </FittedChart>
    </div>
  );
});
