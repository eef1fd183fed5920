/**
 * The encoder factory the analysis worker hands to AnalysisService: core/embed's createEncoder,
 * loading bundled models and the ONNX Runtime wasm files from the app's own origin.
 */
import type { EncoderFactory } from '../core/analysis/service';
import { createEncoder } from '../core/embed/createEncoder';

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
  return createEncoder(model, device, { modelsBase: new URL('models/', base).href, ortBase: new URL('ort/', base).href });
};
