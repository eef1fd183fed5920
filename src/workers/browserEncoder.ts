/**
 * The encoder factory the analysis worker hands to AnalysisService: the transformers.js encoder,
 * loading the bundled model and the ONNX Runtime wasm files from the app's own origin.
 */
import type { EncoderFactory } from '../core/analysis/service';
import { createTransformersEncoder } from '../core/embed/transformersEncoder';

/**
 * The app's root URL as seen from this worker: built workers live in `assets/`, while the dev
 * server serves them from their source path.
 */
function appBase(): string {
  const here = self.location.href;
  const source = here.indexOf('/src/workers/');
  if (source >= 0) return here.slice(0, source + 1);
  return new URL('../', here).href;
}

export const browserEncoderFactory: EncoderFactory = (model, device) => {
  const base = appBase();
  const source = model.kind === 'bundled'
    ? { kind: 'bundled' as const }
    : model.kind === 'hub'
      ? { kind: 'hub' as const, modelId: model.modelId }
      : { kind: 'local' as const, name: model.name, files: model.files };
  return createTransformersEncoder({
    source,
    device,
    localModelPath: new URL('models/', base).href,
    wasmPaths: new URL('ort/', base).href,
  });
};
