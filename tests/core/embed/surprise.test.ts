/**
 * Masked-token surprise on the tiny BERT: shape, word ↔ piece alignment, strides, the gathered-head
 * graph against the full one, no-MLM models.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { createTransformersEncoder, type TransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import { EncoderError } from '../../../src/core/embed/encoder';
import { SURPRISE_MASK_STRIDE } from '../../../src/core/embed/maskPlan';
import { TINY, TINY_NOMLM, withoutGatherableHead } from './helpers';

let encoder: TransformersEncoder;
beforeAll(async () => {
  encoder = await createTransformersEncoder({ source: { kind: 'local', files: TINY }, device: 'cpu' });
});
afterAll(() => encoder.dispose());

const TEXTS = ['Receiving block blk_-1608999687919862906 src', 'session opened for user root', '', 'ciod: failed to read message prefix'];

describe('surprise', () => {
  it('gives one surprise per WordPiece token and merges pieces back to words with their spans', async () => {
    const results = await encoder.surprise(TEXTS);
    expect(results).toHaveLength(TEXTS.length);
    results.forEach((result, i) => {
      const ids = encoder.tokenize(TEXTS[i]).ids;
      expect(result.tokens).toHaveLength(ids.length - 2);
      expect(result.tokenSurprise).toHaveLength(ids.length - 2);
      for (const value of result.tokenSurprise) expect(value).toBeGreaterThan(0);
      // Words tile the tokens in order, and their spans quote the original text.
      let next = 0;
      for (const word of result.words) {
        expect(TEXTS[i].slice(word.start, word.end)).toBe(word.text);
        expect(word.firstToken).toBe(next);
        expect(word.endToken).toBeGreaterThan(word.firstToken);
        next = word.endToken;
        const pieces = Array.from(result.tokenSurprise.subarray(word.firstToken, word.endToken));
        expect(word.surprise).toBe(Math.max(...pieces));
        // Continuation pieces (##) only ever follow the first piece of their word.
        result.tokens.slice(word.firstToken + 1, word.endToken).forEach((t) => expect(t.startsWith('##')).toBe(true));
      }
      expect(next).toBe(result.tokens.length);
    });
    const blk = results[0].words.find((w) => w.text === '1608999687919862906')!;
    expect(blk.endToken - blk.firstToken).toBeGreaterThan(1);
    expect(results[2].tokens).toEqual([]);
    expect(results[2].mean).toBeNaN();
    expect(results[1].mean).toBeCloseTo(results[1].tokenSurprise.reduce((a, b) => a + b, 0) / results[1].tokenSurprise.length, 5);
  });

  it('exact (stride 1) equals −ln p(true token) computed by hand from the raw logits with that token masked', async () => {
    const text = 'session opened for user root';
    expect(encoder.info.surpriseHeadGathered).toBe(true);
    const [result] = await encoder.surprise([text], { maskStride: 1 });
    const ids = encoder.tokenize(text).ids;
    const session = await ort.InferenceSession.create(join(TINY, 'onnx/model.onnx'));
    const n = ids.length;
    for (let position = 1; position < n - 1; position++) {
      const masked = ids.map((id, t) => BigInt(t === position ? 4 : id));
      const out = await session.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from(masked), [1, n]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), [1, n]),
      });
      const logits = out.logits.data as Float32Array;
      const vocab = out.logits.dims[2];
      const row = Array.from(logits.subarray(position * vocab, (position + 1) * vocab));
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      expect(result.tokenSurprise[position - 1]).toBeCloseTo(lse - row[ids[position]], 3);
    }
    await session.release();
  });

  it('restores input order, and a stride covers every token with values close to exact', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => `${'data '.repeat(i % 9)}node ${i} kernel interrupt`);
    const exact = await encoder.surprise(texts, { maskStride: 1 });
    const reversed = await encoder.surprise([...texts].reverse(), { maskStride: 1 });
    const strided = await encoder.surprise(texts, { maskStride: 6 });
    texts.forEach((_, i) => {
      expect(reversed[texts.length - 1 - i].tokenSurprise).toEqual(exact[i].tokenSurprise);
      expect(strided[i].tokenSurprise).toHaveLength(exact[i].tokenSurprise.length);
      for (const value of strided[i].tokenSurprise) expect(Number.isFinite(value)).toBe(true);
    });
  });

  it('runs a masked input that several texts share once, each text with its own values', async () => {
    // Texts that differ in one single-piece word: the pass hiding that word gives them the same input.
    const words = ['root', 'admin', 'guest', 'alice', 'bob', 'node', 'data', 'kernel', 'block'].filter(
      (w) => encoder.tokenize(w).ids.length === 3,
    );
    expect(words.length).toBeGreaterThanOrEqual(3);
    const texts = words.map((w) => `session opened for user ${w} on host 7`);
    // Why a cast: the session is private; counting the rows it is given is what this test checks.
    const session = (encoder as unknown as { model: { surpriseSession: { run: (...a: never[]) => Promise<unknown> } } }).model
      .surpriseSession;
    const run = session.run;
    let rows = 0;
    session.run = ((feeds: Record<string, { dims: number[] }>, ...rest: never[]) => {
      rows += feeds.input_ids.dims[0];
      return run.call(session, feeds as never, ...rest);
    }) as typeof run;
    let together;
    try {
      together = await encoder.surprise(texts);
    } finally {
      session.run = run;
    }
    const passes = SURPRISE_MASK_STRIDE * texts.length;
    expect(encoder.tokenize(texts[0]).ids.length - 2).toBeGreaterThan(SURPRISE_MASK_STRIDE);
    expect(rows).toBe(passes - (texts.length - 1));
    for (const [i, text] of texts.entries()) {
      const [alone] = await encoder.surprise([text]);
      alone.tokenSurprise.forEach((value, t) => expect(together[i].tokenSurprise[t]).toBeCloseTo(value, 4));
    }
    expect(together[0].tokenSurprise).not.toEqual(together[1].tokenSurprise);
  });

  it('masks every SURPRISE_MASK_STRIDE-th token together unless told otherwise', async () => {
    const texts = ['data data data node 7 kernel interrupt received on cpu 3', 'session opened for user root'];
    const byDefault = await encoder.surprise(texts);
    const explicit = await encoder.surprise(texts, { maskStride: SURPRISE_MASK_STRIDE });
    const exact = await encoder.surprise(texts, { maskStride: 1 });
    texts.forEach((_, i) => expect(byDefault[i].tokenSurprise).toEqual(explicit[i].tokenSurprise));
    // The first text has more tokens than the stride: some share a pass, so values differ from exact.
    expect(byDefault[0].tokenSurprise).not.toEqual(exact[0].tokenSurprise);
  });
});

describe('surprise without the gathered-head graph', () => {
  it("falls back to the full graph's logits and gives the same values", async () => {
    const full = await createTransformersEncoder({
      source: { kind: 'local', name: 'sum-head', files: withoutGatherableHead(TINY) },
      device: 'cpu',
    });
    try {
      expect(full.info.surpriseHeadGathered).toBe(false);
      expect(full.info.vectorsWithoutHead).toBe(true);
      const texts = Array.from({ length: 12 }, (_, i) => `${'block '.repeat(i % 5)}replica ${i} stored on node ${i * 7}`);
      for (const maskStride of [1, SURPRISE_MASK_STRIDE]) {
        const a = await full.surprise(texts, { maskStride });
        const b = await encoder.surprise(texts, { maskStride });
        texts.forEach((_, i) => a[i].tokenSurprise.forEach((value, t) => expect(value).toBeCloseTo(b[i].tokenSurprise[t], 4)));
      }
    } finally {
      await full.dispose();
    }
  });
});

describe('a model without an MLM head', () => {
  it('still embeds (same encoder weights, same vectors) and says surprise is unavailable', async () => {
    const plain = await createTransformersEncoder({ source: { kind: 'local', files: TINY_NOMLM }, device: 'cpu' });
    expect(plain.hasMlmHead).toBe(false);
    const a = await plain.embed(TEXTS);
    const b = await encoder.embed(TEXTS);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    await expect(plain.surprise(TEXTS)).rejects.toBeInstanceOf(EncoderError);
    await expect(plain.surprise(TEXTS)).rejects.toThrow(/no MLM head/);
    await plain.dispose();
  });
});
