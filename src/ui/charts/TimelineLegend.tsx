/** The score timeline's legend: the score line, the above-threshold area and each level group's colour. */
import type { CSSProperties } from 'react';
import { Y_AXIS_WIDTH } from './chartStyle';
import { ANOMALY_COLOR, LEVEL_COLORS, THEME, type CanonicalLevel } from './palette';
import { levelGroups } from './timeline';

const LEVEL_LABELS: Record<CanonicalLevel, string> = {
  FATAL: 'FATAL',
  ERROR: 'ERROR',
  WARN: 'WARN',
  INFO: 'INFO',
  DEBUG: 'DEBUG/TRACE',
  OTHER: 'other',
};

export function LevelLegend({ levels }: { levels: string[] }) {
  if (!levels.length) return null;
  const swatch = (color: string): CSSProperties => ({ width: 8, height: 8, borderRadius: 2, background: color, display: 'inline-block' });
  return (
    <div
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: '2px 10px',
        fontSize: 11,
        color: THEME.muted,
        padding: `2px 0 2px ${Y_AXIS_WIDTH}px`,
      }}
    >
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
        <span style={{ width: 12, height: 0, borderTop: `2px solid ${THEME.fg}`, display: 'inline-block' }} /> max score
      </span>
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
        <span style={{ ...swatch(ANOMALY_COLOR), opacity: 0.6 }} /> above threshold
      </span>
      {levelGroups(levels).map((group) => (
        <span key={group} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <span style={swatch(LEVEL_COLORS[group])} /> {LEVEL_LABELS[group]}
        </span>
      ))}
    </div>
  );
}
