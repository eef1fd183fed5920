/**
 * Map of templates: their vectors projected to 2-D, one dot per template, area by record count (sqrt scale),
 * colour by score (viridis). Templates that look alike sit together; anomalous ones are drawn on top.
 * At most MAX_POINTS dots are drawn (the selected one, the highest scores, then the most frequent).
 */
import { useMemo } from 'react';
import { ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type ScatterShapeProps } from 'recharts';
import type { MapPoint } from '../../core/analysis/types';
import { MARGIN, SMALL_BUTTON, TOOLTIP_BOX, TOOLTIP_MUTED } from './chartStyle';
import { ChartFrame } from './ChartFrame';
import { THEME, scoreColor, scoreGradientCss } from './palette';
import { extent, fractionOfValue, mapPointsToDraw, padExtent, sqrtRadius } from './scales';
import { formatCount, formatScore } from './timeline';

export type MapProjection = 'pca' | 'umap';

export interface EmbeddingMapProps {
  points: MapPoint[];
  selectedTemplate?: number;
  onSelectTemplate(id: number): void;
  /** Current projection; with `onProjectionChange` the frame shows a PCA / UMAP toggle. */
  projection?: MapProjection;
  onProjectionChange?(projection: MapProjection): void;
}

const MAX_POINTS = 2000;
const TEXT_PREVIEW = 240;

export function EmbeddingMap({ points, selectedTemplate, onSelectTemplate, projection, onProjectionChange }: EmbeddingMapProps) {
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

  const renderDot = (props: ScatterShapeProps) => {
    const p = props.payload as MapPoint | undefined;
    if (!p || props.cx == null || props.cy == null) return <g />;
    const selected = p.templateId === selectedTemplate;
    const r = sqrtRadius(p.count, scale.maxCount);
    return (
      <circle
        cx={props.cx}
        cy={props.cy}
        r={selected ? r + 2 : r}
        fill={scoreColor(fractionOfValue(p.score, scale.scores[0], scale.scores[1]))}
        fillOpacity={selected ? 1 : 0.85}
        stroke={selected ? THEME.fg : THEME.bg}
        strokeWidth={selected ? 2.5 : 0.75}
        style={{ cursor: 'pointer' }}
        onClick={() => onSelectTemplate(p.templateId)}
      />
    );
  };

  const toggle = onProjectionChange ? (
    <span role="group" aria-label="Projection" style={{ display: 'inline-flex' }}>
      {(['pca', 'umap'] as const).map((kind) => (
        <button
          key={kind}
          type="button"
          aria-pressed={projection === kind}
          onClick={() => onProjectionChange(kind)}
          style={{ ...SMALL_BUTTON, borderRadius: kind === 'pca' ? '3px 0 0 3px' : '0 3px 3px 0', background: projection === kind ? THEME.grid : 'transparent' }}
        >
          {kind.toUpperCase()}
        </button>
      ))}
    </span>
  ) : undefined;

  const legend = (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontSize: 11, color: THEME.muted }} aria-label="Colour: score from low to high">
      {formatScore(scale.scores[0])}
      <span style={{ width: 56, height: 8, borderRadius: 2, background: scoreGradientCss() }} />
      {formatScore(scale.scores[1])}
    </span>
  );

  const shownNote = points.length > drawn.length
    ? `Showing ${formatCount(drawn.length)} of ${formatCount(points.length)} templates: the highest scores and the most frequent.`
    : undefined;

  return (
    <ChartFrame
      title={`Template map${projection ? ` (${projection.toUpperCase()})` : ''} · ${formatCount(points.length)} templates`}
      actions={points.length ? <>{legend}{toggle}</> : toggle}
      note={shownNote}
      empty={points.length ? undefined : 'No templates to map yet.'}
    >
      <ResponsiveContainer width="100%" height="100%" minHeight={120}>
        <ScatterChart margin={{ ...MARGIN, top: 10, right: 10, bottom: 6, left: 6 }} title="Templates by similarity: size is record count, colour is score; click a dot to select its template">
          <XAxis type="number" dataKey="x" domain={scale.x} hide allowDataOverflow />
          <YAxis type="number" dataKey="y" domain={scale.y} hide allowDataOverflow />
          <Scatter data={drawn} shape={renderDot} isAnimationActive={false} />
          <Tooltip content={({ active, payload }) => <PointTooltip active={active} point={payload?.[0]?.payload as MapPoint | undefined} />} cursor={false} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

function PointTooltip({ active, point }: { active?: boolean; point?: MapPoint }) {
  if (!active || !point) return null;
  const text = point.text.length > TEXT_PREVIEW ? `${point.text.slice(0, TEXT_PREVIEW)}…` : point.text;
  return (
    <div style={TOOLTIP_BOX}>
      <div style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', wordBreak: 'break-word', marginBottom: 2 }}>{text}</div>
      <div>
        score <b>{formatScore(point.score)}</b> <span style={TOOLTIP_MUTED}>·</span> {formatCount(point.count)} records
        <span style={TOOLTIP_MUTED}> · template {point.templateId}</span>
      </div>
    </div>
  );
}
