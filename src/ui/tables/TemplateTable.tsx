/**
 * Templates with their counts, scores, first/last line, most severe level and (with a reference log)
 * whether they are new. Sortable by column, filtered by a text box; a click jumps the viewer.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import type { TemplateRow } from '../../core/analysis/types';
import { useLoupe } from '../../state/store';
import { levelColor } from '../charts/palette';
import { formatCount, formatScore } from '../format';
import { TemplateText } from './TemplateText';
import { useHover } from '../hover';
import { compareValues, type SortState } from './sorting';
import { SortableHeader, TableFilterBar } from './TableParts';

type Column = 'score' | 'count' | 'text' | 'level' | 'firstSeen' | 'lastSeen' | 'novel';
const SHOWN = 200;
const NO_TEMPLATES: TemplateRow[] = [];

export function TemplateTable() {
  // Deferred (empty at first mount): a new analysis renders this heavy panel in an interruptible
  // background render, so the page never freezes for one long task.
  const templates = useDeferredValue(
    useLoupe((s) => s.summary?.templates ?? NO_TEMPLATES),
    NO_TEMPLATES,
  );
  const referenceMode = useLoupe((s) => s.summary?.referenceMode ?? false);
  const flagTemplates = useLoupe((s) => s.summary?.settings.unit === 'template');
  const threshold = useLoupe((s) => s.threshold);
  const selected = useLoupe((s) => s.selection.template);
  const selectTemplate = useLoupe((s) => s.selectTemplate);
  const boxed = useLoupe((s) => s.filter.templateIds);
  const setHover = useHover((s) => s.setTemplate);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [sort, setSort] = useState<SortState<Column>>({ key: 'score', direction: -1 });

  const rows = useMemo(() => {
    const q = deferredQuery.trim().toLowerCase();
    // A box on the map narrows the table as it narrows the viewer.
    const inBox = boxed ? new Set(boxed) : undefined;
    const matching = templates.filter(
      (t) => (!inBox || inBox.has(t.id)) && (!q || t.text.toLowerCase().includes(q) || t.level.toLowerCase() === q),
    );
    return [...matching].sort((a, b) => sort.direction * compareValues(a[sort.key], b[sort.key]));
  }, [templates, deferredQuery, sort, boxed]);

  const head = (key: Column, label: string, width?: number | string, numeric = false) => (
    <SortableHeader column={key} label={label} sort={sort} onSort={setSort} width={width} numeric={numeric} />
  );

  return (
    <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      <TableFilterBar
        query={query}
        onQuery={setQuery}
        placeholder="Filter templates (text or level)"
        ariaLabel="Filter templates"
        matching={rows.length}
        total={templates.length}
      />
      <div className="table-wrap">
        <table className="grid" data-testid="template-table">
          <thead>
            <tr>
              {head('score', 'Score', 64, true)}
              {head('count', 'Count', 62, true)}
              {head('level', 'Level', 56)}
              {head('text', 'Template')}
              {head('firstSeen', 'First', 62, true)}
              {head('lastSeen', 'Last', 62, true)}
              {referenceMode && head('novel', 'New', 48)}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN).map((t) => (
              <tr
                key={t.id}
                className={t.id === selected ? 'selected' : undefined}
                onClick={() => void selectTemplate(t.id)}
                title={t.text}
                onMouseEnter={() => setHover(t.id)}
                onMouseLeave={() => setHover(undefined)}
              >
                <td className={`num${flagTemplates && t.score >= threshold ? ' flagged' : ''}`}>{formatScore(t.score)}</td>
                <td className="num">{formatCount(t.count)}</td>
                <td>
                  {t.level && (
                    <span className="badge" style={{ background: levelColor(t.level) }}>
                      {t.level}
                    </span>
                  )}
                </td>
                <td className="mono">
                  <TemplateText text={t.text} />
                </td>
                <td className="num" title="Line of the first match">
                  {formatCount(t.firstSeen + 1)}
                </td>
                <td className="num" title="Line of the last match">
                  {formatCount(t.lastSeen + 1)}
                </td>
                {referenceMode && <td>{t.novel && <span className="badge novel">NEW</span>}</td>}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > SHOWN && (
          <p className="hint" style={{ padding: '0 8px' }}>
            Showing the first {SHOWN}; refine the filter to see the rest.
          </p>
        )}
        {templates.length === 0 && (
          <p className="hint" style={{ padding: 8 }}>
            No templates yet: open a log.
          </p>
        )}
      </div>
    </div>
  );
}
