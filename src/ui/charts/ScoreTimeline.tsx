/**
 * Score over time: per bucket the max score (line) and the records at or above the threshold (step area),
 * with log volume by level stacked in an aligned chart below, and an overview strip with a Brush to zoom.
 * Buckets are merged so each chart draws at most MAX_POINTS of them, whatever the log size; zooming
 * re-merges the original buckets of the selected range, so detail comes back as the analyst zooms in.
 * Series are step areas (one SVG path each), not bars (one node per bucket and level): the charts stay at
 * a few hundred nodes and re-render in milliseconds while the threshold is dragged.
 */
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import {
  Area,
  AreaChart,
  Brush,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  getNiceTickValues,
  type MouseHandlerDataParam,
} from 'recharts';
import type { TimelineBucket } from '../../core/analysis/types';
import { AXIS_LINE, MARGIN, SMALL_BUTTON, TICK, TOOLTIP_BOX, TOOLTIP_MUTED, Y_AXIS_WIDTH } from './chartStyle';
import { ChartFrame } from './ChartFrame';
import { ANOMALY_COLOR, LEVEL_COLORS, THEME, levelColor, type CanonicalLevel } from './palette';
import { extent, padExtent } from './scales';
import {
  bucketRangeLabel,
  formatRecordTick,
  levelGroupCount,
  levelGroups,
  levelsPresent,
  mergeBuckets,
  timeTickFormatter,
  type TimelinePoint,
} from './timeline';
import { formatCompactCount, formatScoreShort } from '../format';

export interface ScoreTimelineProps {
  buckets: TimelineBucket[];
  timed: boolean;
  threshold: number;
  onBrush?(start: number, end: number): void;
  onSelectRecord(record: number): void;
}

/** Buckets drawn per chart: enough for detail at panel widths; zooming shows more. */
const MAX_POINTS = 300;
const OVERVIEW_POINTS = 160;
const COUNT_AXIS_WIDTH = 36;
const SYNC_ID = 'loupe-timeline';
const CLICKABLE: CSSProperties = { cursor: 'pointer' };
/** A background-coloured outline behind label text, so it stays legible over the score line. */
const HALO = { stroke: THEME.bg, strokeWidth: 3, paintOrder: 'stroke' } as const;
const LEVEL_LABELS: Record<CanonicalLevel, string> = {
  FATAL: 'FATAL',
  ERROR: 'ERROR',
  WARN: 'WARN',
  INFO: 'INFO',
  DEBUG: 'DEBUG/TRACE',
  OTHER: 'other',
};

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

export function ScoreTimeline({ buckets, timed, threshold, onBrush, onSelectRecord: onSelectRecordProp }: ScoreTimelineProps) {
  // Callers often pass a fresh closure each render; a stable wrapper keeps the memoised charts from redrawing.
  const latestSelect = useRef(onSelectRecordProp);
  useLayoutEffect(() => {
    latestSelect.current = onSelectRecordProp;
  });
  const onSelectRecord = useCallback((record: number) => latestSelect.current(record), []);
  const layout = layoutOf(buckets);
  const [zoomState, setZoom] = useState<Zoom | null>(null);
  const zoom = zoomState && zoomState.layout === layout ? zoomState : { layout, from: 0, to: buckets.length };
  const zoomed = zoom.from > 0 || zoom.to < buckets.length;

  const overview = useMemo(() => toRows(mergeBuckets(buckets, OVERVIEW_POINTS)), [buckets]);
  const rows = useMemo(() => toRows(mergeBuckets(buckets.slice(zoom.from, zoom.to), MAX_POINTS, zoom.from)), [buckets, zoom.from, zoom.to]);
  // Level counts don't depend on scores: keep the volume chart's rows (and skip its re-render) while only the
  // threshold moves, which hands us new buckets with new countAbove every frame.
  const volumeKey = `${layout}|${zoom.from}|${zoom.to}|${levelFingerprint(buckets)}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the level content, see above
  const volumeRows = useMemo(() => rows, [volumeKey]);
  const levels = useMemo(() => levelsPresent(volumeRows), [volumeRows]);

  const span = rows.length ? rows[rows.length - 1].end - rows[0].start : 0;
  const formatX = useMemo(() => (timed ? timeTickFormatter(span) : formatRecordTick), [timed, span]);

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

  const empty = buckets.length === 0 ? 'No timeline yet: run an analysis to see scores over time.' : undefined;
  const note = timed ? undefined : 'No timestamps: showing record order';
  const actions = zoomed ? (
    <button type="button" style={SMALL_BUTTON} onClick={resetZoom}>
      Reset zoom
    </button>
  ) : undefined;

  return (
    <ChartFrame title="Anomaly score over time" actions={actions} note={note} empty={empty}>
      <div style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
        <div style={{ flex: '3 1 0', minHeight: 60 }}>
          <ScoreChart rows={rows} threshold={threshold} timed={timed} levels={levels} formatX={formatX} onSelectRecord={onSelectRecord} />
        </div>
        <div style={{ flex: '2 1 0', minHeight: 48 }}>
          <VolumeChart rows={volumeRows} levels={levels} formatX={formatX} onSelectRecord={onSelectRecord} />
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
                  stroke={THEME.grid}
                  fill="transparent"
                  tickFormatter={(v: number) => formatX(v)}
                  onChange={(range) => applyBrush(range, false)}
                  onDragEnd={(range) => applyBrush(range, true)}
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
            </ResponsiveContainer>
          </div>
        )}
      </div>
    </ChartFrame>
  );
}

/** Cheap content hash of the level counts (FNV-1a over names and counts). */
function levelFingerprint(buckets: readonly TimelineBucket[]): number {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    h = Math.imul(h ^ (v | 0), 0x01000193);
  };
  for (const b of buckets) {
    for (const [level, count] of Object.entries(b.levels)) {
      mix(level.length ? level.charCodeAt(0) * 31 + level.length : 7);
      mix(count);
    }
    mix(-1);
  }
  return h >>> 0;
}

function xAxis(formatX: (v: number) => string, hide: boolean) {
  return (
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
}

/** Clicking a bucket hands its first record to `onSelectRecord` (the page opens the bucket's highest-scored line). */
function selectHandler(rows: readonly ChartRow[], onSelectRecord: (record: number) => void) {
  return (state: MouseHandlerDataParam) => {
    // No active index (a click that came before any hover) selects nothing rather than bucket 0.
    const index = state.activeTooltipIndex ?? state.activeIndex;
    if (index === null || index === undefined || index === '') return;
    const row = rows[Number(index)];
    if (row) onSelectRecord(row.firstRecord);
  };
}

interface ScoreChartProps {
  rows: ChartRow[];
  threshold: number;
  timed: boolean;
  levels: string[];
  formatX(v: number): string;
  onSelectRecord(record: number): void;
}

const ScoreChart = memo(function ScoreChart({ rows, threshold, timed, levels, formatX, onSelectRecord }: ScoreChartProps) {
  // Round ticks that include the threshold, so its line never leaves the chart.
  const scoreTicks = getNiceTickValues(padExtent(extent([...rows.map((r) => r.maxScore), threshold]), 0.02), 4, true);
  return (
    <ResponsiveContainer width="100%" height="100%">
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
          width={Y_AXIS_WIDTH}
          tick={TICK}
          axisLine={false}
          tickLine={false}
          domain={[scoreTicks[0], scoreTicks[scoreTicks.length - 1]]}
          ticks={scoreTicks}
          tickFormatter={formatScoreShort}
        />
        <YAxis
          yAxisId="count"
          orientation="right"
          width={COUNT_AXIS_WIDTH}
          tick={{ ...TICK, fill: ANOMALY_COLOR }}
          axisLine={false}
          tickLine={false}
          allowDecimals={false}
          tickFormatter={formatCompactCount}
          tickCount={3}
        />
        <Area
          yAxisId="count"
          dataKey="countAbove"
          name="above threshold"
          type="step"
          stroke="none"
          fill={ANOMALY_COLOR}
          fillOpacity={0.4}
          activeDot={false}
          isAnimationActive={false}
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
    </ResponsiveContainer>
  );
});

interface VolumeChartProps {
  rows: ChartRow[];
  levels: string[];
  formatX(v: number): string;
  onSelectRecord(record: number): void;
}

const VolumeChart = memo(function VolumeChart({ rows, levels, formatX, onSelectRecord }: VolumeChartProps) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart
        data={rows}
        syncId={SYNC_ID}
        margin={{ ...MARGIN, top: 2, right: MARGIN.right + COUNT_AXIS_WIDTH }}
        onClick={selectHandler(rows, onSelectRecord)}
        style={CLICKABLE}
        title="Records per bucket by level"
      >
        {xAxis(formatX, false)}
        <YAxis
          width={Y_AXIS_WIDTH}
          tick={TICK}
          axisLine={false}
          tickLine={false}
          allowDecimals={false}
          tickFormatter={formatCompactCount}
          tickCount={3}
        />
        {levelGroups(levels)
          .reverse()
          .map((group) => (
            <Area
              key={group}
              stackId="levels"
              type="step"
              dataKey={(row: ChartRow) => levelGroupCount(row.levels, group)}
              name={group}
              stroke="none"
              fill={LEVEL_COLORS[group]}
              fillOpacity={0.85}
              activeDot={false}
              isAnimationActive={false}
            />
          ))}
        <Tooltip content={() => null} cursor={{ stroke: THEME.muted, strokeDasharray: '2 2' }} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
});

function LevelLegend({ levels }: { levels: string[] }) {
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

function BucketTooltip({ active, row, timed, levels }: { active?: boolean; row?: ChartRow; timed: boolean; levels: string[] }) {
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
