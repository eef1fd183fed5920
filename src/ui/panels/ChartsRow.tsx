/** The top row: score timeline, score histogram with the threshold, and the template map. */
import { memo } from 'react';
import { useStaggered } from '../useStaggered';
import { useStagedMount } from '../useStagedMount';
import { useLoupe } from '../../state/store';
import { ScoreTimeline } from '../charts/ScoreTimeline';
import { EmbeddingMap } from '../charts/EmbeddingMap';
import { ErrorBoundary } from '../ErrorBoundary';
import { ThresholdPanel } from './ThresholdPanel';
import { warmUpCharts } from '../charts/warmUp';
import { useHover } from '../hover';
import type { MapPoint, TimelineBucket } from '../../core/analysis/types';

// From page start, in idle time: the page's first chart no longer pays for recharts' first use
// when the first scores arrive (see warmUp.tsx).
warmUpCharts();

// Stable empty arrays: a fresh [] from a selector would re-render forever.
const NO_BUCKETS: TimelineBucket[] = [];
const NO_POINTS: MapPoint[] = [];

// The panels are memoised (they take no props): the row's and the workspace's staged mounts
// re-render their children, and a recharts chart re-rendered for nothing is tens of ms.
const TimelinePanel = memo(function TimelinePanel() {
  // ScoreTimeline hands new buckets to each of its charts in a task of its own (useStaggeredWith).
  const buckets = useLoupe((s) => s.thresholdView?.timeline ?? s.summary?.timeline ?? NO_BUCKETS);
  const timed = useLoupe((s) => s.summary?.timed ?? false);
  const threshold = useLoupe((s) => s.threshold);
  const brushRange = useLoupe((s) => s.brushRange);
  const selectRecord = useLoupe((s) => s.selectRecord);
  const openHighest = useLoupe((s) => s.openHighest);
  // A click on a bucket opens its highest-scored line (bucket ends are exclusive).
  const openBucket = (record: number) => {
    const bucket = buckets.find((b) => b.firstRecord === record);
    if (bucket) void openHighest({ range: [bucket.start, bucket.end - 1e-6] });
    else void selectRecord(record, { jump: true });
  };
  return (
    <ScoreTimeline
      buckets={buckets}
      timed={timed}
      threshold={threshold}
      onBrush={(start, end) => brushRange([start, end])}
      onSelectRecord={openBucket}
    />
  );
});

const MapPanel = memo(function MapPanel() {
  const points = useStaggered(
    useLoupe((s) => s.summary?.map ?? NO_POINTS),
    NO_POINTS,
  );
  const selected = useLoupe((s) => s.selection.template);
  const selectTemplate = useLoupe((s) => s.selectTemplate);
  const projection = useLoupe((s) => s.mapProjection);
  const setProjection = useLoupe((s) => s.setMapProjection);
  const boxSelected = useLoupe((s) => s.filter.templateIds);
  const selectMapTemplates = useLoupe((s) => s.selectMapTemplates);
  const hovered = useHover((s) => s.template);
  return (
    <EmbeddingMap
      points={points}
      selectedTemplate={selected}
      onSelectTemplate={(id) => void selectTemplate(id)}
      projection={projection}
      onProjectionChange={(p) => void setProjection(p)}
      highlightTemplate={hovered}
      boxSelected={boxSelected}
      onBoxSelect={selectMapTemplates}
    />
  );
});

export const ChartsRow = memo(function ChartsRow() {
  // Each chart's first render is costly (recharts measures its ticks): one per frame.
  const stage = useStagedMount(3);
  return (
    <div className="charts">
      <section className="panel" data-testid="timeline-panel" style={{ padding: 6 }}>
        {stage >= 2 && (
          <ErrorBoundary compact name="The timeline">
            <TimelinePanel />
          </ErrorBoundary>
        )}
      </section>
      <section className="panel" data-testid="histogram-panel" style={{ padding: 6 }}>
        {stage >= 1 && (
          <ErrorBoundary compact name="The histogram">
            <ThresholdPanel />
          </ErrorBoundary>
        )}
      </section>
      <section className="panel" data-testid="map-panel" style={{ padding: 6 }}>
        {stage >= 3 && (
          <ErrorBoundary compact name="The template map">
            <MapPanel />
          </ErrorBoundary>
        )}
      </section>
    </div>
  );
});
