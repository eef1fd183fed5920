/**
 * The score timeline's lower chart: records per bucket stacked by level group, aligned with the score
 * chart (same x axis, synced hover). Memoised: a threshold move alone does not redraw it.
 */
import { memo } from 'react';
import { Area, ComposedChart, Tooltip, YAxis } from 'recharts';
import { MARGIN, PLAIN_AREA } from './chartStyle';
import { LEVEL_COLORS, THEME } from './palette';
import { levelGroupCount, levelGroups } from './timeline';
import { CLICKABLE, COUNT_AXIS, COUNT_AXIS_WIDTH, SYNC_ID, selectHandler, xAxis, type ChartRow } from './timelineShared';
import { FittedChart } from './FittedChart';

interface VolumeChartProps {
  rows: ChartRow[];
  levels: string[];
  formatX(v: number): string;
  onSelectRecord(record: number): void;
}

export const VolumeChart = memo(function VolumeChart({ rows, levels, formatX, onSelectRecord }: VolumeChartProps) {
  return (
    <FittedChart>
      <ComposedChart
        data={rows}
        syncId={SYNC_ID}
        margin={{ ...MARGIN, top: 2, right: MARGIN.right + COUNT_AXIS_WIDTH }}
        onClick={selectHandler(rows, onSelectRecord)}
        style={CLICKABLE}
        title="Records per bucket by level"
      >
        {xAxis(formatX, false)}
        <YAxis {...COUNT_AXIS} />
        {levelGroups(levels)
          .reverse()
          .map((group) => (
            <Area
              {...PLAIN_AREA}
              key={group}
              stackId="levels"
              type="step"
              dataKey={(row: ChartRow) => levelGroupCount(row.levels, group)}
              name={group}
              fill={LEVEL_COLORS[group]}
              fillOpacity={0.85}
            />
          ))}
        <Tooltip content={() => null} cursor={{ stroke: THEME.muted, strokeDasharray: '2 2' }} isAnimationActive={false} />
      </ComposedChart>
    </FittedChart>
  );
});
