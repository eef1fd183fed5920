/**
 * The pieces the session and template tables have in common: a sortable column header and the
 * filter bar above the table (search box, extra controls, "N of M"). One place for their markup.
 */
import type { ReactNode } from 'react';
import { formatCount } from '../format';
import { nextSort, sortArrow, type SortState } from './sorting';

interface SortableHeaderProps<K extends string> {
  column: K;
  label: string;
  sort: SortState<K>;
  onSort(sort: SortState<K>): void;
  width?: number | string;
  /** Right-aligned like the numbers below it. */
  numeric?: boolean;
}

/** A column header: a click sorts by it (again: flips the direction). */
export function SortableHeader<K extends string>({ column, label, sort, onSort, width, numeric = false }: SortableHeaderProps<K>) {
  return (
    <th
      style={{ width }}
      className={numeric ? 'num' : undefined}
      onClick={() => onSort(nextSort(sort, column))}
      aria-sort={sort.key === column ? (sort.direction === 1 ? 'ascending' : 'descending') : 'none'}
    >
      {label}
      {sortArrow(sort, column)}
    </th>
  );
}

interface TableFilterBarProps {
  query: string;
  onQuery(query: string): void;
  placeholder: string;
  ariaLabel: string;
  /** Rows matching the filter, and all rows. */
  matching: number;
  total: number;
  /** Controls between the search box and the count. */
  children?: ReactNode;
}

export function TableFilterBar({ query, onQuery, placeholder, ariaLabel, matching, total, children }: TableFilterBarProps) {
  return (
    <div className="viewer-filters">
      <input
        type="search"
        placeholder={placeholder}
        value={query}
        onChange={(e) => onQuery(e.currentTarget.value)}
        aria-label={ariaLabel}
      />
      {children}
      <span className="muted">
        {formatCount(matching)} of {formatCount(total)}
      </span>
    </div>
  );
}
