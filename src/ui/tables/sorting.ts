/** Column sorting shared by the tables. */
export type SortDirection = 1 | -1;

export interface SortState<K extends string> {
  key: K;
  direction: SortDirection;
}

/** Clicking the sorted column flips it; another column starts descending (largest, latest first). */
export function nextSort<K extends string>(current: SortState<K>, key: K): SortState<K> {
  return current.key === key ? { key, direction: current.direction === 1 ? -1 : 1 } : { key, direction: -1 };
}

export function compareValues(a: number | string | boolean, b: number | string | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') {
    // NaN sorts last whichever the direction.
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return a - b;
  }
  return String(a).localeCompare(String(b));
}

export function sortArrow<K extends string>(sort: SortState<K>, key: K): string {
  return sort.key === key ? (sort.direction === -1 ? ' ▾' : ' ▴') : '';
}
