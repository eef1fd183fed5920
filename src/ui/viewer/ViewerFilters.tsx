/** Filters that narrow the viewer's rows: free text, minimum score, level, template and session. */
import { useEffect, useMemo, useState } from 'react';
import { useLoupe } from '../../state/store';

export function ViewerFilters() {
  const filter = useLoupe((s) => s.filter);
  const setFilter = useLoupe((s) => s.setFilter);
  const clearFilter = useLoupe((s) => s.clearFilter);
  const threshold = useLoupe((s) => s.threshold);
  const templates = useLoupe((s) => s.summary?.templates);
  const selectedTemplate = useLoupe((s) => s.selection.template);
  const [text, setText] = useState(filter.text ?? '');
  const [minScore, setMinScore] = useState(filter.minScore === undefined ? '' : String(filter.minScore));

  // Typing filters after a short pause, so a million-line scan does not run per keystroke.
  useEffect(() => {
    if ((filter.text ?? '') === text) return;
    const timer = setTimeout(() => setFilter({ text: text || undefined }), 250);
    return () => clearTimeout(timer);
  }, [text, filter.text, setFilter]);

  // Follow filter changes made elsewhere (cleared by a jump, set by a session click).
  const [seen, setSeen] = useState(filter);
  if (seen !== filter) {
    setSeen(filter);
    if (seen.text !== undefined && filter.text === undefined) setText('');
    setMinScore(filter.minScore === undefined ? '' : String(filter.minScore));
  }

  const levels = useMemo(() => [...new Set((templates ?? []).map((t) => t.level).filter(Boolean))].sort(), [templates]);
  const commitMin = (value: string) => {
    const v = Number(value);
    setFilter({ minScore: value.trim() === '' || !Number.isFinite(v) ? undefined : v });
  };
  const active = Object.keys(filter).length > 0;
  return (
    <div className="viewer-filters" role="search">
      <input type="search" placeholder="Search lines" value={text} onChange={(e) => setText(e.currentTarget.value)} aria-label="Search lines" data-testid="viewer-search" />
      <label className="toggle">
        min score
        <input type="number" step={0.01} value={minScore} aria-label="Minimum score" onChange={(e) => setMinScore(e.currentTarget.value)} onBlur={(e) => commitMin(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && commitMin(e.currentTarget.value)} />
      </label>
      <button className={`btn small${filter.minScore === threshold ? ' on' : ''}`} onClick={() => setFilter({ minScore: filter.minScore === threshold ? undefined : threshold })} title="Only lines at or above the threshold">
        flagged only
      </button>
      <select value={filter.levels?.[0] ?? ''} onChange={(e) => setFilter({ levels: e.currentTarget.value ? [e.currentTarget.value] : undefined })} aria-label="Level">
        <option value="">all levels</option>
        {levels.map((l) => <option key={l} value={l}>{l}</option>)}
      </select>
      {selectedTemplate !== undefined && filter.templateId === undefined && (
        <button className="btn small" onClick={() => setFilter({ templateId: selectedTemplate })}>only this template</button>
      )}
      {filter.templateId !== undefined && <span className="chip">template #{filter.templateId} <button className="btn small ghost" onClick={() => setFilter({ templateId: undefined })} aria-label="Remove template filter">✕</button></span>}
      {filter.session !== undefined && <span className="chip" title={filter.session}>session {filter.session.slice(0, 24)} <button className="btn small ghost" onClick={() => setFilter({ session: undefined })} aria-label="Remove session filter">✕</button></span>}
      {active && <button className="btn small ghost" onClick={() => { setText(''); clearFilter(); }}>clear filters</button>}
    </div>
  );
}
