/** The score timeline's hover card for one bucket: its range, max score, records above and level counts. */
import { TOOLTIP_BOX, TOOLTIP_MUTED } from './chartStyle';
import { ANOMALY_COLOR, levelColor } from './palette';
import { bucketRangeLabel } from './timeline';
import type { ChartRow } from './timelineShared';
import { formatCompactCount, formatScoreShort } from '../format';

export function BucketTooltip({ active, row, timed, levels }: { active?: boolean; row?: ChartRow; timed: boolean; levels: string[] }) {
  if (!active || !row) return null;
  const counts = levels.filter((l) => (row.levels[l] ?? 0) > 0);
  return (
    <div style={TOOLTIP_BOX}>
      <div style={TOOLTIP_MUTED}>{bucketRangeLabel(row, timed)}</div>
      <div>
        max score <b>{formatScoreShort(row.maxScore)}</b>
      </div>
      <div style={{ color: ANOMALY_COLOR }}>{formatCompactCount(row.countAbove)} above threshold</div>
      {counts.length > 0 && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 8px' }}>
          {counts.map((l) => (
            <span key={l}>
              <span style={{ color: levelColor(l) }}>■</span> {l || 'no level'} {formatCompactCount(row.levels[l])}
            </span>
          ))}
        </div>
      )}
      <div style={TOOLTIP_MUTED}>click to open its highest-scored line</div>
    </div>
  );
}
