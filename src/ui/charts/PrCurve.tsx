/**
 * Precision-recall curve against the loaded labels, AP in the title and the current threshold's operating
 * point marked. The curve is drawn as steps (precision holds until recall next rises), as AP sums it.
 */
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceDot, Tooltip, XAxis, YAxis } from 'recharts';
import type { Metrics } from '../../core/analysis/types';
import { BASE_AXIS, MARGIN, TOOLTIP_BOX, VALUE_AXIS } from './chartStyle';
import { ChartFrame } from './ChartFrame';
import { ANOMALY_COLOR, LEVEL_COLORS, THEME } from './palette';
import { thinPrCurve, type PrPoint } from './scales';
import { formatScoreShort } from '../format';
import { FittedChart } from './FittedChart';

export interface PrCurveProps {
  /** Undefined when no labels are loaded: the chart shows how to get them. */
  metrics?: Metrics;
}

const MAX_POINTS = 600;
const TICKS = [0, 0.25, 0.5, 0.75, 1];
const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—');

export function PrCurve({ metrics }: PrCurveProps) {
  const curve = useMemo(() => thinPrCurve(metrics?.pr ?? [], MAX_POINTS), [metrics?.pr]);

  if (!metrics || curve.length === 0) {
    return <ChartFrame title="Precision–recall" empty="No labels: load a labels CSV to see precision/recall" />;
  }
  const title = `Precision–recall · AP ${fmt(metrics.ap)} · ${metrics.unit}s, ${metrics.detector}`;
  const note =
    `At threshold ${formatScoreShort(metrics.threshold)}: precision ${fmt(metrics.precision)}, recall ${fmt(metrics.recall)}, ` +
    `F1 ${fmt(metrics.f1)} (best ${fmt(metrics.bestF1)}) · AUROC ${fmt(metrics.auroc)}`;
  const operating = Number.isFinite(metrics.recall) && Number.isFinite(metrics.precision);

  return (
    <ChartFrame title={title} note={note}>
      <FittedChart minHeight={100}>
        <LineChart data={curve} margin={{ ...MARGIN, right: 12, top: 8 }} title={`${title}. ${note}`}>
          <CartesianGrid stroke={THEME.grid} strokeDasharray="2 3" />
          <XAxis
            type="number"
            dataKey="recall"
            domain={[0, 1]}
            ticks={TICKS}
            {...BASE_AXIS}
            height={30}
            label={{ value: 'recall', position: 'insideBottom', offset: 0, fill: THEME.muted, fontSize: 11 }}
          />
          <YAxis
            type="number"
            domain={[0, 1]}
            ticks={TICKS}
            {...VALUE_AXIS}
            label={{ value: 'precision', angle: -90, position: 'insideLeft', offset: 10, fill: THEME.muted, fontSize: 11 }}
          />
          <Line
            dataKey="precision"
            type="stepBefore"
            stroke={LEVEL_COLORS.INFO}
            strokeWidth={1.75}
            dot={false}
            activeDot={{ r: 3 }}
            isAnimationActive={false}
          />
          {operating && (
            <ReferenceDot
              x={metrics.recall}
              y={metrics.precision}
              r={5}
              fill={ANOMALY_COLOR}
              stroke={THEME.bg}
              strokeWidth={1.5}
              label={{ value: 'threshold', position: 'top', fill: THEME.fg, fontSize: 11 }}
            />
          )}
          <Tooltip
            content={({ active, payload }) => {
              const p = payload?.[0]?.payload as PrPoint | undefined;
              if (!active || !p) return null;
              return (
                <div style={TOOLTIP_BOX}>
                  recall {fmt(p.recall)} · precision {fmt(p.precision)}
                </div>
              );
            }}
            isAnimationActive={false}
          />
        </LineChart>
      </FittedChart>
    </ChartFrame>
  );
}
