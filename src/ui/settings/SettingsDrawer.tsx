/**
 * Settings as a draft the analyst edits, then applies. The footer says what applying costs:
 * detector and unit changes re-score from cached vectors; model, layout and masks re-analyse.
 */
import { useState } from 'react';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../core/analysis/types';
import { settingsChange } from '../../state/settingsDiff';
import { useLoupe } from '../../state/store';
import { ModelSection } from './ModelSection';
import { ParsingSection } from './ParsingSection';
import { ScoringSection } from './ScoringSection';

const EFFECT = {
  none: 'No change to the current analysis.',
  rescore: 'Re-scores from the cached vectors (quick; no re-embedding).',
  reanalyse: 'Model, device, layout or masks changed: needs a full re-analysis (re-embeds every template).',
} as const;

export function SettingsDrawer({ onClose }: { onClose(): void }) {
  const saved = useLoupe((s) => s.settings);
  const summary = useLoupe((s) => s.summary);
  const running = useLoupe((s) => s.run !== null || s.rescoring);
  const applySettings = useLoupe((s) => s.applySettings);
  const [draft, setDraft] = useState<AnalysisSettings>(saved);
  const change = (patch: Partial<AnalysisSettings>) => setDraft((d) => ({ ...d, ...patch }));
  const effect = summary ? settingsChange(summary.settings, draft) : 'none';
  const localWithoutFiles = draft.model.kind === 'local' && Object.keys(draft.model.files).length === 0;
  const apply = () => {
    void applySettings(draft);
    onClose();
  };
  return (
    <>
      <div className="drawer-backdrop" onClick={onClose} />
      <aside className="drawer" role="dialog" aria-label="Settings" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <div className="panel-head">
          <span className="panel-title">Settings</span>
          <span className="spacer" />
          <button className="btn small ghost" onClick={onClose} aria-label="Close settings">
            ✕
          </button>
        </div>
        <div className="drawer-body">
          <ScoringSection settings={draft} onChange={change} />
          <ParsingSection settings={draft} onChange={change} />
          <ModelSection settings={draft} encoder={summary?.encoder} onChange={change} />
        </div>
        <div className="drawer-foot">
          <span className="hint" style={{ flex: 1 }} data-testid="settings-effect">
            {summary ? EFFECT[effect] : 'Used for the next analysis. Saved in this browser.'}
          </span>
          <button className="btn" onClick={() => setDraft({ ...DEFAULT_SETTINGS, model: draft.model })}>
            Defaults
          </button>
          <button className="btn primary" disabled={running || localWithoutFiles} onClick={apply}>
            {effect === 'reanalyse' ? 'Re-analyse' : effect === 'rescore' ? 'Re-score' : 'Save'}
          </button>
        </div>
      </aside>
    </>
  );
}
