/** Vectors from the tiny BERT fixture, checked against hand computations. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { createTransformersEncoder, type TransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import { TINY, cosine } from './helpers';

let encoder: TransformersEncoder;
beforeAll(async () => {
  encoder = await createTransformersEncoder({ source: { kind: 'local', files: TINY }, device: 'cpu' });
});
afterAll(() => encoder.dispose());

const TEXTS = [
  'Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010',
  'session opened for user root',
  'error',
  '',
  'instruction cache parity error corrected',
  'Failed password for invalid user admin from 192.168.0.1 port 22 ssh2',
];

describe('TransformersEncoder vectors', () => {
  it('loads the fixture on onnxruntime-node and reports what it runs', () => {
    expect(encoder.dims).toBe(32);
    expect(encoder.hasMlmHead).toBe(true);
    expect(encoder.info.device).toBe('cpu');
    expect(encoder.info.modelId).toMatch(/^local:.*#[0-9a-f]{16}$/);
  });

  it('tokenises word by word exactly like the tokenizer on the whole text', async () => {
    const previous = env.localModelPath;
    env.localModelPath = join(TINY, '..') + '/';
    const reference = await AutoTokenizer.from_pretrained('tiny-bert');
    env.localModelPath = previous;
    for (const text of TEXTS) expect(encoder.tokenize(text).ids).toEqual(reference.encode(text));
  });

  it('mean-pools last_hidden_state over the mask and L2-normalises (hand computation on the raw output)', async () => {
    const session = await ort.InferenceSession.create(join(TINY, 'onnx/model.onnx'));
    const vectors = await encoder.embed(TEXTS);
    for (let i = 0; i < TEXTS.length; i++) {
      const ids = encoder.tokenize(TEXTS[i]).ids;
      const n = ids.length;
      const feeds = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), [1, n]),
      };
      const hidden = (await session.run(feeds)).last_hidden_state.data as Float32Array;
      const mean = new Float64Array(32);
      for (let t = 0; t < n; t++) for (let d = 0; d < 32; d++) mean[d] += hidden[t * 32 + d] / n;
      const norm = Math.hypot(...mean);
      const row = vectors.subarray(i * 32, (i + 1) * 32);
      for (let d = 0; d < 32; d++) expect(row[d]).toBeCloseTo(mean[d] / norm, 4);
    }
    await session.release();
  });

  it('matches torch on the reference id sequences written by make_tiny_bert.py', async () => {
    const reference = JSON.parse(readFileSync(join(TINY, 'reference.json'), 'utf8')) as { input_ids: number[][]; pooled: number[][] };
    const vocab = readFileSync(join(TINY, 'vocab.txt'), 'utf8').split('\n');
    // The reference ids are single-character tokens: spelled out with spaces they tokenise back to themselves.
    const texts = reference.input_ids.map((ids) =>
      ids
        .filter((id) => id > 4)
        .map((id) => vocab[id])
        .join(' '),
    );
    const vectors = await encoder.embed(texts);
    reference.pooled.forEach((expected, i) => {
      expected.forEach((value, d) => expect(vectors[i * 32 + d]).toBeCloseTo(value, 4));
    });
  });

  it('gives unit vectors, restores input order after length sorting, and is batch-independent', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `${'node '.repeat(i % 13)}job ${i} failed`);
    const together = await encoder.embed(many);
    const reversed = await encoder.embed([...many].reverse());
    for (let i = 0; i < many.length; i++) {
      const row = together.subarray(i * 32, (i + 1) * 32);
      expect(Math.hypot(...row)).toBeCloseTo(1, 5);
      const alone = await encoder.embed([many[i]]);
      expect(cosine(row, alone)).toBeGreaterThan(0.99999);
      const mirrored = reversed.subarray((many.length - 1 - i) * 32, (many.length - i) * 32);
      expect(cosine(row, mirrored)).toBeGreaterThan(0.99999);
    }
  });

  it('reports progress, and aborting stops it with an AbortError', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `block ${i} ${'x'.repeat(i % 50)}`);
    const seen: number[] = [];
    await encoder.embed(texts, { onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).toBe(300);
    expect(seen.length).toBeGreaterThan(1);
    const controller = new AbortController();
    const run = encoder.embed(texts, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toThrow(/abort/i);
  });

  it('serialises concurrent calls on its one session', async () => {
    const results = await Promise.all([encoder.embed(TEXTS), encoder.embed(TEXTS.slice(1)), encoder.surprise(TEXTS.slice(0, 2))]);
    expect(cosine(results[0].subarray(32, 64), results[1].subarray(0, 32))).toBeGreaterThan(0.99999);
    expect(results[2]).toHaveLength(2);
  });
});
