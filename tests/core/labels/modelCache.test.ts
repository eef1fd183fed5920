import { describe, expect, it } from 'vitest';
import { hubModelOf } from '../../../src/core/saved/modelCache';

describe('cached Hub models', () => {
  it('names the model of a Hub file URL', () => {
    expect(hubModelOf('https://huggingface.co/Xenova/bert-base-uncased/resolve/main/onnx/model_quantized.onnx')).toBe(
      'Xenova/bert-base-uncased',
    );
    expect(hubModelOf('https://huggingface.co/org/m%20x/resolve/v1.0/config.json')).toBe('org/m x');
    expect(hubModelOf('https://example.org/ort/ort-wasm.wasm')).toBeUndefined();
    expect(hubModelOf('not a url')).toBeUndefined();
  });
});
