import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { withoutOutputs } from '../../../src/core/embed/onnxGraph';
import { createTransformersEncoder } from '../../../src/core/embed/transformersEncoder';

const TINY = join(import.meta.dirname, '..', '..', 'fixtures', 'tiny-bert');
const BUNDLED = join(import.meta.dirname, '..', '..', '..', 'public', 'models', 'loupe-log-bert');

function feeds(rows: number, width: number): Record<string, ort.Tensor> {
  const ids = BigInt64Array.from({ length: rows * width }, (_, i) => BigInt(i % width === 0 ? 2 : 5 + ((i * 31) % 90)));
  return {
    input_ids: new ort.Tensor('int64', ids, [rows, width]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(rows * width).fill(1n), [rows, width]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(rows * width), [rows, width]),
  };
}

describe('withoutOutputs', () => {
  it('drops logits and the head, and keeps last_hidden_state bit for bit', async () => {
    const full = new Uint8Array(readFileSync(join(TINY, 'onnx', 'model.onnx')));
    const cut = withoutOutputs(full, ['logits']);
    expect(cut).toBeDefined();
    expect(cut!.length).toBeLessThan(full.length);
    const a = await ort.InferenceSession.create(full);
    const b = await ort.InferenceSession.create(cut!);
    expect(a.outputNames).toContain('logits');
    expect(b.outputNames).toEqual(['last_hidden_state']);
    const input = feeds(3, 7);
    const ha = (await a.run(input, ['last_hidden_state'])).last_hidden_state.data as Float32Array;
    const hb = (await b.run(input)).last_hidden_state.data as Float32Array;
    expect(Array.from(hb)).toEqual(Array.from(ha));
  });

  it('leaves a model alone when nothing would be dropped or everything would', () => {
    const full = new Uint8Array(readFileSync(join(TINY, 'onnx', 'model.onnx')));
    expect(withoutOutputs(full, ['no_such_output'])).toBeUndefined();
    expect(withoutOutputs(full, ['logits', 'last_hidden_state'])).toBeUndefined();
  });

  it('rejects bytes that are not a protobuf message', () => {
    expect(() => withoutOutputs(new Uint8Array([0x0f, 0xff, 0xff]), ['logits'])).toThrow(/malformed/);
  });
});

describe('encoder vectors without the head', () => {
  it('the bundled model embeds through the cut graph and gives the same vectors as the full one', async () => {
    const encoder = await createTransformersEncoder({ source: { kind: 'local', files: BUNDLED }, device: 'cpu' });
    try {
      expect(encoder.info.vectorsWithoutHead).toBe(true);
      const texts = ['instruction cache parity error corrected', 'ciod: LOGIN chdir(<*>) failed: No such file or directory'];
      const vectors = await encoder.embed(texts);
      // The full graph, run directly, as the reference.
      const session = await ort.InferenceSession.create(join(BUNDLED, 'onnx', 'model.onnx'));
      for (let t = 0; t < texts.length; t++) {
        const ids = encoder.tokenize(texts[t]).ids;
        const n = ids.length;
        const out = await session.run(
          {
            input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
            attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
            token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), [1, n]),
          },
          ['last_hidden_state'],
        );
        const hidden = out.last_hidden_state.data as Float32Array;
        const dims = encoder.dims;
        const mean = new Float64Array(dims);
        for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) mean[d] += hidden[i * dims + d] / n;
        const norm = Math.hypot(...mean);
        for (let d = 0; d < dims; d++) expect(vectors[t * dims + d]).toBeCloseTo(mean[d] / norm, 5);
      }
    } finally {
      await encoder.dispose();
    }
  });
});
