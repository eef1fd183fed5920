/** Loupe's bundled log BERT: surprise must rank a clearly abnormal log line above normal ones. */
import { describe, expect, it } from 'vitest';
import { createTransformersEncoder } from '../../src/core/embed/transformersEncoder';
import { BUNDLED, hasBundledModel } from './embedHelpers';

describe.skipIf(!hasBundledModel)(`bundled model (${hasBundledModel ? 'found' : 'skipped: public/models/loupe-log-bert is absent'})`, () => {
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
});
