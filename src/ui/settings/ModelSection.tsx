/** Which encoder to use (bundled, a Hub id, or a local folder) and on which device. */
import { useState } from 'react';
import type { AnalysisSettings, EncoderStatus } from '../../core/analysis/types';
import { useLoupe } from '../../state/store';
import { Choice, ChoiceField, Field } from './fields';

const MODEL_KINDS: ReadonlyArray<{ value: AnalysisSettings['model']['kind']; label: string }> = [
  { value: 'bundled', label: 'Bundled log encoder' },
  { value: 'hub', label: 'Hub id' },
  { value: 'local', label: 'Local folder' },
];
const DEVICES: ReadonlyArray<{ value: AnalysisSettings['device']; label: string }> = [
  { value: 'auto', label: 'Auto' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'WASM' },
];

/** Files of a picked folder keyed by their path inside it (the folder's own name dropped). */
function folderFiles(files: File[]): { name: string; files: Record<string, Blob> } {
  const byPath: Record<string, Blob> = {};
  let name = 'local model';
  for (const file of files) {
    const path = file.webkitRelativePath || file.name;
    const cut = path.indexOf('/');
    if (cut > 0) name = path.slice(0, cut);
    byPath[cut > 0 ? path.slice(cut + 1) : path] = file;
  }
  return { name, files: byPath };
}

interface Props {
  settings: AnalysisSettings;
  encoder?: EncoderStatus;
  onChange(change: Partial<AnalysisSettings>): void;
}

export function ModelSection({ settings, encoder, onChange }: Props) {
  const model = settings.model;
  const [hubId, setHubId] = useState(model.kind === 'hub' ? model.modelId : '');
  const clearVectorCache = useLoupe((s) => s.clearVectorCache);
  return (
    <fieldset>
      <legend>Model and device</legend>
      <Choice
        name="model"
        value={model.kind}
        options={MODEL_KINDS}
        onChange={(kind) => {
          if (kind === 'bundled') onChange({ model: { kind: 'bundled' } });
          if (kind === 'hub') onChange({ model: { kind: 'hub', modelId: hubId } });
          if (kind === 'local' && model.kind !== 'local') onChange({ model: { kind: 'local', name: '', files: {} } });
        }}
      />
      {model.kind === 'hub' && (
        <Field
          label="Model id"
          hint="The one exception to “nothing leaves this page”: unless this browser already keeps it, the model's files are downloaded from huggingface.co (only the model id is sent, never your logs), then kept for offline use."
        >
          <input
            type="text"
            value={hubId}
            placeholder="org/model"
            onChange={(e) => {
              setHubId(e.currentTarget.value);
              onChange({ model: { kind: 'hub', modelId: e.currentTarget.value } });
            }}
          />
        </Field>
      )}
      {model.kind === 'local' && (
        <Field
          label="Model folder"
          hint={model.name ? `${model.name}: ${Object.keys(model.files).length} files` : 'config.json, tokenizer.json and onnx/model.onnx'}
        >
          <input
            type="file"
            aria-label="Model folder"
            // webkitdirectory is not in React's input props; it makes the picker choose a folder.
            {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
            onChange={(e) => {
              const picked = Array.from(e.currentTarget.files ?? []);
              if (picked.length > 0) onChange({ model: { kind: 'local', ...folderFiles(picked) } });
            }}
          />
        </Field>
      )}
      <ChoiceField label="Device" name="device" value={settings.device} options={DEVICES} onChange={(device) => onChange({ device })} />
      {encoder && (
        <p className="hint" data-testid="device-in-use">
          In use: <b>{encoder.device}</b> ({encoder.modelId}, {encoder.threads} thread{encoder.threads === 1 ? '' : 's'})
          {encoder.fallbackReason && <> — fell back because {encoder.fallbackReason}</>}
          {!encoder.hasMlmHead && <> · no masked-LM head, so no surprise scores</>}
        </p>
      )}
      <p className="hint">
        Vectors and surprise are cached in this browser by model and text hash (never the text), at most 100,000 entries.{' '}
        <button type="button" className="btn small" data-testid="clear-vector-cache" onClick={() => void clearVectorCache()}>
          Clear cached vectors
        </button>
      </p>
    </fieldset>
  );
}
