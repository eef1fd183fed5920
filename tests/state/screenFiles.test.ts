/** A drop of several files sets aside only the bad ones, each with its reason. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rejectedMessage, screenLogs } from '../../src/state/screenFiles';
import { createLoupeStore } from '../../src/state/createStore';
import { FakeAnalysis, MemoryStorage } from './fakeAnalysis';

const png = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  0,
  0,
  13,
  0x49,
  0x48,
  0x44,
  0x52,
  ...new Array(200).fill(0),
]);

describe('screening dropped logs', () => {
  it('keeps text, gzip and UTF-16 logs and rejects binary and empty files with reasons', async () => {
    const files = [
      new File(['2024-01-01 INFO ok\n'], 'good.log'),
      new File([png], 'photo.png'),
      new File([], 'empty.log'),
      new File([gzipSync(Buffer.from('INFO zipped\n'))], 'z.log.gz'),
      new File([new Uint8Array([0xff, 0xfe, 0x41, 0, 0x0a, 0])], 'utf16.log'),
    ];
    const { good, rejected } = await screenLogs(files);
    expect(good.map((f) => f.name)).toEqual(['good.log', 'z.log.gz', 'utf16.log']);
    expect(rejected).toEqual([
      { name: 'photo.png', reason: expect.stringMatching(/binary file \(NUL bytes/) },
      { name: 'empty.log', reason: 'it is empty' },
    ]);
    expect(rejectedMessage(rejected, 3)).toMatch(
      /^Skipped 2 of 5 files\. photo\.png: it looks like a binary file .*empty\.log: it is empty\.$/,
    );
  });

  it('analyses the good files of a mixed drop and says which were skipped', async () => {
    const fake = new FakeAnalysis({ scores: [0.1, 0.9] });
    const store = createLoupeStore({ client: () => fake, storage: new MemoryStorage(), fetchDemo: async () => [], download: () => {} });
    await store.getState().openFiles([new File(['INFO a\n'], 'a.log'), new File([png], 'photo.png')]);
    expect(fake.calls[0]).toBe('analyze:target:a.log');
    expect(store.getState().summary).not.toBeNull();
    expect(store.getState().notice).toMatch(/Skipped 1 of 2 files\. photo\.png: it looks like a binary file/);
    await store.getState().openFiles([new File([png], 'only.png')]);
    expect(store.getState().error).toMatch(/Nothing to analyse\. only\.png: it looks like a binary file/);
    expect(fake.calls.filter((c) => c.startsWith('analyze'))).toHaveLength(1);
  });
});
