/**
 * Preliminary scores for every log (issue 13 §3): template rarity and TF-IDF as soon as the
 * templates exist, before the encoder's first batch, then replaced by the encoder's scores.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisService } from '../../../src/core/analysis/service';
import { DEFAULT_SETTINGS, type AnalysisSummary, type StageProgress } from '../../../src/core/analysis/types';
import type { EncodeOptions, Encoder } from '../../../src/core/embed/encoder';

const LOGHUB = resolve(import.meta.dirname, '../../../../shared/data/loghub_2k');
const hdfs = join(LOGHUB, 'HDFS', 'HDFS_2k.log');

/** Hashes words into a small vector: a deterministic stand-in for a model, that records its calls. */
class WordHashEncoder implements Encoder {
  readonly dims = 16;
  readonly hasMlmHead = false;
  constructor(private readonly events: string[]) {}
  get info() {
    return { modelId: 'word-hash', device: 'cpu' as const, threads: 1, maxTokens: 128 };
  }
  async embed(texts: string[], opts?: EncodeOptions): Promise<Float32Array> {
    this.events.push('embed');
    const out = new Float32Array(texts.length * this.dims);
    texts.forEach((t, r) => {
      for (const w of t.split(/\s+/)) {
        let h = 7;
        for (let k = 0; k < w.length; k++) h = (h * 31 + w.charCodeAt(k)) >>> 0;
        out[r * this.dims + (h % this.dims)] += 1;
      }
    });
    opts?.onProgress?.({ done: texts.length, total: texts.length });
    return out;
  }
  async surprise(): Promise<never> {
    throw new Error('no MLM head');
  }
  async dispose(): Promise<void> {}
}

describe.skipIf(!existsSync(hdfs))('preliminary scores on a small real log', () => {
  it("a 2,000-line Loghub log gets template-rarity + TF-IDF scores before the encoder runs, then the encoder's", async () => {
    const events: string[] = [];
    const previews: AnalysisSummary[] = [];
    const progress: StageProgress[] = [];
    const service = new AnalysisService(async () => new WordHashEncoder(events));
    const summary = await service.analyze(
      { files: [{ name: 'HDFS_2k.log', data: new Blob([readFileSync(hdfs)]), role: 'target' }] },
      DEFAULT_SETTINGS,
      (p) => {
        progress.push(p);
        if (p.preview) {
          events.push('preview');
          previews.push(p.preview);
        }
      },
    );
    expect(previews).toHaveLength(1);
    // Before the first batch of the encoder.
    expect(events.indexOf('preview')).toBeLessThan(events.indexOf('embed'));
    const [preview] = previews;
    expect(preview.records).toBe(2000);
    expect(preview.scoreDistribution.length).toBe(2000);
    expect(preview.encoder?.modelId).toBe('tf-idf');
    expect(preview.encoder?.fallbackReason).toMatch(/Preliminary/);
    // The preview's forest: rarity, level and TF-IDF novelty, no PCA fit (half its cost on small logs).
    expect(preview.settings.forest.pcaComponents).toBe(0);
    expect(preview.settings.detector).toBe('forest');
    // Its scores rank: the rarest templates score above the most common one.
    const templates = [...preview.templates].sort((a, b) => a.count - b.count);
    expect(templates[0].score).toBeGreaterThan(templates[templates.length - 1].score);
    // Then the encoder's analysis replaces it, with the analyst's settings.
    expect(summary.encoder?.modelId).toBe('word-hash');
    expect(summary.settings.forest.pcaComponents).toBe(DEFAULT_SETTINGS.forest.pcaComponents);
    expect(summary.records).toBe(2000);
    // The preview message says which step comes next (the encoder's), and progress goes on after it.
    const at = progress.findIndex((p) => p.preview);
    expect(progress[at].stage).toBe('embed');
    expect(progress.slice(at + 1).some((p) => p.stage === 'score')).toBe(true);
  });

  it('a log without an encoder factory (the CLI, tests) gets no preview: there is nothing to wait for', async () => {
    const previews: AnalysisSummary[] = [];
    const service = new AnalysisService();
    await service.analyze(
      { files: [{ name: 'HDFS_2k.log', data: new Blob([readFileSync(hdfs)]), role: 'target' }] },
      { ...DEFAULT_SETTINGS, detector: 'forest' },
      (p) => {
        if (p.preview) previews.push(p.preview);
      },
    );
    expect(previews).toHaveLength(0);
  });
});
