/**
 * The score timeline's upper chart: max score per bucket (line) with the threshold, and the records at or
 * above it (step area, right axis). Memoised: it redraws when the rows or the threshold change.
 */
import { memo } from 'react';
import { Area, ComposedChart, Line, ReferenceLine, Tooltip, YAxis, getNiceTickValues } from 'recharts';
import { MARGIN, PLAIN_AREA, TICK, VALUE_AXIS } from './chartStyle';
import { ANOMALY_COLOR, THEME } from './palette';
import { extent, padExtent } from './scales';
import { BucketTooltip } from './TimelineTooltip';
import { CLICKABLE, COUNT_AXIS, COUNT_AXIS_WIDTH, SYNC_ID, selectHandler, xAxis, type ChartRow } from './timelineShared';
import { formatScoreShort } from '../format';
import { FittedChart } from './FittedChart';

/** A background-coloured outline behind label text, so it stays legible over the score line. */
const HALO = { stroke: THEME.bg, strokeWidth: 3, paintOrder: 'stroke' } as const;

interface ScoreChartProps {
  rows: ChartRow[];
  threshold: number;
  timed: boolean;
  levels: string[];
  formatX(v: number): string;
  onSelectRecord(record: number): void;
}

export const ScoreChart = memo(function ScoreChart({ rows, threshold, timed, levels, formatX, onSelectRecord }: ScoreChartProps) {
  // Round ticks that include the threshold, so its line never leaves the chart.
  const scoreTicks = getNiceTickValues(padExtent(extent([...rows.map((r) => r.maxScore), threshold]), 0.02), 4, true);
  return (
    <FittedChart>
      <ComposedChart
        data={rows}
        syncId={SYNC_ID}
        margin={MARGIN}
        onClick={selectHandler(rows, onSelectRecord)}
        style={CLICKABLE}
        title="Max score and records above the threshold per bucket; click a bucket to open its highest-scored line"
      >
        {xAxis(formatX, true)}
        <YAxis
          yAxisId="score"
          {...VALUE_AXIS}
          domain={[scoreTicks[0], scoreTicks[scoreTicks.length - 1]]}
          ticks={scoreTicks}
          tickFormatter={formatScoreShort}
        />
        <YAxis {...COUNT_AXIS} yAxisId="count" orientation="right" width={COUNT_AXIS_WIDTH} tick={{ ...TICK, fill: ANOMALY_COLOR }} />
        <Area
          {...PLAIN_AREA}
          yAxisId="count"
          dataKey="countAbove"
          name="above threshold"
          type="step"
          fill={ANOMALY_COLOR}
          fillOpacity={0.4}
        />
        <Line
          yAxisId="score"
          dataKey="score"
          name="max score"
          type="linear"
          stroke={THEME.fg}
          strokeWidth={1.25}
          dot={false}
          activeDot={{ r: 3, fill: THEME.fg, stroke: THEME.bg }}
          isAnimationActive={false}
        />
        {Number.isFinite(threshold) && (
          <ReferenceLine
            yAxisId="score"
            y={threshold}
            stroke={ANOMALY_COLOR}
            strokeDasharray="4 3"
            label={{
              value: `threshold ${formatScoreShort(threshold)}`,
              position: 'insideTopLeft',
              fill: ANOMALY_COLOR,
              fontSize: 11,
              ...HALO,
            }}
          />
        )}
        <Tooltip
          content={({ active, payload }) => (
            <BucketTooltip active={active} row={payload?.[0]?.payload as ChartRow | undefined} timed={timed} levels={levels} />
          )}
          cursor={{ stroke: THEME.muted, strokeDasharray: '2 2' }}
          isAnimationActive={false}
        />
      </ComposedChart>
    </FittedChart>
  );
});
