/**
 * Which settings changes need a full re-analysis (new model, layout or masks change the records,
 * templates or vectors) and which only need re-scoring from the cached vectors.
 */
import type { AnalysisSettings, ScoringSettings } from '../core/analysis/types';

export type SettingsChange = 'none' | 'rescore' | 'reanalyse';

function sameModel(a: AnalysisSettings['model'], b: AnalysisSettings['model']): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'hub' && b.kind === 'hub') return a.modelId === b.modelId;
  if (a.kind === 'local' && b.kind === 'local') return a.name === b.name && a.files === b.files;
  return true;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function settingsChange(current: AnalysisSettings, next: AnalysisSettings): SettingsChange {
  const reanalyse =
    !sameModel(current.model, next.model) ||
    current.device !== next.device ||
    (current.layoutFormat ?? '') !== (next.layoutFormat ?? '') ||
    !same(current.masks, next.masks);
  if (reanalyse) return 'reanalyse';
  const rescore =
    current.detector !== next.detector ||
    current.unit !== next.unit ||
    (current.sessionRegex ?? '') !== (next.sessionRegex ?? '') ||
    !same(current.forest, next.forest) ||
    !same(current.window, next.window);
  return rescore ? 'rescore' : 'none';
}

export function scoringSettingsOf(settings: AnalysisSettings): ScoringSettings {
  const { detector, unit, forest, window, sessionRegex } = settings;
  return { detector, unit, forest, window, sessionRegex };
}
