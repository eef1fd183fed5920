/**
 * What survives a reload: settings, theme and the analyst's labels, in localStorage. Storage is
 * injected (null in workers or when the browser refuses it) so the store runs in Node tests.
 */
import type { AnalysisSettings } from '../core/analysis/types';
import { DEFAULT_SETTINGS } from '../core/analysis/types';
import type { ThemeChoice } from './shape';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEYS = { settings: 'loupe.settings.v1', theme: 'loupe.theme.v1' };

function read<T>(storage: KeyValueStorage | null, key: string): T | undefined {
  if (!storage) return undefined;
  try {
    const text = storage.getItem(key);
    return text === null ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}

function write(storage: KeyValueStorage | null, key: string, value: unknown): void {
  try {
    storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Quota or privacy mode: settings simply do not persist.
  }
}

/** Saved settings over the defaults, so fields added in later versions get their default. */
export function loadSettings(storage: KeyValueStorage | null): AnalysisSettings {
  const saved = read<Partial<AnalysisSettings>>(storage, KEYS.settings);
  if (!saved || typeof saved !== 'object') return DEFAULT_SETTINGS;
  const merged: AnalysisSettings = {
    ...DEFAULT_SETTINGS,
    ...saved,
    masks: { ...DEFAULT_SETTINGS.masks, ...saved.masks },
    window: { ...DEFAULT_SETTINGS.window, ...saved.window },
    forest: { ...DEFAULT_SETTINGS.forest, ...saved.forest },
  };
  // A local model's files cannot be stored; the analyst picks the folder again.
  if (merged.model?.kind === 'local' || !merged.model) merged.model = DEFAULT_SETTINGS.model;
  return merged;
}

export function saveSettings(storage: KeyValueStorage | null, settings: AnalysisSettings): void {
  const model = settings.model.kind === 'local' ? DEFAULT_SETTINGS.model : settings.model;
  write(storage, KEYS.settings, { ...settings, model });
}

export function loadTheme(storage: KeyValueStorage | null): ThemeChoice {
  const theme = read<string>(storage, KEYS.theme);
  return theme === 'light' || theme === 'dark' ? theme : 'system';
}

export function saveTheme(storage: KeyValueStorage | null, theme: ThemeChoice): void {
  write(storage, KEYS.theme, theme);
}
