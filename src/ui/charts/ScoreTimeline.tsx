/**
 * Score over time: per bucket the max score (line) and the records at or above the threshold (step area),
 * with log volume by level stacked in an aligned chart below, and an overview strip with a Brush to zoom.
 * Buckets are merged so each chart draws at most MAX_POINTS of them, whatever the log size; zooming
 * re-merges the original buckets of the selected range, so detail comes back as the analyst zooms in.
 * Series are step areas (one SVG path each), not bars (one node per bucket and level): the charts stay at
 * a few hundred nodes and re-render in milliseconds while the threshold is dragged.
 * This file holds the zoom state and wiring; the charts, legend, tooltip and brush are in Timeline*.tsx.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TimelineBucket } from '../../core/analysis/types';
import { SMALL_BUTTON } from './chartStyle';
import { ChartFrame } from './ChartFrame';
import { formatRecordTick, levelsPresent, mergeBuckets, timeTickFormatter, type TimelinePoint } from './timeline';
import { LevelLegend } from './TimelineLegend';
import { OverviewBrush, type BrushRange } from './TimelineOverviewBrush';
import { ScoreChart } from './TimelineScoreChart';
import { toRows } from './timelineShared';
import { VolumeChart } from './TimelineVolumeChart';

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
  const applyBrush = (range: BrushRange, notify: boolean) => {
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
        <OverviewBrush overview={overview} startIndex={brushStart} endIndex={brushEnd} formatX={formatX} onRange={applyBrush} />
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
