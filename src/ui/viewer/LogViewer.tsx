/**
 * The log itself, windowed: fixed-height rows (one line, or two when wrapped), only the visible
 * ones rendered, fetched page by page from the worker, so millions of lines scroll as smoothly as
 * a thousand. Rows are in file order or most anomalous first; a click on a selected row's message
 * expands it in place. A score-coloured gutter shows where the anomalies are; keys: see keys.ts.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { compileSearch, type Search } from '../../core/analysis/search';
import type { LogRow } from '../../core/analysis/types';
import { PAGE_SIZE } from '../../state/shape';
import { isFlagged } from '../../core/detect/threshold';
import { useLoupe } from '../../state/store';
import { scrollTopFor, viewerWindow } from '../../state/viewerWindow';
import { levelColor, scoreColor } from '../charts/palette';
import { useLineCutoff, useScoreScale } from '../derived';
import { formatCount, formatScore } from '../format';
import { useHover } from '../hover';
import { BrushSummary } from './BrushSummary';
import { ViewerFilters } from './ViewerFilters';
import { VerdictMark } from '../labels/LabelControls';

const LINE_HEIGHT = 20;
/** Lines of a wrapped row. */
const WRAPPED_LINES = 2;
/** Characters drawn per row: a 1 MB line is cut for display (the detail panel and expansion show more). */
const SHOWN_CHARS = 4000;
const EXPANDED_CHARS = 200_000;
/** Tallest an expanded row grows; beyond it scrolls inside. */
const MAX_EXPANDED = 320;

function Highlighted({ text, search }: { text: string; search?: Search }) {
  const spans = search ? search.highlights(text) : [];
  if (spans.length === 0) return <>{text}</>;
  const parts = [];
  let at = 0;
  for (const [from, to] of spans) {
    if (from > at) parts.push(text.slice(at, from));
    parts.push(
      <mark className="hit" key={from}>
        {text.slice(from, to)}
      </mark>,
    );
    at = to;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

interface LineProps {
  row: LogRow;
  top: number;
  height: number;
  selected: boolean;
  expanded: boolean;
  above: boolean;
  sameTemplate: boolean;
  scale: number;
  search?: Search;
  headerFields: boolean;
  wrap: boolean;
  onSelect(record: number): void;
  onExpand(record: number | null): void;
  onMeasure(extra: number): void;
}

function Line(props: LineProps) {
  const { row, expanded } = props;
  const setHover = useHover((s) => s.setTemplate);
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (expanded && ref.current) props.onMeasure(Math.max(0, ref.current.scrollHeight - props.height));
  });
  const text = props.headerFields ? row.raw : row.message || row.raw;
  const limit = expanded ? EXPANDED_CHARS : SHOWN_CHARS;
  const shown = text.length > limit ? `${text.slice(0, limit)}…` : text;
  const classes = [
    'log-row',
    props.selected && 'selected',
    props.above && 'above',
    props.sameTemplate && 'same-template',
    props.wrap && 'wrapped',
    expanded && 'expanded',
    !props.headerFields && 'folded',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      ref={ref}
      className={classes}
      style={{ top: props.top, height: expanded ? undefined : props.height, maxHeight: expanded ? MAX_EXPANDED : undefined }}
      onClick={() => props.onSelect(row.record)}
      onMouseEnter={() => setHover(row.templateId)}
      onMouseLeave={() => setHover(undefined)}
      data-record={row.record}
      role="row"
      aria-selected={props.selected}
      aria-expanded={expanded}
    >
      <span className="gutter" style={{ background: scoreColor(props.scale) }} />
      <span className="ln">
        <VerdictMark subject={{ target: 'line', row }} />
        {row.lineNumber}
      </span>
      {props.headerFields && (
        <span className="level" style={{ background: row.level ? levelColor(row.level) : 'transparent' }}>
          {row.level.slice(0, 5)}
        </span>
      )}
      <span className="score">{formatScore(row.score, 2)}</span>
      <span
        className="msg"
        title={props.selected && !expanded ? 'Click to expand this line' : undefined}
        onClick={(e) => {
          // A click on the selected line's message expands (or folds) it in place.
          if (!props.selected) return;
          e.stopPropagation();
          props.onExpand(expanded ? null : row.record);
        }}
      >
        <Highlighted text={shown} search={props.search} />
        {expanded && text.length > limit && (
          <span className="muted">
            {' '}
            (cut at {formatCount(limit)} characters; {formatCount(text.length)} in all)
          </span>
        )}
      </span>
    </div>
  );
}

export function LogViewer() {
  const rows = useLoupe((s) => s.rows);
  const filter = useLoupe((s) => s.filter);
  const jump = useLoupe((s) => s.jump);
  const layout = useLoupe((s) => s.viewerLayout);
  const cutoff = useLineCutoff();
  const selected = useLoupe((s) => s.selection.record);
  const selectedTemplate = useLoupe((s) => s.selection.template);
  const ensureRows = useLoupe((s) => s.ensureRows);
  const selectRecord = useLoupe((s) => s.selectRecord);
  const records = useLoupe((s) => s.summary?.records ?? 0);
  const scale = useScoreScale();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(400);
  const [expanded, setExpanded] = useState<number | null>(null);
  const [extra, setExtra] = useState(0);
  // Wrapped rows: two 18 px lines and a little air (longer messages end with …; click to expand).
  const rowHeight = layout.wrap ? 18 * WRAPPED_LINES + 4 : LINE_HEIGHT;

  const search = useMemo(() => {
    if (filter.negate) return undefined;
    try {
      return compileSearch(filter.text ?? '', filter.regex);
    } catch {
      return undefined;
    }
  }, [filter.text, filter.regex, filter.negate]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    setViewport(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Only the selected line stays expanded.
  if (expanded !== null && expanded !== selected) {
    setExpanded(null);
    setExtra(0);
  }

  const win = viewerWindow(scrollTop, viewport, rows.total, rowHeight);

  useEffect(() => {
    ensureRows(win.first, Math.max(win.end, win.first + 1));
  }, [ensureRows, win.first, win.end, rows.key]);

  // A new filter or order starts at the top (the scroll event then updates scrollTop).
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [rows.key]);

  // A jump waits until the rows' total is known (a fresh filter has none yet), then scrolls once;
  // later page arrivals must not pull the analyst back.
  const appliedJump = useRef(0);
  useEffect(() => {
    const el = scroller.current;
    if (!jump || !el || appliedJump.current === jump.nonce || rows.total <= jump.position) return;
    appliedJump.current = jump.nonce;
    const wanted = scrollTopFor(jump.position, el.clientHeight, rows.total, rowHeight);
    // Keys walk line by line: scroll only when the line is out of view.
    const rowTop = jump.position * rowHeight;
    if (rowTop < el.scrollTop || rowTop + rowHeight > el.scrollTop + el.clientHeight || win.scrollHeight >= 8_000_000)
      el.scrollTop = wanted;
  }, [jump, rows.total, rowHeight, win.scrollHeight]);

  const lines = [];
  let shift = 0;
  for (let i = win.first; i < win.end; i++) {
    const row = rows.pages[Math.floor(i / PAGE_SIZE)]?.[i % PAGE_SIZE];
    const top = win.top + (i - win.first) * rowHeight + shift;
    if (!row) {
      lines.push(
        <div key={`p${i}`} className="log-row muted" style={{ top, height: rowHeight }}>
          <span />
          <span className="ln">…</span>
        </div>,
      );
      continue;
    }
    const isExpanded = row.record === expanded;
    lines.push(
      <Line
        key={row.record}
        row={row}
        top={top}
        height={rowHeight}
        selected={row.record === selected}
        expanded={isExpanded}
        above={isFlagged(row.score, cutoff)}
        sameTemplate={row.templateId === selectedTemplate}
        scale={scale(row.score)}
        search={search}
        headerFields={layout.headerFields}
        wrap={layout.wrap}
        onSelect={(r) => void selectRecord(r)}
        onExpand={setExpanded}
        onMeasure={(x) => x !== extra && setExtra(x)}
      />,
    );
    if (isExpanded) shift += extra;
  }
  const loaded = rows.order.length > 0;
  return (
    <section className="panel viewer" data-testid="log-viewer">
      <ViewerFilters />
      <div
        ref={scroller}
        className="viewer-scroll"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        role="grid"
        aria-rowcount={rows.total}
        tabIndex={0}
      >
        <div style={{ height: win.scrollHeight + (expanded !== null ? extra : 0), position: 'relative' }}>{lines}</div>
        {loaded && rows.total === 0 && <div className="empty muted">No lines match these filters.</div>}
      </div>
      <div className="viewer-foot">
        <span data-testid="viewer-total">
          {formatCount(rows.total)} of {formatCount(records)} lines
        </span>
        {filter.order === 'score' && <span>most anomalous first</span>}
        <BrushSummary />
        <span className="spacer" />
        <span>
          <kbd>j</kbd>/<kbd>k</kbd> flagged lines · <kbd>?</kbd> all keys
        </span>
      </div>
    </section>
  );
}
