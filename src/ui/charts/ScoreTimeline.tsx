/**
 * Score over time: per bucket the max score (line) and the records at or above the threshold (bars), with
 * log volume by level stacked in an aligned chart below, and an overview strip with a Brush to zoom.
 * Buckets are merged so each chart draws at most MAX_POINTS of them, whatever the log size; zooming
 * re-merges the original buckets of the selected range, so detail comes back as the analyst zooms in.
 */
import { useMemo, useState, type CSSProperties } from 'react';
import {
  Area, AreaChart, Bar, Brush, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis,
  type MouseHandlerDataParam,
} from 'recharts';
import type { TimelineBucket } from '../../core/analysis/types';
import { AXIS_LINE, MARGIN, SMALL_BUTTON, TICK, TOOLTIP_BOX, TOOLTIP_MUTED, Y_AXIS_WIDTH } from './chartStyle';
import { ChartFrame } from './ChartFrame';
import { ANOMALY_COLOR, THEME, levelColor } from './palette';
import { extent, padExtent } from './scales';
import {
  bucketRangeLabel, formatCount, formatRecordTick, formatScore, levelsPresent, mergeBuckets, timeTickFormatter,
  type TimelinePoint,
} from './timeline';

export interface ScoreTimelineProps {
  buckets: TimelineBucket[];
  timed: boolean;
  threshold: number;
  onBrush?(start: number, end: number): void;
  onSelectRecord(record: number): void;
}

/** Buckets drawn per chart: ≤ 7 bars each (count above + levels) keeps the charts under ~2,000 nodes. */
const MAX_POINTS = 240;
const OVERVIEW_POINTS = 160;
const COUNT_AXIS_WIDTH = 36;
const SYNC_ID = 'loupe-timeline';

interface ChartRow extends TimelinePoint {
  /** Max score, null for empty buckets so the line shows a gap. */
  score: number | null;
}

interface Zoom {
  /** Identity of the bucket layout the zoom belongs to: a new analysis resets it, a threshold move doesn't. */
  layout: string;
  from: number;
  to: number;
}

function layoutOf(buckets: readonly TimelineBucket[]): string {
  const n = buckets.length;
  return n ? `${n}:${buckets[0].start}:${buckets[n - 1].end}` : '0';
}

/** Index of the overview point holding original bucket `index`. */
function overviewIndexOf(overview: readonly TimelinePoint[], index: number): number {
  let lo = 0;
  let hi = overview.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (overview[mid].from <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const toRows = (points: TimelinePoint[]): ChartRow[] =>
  points.map((p) => ({ ...p, score: Number.isFinite(p.maxScore) ? p.maxScore : null }));

export function ScoreTimeline({ buckets, timed, threshold, onBrush, onSelectRecord }: ScoreTimelineProps) {
  const layout = layoutOf(buckets);
  const [zoomState, setZoom] = useState<Zoom | null>(null);
  const zoom = zoomState && zoomState.layout === layout ? zoomState : { layout, from: 0, to: buckets.length };
  const zoomed = zoom.from > 0 || zoom.to < buckets.length;

  const overview = useMemo(() => toRows(mergeBuckets(buckets, OVERVIEW_POINTS)), [buckets]);
  const rows = useMemo(
    () => toRows(mergeBuckets(buckets.slice(zoom.from, zoom.to), MAX_POINTS, zoom.from)),
    [buckets, zoom.from, zoom.to],
  );
  const levels = useMemo(() => levelsPresent(buckets), [buckets]);

  const span = rows.length ? rows[rows.length - 1].end - rows[0].start : 0;
  const formatX = useMemo(() => (timed ? timeTickFormatter(span) : formatRecordTick), [timed, span]);
  const scoreDomain = padExtent(extent([...rows.map((r) => r.maxScore), threshold]), 0.08);

  const select = (state: MouseHandlerDataParam) => {
    const row = rows[Number(state.activeTooltipIndex ?? state.activeIndex)];
    if (row) onSelectRecord(row.firstRecord);
  };

  const brushStart = overviewIndexOf(overview, zoom.from);
  const brushEnd = overviewIndexOf(overview, Math.max(zoom.from, zoom.to - 1));
  const applyBrush = (range: { startIndex?: number; endIndex?: number }, notify: boolean) => {
    const first = overview[range.startIndex ?? 0];
    const last = overview[range.endIndex ?? overview.length - 1];
    if (!first || !last) return;
    setZoom({ layout, from: first.from, to: last.to });
    if (notify) onBrush?.(buckets[first.from].start, buckets[last.to - 1].end);
  };
  const resetZoom = () => {
    setZoom(null);
    if (buckets.length) onBrush?.(buckets[0].start, buckets[buckets.length - 1].end);
  };

  const xAxis = (hide: boolean) => (
    <XAxis
      dataKey="start"
      hide={hide}
      tick={TICK}
      axisLine={AXIS_LINE}
      tickLine={false}
      tickFormatter={formatX}
      interval="preserveStartEnd"
      minTickGap={48}
      height={18}
    />
  );

  const empty = buckets.length === 0 ? 'No timeline yet: run an analysis to see scores over time.' : undefined;
  const note = timed ? undefined : 'No timestamps: showing record order';
  const actions = zoomed ? <button type="button" style={SMALL_BUTTON} onClick={resetZoom}>Reset zoom</button> : undefined;
  const chartStyle: CSSProperties = { cursor: 'pointer' };

  return (
    <ChartFrame title="Anomaly score over time" actions={actions} note={note} empty={empty}>
      <div style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
        <div style={{ flex: '3 1 0', minHeight: 60 }}>
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart
              data={rows}
              syncId={SYNC_ID}
              margin={MARGIN}
              barCategoryGap="12%"
              onClick={select}
              style={chartStyle}
              title="Max score and records above the threshold per bucket; click a bucket to open its first record"
            >
              {xAxis(true)}
              <YAxis
                yAxisId="score"
                width={Y_AXIS_WIDTH}
                tick={TICK}
                axisLine={false}
                tickLine={false}
                domain={scoreDomain}
                tickFormatter={formatScore}
                tickCount={4}
              />
              <YAxis
                yAxisId="count"
                orientation="right"
                width={COUNT_AXIS_WIDTH}
                tick={{ ...TICK, fill: ANOMALY_COLOR }}
                axisLine={false}
                tickLine={false}
                allowDecimals={false}
                tickFormatter={formatCount}
                tickCount={3}
              />
              <Bar yAxisId="count" dataKey="countAbove" name="above threshold" fill={ANOMALY_COLOR} fillOpacity={0.4} isAnimationActive={false} />
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
                  ifOverflow="extendDomain"
                  label={{ value: `threshold ${formatScore(threshold)}`, position: 'insideTopLeft', fill: ANOMALY_COLOR, fontSize: 11 }}
                />
              )}
              <Tooltip
                content={({ active, payload }) => <BucketTooltip active={active} row={payload?.[0]?.payload as ChartRow | undefined} timed={timed} levels={levels} />}
                cursor={{ fill: THEME.grid, fillOpacity: 0.5 }}
                isAnimationActive={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
        <div style={{ flex: '2 1 0', minHeight: 48 }}>
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart
              data={rows}
              syncId={SYNC_ID}
              margin={{ ...MARGIN, top: 2, right: MARGIN.right + COUNT_AXIS_WIDTH }}
              barCategoryGap={0}
              onClick={select}
              style={chartStyle}
              title="Records per bucket by level"
            >
              {xAxis(false)}
              <YAxis
                width={Y_AXIS_WIDTH}
                tick={TICK}
                axisLine={false}
                tickLine={false}
                allowDecimals={false}
                tickFormatter={formatCount}
                tickCount={3}
              />
              {levels.map((level) => (
                <Bar
                  key={level}
                  stackId="levels"
                  dataKey={(row: ChartRow) => row.levels[level] ?? 0}
                  name={level || 'no level'}
                  fill={levelColor(level)}
                  isAnimationActive={false}
                />
              ))}
              <Tooltip content={() => null} cursor={{ fill: THEME.grid, fillOpacity: 0.5 }} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
        <LevelLegend levels={levels} />
        {overview.length > 1 && (
          <div style={{ height: 34, flex: 'none' }}>
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart
                data={overview}
                margin={{ top: 2, bottom: 2, left: MARGIN.left + Y_AXIS_WIDTH, right: MARGIN.right + COUNT_AXIS_WIDTH }}
                title="Overview: drag the handles to zoom"
              >
                <Brush
                  dataKey="start"
                  height={30}
                  travellerWidth={7}
                  startIndex={brushStart}
                  endIndex={brushEnd}
                  stroke={THEME.muted}
                  fill={THEME.bg}
                  tickFormatter={(v: number) => formatX(v)}
                  onChange={(range) => applyBrush(range, false)}
                  onDragEnd={(range) => applyBrush(range, true)}
                  ariaLabel="Zoom range"
                >
                  <AreaChart data={overview} margin={{ top: 2, bottom: 2, left: 0, right: 0 }}>
                    <YAxis hide domain={['dataMin', 'dataMax']} />
                    <Area dataKey="score" type="linear" stroke={THEME.muted} fill={THEME.muted} fillOpacity={0.25} isAnimationActive={false} dot={false} />
                  </AreaChart>
                </Brush>
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        )}
      </div>
    </ChartFrame>
  );
}

function LevelLegend({ levels }: { levels: string[] }) {
  if (!levels.length) return null;
  const swatch = (color: string): CSSProperties => ({ width: 8, height: 8, borderRadius: 2, background: color, display: 'inline-block' });
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '2px 10px', fontSize: 11, color: THEME.muted, padding: `2px 0 2px ${Y_AXIS_WIDTH}px` }}>
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
        <span style={{ width: 12, height: 0, borderTop: `2px solid ${THEME.fg}`, display: 'inline-block' }} /> max score
      </span>
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
        <span style={{ ...swatch(ANOMALY_COLOR), opacity: 0.6 }} /> above threshold
      </span>
      {levels.map((level) => (
        <span key={level} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <span style={swatch(levelColor(level))} /> {level || 'no level'}
        </span>
      ))}
    </div>
  );
}

function BucketTooltip({ active, row, timed, levels }: { active?: boolean; row?: ChartRow; timed: boolean; levels: string[] }) {
  if (!active || !row) return null;
  const counts = levels.filter((l) => (row.levels[l] ?? 0) > 0);
  return (
    <div style={TOOLTIP_BOX}>
      <div style={TOOLTIP_MUTED}>{bucketRangeLabel(row, timed)}</div>
      <div>max score <b>{formatScore(row.maxScore)}</b></div>
      <div style={{ color: ANOMALY_COLOR }}>{formatCount(row.countAbove)} above threshold</div>
      {counts.length > 0 && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 8px' }}>
          {counts.map((l) => (
            <span key={l}>
              <span style={{ color: levelColor(l) }}>■</span> {l || 'no level'} {formatCount(row.levels[l])}
            </span>
          ))}
        </div>
      )}
      <div style={TOOLTIP_MUTED}>click to open record {formatRecordTick(row.firstRecord)}</div>
    </div>
  );
}
