/**
 * Cancel reaches a long encoder call: batch loops yield to the event loop between batches, so an
 * abort sent by a message or timer (a worker's Cancel) rejects the call within one batch.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eachBatch, yieldToEventLoop } from '../../../src/core/embed/batching';
import { createTransformersEncoder, type TransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import { TINY } from './helpers';

/** Work that never leaves the microtask queue, like ONNX Runtime Web's session.run. */
async function busyBatch(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Holding the thread, as inference does.
  }
  await Promise.resolve();
}

describe('eachBatch', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lets a timer abort between microtask-only batches: the call rejects within one batch', async () => {
    const controller = new AbortController();
    const batches = Array.from({ length: 200 }, (_, i) => i);
    let ran = 0;
    let ranAtAbort = -1;
    setTimeout(() => {
      ranAtAbort = ran;
      controller.abort();
    }, 0);
    const call = eachBatch(batches, controller.signal, async () => {
      ran++;
      await busyBatch(2);
    });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(ranAtAbort).toBeGreaterThanOrEqual(0);
    expect(ran).toBeLessThanOrEqual(ranAtAbort + 1);
    expect(ran).toBeLessThan(batches.length);
  });

  it('yields through a MessageChannel where setImmediate is missing (browsers, workers)', async () => {
    vi.stubGlobal('setImmediate', undefined);
    // The Cancel arrives as a message, as it does in a worker.
    const controller = new AbortController();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => controller.abort(new DOMException('Cancelled by the analyst', 'AbortError'));
    channel.port2.postMessage('cancel');
    let ran = 0;
    await expect(
      eachBatch([1, 2, 3, 4, 5, 6], controller.signal, async () => {
        ran++;
        await busyBatch(1);
      }),
    ).rejects.toThrow('Cancelled by the analyst');
    expect(ran).toBeLessThanOrEqual(2);
    channel.port1.close();
    // The shared channel keeps working for later calls.
    await expect(yieldToEventLoop()).resolves.toBeUndefined();
  });

  it('rejects at once when the signal is already aborted, and runs every batch otherwise', async () => {
    const seen: number[] = [];
    await expect(eachBatch([1, 2], AbortSignal.abort(), async (b) => void seen.push(b))).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([]);
    await eachBatch([1, 2, 3], new AbortController().signal, async (b) => void seen.push(b));
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('cancelling the encoder', () => {
  let encoder: TransformersEncoder;
  beforeAll(async () => {
    // A small token budget makes many batches out of a few hundred texts.
    encoder = await createTransformersEncoder({ source: { kind: 'local', files: TINY }, device: 'cpu', tokenBudget: 64 });
  });
  afterAll(() => encoder.dispose());

  const texts = Array.from({ length: 300 }, (_, i) => `worker ${i} finished job ${i * 13} in ${i % 17} ms on node-${i % 5}`);

  for (const call of ['embed', 'surprise'] as const) {
    it(`${call}: an abort from a timer mid-call rejects within one batch, and the encoder stays usable`, async () => {
      const controller = new AbortController();
      let done = 0;
      let doneAtAbort = -1;
      let largestStep = 0;
      const onProgress = (p: { done: number }) => {
        largestStep = Math.max(largestStep, p.done - done);
        done = p.done;
        if (doneAtAbort < 0 && done > 0) {
          setTimeout(() => {
            doneAtAbort = done;
            controller.abort();
          }, 0);
        }
      };
      const run =
        call === 'embed'
          ? encoder.embed(texts, { signal: controller.signal, onProgress })
          : encoder.surprise(texts, { signal: controller.signal, onProgress });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(doneAtAbort).toBeGreaterThan(0);
      expect(done).toBeLessThan(texts.length);
      expect(done - doneAtAbort).toBeLessThanOrEqual(largestStep);
      // The queue moves on: the next call runs to the end.
      const after = await encoder.embed(texts.slice(0, 3));
      expect(after).toHaveLength(3 * encoder.dims);
    });
  }
});
