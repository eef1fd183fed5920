/** The detector, the unit scores are given to, windows, and the isolation forest's parameters. */
import type { AnalysisSettings, DetectorKind, ScoringUnit } from '../../core/analysis/types';
import { ChoiceField, Field, NumberField } from './fields';

const DETECTORS: ReadonlyArray<{ value: DetectorKind; label: string }> = [
  { value: 'evidence', label: 'All evidence (default)' },
  { value: 'forest', label: 'Isolation forest' },
  { value: 'surprise', label: 'Model surprise' },
  { value: 'fused', label: 'Fused' },
];
const UNITS: ReadonlyArray<{ value: ScoringUnit; label: string }> = [
  { value: 'line', label: 'Line' },
  { value: 'template', label: 'Template' },
  { value: 'session', label: 'Session' },
  { value: 'window', label: 'Window' },
];

interface Props {
  settings: AnalysisSettings;
  onChange(change: Partial<AnalysisSettings>): void;
}

export function ScoringSection({ settings, onChange }: Props) {
  const forest = settings.forest;
  const setForest = (change: Partial<AnalysisSettings['forest']>) => onChange({ forest: { ...forest, ...change } });
  const windowSize = settings.window.kind === 'time' ? settings.window.size / 1000 : settings.window.size;
  return (
    <fieldset>
      <legend>Scoring</legend>
      <ChoiceField
        label="Detector"
        name="detector"
        value={settings.detector}
        options={DETECTORS}
        onChange={(detector) => onChange({ detector })}
      />
      <ChoiceField label="Scoring unit" name="unit" value={settings.unit} options={UNITS} onChange={(unit) => onChange({ unit })} />
      <Field group label="Window">
        <span className="inline">
          <select
            value={settings.window.kind}
            onChange={(e) => {
              const kind = e.currentTarget.value as 'time' | 'count';
              const size = kind === 'time' ? 60_000 : 100;
              onChange({ window: { kind, size, step: size } });
            }}
            aria-label="Window kind"
          >
            <option value="time">time</option>
            <option value="count">lines</option>
          </select>
          <input
            type="number"
            min={1}
            value={windowSize}
            aria-label="Window size"
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              if (!(v > 0)) return;
              const size = settings.window.kind === 'time' ? v * 1000 : Math.round(v);
              onChange({ window: { ...settings.window, size, step: size } });
            }}
          />
          <span className="muted">{settings.window.kind === 'time' ? 'seconds' : 'lines'}, tumbling</span>
        </span>
      </Field>
      <NumberField label="Trees" value={forest.nEstimators} min={1} max={1000} onChange={(nEstimators) => setForest({ nEstimators })} />
      <NumberField
        label="Sample size"
        value={forest.maxSamples}
        min={2}
        max={100_000}
        onChange={(maxSamples) => setForest({ maxSamples })}
      />
      <Field
        group
        label="Contamination"
        hint="'auto' uses the forest's own offset; a share sets the threshold to flag that share of units."
      >
        <span className="inline">
          <label className="toggle">
            <input
              type="checkbox"
              checked={forest.contamination === 'auto'}
              onChange={(e) => setForest({ contamination: e.currentTarget.checked ? 'auto' : 0.05 })}
            />
            auto
          </label>
          {forest.contamination !== 'auto' && (
            <input
              type="number"
              min={0.001}
              max={0.5}
              step={0.005}
              value={forest.contamination}
              aria-label="Contamination share"
              onChange={(e) => {
                const v = Number(e.currentTarget.value);
                if (v > 0 && v <= 0.5) setForest({ contamination: v });
              }}
            />
          )}
        </span>
      </Field>
      <Field group label="Extended forest">
        <label className="toggle">
          <input type="checkbox" checked={forest.extended} onChange={(e) => setForest({ extended: e.currentTarget.checked })} />
          random hyperplane splits
        </label>
      </Field>
      <NumberField
        label="PCA components"
        value={forest.pcaComponents}
        min={0}
        max={512}
        hint="0 = off"
        onChange={(pcaComponents) => setForest({ pcaComponents })}
      />
    </fieldset>
  );
}
