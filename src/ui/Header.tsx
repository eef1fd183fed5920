/** The header: what was analysed (files, layout, counts, encoder device) and the app-wide actions. */
import { useLoupe } from '../state/store';
import type { ThemeChoice } from '../state/shape';
import { UNIT_NAMES, useUnitsAbove } from './derived';
import { formatCount } from './format';
import { FilePickerButton } from './upload/FilePickerButton';
import { ShareMenu } from './saved/ShareMenu';

const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<ThemeChoice, string> = { system: '◐ System', light: '☀ Light', dark: '☾ Dark' };

const DEVICE_NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU', none: 'none' };

/** Why the encoder runs where it does, in plain words (the full reason is in the tooltip). */
function deviceNote(device: string, reason: string | undefined): string | undefined {
  // Preliminary scores (every log gets them while the model runs): not a failure to load it.
  if (device === 'none' && reason?.startsWith('Preliminary')) return 'preliminary scores: template rarity + TF-IDF while the model runs';
  if (device === 'none') return 'TF-IDF vectors: the model was not loaded';
  if (!reason || device !== 'wasm') return undefined;
  if (/not available|missing/i.test(reason)) return 'no WebGPU in this browser';
  if (/no adapter/i.test(reason)) return 'no WebGPU here';
  if (/software/i.test(reason)) return 'WebGPU is software-only here';
  return 'WebGPU failed: see tooltip';
}

function Facts() {
  const summary = useLoupe((s) => s.summary);
  const unitsAbove = useUnitsAbove();
  const linesAbove = useLoupe((s) => s.thresholdView?.linesAbove);
  if (!summary) return <div className="facts" />;
  const targets = summary.files.filter((f) => f.role === 'target');
  const references = summary.files.filter((f) => f.role === 'reference');
  const layouts = [...new Set(targets.map((f) => f.layoutName))].join(', ');
  const unit = summary.settings.unit;
  const encoder = summary.encoder;
  return (
    <div className="facts" data-testid="facts">
      <span className="fact shrink" title={targets.map((f) => f.name).join(', ')}>
        <b data-testid="file-names">{targets.map((f) => f.name).join(', ')}</b>
        {references.length > 0 && <span> vs reference {references.map((f) => f.name).join(', ')}</span>}
      </span>
      <span className="fact shrink" title={targets.map((f) => f.layoutFormat ?? f.layoutName).join('\n')}>
        layout <b data-testid="layout">{layouts}</b>
      </span>
      <span className="fact">
        <b data-testid="line-count">{formatCount(summary.records)}</b> lines
      </span>
      <span className="fact">
        <b data-testid="template-count">{formatCount(summary.templates.length)}</b> templates
      </span>
      <span className="fact">
        <b className="flagged" data-testid="flagged-count">
          {formatCount(unitsAbove)}
        </b>{' '}
        {UNIT_NAMES[unit]} flagged
        {unit !== 'line' && linesAbove !== undefined && <> ({formatCount(linesAbove)} lines)</>}
      </span>
      {encoder && (
        <span
          className="fact"
          title={`${encoder.modelId}, ${encoder.threads} thread(s)${encoder.fallbackReason ? `\n${encoder.fallbackReason}` : ''}`}
        >
          encoder <b data-testid="encoder-device">{DEVICE_NAMES[encoder.device] ?? encoder.device}</b>
          {deviceNote(encoder.device, encoder.fallbackReason) && (
            <span data-testid="encoder-note"> ({deviceNote(encoder.device, encoder.fallbackReason)})</span>
          )}
          {encoder.device === 'wasm' && encoder.threads <= 1 && !globalThis.crossOriginIsolated && (
            <span
              data-testid="single-thread-note"
              title="Several WASM threads need a cross-origin isolated page: this host does not send the headers, and the offline service worker adds them from the next load."
            >
              {' '}
              · one thread (reload to use more)
            </span>
          )}
        </span>
      )}
    </div>
  );
}

export function Header({ onOpenSettings }: { onOpenSettings(): void }) {
  const hasSummary = useLoupe((s) => s.summary !== null);
  const referenceMode = useLoupe((s) => s.summary?.referenceMode ?? false);
  const dropAsReference = useLoupe((s) => s.dropAsReference);
  const setDropAsReference = useLoupe((s) => s.setDropAsReference);
  const clearReference = useLoupe((s) => s.clearReference);
  const theme = useLoupe((s) => s.theme);
  const setTheme = useLoupe((s) => s.setTheme);
  const running = useLoupe((s) => s.run !== null);
  return (
    <header className="header">
      <div className="brand">
        <img src="favicon.svg" alt="" />
        Loupe
      </div>
      <Facts />
      <div className="toolbar">
        {hasSummary && <FilePickerButton label="Open…" />}
        {hasSummary && (
          <label className="toggle" title="The next dropped or picked log is a known-good reference; views then show what is new.">
            <input type="checkbox" checked={dropAsReference} onChange={(e) => setDropAsReference(e.currentTarget.checked)} />
            as reference
          </label>
        )}
        {referenceMode && (
          <button className="btn small" disabled={running} onClick={() => void clearReference()} title="Analyse without the reference log">
            Remove reference
          </button>
        )}
        <ShareMenu />
        <button className="btn" onClick={onOpenSettings}>
          Settings
        </button>
        <button
          className="btn ghost"
          onClick={() => setTheme(NEXT_THEME[theme])}
          title="Theme: system, light or dark"
          data-testid="theme-toggle"
        >
          {THEME_LABEL[theme]}
        </button>
      </div>
    </header>
  );
}
