import { describe, expect, it } from 'vitest';
import { readInput, withEvidence } from '../../../src/core/analysis/fit';
import { scoreFit } from '../../../src/core/analysis/scoring';
import { restoreSnapshot } from '../../../src/core/analysis/restoreSnapshot';
import { snapshotOf } from '../../../src/core/analysis/snapshot';
import { summarise } from '../../../src/core/analysis/summary';
import { DEFAULT_SETTINGS } from '../../../src/core/analysis/types';
import { isBundle, readBundle, writeBundle, type BundleContents } from '../../../src/core/bundle/bundleFile';
import { gunzip, gzip } from '../../../src/core/bundle/gzip';
import { generateLog } from '../../../src/core/generate';
import type { AnalystLabel } from '../../../src/core/labels/labels';

const settings = { ...DEFAULT_SETTINGS, detector: 'forest' as const };

async function contents(lines: string[]): Promise<Omit<BundleContents, 'createdAt'>> {
  const text = lines.join('\n') + '\n';
  const base = await readInput(
    [{ name: 'app.log', data: new Blob([text]), role: 'target', size: text.length }],
    settings,
    undefined,
    () => undefined,
    new AbortController().signal,
  );
  const fit = await withEvidence(base, undefined, undefined, () => undefined, new AbortController().signal);
  const scoring = await scoreFit(fit, settings);
  const label: AnalystLabel = {
    key: 'fabc:L3',
    target: 'line',
    verdict: 1,
    note: '<img src=x onerror=alert(1)> disk',
    updatedAt: 1_700_000_000_000,
    file: 'app.log',
    line: 3,
  };
  return {
    name: 'app.log <b>',
    model: { id: 'tf-idf' },
    fileKeys: ['fabc'],
    notes: 'checked on call',
    labels: [label],
    snapshot: await snapshotOf(fit, scoring, { includeLines: true }),
  };
}

function log(n: number): string[] {
  const out: string[] = [];
  for (const line of generateLog({ seed: 3, lines: n, layout: 'iso' })) out.push(line.text);
  return out;
}

/** The decompressed container, to damage it on purpose. */
async function container(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  // gunzip allocates a fresh ArrayBuffer.
  return (await gunzip(bytes, 1e9)) as Uint8Array<ArrayBuffer>;
}

function headerOf(raw: Uint8Array<ArrayBuffer>): {
  json: Record<string, unknown>;
  rest: Uint8Array<ArrayBuffer>;
  magic: Uint8Array<ArrayBuffer>;
} {
  const length = new DataView(raw.buffer, raw.byteOffset).getUint32(13, true);
  return {
    magic: raw.subarray(0, 13),
    json: JSON.parse(new TextDecoder().decode(raw.subarray(17, 17 + length))),
    rest: raw.subarray(17 + length),
  };
}

async function withHeader(raw: Uint8Array<ArrayBuffer>, change: (h: Record<string, unknown>) => void): Promise<Uint8Array> {
  const { magic, json, rest } = headerOf(raw);
  change(json);
  const text = new TextEncoder().encode(JSON.stringify(json));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, text.length, true);
  return gzip([magic, length, text, rest]);
}

describe('analysis bundle file', () => {
  it('round-trips an analysis, its lines, labels and notes; it is recognised by content', async () => {
    const lines = log(2500);
    lines[7] = lines[7] + ' <script>alert("x")</script> \ud800 lone surrogate';
    const input = await contents(lines);
    const bytes = await writeBundle(input);
    expect(bytes[0]).toBe(0x1f);
    const file = new Blob([bytes]);
    expect(await isBundle(file)).toBe(true);
    expect(await isBundle(new Blob([await gzip([lines.join('\n')])]))).toBe(false); // a .log.gz is not a bundle
    expect(await isBundle(new Blob(['plain text']))).toBe(false);
    const read = await readBundle(file);
    expect(read.labels).toEqual(input.labels);
    expect(read.notes).toBe('checked on call');
    expect(read.name).toBe('app.log <b>');
    const restored = restoreSnapshot(read.snapshot);
    const original = restoreSnapshot(input.snapshot);
    expect(summarise(restored.fit, restored.scoring, [], {}).unitRows).toEqual(summarise(original.fit, original.scoring, [], {}).unitRows);
    expect(restored.fit.records.target.raw[7]).toContain('<script>alert("x")</script> \ufffd lone surrogate');
    expect(restored.fit.records.target.raw.slice(0, 7)).toEqual(original.fit.records.target.raw.slice(0, 7));
  });

  it('refuses damaged and hostile bundles with a readable error', async () => {
    const bytes = await writeBundle(await contents(log(400)));
    const raw = await container(bytes);
    const refuse = async (data: Uint8Array | Blob, pattern: RegExp, maxBytes?: number) => {
      await expect(readBundle(data, { maxBytes }).then((b) => restoreSnapshot(b.snapshot))).rejects.toThrow(pattern);
    };
    await refuse(new TextEncoder().encode('hello'), /not gzip-compressed/);
    await refuse(new TextEncoder().encode('{"format":"loupe-analysis","version":1}'), /older Loupe/);
    await refuse(bytes.subarray(0, Math.floor(bytes.length / 2)), /truncated or damaged/);
    await refuse(await gzip([raw.subarray(0, raw.length - 100)]), /lies past its end/);
    await refuse(await gzip([new Uint8Array(1000)]), /not a Loupe analysis bundle/);
    // A gzip bomb: 64 MB of zeros in ~64 KB is refused as soon as it expands past the limit.
    const bomb = await gzip([new Uint8Array(64 * 2 ** 20)]);
    expect(bomb.length).toBeLessThan(200_000);
    await refuse(bomb, /expands past 16 MB/, 16 * 2 ** 20);
    await refuse(
      await withHeader(raw, (h) => {
        h.version = 7;
      }),
      /newer Loupe \(format version 7\)/,
    );
    await refuse(
      await withHeader(raw, (h) => {
        h.labels = [{ key: 'k', target: 'line', verdict: 2, note: '', updatedAt: 1 }];
      }),
      /labels\.0\.verdict/,
    );
    await refuse(
      await withHeader(raw, (h) => {
        Object.defineProperty(h, 'constructor', { value: { prototype: { polluted: 1 } }, enumerable: true });
      }),
      /Unrecognized key: "constructor"/,
    );
    await refuse(
      await withHeader(raw, (h) => {
        h.notes = 'x'.repeat(2 << 20);
      }),
      /notes/,
    );
    await refuse(
      await withHeader(raw, (h) => {
        const sections = h.sections as Array<{ name: string; count: number; byteLength: number }>;
        const vectors = sections.find((s) => s.name === 'evidence.vectors')!;
        vectors.count = 5e7;
        vectors.byteLength = 2e8;
      }),
      /overlaps its header|lies past its end/,
    );
    await refuse(
      await withHeader(raw, (h) => {
        (h.snapshot as { counts: { texts: number } }).counts.texts = 1;
      }),
      /damaged/,
    );
    await refuse(
      await withHeader(raw, (h) => {
        (h.snapshot as { settings: { forest: { seed: number } } }).settings.forest.seed = -1;
      }),
      /settings\.forest\.seed/,
    );
    await refuse(
      await withHeader(raw, (h) => {
        (h.sections as Array<{ name: string }>)[0].name = '__proto__';
      }),
      /not a known column/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
