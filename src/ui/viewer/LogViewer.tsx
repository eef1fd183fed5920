/**
 * The log itself, windowed: fixed-height rows, only the visible ones rendered, fetched page by page
 * from the worker, so millions of lines scroll as smoothly as a thousand. A score-coloured gutter
 * shows where the anomalies are; j / k walk them.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LogRow } from '../../core/analysis/types';
import { PAGE_SIZE } from '../../state/shape';
import { isFlagged } from '../../core/detect/threshold';
import { useLoupe } from '../../state/store';
import { scrollTopFor, viewerWindow } from '../../state/viewerWindow';
import { levelColor, scoreColor } from '../charts/palette';
import { useLineCutoff, useScoreScale } from '../derived';
import { formatCount, formatScore } from '../format';
import { BrushSummary } from './BrushSummary';
import { ViewerFilters } from './ViewerFilters';

const ROW_HEIGHT = 20;

function Highlighted({ text, query }: { text: string; query?: string }) {
  if (!query) return <>{text}</>;
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="hit">{text.slice(at, at + query.length)}</mark>
      {text.slice(at + query.length)}
    </>
  );
}

function Line(props: { row: LogRow; top: number; selected: boolean; above: boolean; sameTemplate: boolean; scale: number; query?: string; onSelect(record: number): void }) {
  const { row } = props;
  return (
    <div
      className={`log-row${props.selected ? ' selected' : ''}${props.above ? ' above' : ''}${props.sameTemplate ? ' same-template' : ''}`}
      style={{ top: props.top, height: ROW_HEIGHT }}
      onClick={() => props.onSelect(row.record)}
      data-record={row.record}
      role="row"
      aria-selected={props.selected}
    >
      <span className="gutter" style={{ background: scoreColor(props.scale) }} />
      <span className="ln">{row.lineNumber}</span>
      <span className="level" style={{ background: row.level ? levelColor(row.level) : 'transparent' }}>{row.level.slice(0, 5)}</span>
      <span className="score">{formatScore(row.score, 2)}</span>
      <span className="msg"><Highlighted text={row.raw} query={props.query} /></span>
    </div>
  );
}

export function LogViewer() {
  const rows = useLoupe((s) => s.rows);
  const filter = useLoupe((s) => s.filter);
  const jump = useLoupe((s) => s.jump);
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

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    setViewport(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  const win = viewerWindow(scrollTop, viewport, rows.total, ROW_HEIGHT);

  useEffect(() => {
    ensureRows(win.first, Math.max(win.end, win.first + 1));
  }, [ensureRows, win.first, win.end, rows.key]);

  // A new filter starts at the top (the scroll event then updates scrollTop).
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
    el.scrollTop = scrollTopFor(jump.position, el.clientHeight, rows.total, ROW_HEIGHT);
  }, [jump, rows.total]);

  const lines = [];
  for (let i = win.first; i < win.end; i++) {
    const row = rows.pages[Math.floor(i / PAGE_SIZE)]?.[i % PAGE_SIZE];
    const top = win.top + (i - win.first) * ROW_HEIGHT;
    if (!row) {
      lines.push(<div key={`p${i}`} className="log-row muted" style={{ top, height: ROW_HEIGHT }}><span /><span className="ln">…</span></div>);
      continue;
    }
    lines.push(
      <Line key={row.record} row={row} top={top} selected={row.record === selected} above={isFlagged(row.score, cutoff)} sameTemplate={row.templateId === selectedTemplate} scale={scale(row.score)} query={filter.text} onSelect={(r) => void selectRecord(r)} />,
    );
  }
  const loaded = rows.order.length > 0;
  return (
    <section className="panel viewer" data-testid="log-viewer">
      <ViewerFilters />
      <div ref={scroller} className="viewer-scroll" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} role="grid" aria-rowcount={rows.total} tabIndex={0}>
        <div style={{ height: win.scrollHeight, position: 'relative' }}>{lines}</div>
        {loaded && rows.total === 0 && <div className="empty muted">No lines match these filters.</div>}
      </div>
      <div className="viewer-foot">
        <span data-testid="viewer-total">{formatCount(rows.total)} of {formatCount(records)} lines</span>
        <BrushSummary />
        <span className="spacer" />
        <span><kbd>j</kbd> next anomaly · <kbd>k</kbd> previous</span>
      </div>
    </section>
  );
}
