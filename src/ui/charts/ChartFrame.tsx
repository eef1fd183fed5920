/**
 * The frame every chart sits in: a titled figure filling the height its panel gives it, an optional
 * note line, and an empty state in place of the chart when there is nothing to draw.
 */
import { useId, type ReactNode } from 'react';
import { THEME } from './palette';

interface ChartFrameProps {
  title: ReactNode;
  /** Controls shown at the right of the title (toggles, reset zoom...). */
  actions?: ReactNode;
  /** A short line under the title (e.g. why the x axis is record order). */
  note?: ReactNode;
  /** When set, shown instead of the chart. */
  empty?: ReactNode;
  /**
   * With `empty`: mount the chart anyway, invisible under the empty state, so that the task which
   * later hands it data only updates it (a recharts chart's first mount and first data together
   * were the longest main-thread tasks at first scores).
   */
  mountHidden?: boolean;
  children?: ReactNode;
}

export function ChartFrame({ title, actions, note, empty, mountHidden, children }: ChartFrameProps) {
  const titleId = useId();
  return (
    <figure
      aria-labelledby={titleId}
      style={{ margin: 0, height: '100%', minHeight: 0, display: 'flex', flexDirection: 'column', color: THEME.fg, fontSize: 12 }}
    >
      <figcaption style={{ display: 'flex', alignItems: 'center', gap: 8, minHeight: 20, padding: '0 2px 2px' }}>
        <span
          id={titleId}
          style={{
            fontWeight: 600,
            fontSize: 12,
            flex: '1 1 0',
            width: 0,
            minWidth: 0,
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
          }}
        >
          {title}
        </span>
        {actions && <span style={{ display: 'flex', alignItems: 'center', gap: 6, flex: 'none' }}>{actions}</span>}
      </figcaption>
      {note && <div style={{ color: THEME.muted, fontSize: 11, padding: '0 2px 2px' }}>{note}</div>}
      <div style={{ flex: '1 1 0', minHeight: 0, position: 'relative' }}>
        {empty && (
          <div
            role="status"
            style={{
              boxSizing: 'border-box',
              height: '100%',
              minHeight: 60,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              textAlign: 'center',
              color: THEME.muted,
              padding: 8,
              border: `1px dashed ${THEME.grid}`,
              borderRadius: 4,
            }}
          >
            {empty}
          </div>
        )}
        {(!empty || mountHidden) && (
          // Absolutely placed: the chart takes the panel's size and never pushes the panel wider or taller
          // (a chart measured at one size would otherwise stop its grid or flex cell from shrinking).
          // Second child whether or not the empty state is shown: the chart stays mounted when data comes.
          <div style={{ position: 'absolute', inset: 0, visibility: empty ? 'hidden' : undefined }} aria-hidden={empty ? true : undefined}>
            {children}
          </div>
        )}
      </div>
    </figure>
  );
}
