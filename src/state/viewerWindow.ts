/**
 * Windowing for the log viewer: which rows are visible for a scroll position. Rows have a fixed
 * height; past a few million rows the scroll area would exceed what browsers can lay out, so the
 * scroll position is then mapped proportionally onto the row range.
 */

/** Browsers cap element heights (Chromium ≈ 33.5M px); stay well below. */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface ViewerWindow {
  /** Height of the scroll content. */
  scrollHeight: number;
  /** First rendered row and one past the last. */
  first: number;
  end: number;
  /** Where, inside the scroll content, the first rendered row is drawn. */
  top: number;
}

export function scrollHeightFor(total: number, rowHeight: number): number {
  return Math.min(total * rowHeight, MAX_SCROLL_HEIGHT);
}

/** Fractional row at the top of the viewport for a scroll position. */
function topRowAt(scrollTop: number, total: number, rowHeight: number, viewportHeight: number): number {
  const natural = total * rowHeight;
  const height = scrollHeightFor(total, rowHeight);
  if (natural <= height) return scrollTop / rowHeight;
  const maxScroll = Math.max(height - viewportHeight, 1);
  const maxTopRow = Math.max(total - viewportHeight / rowHeight, 0);
  return (Math.min(scrollTop, maxScroll) / maxScroll) * maxTopRow;
}

export function viewerWindow(scrollTop: number, viewportHeight: number, total: number, rowHeight: number, overscan = 10): ViewerWindow {
  const scrollHeight = scrollHeightFor(total, rowHeight);
  if (total === 0) return { scrollHeight: 0, first: 0, end: 0, top: 0 };
  const topRow = topRowAt(Math.max(scrollTop, 0), total, rowHeight, viewportHeight);
  const first = Math.max(Math.floor(topRow) - overscan, 0);
  const end = Math.min(Math.ceil(topRow + viewportHeight / rowHeight) + overscan, total);
  // Rows are drawn at their true offset relative to the viewport, whatever the scaling.
  const top = Math.max(scrollTop, 0) - (topRow - first) * rowHeight;
  return { scrollHeight, first, end, top };
}

/** The scroll position that puts `row` near the top third of the viewport. */
export function scrollTopFor(row: number, viewportHeight: number, total: number, rowHeight: number): number {
  const target = Math.max(row - Math.floor(viewportHeight / rowHeight / 3), 0);
  const natural = total * rowHeight;
  const height = scrollHeightFor(total, rowHeight);
  if (natural <= height) return target * rowHeight;
  const maxScroll = Math.max(height - viewportHeight, 1);
  const maxTopRow = Math.max(total - viewportHeight / rowHeight, 1);
  return (Math.min(target, maxTopRow) / maxTopRow) * maxScroll;
}

export function pagesFor(first: number, end: number, pageSize: number): number[] {
  if (end <= first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}
