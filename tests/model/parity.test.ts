import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

// PyTorch outputs written by training/golden.py; the exported ONNX graph must reproduce them.
interface Golden {
  input_ids: number[][];
  attention_mask: number[][];
  hidden_size: number;
  vocab_size: number;
  hidden_slice: number[][][];
  logit_ids: number[];
  logits_slice: number[][][];
  argmax: number[][];
}

const MODEL = 'public/models/loupe-log-bert/onnx/model.onnx';
const TOLERANCE = 1e-4;
const golden = JSON.parse(readFileSync(new URL('../fixtures/model/golden.json', import.meta.url), 'utf-8')) as Golden;

function int64Tensor(rows: number[][]): ort.Tensor {
  const flat = BigInt64Array.from(rows.flat().map((v) => BigInt(v)));
  return new ort.Tensor('int64', flat, [rows.length, rows[0].length]);
}

/** The golden sentences as model inputs (one segment: token types all 0). */
function goldenFeeds(): Record<string, ort.Tensor> {
  return {
    input_ids: int64Tensor(golden.input_ids),
    attention_mask: int64Tensor(golden.attention_mask),
    token_type_ids: int64Tensor(golden.input_ids.map((row) => row.map(() => 0))),
  };
}

describe('loupe-log-bert ONNX parity with PyTorch', () => {
  it.skipIf(!existsSync(MODEL))('gives the same hidden states and logits within 1e-4', async () => {
    const session = await ort.InferenceSession.create(MODEL);
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(session.outputNames).toEqual(['last_hidden_state', 'logits']);

    const ids = golden.input_ids;
    const out = await session.run(goldenFeeds());
    const hidden = out.last_hidden_state;
    const logits = out.logits;
    const [batch, seq] = [ids.length, ids[0].length];
    expect(hidden.dims).toEqual([batch, seq, golden.hidden_size]);
    expect(logits.dims).toEqual([batch, seq, golden.vocab_size]);
    const h = hidden.data as Float32Array;
    const l = logits.data as Float32Array;

    let worst = 0;
    for (let b = 0; b < batch; b++) {
      for (let s = 0; s < seq; s++) {
        if (golden.attention_mask[b][s] === 0) continue; // padding positions are not compared
        golden.hidden_slice[b][s].forEach((want, k) => {
          worst = Math.max(worst, Math.abs(h[(b * seq + s) * golden.hidden_size + k] - want));
        });
        golden.logit_ids.forEach((id, k) => {
          worst = Math.max(worst, Math.abs(l[(b * seq + s) * golden.vocab_size + id] - golden.logits_slice[b][s][k]));
        });
        let best = 0;
        for (let v = 1; v < golden.vocab_size; v++) {
          if (l[(b * seq + s) * golden.vocab_size + v] > l[(b * seq + s) * golden.vocab_size + best]) best = v;
        }
        expect(best).toBe(golden.argmax[b][s]);
      }
    }
    expect(worst).toBeLessThan(TOLERANCE);
  });
});
