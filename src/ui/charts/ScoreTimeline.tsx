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
import { useMountTurn, useStaggeredWith } from '../useStaggered';
import { toRows, type ChartRow } from './timelineShared';
import { VolumeChart } from './TimelineVolumeChart';

export interface ScoreTimelineProps {
  buckets: TimelineBucket[];
  timed: boolean;
  threshold: number;
  onBrush?(start: number, end: number): void;
  onSelectRecord(record: number): void;
}

const NO_ROWS: ChartRow[] = [];

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

  // Each chart takes new rows in a task of its own (three recharts charts committed together were
  // a 107 ms task at first scores, bench:e2e trace), with what it draws them with.
  // Each is first mounted empty and hidden in a turn of its own, so its data's turn is an update.
  const scoreMounted = useMountTurn(rows.length > 0);
  const [scoreRows, scoreLook] = useStaggeredWith(rows, NO_ROWS, { threshold, timed, levels, formatX });
  const volumeMounted = useMountTurn(volumeRows.length > 0);
  const [shownVolumeRows, volumeLook] = useStaggeredWith(volumeRows, NO_ROWS, { levels, formatX });
  const [shownOverview, brushLook] = useStaggeredWith(overview, NO_ROWS, { brushStart, brushEnd, formatX });

  // The brush's handler reads the overview it was drawn with (its indexes are into that one).
  const brushState = useRef({ overview: shownOverview, buckets, layout, onBrush });
  useLayoutEffect(() => {
    brushState.current = { overview: shownOverview, buckets, layout, onBrush };
  });
  const applyBrush = useCallback((range: BrushRange, notify: boolean) => {
    const { overview: drawn, buckets: all, layout: at, onBrush: notifyBrush } = brushState.current;
    const first = drawn[range.startIndex ?? 0];
    const last = drawn[range.endIndex ?? drawn.length - 1];
    if (!first || !last || last.to > all.length) return;
    setZoom({ layout: at, from: first.from, to: last.to });
    if (notify) notifyBrush?.(all[first.from].start, all[last.to - 1].end);
  }, []);
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
        <div style={{ flex: '3 1 0', minHeight: 60, visibility: scoreRows.length > 0 ? undefined : 'hidden' }}>
          {(scoreRows.length > 0 || scoreMounted) && (
            <ScoreChart
              rows={scoreRows}
              threshold={scoreLook.threshold}
              timed={scoreLook.timed}
              levels={scoreLook.levels}
              formatX={scoreLook.formatX}
              onSelectRecord={onSelectRecord}
            />
          )}
        </div>
        <div style={{ flex: '2 1 0', minHeight: 48, visibility: shownVolumeRows.length > 0 ? undefined : 'hidden' }}>
          {(shownVolumeRows.length > 0 || volumeMounted) && (
            <VolumeChart rows={shownVolumeRows} levels={volumeLook.levels} formatX={volumeLook.formatX} onSelectRecord={onSelectRecord} />
          )}
        </div>
        <LevelLegend levels={shownVolumeRows.length > 0 ? volumeLook.levels : levels} />
        {shownOverview.length > 0 ? (
          <OverviewBrush
            overview={shownOverview}
            startIndex={brushLook.brushStart}
            endIndex={brushLook.brushEnd}
            formatX={brushLook.formatX}
            onRange={applyBrush}
          />
        ) : (
          // The strip's height is kept while its turn comes, so the charts above do not jump.
          overview.length > 1 && <div style={{ height: 34, flex: 'none' }} />
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
