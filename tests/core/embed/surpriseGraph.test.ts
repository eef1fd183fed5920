/**
 * The surprise graph (onnxGraph.withMaskedHead): the masked-LM head behind a gather of the masked
 * positions gives the full graph's log-probabilities, and models it cannot rewire are left alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { MASKED_LOG_PROB, MASKED_POSITIONS, MASKED_TOKEN_IDS, withMaskedHead } from '../../../src/core/embed/maskedHead';
import { ancestors, producers, readGraph } from '../../../src/core/embed/onnxGraph';
import { BUNDLED, TINY, TINY_NOMLM } from './helpers';

function feeds(rows: number, width: number, vocab: number): Record<string, ort.Tensor> {
  const ids = BigInt64Array.from({ length: rows * width }, (_, i) => BigInt(i % width === 0 ? 2 : 5 + ((i * 31) % (vocab - 5))));
  // Row r is r tokens shorter: padded positions are in the batch too.
  const mask = BigInt64Array.from({ length: rows * width }, (_, i) => (i % width < width - Math.floor(i / width) ? 1n : 0n));
  return {
    input_ids: new ort.Tensor('int64', ids, [rows, width]),
    attention_mask: new ort.Tensor('int64', mask, [rows, width]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(rows * width), [rows, width]),
  };
}

function logSoftmaxAt(logits: Float32Array, row: number, vocab: number, id: number): number {
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) max = Math.max(max, logits[row * vocab + v]);
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[row * vocab + v] - max);
  return logits[row * vocab + id] - max - Math.log(sum);
}

const models = [
  ['the tiny fixture', join(TINY, 'onnx/model.onnx')],
  ['the bundled model', join(BUNDLED, 'onnx/model.onnx')],
] as const;

describe('withMaskedHead', () => {
  for (const [name, path] of models) {
    it.skipIf(!existsSync(path))(`${name}: log p(true token) at any positions equals the full graph's log-softmax`, async () => {
      const full = new Uint8Array(readFileSync(path));
      const cut = withMaskedHead(full);
      expect(cut).toBeDefined();
      const a = await ort.InferenceSession.create(full);
      const b = await ort.InferenceSession.create(cut!);
      expect(b.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids', MASKED_POSITIONS, MASKED_TOKEN_IDS]);
      expect(b.outputNames).toEqual([MASKED_LOG_PROB]);
      const [rows, width] = [3, 9];
      const logits = (await a.run(feeds(rows, width, 90), ['logits'])).logits;
      const vocab = logits.dims[2];
      // Any order, repeats and padded positions included: the gather does not care.
      const positions = [1, 4, 8, 9, 13, 26, 4, 17];
      const ids = positions.map((p, k) => 5 + ((p * 7 + k) % (vocab - 5)));
      const out = await b.run({
        ...feeds(rows, width, 90),
        [MASKED_POSITIONS]: new ort.Tensor('int64', BigInt64Array.from(positions, BigInt), [1, positions.length]),
        [MASKED_TOKEN_IDS]: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length, 1]),
      });
      const got = out[MASKED_LOG_PROB];
      expect(got.dims).toEqual([1, positions.length, 1]);
      positions.forEach((p, k) => {
        expect((got.data as Float32Array)[k]).toBeCloseTo(logSoftmaxAt(logits.data as Float32Array, p, vocab, ids[k]), 4);
      });
      await a.release();
      await b.release();
    });
  }

  for (const [name, path] of models) {
    it.skipIf(!existsSync(path))(`${name}: the last layer after its attention runs on the masked rows only`, () => {
      const cut = withMaskedHead(new Uint8Array(readFileSync(path)))!;
      const { nodes } = readGraph(cut)!;
      const gathers = nodes.filter((n) => n.opType === 'Gather' && n.inputs[1] === MASKED_POSITIONS);
      // The previous layer's output (the residual) and the last attention's context: nothing earlier.
      expect(gathers).toHaveLength(2);
      const producer = producers(nodes);
      const gathered = gathers.map((g) => producer.get(producer.get(g.inputs[0])!.inputs[0])!);
      expect(gathered.map((n) => n.opType).sort()).toEqual(['Add', 'Reshape']);
      // The attention's output projection, both feed-forward projections and the vocabulary one read gathered rows.
      const onRows = nodes.filter((n) => n.opType === 'MatMul' && [...ancestors(producer, n.inputs)].some((a) => gathers.includes(a)));
      expect(onRows.length).toBeGreaterThanOrEqual(4);
    });
  }

  it('leaves alone a model without logits, and a head it cannot prove position-wise', () => {
    expect(withMaskedHead(new Uint8Array(readFileSync(join(TINY_NOMLM, 'onnx/model.onnx'))))).toBeUndefined();
    const full = new Uint8Array(readFileSync(join(TINY, 'onnx/model.onnx')));
    // The head's first MatMul reads last_hidden_state; renamed to an op outside the position-wise list, the head is refused.
    const bytes = full.slice();
    const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
    const at = (needle: number[], from = 0) => {
      for (let i = from; i <= bytes.length - needle.length; i++) if (needle.every((v, j) => bytes[i + j] === v)) return i;
      return -1;
    };
    const input = at([0x0a, 17, ...ascii('last_hidden_state')]);
    const opType = at([0x22, 6, ...ascii('MatMul')], input);
    expect(input).toBeGreaterThan(0);
    bytes.set([0x22, 6, ...ascii('Gemm__')], opType);
    expect(withMaskedHead(bytes)).toBeUndefined();
  });

  it('rejects bytes that are not a protobuf message', () => {
    expect(() => withMaskedHead(new Uint8Array([0x0f, 0xff, 0xff]))).toThrow(/malformed/);
  });
});
