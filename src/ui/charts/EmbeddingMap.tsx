/**
 * Map of templates: their vectors projected to 2-D, one dot per template, area by record count (sqrt scale),
 * colour by score (viridis). Templates that look alike sit together; anomalous ones are drawn on top.
 * At most MAX_POINTS dots are drawn (the selected one, the highest scores, then the most frequent).
 * Linked both ways: a highlighted template (hovered in a table or the viewer) gets a ring, and a
 * box drawn on the map (drag with Shift, or with "Box" on) selects the templates inside it.
 */
import type { MapProjection } from '../../core/analysis/types';
import {
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type PointerEvent as ReactPointerEvent,
  type SVGProps,
} from 'react';
import { DefaultZIndexes, ScatterChart, XAxis, YAxis, ZIndexLayer, useChartWidth, useXAxisScale, useYAxisScale } from 'recharts';
import type { MapPoint } from '../../core/analysis/types';
import { MARGIN, SMALL_BUTTON, TOOLTIP_BOX, TOOLTIP_MUTED } from './chartStyle';
import { ChartFrame } from './ChartFrame';
import { THEME, scoreColor, scoreGradientCss } from './palette';
import { extent, fractionOfValue, mapPointsToDraw, padExtent, sqrtRadius } from './scales';
import { formatCompactCount, formatScoreShort } from '../format';
import { FittedChart } from './FittedChart';

export interface EmbeddingMapProps {
  points: MapPoint[];
  selectedTemplate?: number;
  onSelectTemplate(id: number): void;
  /** Current projection; with `onProjectionChange` the frame shows a PCA / UMAP toggle. */
  projection?: MapProjection;
  onProjectionChange?(projection: MapProjection): void;
  /** A template to ring (hovered elsewhere). */
  highlightTemplate?: number;
  /** Templates chosen by a box; with `onBoxSelect` the map offers box selection (undefined clears it). */
  boxSelected?: number[];
  onBoxSelect?(templateIds: number[] | undefined): void;
}

/** Pixel positions of the drawn dots, for box selection. */
type DotPositions = Array<{ id: number; x: number; y: number }>;

const MAX_POINTS = 2000;
const TEXT_PREVIEW = 240;

export function EmbeddingMap({
  points,
  selectedTemplate,
  onSelectTemplate: onSelectProp,
  projection,
  onProjectionChange,
  highlightTemplate,
  boxSelected,
  onBoxSelect,
}: EmbeddingMapProps) {
  // A stable wrapper around the caller's callback: redrawing 2,000 dots because a closure changed is wasted work.
  const latestSelect = useRef(onSelectProp);
  useLayoutEffect(() => {
    latestSelect.current = onSelectProp;
  });
  const onSelectTemplate = useCallback((id: number) => latestSelect.current(id), []);
  const drawn = useMemo(() => mapPointsToDraw(points, MAX_POINTS, selectedTemplate), [points, selectedTemplate]);
  const scale = useMemo(() => {
    let maxCount = 0;
    for (const p of points) if (p.count > maxCount) maxCount = p.count;
    return {
      maxCount,
      scores: extent(points.map((p) => p.score)),
      x: padExtent(extent(points.map((p) => p.x)), 0.04),
      y: padExtent(extent(points.map((p) => p.y)), 0.06),
    };
  }, [points]);
  const [hovered, setHovered] = useState<HoveredPoint | null>(null);
  const positions = useRef<DotPositions>([]);
  const [boxMode, setBoxMode] = useState(false);
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const boxedSet = useMemo(() => (boxSelected ? new Set(boxSelected) : undefined), [boxSelected]);

  const local = (e: ReactPointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (!onBoxSelect || !(boxMode || e.shiftKey) || e.button !== 0) return;
    const p = local(e);
    e.currentTarget.setPointerCapture(e.pointerId);
    setBox({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
    e.preventDefault();
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (!box) return;
    const p = local(e);
    setBox({ ...box, x1: p.x, y1: p.y });
  };
  const onPointerUp = () => {
    if (!box || !onBoxSelect) return;
    const [xa, xb] = [Math.min(box.x0, box.x1), Math.max(box.x0, box.x1)];
    const [ya, yb] = [Math.min(box.y0, box.y1), Math.max(box.y0, box.y1)];
    setBox(null);
    // A click without a drag is not a selection.
    if (xb - xa < 4 && yb - ya < 4) return;
    const ids = positions.current.filter((d) => d.x >= xa && d.x <= xb && d.y >= ya && d.y <= yb).map((d) => d.id);
    onBoxSelect(ids.length ? ids : undefined);
  };

  const toggle = onProjectionChange ? (
    <span role="group" aria-label="Projection" style={{ display: 'inline-flex' }}>
      {(['pca', 'umap'] as const).map((kind) => (
        <button
          key={kind}
          type="button"
          aria-pressed={projection === kind}
          onClick={() => onProjectionChange(kind)}
          style={{
            ...SMALL_BUTTON,
            borderRadius: kind === 'pca' ? '3px 0 0 3px' : '0 3px 3px 0',
            background: projection === kind ? THEME.grid : 'transparent',
          }}
        >
          {kind.toUpperCase()}
        </button>
      ))}
    </span>
  ) : undefined;

  const legend = (
    <span
      style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontSize: 11, color: THEME.muted }}
      aria-label="Colour: score from low to high"
    >
      {formatScoreShort(scale.scores[0])}
      <span style={{ width: 40, height: 8, borderRadius: 2, background: scoreGradientCss() }} />
      {formatScoreShort(scale.scores[1])}
    </span>
  );

  const shownNote =
    points.length > drawn.length
      ? `Showing ${formatCompactCount(drawn.length)} of ${formatCompactCount(points.length)} templates: the highest scores and the most frequent.`
      : undefined;

  const boxButton = onBoxSelect ? (
    <button
      type="button"
      aria-pressed={boxMode}
      onClick={() => setBoxMode(!boxMode)}
      data-testid="map-box-mode"
      title="Draw a box to filter the viewer to the templates inside it (or drag with Shift)"
      style={{ ...SMALL_BUTTON, background: boxMode ? THEME.grid : 'transparent' }}
    >
      ⬚ Box
    </button>
  ) : undefined;
  const clearBox =
    boxSelected && onBoxSelect ? (
      <button type="button" style={SMALL_BUTTON} onClick={() => onBoxSelect(undefined)} title="Clear the box selection">
        ✕ {boxSelected.length}
      </button>
    ) : undefined;

  return (
    <ChartFrame
      title={`Template map${projection ? ` (${projection.toUpperCase()})` : ''}`}
      actions={
        points.length ? (
          <>
            {legend}
            {clearBox}
            {boxButton}
            {toggle}
          </>
        ) : (
          toggle
        )
      }
      note={shownNote}
      empty={points.length ? undefined : 'No templates to map yet.'}
    >
      <div
        style={{ position: 'absolute', inset: 0, cursor: boxMode ? 'crosshair' : undefined, touchAction: boxMode ? 'none' : undefined }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        data-testid="map-area"
      >
        <FittedChart minHeight={120}>
          <ScatterChart
            margin={{ ...MARGIN, top: 10, right: 10, bottom: 6, left: 6 }}
            title="Templates by similarity: size is record count, colour is score; click a dot to select its template"
          >
            <XAxis type="number" dataKey="x" domain={scale.x} hide allowDataOverflow />
            <YAxis type="number" dataKey="y" domain={scale.y} hide allowDataOverflow />
            <MapDots
              points={drawn}
              maxCount={scale.maxCount}
              minScore={scale.scores[0]}
              maxScore={scale.scores[1]}
              selectedTemplate={selectedTemplate}
              onSelectTemplate={onSelectTemplate}
              onHover={setHovered}
              positionsRef={positions}
              highlightTemplate={highlightTemplate}
              boxed={boxedSet}
            />
          </ScatterChart>
        </FittedChart>
        {box && (
          <div
            style={{
              position: 'absolute',
              left: Math.min(box.x0, box.x1),
              top: Math.min(box.y0, box.y1),
              width: Math.abs(box.x1 - box.x0),
              height: Math.abs(box.y1 - box.y0),
              border: `1px dashed ${THEME.fg}`,
              background: 'color-mix(in srgb, var(--accent) 12%, transparent)',
              pointerEvents: 'none',
            }}
          />
        )}
      </div>
      {hovered && <PointTooltip hovered={hovered} />}
    </ChartFrame>
  );
}

interface HoveredPoint {
  point: MapPoint;
  /** Pixel position of the dot in the chart, and the chart's width (to flip the tooltip near the right edge). */
  x: number;
  y: number;
  r: number;
  width: number;
}

interface MapDotsProps {
  points: MapPoint[];
  maxCount: number;
  minScore: number;
  maxScore: number;
  selectedTemplate?: number;
  onSelectTemplate(id: number): void;
  onHover(hovered: HoveredPoint | null): void;
  positionsRef: { current: DotPositions };
  highlightTemplate?: number;
  boxed?: Set<number>;
}

/**
 * The dots, drawn directly from the axis scales: one <circle> per template with no per-point wrappers,
 * so 2,000 dots cost 2,000 nodes and hovering (which re-renders only the tooltip) stays instant.
 */
const MapDots = memo(function MapDots({
  points,
  maxCount,
  minScore,
  maxScore,
  selectedTemplate,
  onSelectTemplate,
  onHover,
  positionsRef,
  highlightTemplate,
  boxed,
}: MapDotsProps) {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  const width = useChartWidth() ?? 0;
  // Where each dot is drawn, for the box selection (read on pointer up, so after layout is enough).
  useLayoutEffect(() => {
    if (!xScale || !yScale) return;
    const at: DotPositions = [];
    for (const p of points) {
      const x = xScale(p.x);
      const y = yScale(p.y);
      if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y)) at.push({ id: p.templateId, x, y });
    }
    positionsRef.current = at;
  });
  if (!xScale || !yScale) return null;
  const selected = points.find((p) => p.templateId === selectedTemplate);
  const highlighted = highlightTemplate !== selectedTemplate ? points.find((p) => p.templateId === highlightTemplate) : undefined;
  const dots = points.map((p) => {
    const cx = xScale(p.x);
    const cy = yScale(p.y);
    if (cx === undefined || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy)) return null;
    const r = sqrtRadius(p.count, maxCount);
    const dimmed = boxed !== undefined && !boxed.has(p.templateId);
    return (
      <circle
        key={p.templateId}
        cx={cx}
        cy={cy}
        r={r}
        fill={scoreColor(fractionOfValue(p.score, minScore, maxScore))}
        fillOpacity={dimmed ? 0.2 : 0.85}
        // A faint outline in the text colour keeps the darkest (lowest-score) dots visible on dark themes.
        stroke={THEME.fg}
        strokeOpacity={0.35}
        strokeWidth={0.75}
        onClick={() => onSelectTemplate(p.templateId)}
        onMouseEnter={() => onHover({ point: p, x: cx, y: cy, r, width })}
        onMouseLeave={() => onHover(null)}
      />
    );
  });
  // A ring around a dot (the selected one, the hovered one), only where the dot is on the axes.
  const ringAround = (p: MapPoint | undefined, gap: number, look: SVGProps<SVGCircleElement>, testId?: string) =>
    p && xScale(p.x) !== undefined && yScale(p.y) !== undefined ? (
      <circle
        cx={xScale(p.x)}
        cy={yScale(p.y)}
        r={sqrtRadius(p.count, maxCount) + gap}
        fill="none"
        stroke={THEME.fg}
        {...look}
        pointerEvents="none"
        data-testid={testId}
      />
    ) : null;
  const ring = ringAround(selected, 3, { strokeWidth: 2 });
  const hoverRing = ringAround(highlighted, 4, { strokeWidth: 1.5, strokeDasharray: '3 2' }, 'map-hover-ring');
  return (
    <ZIndexLayer zIndex={DefaultZIndexes.scatter}>
      <g style={{ cursor: 'pointer' }} role="list" aria-label={`${points.length} templates`}>
        {dots}
      </g>
      {ring}
      {hoverRing}
    </ZIndexLayer>
  );
});

function PointTooltip({ hovered }: { hovered: HoveredPoint }) {
  const { point, x, y, r, width } = hovered;
  const text = point.text.length > TEXT_PREVIEW ? `${point.text.slice(0, TEXT_PREVIEW)}…` : point.text;
  const onLeft = x > width * 0.55;
  const position: CSSProperties = {
    position: 'absolute',
    top: Math.max(0, y - 10),
    ...(onLeft ? { right: width - x + r + 8 } : { left: x + r + 8 }),
    zIndex: 1,
  };
  return (
    <div style={{ ...TOOLTIP_BOX, ...position }} role="tooltip">
      <div style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', wordBreak: 'break-word', marginBottom: 2 }}>
        {text}
      </div>
      <div>
        score <b>{formatScoreShort(point.score)}</b> <span style={TOOLTIP_MUTED}>·</span> {formatCompactCount(point.count)} records
        <span style={TOOLTIP_MUTED}> · template {point.templateId}</span>
      </div>
    </div>
  );
}
