import { describe, expect, it } from 'vitest';
import {
  analysisKey,
  fileFingerprint,
  hashText,
  lineKey,
  mergeLabels,
  sessionKey,
  templateKey,
  verdictArrays,
  type AnalystLabel,
} from '../../../src/core/labels/labels';

const at = (over: Partial<AnalystLabel> & Pick<AnalystLabel, 'key'>): AnalystLabel => ({
  target: 'line',
  verdict: 1,
  note: '',
  updatedAt: 1,
  ...over,
});

describe('analyst labels', () => {
  it('fingerprints files by content, not name: an edit anywhere in a big file changes it', async () => {
    const big = new Uint8Array(3 * 2 ** 20).map((_, i) => (i * 31) % 251);
    const a = await fileFingerprint(new Blob([big]));
    expect(await fileFingerprint(new Blob([big]))).toBe(a);
    const head = big.slice();
    head[10] ^= 1;
    const tail = big.slice();
    tail[tail.length - 3] ^= 1;
    const longer = new Uint8Array(big.length + 1);
    longer.set(big);
    const fingerprints = new Set([
      a,
      await fileFingerprint(new Blob([head])),
      await fileFingerprint(new Blob([tail])),
      await fileFingerprint(new Blob([longer])),
    ]);
    expect(fingerprints.size).toBe(4);
    expect(await fileFingerprint(new Blob(['x']))).not.toBe(await fileFingerprint(new Blob(['y'])));
  });

  it('hashes are stable and spread', () => {
    expect(hashText('abc')).toBe(hashText('abc'));
    const seen = new Set(Array.from({ length: 20000 }, (_, i) => hashText(`line ${i}`)));
    expect(seen.size).toBe(20000);
  });

  it('merges copies label by label: the later write wins, a clearing too', () => {
    const mine = new Map([
      ['k1', at({ key: 'k1', verdict: 1, updatedAt: 10 })],
      ['k2', at({ key: 'k2', verdict: 0, updatedAt: 10 })],
    ]);
    const theirs = [
      at({ key: 'k1', verdict: 0, updatedAt: 5 }),
      at({ key: 'k2', verdict: null, updatedAt: 11 }),
      at({ key: 'k3', verdict: 1, updatedAt: 1, note: 'n' }),
    ];
    const merged = mergeLabels(mine, theirs);
    expect(merged.get('k1')!.verdict).toBe(1);
    expect(merged.get('k2')!.verdict).toBeNull();
    expect(merged.get('k3')!.note).toBe('n');
    expect(mine.get('k2')!.verdict).toBe(0); // inputs are not changed
  });

  it('turns labels into per-line, per-template and per-session verdicts for one analysis', () => {
    const fileKeys = ['fA', 'fB'];
    const analysis = analysisKey(fileKeys);
    expect(analysisKey(['fB', 'fA'])).toBe(analysis);
    const units = {
      fileKeys,
      fileIndex: Uint16Array.of(0, 0, 1, 1),
      lineNumber: Uint32Array.of(0, 1, 0, 1),
      templates: [
        { id: 0, text: 'open <*>' },
        { id: 1, text: 'close <*>' },
      ],
      sessionKeys: ['blk_1', 'blk_2'],
    };
    const v = verdictArrays(
      [
        at({ key: lineKey('fB', 2), verdict: 1 }),
        at({ key: lineKey('fA', 1), verdict: 0 }),
        at({ key: lineKey('fC', 1), verdict: 1 }), // another file
        at({ key: lineKey('fA', 2), verdict: null }), // cleared
        at({ key: templateKey(analysis, 'close <*>'), target: 'template', verdict: 1 }),
        at({ key: templateKey(analysisKey(['fZ']), 'open <*>'), target: 'template', verdict: 1 }), // another analysis
        at({ key: sessionKey(analysis, 'blk_2'), target: 'session', verdict: 0 }),
      ],
      units,
    );
    expect(Array.from(v.line)).toEqual([0, -1, -1, 1]);
    expect(Array.from(v.template)).toEqual([-1, 1]);
    expect(Array.from(v.session!)).toEqual([-1, 0]);
    expect(v.matched).toBe(4);
  });
});
