/**
 * What narrows and orders the viewer's rows: the search (words, -word, "phrases", or a regular
 * expression with .*; "not" keeps the lines that do not match), flagged only, a score range,
 * level, template and session, the order (file or score) and the layout (wrap, header fields).
 * The match count shows as soon as the worker answers.
 */
import { useEffect, useMemo, useState } from 'react';
import { compileSearch } from '../../core/analysis/search';
import { LEVELS } from '../../core/parse/level';
import { useLoupe } from '../../state/store';
import { formatCount } from '../format';

/** The error of an invalid search, or undefined. */
function searchProblem(text: string, regex: boolean): string | undefined {
  try {
    compileSearch(text, regex);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function ScoreBound({ label, value, onCommit }: { label: string; value?: number; onCommit(v: number | undefined): void }) {
  const [draft, setDraft] = useState(value === undefined ? '' : String(value));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setDraft(value === undefined ? '' : String(value));
  }
  const commit = () => {
    const v = Number(draft);
    onCommit(draft.trim() === '' || !Number.isFinite(v) ? undefined : v);
  };
  return (
    <input
      type="number"
      step={0.01}
      value={draft}
      aria-label={label}
      placeholder={label.startsWith('min') ? 'min' : 'max'}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

export function ViewerFilters() {
  const filter = useLoupe((s) => s.filter);
  const setFilter = useLoupe((s) => s.setFilter);
  const clearFilter = useLoupe((s) => s.clearFilter);
  const threshold = useLoupe((s) => s.threshold);
  const templates = useLoupe((s) => s.summary?.templates);
  const selectedTemplate = useLoupe((s) => s.selection.template);
  const total = useLoupe((s) => (s.rows.order.length > 0 ? s.rows.total : undefined));
  const layout = useLoupe((s) => s.viewerLayout);
  const setLayout = useLoupe((s) => s.setViewerLayout);
  const setOrder = useLoupe((s) => s.setOrder);
  const selectMapTemplates = useLoupe((s) => s.selectMapTemplates);
  const [text, setText] = useState(filter.text ?? '');
  const regex = !!filter.regex;
  const problem = searchProblem(text, regex);

  // Typing filters after a short pause, so a million-line scan does not run per keystroke; an
  // invalid regular expression is said at once and not sent.
  useEffect(() => {
    if ((filter.text ?? '') === text || problem) return;
    const timer = setTimeout(() => setFilter({ text: text || undefined }), 200);
    return () => clearTimeout(timer);
  }, [text, filter.text, setFilter, problem]);

  // Follow filter changes made elsewhere (cleared by Esc or a jump).
  const [seen, setSeen] = useState(filter);
  if (seen !== filter) {
    setSeen(filter);
    if (seen.text !== undefined && filter.text === undefined) setText('');
  }

  const levels = useMemo(() => {
    const present = new Set((templates ?? []).map((t) => t.level).filter(Boolean));
    return LEVELS.filter((l) => present.has(l));
  }, [templates]);
  const { order: _order, ...narrowing } = filter;
  const active = Object.keys(narrowing).length > 0;
  const flaggedOnly = filter.flaggedAt !== undefined;
  return (
    <div className="viewer-filters" role="search">
      <span className="search-box">
        <input
          type="search"
          placeholder={regex ? 'Regex, e.g. timeout|refused' : 'Search: words, -word, "phrase"'}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          aria-label="Search lines"
          data-testid="viewer-search"
          className={problem ? 'bad' : undefined}
          aria-invalid={!!problem}
        />
        <button
          className={`btn small${regex ? ' on' : ''}`}
          aria-pressed={regex}
          title="Regular expression"
          onClick={() => setFilter({ regex: regex ? undefined : true })}
          data-testid="search-regex"
        >
          .*
        </button>
        <button
          className={`btn small${filter.negate ? ' on' : ''}`}
          aria-pressed={!!filter.negate}
          title="Keep the lines that do NOT match"
          onClick={() => setFilter({ negate: filter.negate ? undefined : true })}
          data-testid="search-not"
        >
          not
        </button>
      </span>
      <span className="match-count muted" data-testid="match-count" aria-live="polite">
        {total === undefined ? '…' : `${formatCount(total)} ${active ? 'match' : 'line'}${total === 1 ? '' : active ? 'es' : 's'}`}
      </span>
      <button
        className={`btn small${flaggedOnly ? ' on' : ''}`}
        aria-pressed={flaggedOnly}
        data-testid="flagged-only"
        onClick={() => setFilter({ flaggedAt: flaggedOnly ? undefined : threshold })}
        title="Only lines flagged at the threshold (f)"
      >
        flagged only
      </button>
      <label className="toggle" title="Score range (inclusive)">
        score
        <ScoreBound label="minimum score" value={filter.minScore} onCommit={(v) => setFilter({ minScore: v })} />
        –
        <ScoreBound label="maximum score" value={filter.maxScore} onCommit={(v) => setFilter({ maxScore: v })} />
      </label>
      <select
        value={filter.levels?.[0] ?? ''}
        onChange={(e) => setFilter({ levels: e.currentTarget.value ? [e.currentTarget.value] : undefined })}
        aria-label="Level"
      >
        <option value="">all levels</option>
        {levels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <span className="seg" role="group" aria-label="Order">
        <button
          className={`btn small${filter.order !== 'score' ? ' on' : ''}`}
          aria-pressed={filter.order !== 'score'}
          onClick={() => setOrder('file')}
          title="In file order (o)"
        >
          file order
        </button>
        <button
          className={`btn small${filter.order === 'score' ? ' on' : ''}`}
          aria-pressed={filter.order === 'score'}
          onClick={() => setOrder('score')}
          title="Most anomalous first (o)"
          data-testid="order-score"
        >
          by score
        </button>
      </span>
      <button
        className={`btn small${layout.wrap ? ' on' : ''}`}
        aria-pressed={layout.wrap}
        onClick={() => setLayout({ wrap: !layout.wrap })}
        title="Wrap long messages (w)"
        data-testid="wrap-toggle"
      >
        wrap
      </button>
      <button
        className={`btn small${!layout.headerFields ? ' on' : ''}`}
        aria-pressed={!layout.headerFields}
        onClick={() => setLayout({ headerFields: !layout.headerFields })}
        title="Fold time, host and level: message only (h)"
        data-testid="fold-header"
      >
        message only
      </button>
      {selectedTemplate !== undefined && filter.templateId === undefined && (
        <button className="btn small" onClick={() => setFilter({ templateId: selectedTemplate })}>
          only this template
        </button>
      )}
      {filter.templateId !== undefined && (
        <span className="chip">
          template #{filter.templateId}{' '}
          <button className="btn small ghost" onClick={() => setFilter({ templateId: undefined })} aria-label="Remove template filter">
            ✕
          </button>
        </span>
      )}
      {filter.templateIds !== undefined && (
        <span className="chip" data-testid="map-selection-chip">
          {formatCount(filter.templateIds.length)} templates from the map{' '}
          <button className="btn small ghost" onClick={() => selectMapTemplates(undefined)} aria-label="Remove map selection">
            ✕
          </button>
        </span>
      )}
      {filter.session !== undefined && (
        <span className="chip" title={filter.session}>
          session {filter.session.slice(0, 24)}{' '}
          <button className="btn small ghost" onClick={() => setFilter({ session: undefined })} aria-label="Remove session filter">
            ✕
          </button>
        </span>
      )}
      {active && (
        <button
          className="btn small ghost"
          onClick={() => {
            setText('');
            clearFilter();
            if (filter.order) setOrder(filter.order);
          }}
          title="Esc"
        >
          clear filters
        </button>
      )}
      {problem && (
        <span className="search-error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
