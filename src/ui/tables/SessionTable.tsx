/** Sessions (e.g. HDFS blocks) with length, score and label; a click shows the session's lines. */
import { useDeferredValue, useMemo, useState } from 'react';
import type { UnitRow } from '../../core/analysis/types';
import { useLoupe } from '../../state/store';
import { formatCount, formatScore } from '../format';
import { compareValues, type SortState } from './sorting';
import { SortableHeader, TableFilterBar } from './TableParts';

type Column = 'id' | 'count' | 'score' | 'label';
const SHOWN = 200;
const NO_SESSIONS: UnitRow[] = [];
const LABELS: Record<number, string> = { 1: 'anomaly', 0: 'normal' };

export function SessionTable() {
  // Deferred (empty at first mount): a new analysis renders this heavy panel in an interruptible
  // background render, so the page never freezes for one long task.
  const sessions = useDeferredValue(
    useLoupe((s) => s.summary?.sessions ?? NO_SESSIONS),
    NO_SESSIONS,
  );
  const flagSessions = useLoupe((s) => s.summary?.settings.unit === 'session');
  const threshold = useLoupe((s) => s.threshold);
  const selected = useLoupe((s) => s.selection.session);
  const selectSession = useLoupe((s) => s.selectSession);
  const boxed = useLoupe((s) => s.filter.templateIds);
  const boxedSessions = useLoupe((s) => s.boxedSessions);
  // The map's box: only sessions holding one of its templates (once the worker has said which).
  const holding = useMemo(
    () => (boxed && boxedSessions?.templateIds === boxed ? new Set(boxedSessions.ids) : undefined),
    [boxed, boxedSessions],
  );
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortState<Column>>({ key: 'score', direction: -1 });
  const rows = useMemo(() => {
    const q = query.trim();
    const matching = sessions.filter((s) => (!q || s.id.includes(q)) && (!holding || holding.has(s.id)));
    return matching.sort((a, b) => sort.direction * compareValues(a[sort.key], b[sort.key]));
  }, [sessions, query, sort, holding]);
  const head = (key: Column, label: string, width?: number) => (
    <SortableHeader column={key} label={label} sort={sort} onSort={setSort} width={width} />
  );
  return (
    <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      <TableFilterBar
        query={query}
        onQuery={setQuery}
        placeholder="Filter sessions by id"
        ariaLabel="Filter sessions"
        matching={rows.length}
        total={sessions.length}
      >
        {holding && <span className="muted">holding templates boxed on the map</span>}
        {selected && (
          <button className="btn small" onClick={() => selectSession(undefined)}>
            Show all lines
          </button>
        )}
      </TableFilterBar>
      <div className="table-wrap">
        <table className="grid" data-testid="session-table">
          <thead>
            <tr>
              {head('id', 'Session')}
              {head('count', 'Lines', 64)}
              {head('score', 'Score', 64)}
              {head('label', 'Label', 70)}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN).map((s) => (
              <tr key={s.index} className={s.id === selected ? 'selected' : undefined} onClick={() => selectSession(s.id)}>
                <td className="mono" title={s.id}>
                  {s.id}
                </td>
                <td className="num">{formatCount(s.count)}</td>
                <td className={`num${flagSessions && s.score >= threshold ? ' flagged' : ''}`}>{formatScore(s.score)}</td>
                <td className={s.label === 1 ? 'flagged' : 'muted'}>{LABELS[s.label] ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {sessions.length === 0 && (
          <p className="hint" style={{ padding: 8 }}>
            No sessions in this log. Set a session-id regex in Settings to group lines.
          </p>
        )}
      </div>
    </div>
  );
}
