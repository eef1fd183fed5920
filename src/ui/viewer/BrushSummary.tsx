/** What the brushed timeline range holds: lines and flagged lines, with a jump to its start. */
import { useLoupe } from '../../state/store';
import { formatCount, formatDateTime } from '../format';

export function BrushSummary() {
  const range = useLoupe((s) => s.selection.range);
  const timed = useLoupe((s) => s.summary?.timed ?? false);
  const buckets = useLoupe((s) => s.thresholdView?.timeline ?? s.summary?.timeline);
  const brushRange = useLoupe((s) => s.brushRange);
  const selectRecord = useLoupe((s) => s.selectRecord);
  if (!range || !buckets) return null;
  const [start, end] = range;
  const inside = buckets.filter((b) => b.end > start && b.start <= end);
  const lines = inside.reduce((n, b) => n + Object.values(b.levels).reduce((a, c) => a + c, 0), 0);
  const flagged = inside.reduce((n, b) => n + b.countAbove, 0);
  const show = (x: number) => (timed ? formatDateTime(x) : `line ${formatCount(x + 1)}`);
  return (
    <span data-testid="brush-summary">
      brushed {show(start)} – {show(end)}: <b>{formatCount(lines)}</b> lines, <b className="flagged">{formatCount(flagged)}</b> flagged{' '}
      {inside.length > 0 && (
        <button className="btn small" onClick={() => void selectRecord(inside[0].firstRecord, { jump: true })}>
          go to start
        </button>
      )}{' '}
      <button className="btn small ghost" onClick={() => brushRange(undefined)} aria-label="Clear brushed range">
        ✕
      </button>
    </span>
  );
}
