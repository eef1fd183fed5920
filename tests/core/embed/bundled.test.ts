/**
 * Loupe's bundled log BERT: surprise must rank a clearly abnormal log line above normal ones, and
 * the gathered-head surprise graph must give the full graph's values on a real labelled log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTransformersEncoder } from '../../../src/core/embed/transformersEncoder';
import { averagePrecision, rocAuc } from '../../../src/core/evaluate/curves';
import { readStructuredCsv } from '../../../src/core/templates/loghubCsv';
import { DEFAULT_MASKS, maskVariables } from '../../../src/core/templates/masks';
import { BUNDLED, SHARED_DATA, hasBundledModel, withoutGatherableHead } from './helpers';

const BGL = join(SHARED_DATA, 'loghub_2k/BGL/BGL_2k.log_structured.csv');

describe.skipIf(!hasBundledModel)(
  `bundled model (${hasBundledModel ? 'found' : 'skipped: public/models/loupe-log-bert is absent'})`,
  () => {
    it('ranks an abnormal line above normal lines by surprise, and embeds to unit vectors', async () => {
      const encoder = await createTransformersEncoder({ source: { kind: 'local', files: BUNDLED }, device: 'cpu' });
      expect(encoder.hasMlmHead).toBe(true);
      const normal = [
        'generating core.<*>',
        'instruction cache parity error corrected',
        'Receiving block <*> src: <*> dest: <*>',
        'PacketResponder <*> for block <*> terminating',
      ];
      const abnormal = 'zebra banana purple quantum violin chocolate';
      const results = await encoder.surprise([...normal, abnormal]);
      const means = results.map((r) => r.mean);
      for (let i = 0; i < normal.length; i++) expect(means[normal.length]).toBeGreaterThan(means[i]);
      const vectors = await encoder.embed(normal);
      expect(Math.hypot(...vectors.subarray(0, encoder.dims))).toBeCloseTo(1, 4);
      await encoder.dispose();
    });
  },
);

describe.skipIf(!hasBundledModel || !existsSync(BGL))(
  'surprise graph on BGL_2k (skipped without the bundled model or ../shared/data)',
  () => {
    it("gives the full graph's per-text mean surprise, so per-line AUROC and AP do not move", async () => {
      const rows = readStructuredCsv(readFileSync(BGL, 'utf8'));
      const lineTexts = rows.map((r) => maskVariables(r.Content ?? '', DEFAULT_MASKS));
      const labels = Uint8Array.from(rows, (r) => (r.Label === '-' ? 0 : 1));
      const distinct = [...new Set(lineTexts)];
      const gathered = await createTransformersEncoder({ source: { kind: 'local', files: BUNDLED }, device: 'cpu' });
      const full = await createTransformersEncoder({
        source: { kind: 'local', name: 'full-head', files: withoutGatherableHead(BUNDLED) },
        device: 'cpu',
      });
      try {
        expect([gathered.info.surpriseHeadGathered, full.info.surpriseHeadGathered]).toEqual([true, false]);
        const a = (await gathered.surprise(distinct)).map((r) => r.mean);
        const b = (await full.surprise(distinct)).map((r) => r.mean);
        const maxDiff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
        expect(maxDiff).toBeLessThan(1e-4);
        const perLine = (means: number[]) => {
          const byText = new Map(distinct.map((t, i) => [t, means[i]]));
          return Float64Array.from(lineTexts, (t) => byText.get(t)!);
        };
        const [auA, auB] = [rocAuc(perLine(a), labels), rocAuc(perLine(b), labels)];
        const [apA, apB] = [averagePrecision(perLine(a), labels), averagePrecision(perLine(b), labels)];
        console.info(
          `BGL_2k ${distinct.length} texts: max |Δ mean surprise| ${maxDiff.toExponential(2)}; AUROC ${auA.toFixed(4)} vs ${auB.toFixed(4)}, AP ${apA.toFixed(4)} vs ${apB.toFixed(4)}`,
        );
        expect(Math.abs(auA - auB)).toBeLessThan(1e-4);
        expect(Math.abs(apA - apB)).toBeLessThan(1e-4);
        // Surprise separates BGL's alerts from normal lines at all.
        expect(auA).toBeGreaterThan(0.85);
      } finally {
        await gathered.dispose();
        await full.dispose();
      }
    }, 120_000);
  },
);
