/**
 * A fit keeps the encoder that made its vectors: after a cancelled run with another model, the
 * explanations of the analysis on screen still embed with the model that scored it.
 */
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS, type ModelSource } from '../../../src/core/analysis/types';
import type { EncodeOptions, Encoder } from '../../../src/core/embed/encoder';
import { generateLog } from '../../../src/core/generate';

/** Hashes words into a small vector: a deterministic stand-in for a model, named by `id`. */
class WordHashEncoder implements Encoder {
  readonly dims = 16;
  readonly hasMlmHead = false;
  readonly calls: number[] = [];
  disposed = false;
  constructor(
    readonly id: string,
    private readonly gate?: Promise<void>,
  ) {}
  get info() {
    return { modelId: this.id, device: 'cpu' as const, threads: 1, maxTokens: 128 };
  }
  async embed(texts: string[], opts?: EncodeOptions): Promise<Float32Array> {
    if (this.disposed) throw new Error(`${this.id} was disposed`);
    this.calls.push(texts.length);
    if (this.gate) await this.gate;
    opts?.signal?.throwIfAborted();
    const out = new Float32Array(texts.length * this.dims);
    texts.forEach((t, r) => {
      for (const w of t.split(/\s+/)) {
        let h = this.id.length;
        for (let k = 0; k < w.length; k++) h = (h * 31 + w.charCodeAt(k)) >>> 0;
        out[r * this.dims + (h % this.dims)] += 1;
      }
      let n = 0;
      for (let d = 0; d < this.dims; d++) n += out[r * this.dims + d] ** 2;
      for (let d = 0; d < this.dims; d++) out[r * this.dims + d] /= Math.sqrt(n) || 1;
    });
    return out;
  }
  async surprise(): Promise<never> {
    throw new Error('no MLM head');
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

describe('the encoder of an analysis', () => {
  it('explains with the model that scored the analysis, not one loaded by a cancelled run', async () => {
    const text = [...generateLog({ seed: 3, lines: 800, layout: 'iso' })].map((l) => l.text).join('\n');
    const input = { files: [{ name: 'a.log', data: new Blob([text]), role: 'target' as const }] };
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const made: WordHashEncoder[] = [];
    const service = new AnalysisService(async (model: ModelSource) => {
      const encoder = new WordHashEncoder(model.kind === 'hub' ? model.modelId : 'bundled', model.kind === 'hub' ? gate : undefined);
      made.push(encoder);
      return encoder;
    });
    const settings = { ...DEFAULT_SETTINGS, detector: 'forest' as const };
    const first = await service.analyze(input, settings, () => {});
    expect(first.encoder?.modelId).toBe('bundled');

    const second = service.analyze(input, { ...settings, model: { kind: 'hub', modelId: 'other/model' } }, () => {});
    await new Promise((r) => setTimeout(r, 50));
    service.cancel();
    release();
    await expect(second).rejects.toThrow(/cancel/i);

    const [bundled, other] = made;
    const before = { bundled: bundled.calls.length, other: other.calls.length };
    const detail = await service.detail(first.unitRows[0].index);
    expect(detail.saliency.length).toBeGreaterThan(0);
    expect(bundled.calls.length).toBe(before.bundled + 1);
    expect(other.calls.length).toBe(before.other);
    expect(bundled.disposed).toBe(false);
  });
});

describe('a chosen model that cannot be loaded', () => {
  it('falls back to the bundled model and says why', async () => {
    const text = [...generateLog({ seed: 4, lines: 300, layout: 'iso' })].map((l) => l.text).join('\n');
    const service = new AnalysisService(async (model: ModelSource) => {
      if (model.kind === 'hub') throw new Error('offline and not in the browser cache');
      return new WordHashEncoder('bundled');
    });
    const summary = await service.analyze(
      { files: [{ name: 'a.log', data: new Blob([text]), role: 'target' }] },
      { ...DEFAULT_SETTINGS, detector: 'forest', model: { kind: 'hub', modelId: 'someone/bert' } },
      () => {},
    );
    expect(summary.encoder?.modelId).toBe('bundled');
    expect(summary.encoder?.modelNote).toMatch(
      /someone\/bert could not be loaded \(offline and not in the browser cache\); the bundled model/,
    );
  });
});
