/**
 * What the score timeline's charts share: the row they draw, the synced hover id, the hidden or shown
 * time axis and the click-to-open-a-bucket handler. ScoreTimeline's charts (score, volume, legend,
 * tooltip, overview brush) each live in their own file; this holds the parts they have in common.
 */
import type { CSSProperties } from 'react';
import { XAxis, type MouseHandlerDataParam } from 'recharts';
import { BASE_AXIS, VALUE_AXIS } from './chartStyle';
import type { TimelinePoint } from './timeline';
import { formatCompactCount } from '../format';

/** Width of the right-hand count axis; the volume chart and the brush leave room for it. */
export const COUNT_AXIS_WIDTH = 36;
/** The score and volume charts hover together. */
export const SYNC_ID = 'loupe-timeline';
export const CLICKABLE: CSSProperties = { cursor: 'pointer' };
/** The record-count axes (above threshold, volume): whole numbers, compact, three ticks. */
export const COUNT_AXIS = { ...VALUE_AXIS, allowDecimals: false, tickFormatter: formatCompactCount, tickCount: 3 } as const;

export interface ChartRow extends TimelinePoint {
  /** Max score, null for empty buckets so the line shows a gap. */
  score: number | null;
}

export const toRows = (points: TimelinePoint[]): ChartRow[] =>
  points.map((p) => ({ ...p, score: Number.isFinite(p.maxScore) ? p.maxScore : null }));

export function xAxis(formatX: (v: number) => string, hide: boolean) {
  return (
    <XAxis dataKey="start" hide={hide} {...BASE_AXIS} tickFormatter={formatX} interval="preserveStartEnd" minTickGap={48} height={18} />
  );
}

/** Clicking a bucket hands its first record to `onSelectRecord` (the page opens the bucket's highest-scored line). */
export function selectHandler(rows: readonly ChartRow[], onSelectRecord: (record: number) => void) {
  return (state: MouseHandlerDataParam) => {
    // No active index (a click that came before any hover) selects nothing rather than bucket 0.
    const index = state.activeTooltipIndex ?? state.activeIndex;
    if (index === null || index === undefined || index === '') return;
    const row = rows[Number(index)];
    if (row) onSelectRecord(row.firstRecord);
  };
}
