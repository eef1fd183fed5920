/** Shared look of the charts: compact margins, 11px ticks in the theme's muted colour, no chart junk. */
import type { CSSProperties } from 'react';
import { THEME } from './palette';

export const TICK = { fill: THEME.muted, fontSize: 11 } as const;
export const AXIS_LINE = { stroke: THEME.grid } as const;
export const MARGIN = { top: 6, right: 4, bottom: 0, left: 0 } as const;
/** Width of a numeric Y axis; equal widths keep stacked charts' plot areas aligned. */
export const Y_AXIS_WIDTH = 44;
/** What every value (Y) axis shares: aligned width, muted ticks, no axis line, no tick marks. */
export const VALUE_AXIS = { width: Y_AXIS_WIDTH, tick: TICK, axisLine: false, tickLine: false } as const;
/** A filled series without an outline, hover dot or animation (one SVG path, instant redraws). */
export const PLAIN_AREA = { stroke: 'none', activeDot: false, isAnimationActive: false } as const;
/** What every horizontal axis shares: muted ticks on a grid-coloured line, no tick marks. */
export const BASE_AXIS = { tick: TICK, axisLine: AXIS_LINE, tickLine: false } as const;

export const TOOLTIP_BOX: CSSProperties = {
  background: THEME.bg,
  color: THEME.fg,
  border: `1px solid ${THEME.grid}`,
  borderRadius: 4,
  padding: '6px 8px',
  fontSize: 12,
  lineHeight: 1.4,
  boxShadow: '0 2px 8px rgba(0, 0, 0, 0.15)',
  maxWidth: 420,
  pointerEvents: 'none',
};

export const TOOLTIP_MUTED: CSSProperties = { color: THEME.muted };

export const SMALL_BUTTON: CSSProperties = {
  font: 'inherit',
  fontSize: 11,
  color: THEME.fg,
  background: 'transparent',
  border: `1px solid ${THEME.grid}`,
  borderRadius: 3,
  padding: '1px 6px',
  cursor: 'pointer',
};
