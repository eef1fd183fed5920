import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LabelsError, parseLabelsCsv, parseLabelsStream } from '../../../src/core/analysis/labels';
import { generateLog, lineLabelsCsv, sessionLabelsCsv } from '../../../src/core/generate';

const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const BLOCK_LABELS = join(SHARED, 'hdfs', 'HDFS_5000.block_labels.csv');

/** V8's longest string (2^29 - 24 characters): `Blob.text()` of a larger file throws. */
const V8_MAX_STRING = 2 ** 29 - 24;

describe('labels CSV, streamed', () => {
  it('reads the same labels as the string parser, from a Blob, gzip included', async () => {
    const lines = [...generateLog({ seed: 4, lines: 2000, layout: 'syslog' })];
    for (const csv of [lineLabelsCsv(lines), sessionLabelsCsv(lines)]) {
      const fromString = parseLabelsCsv(csv);
      for (const data of [new Blob([csv]), new Blob([gzipSync(Buffer.from(csv))])]) {
        const streamed = await parseLabelsStream(data);
        expect(streamed.byLine.size).toBe(fromString.byLine.size);
        expect(streamed.bySession.size).toBe(fromString.bySession.size);
        for (let line = 1; line <= 2000; line++) expect(streamed.byLine.get(line)).toBe(fromString.byLine.get(line));
      }
    }
  });

  it.skipIf(!existsSync(BLOCK_LABELS))('reads the HDFS block labels (header row, 626 blocks, as the string parser does)', async () => {
    const labels = await parseLabelsStream(new Blob([readFileSync(BLOCK_LABELS)]));
    const fromString = parseLabelsCsv(readFileSync(BLOCK_LABELS, 'utf8'));
    expect(labels.bySession.size).toBe(626);
    expect(labels.bySession.get('blk_7503483334202473044')).toBe(0);
    let anomalous = 0;
    for (const row of readFileSync(BLOCK_LABELS, 'utf8').split('\n').slice(1)) {
      const id = row.split(',')[0];
      if (id) expect(labels.bySession.get(id)).toBe(fromString.bySession.get(id));
      if (labels.bySession.get(id) === 1) anomalous++;
    }
    expect(anomalous).toBeGreaterThan(0);
    expect(labels.byLine.size).toBe(0);
  });

  it('says which line is wrong, counting from 1', async () => {
    await expect(parseLabelsStream(new Blob(['id,label\n1,0\n2,maybe\n']))).rejects.toThrow(/line 3: "maybe" is not a label/);
    await expect(parseLabelsStream(new Blob(['1,0\nno comma here\n']))).rejects.toThrow(/line 2 has no comma/);
    await expect(parseLabelsStream(new Blob(['\n  \n']))).rejects.toBeInstanceOf(LabelsError);
  });

  it('reads a labels file longer than the longest string V8 can make', async () => {
    // 64-byte rows "000000001,0,<comment>" streamed in 1 MiB chunks: 8.4 million line labels, never one string.
    const rowBytes = 64;
    const rowsPerChunk = Math.floor(2 ** 20 / rowBytes);
    const chunks = Math.ceil(V8_MAX_STRING / (rowsPerChunk * rowBytes)) + 1;
    const comment = 'x'.repeat(rowBytes - 13);
    async function* rows(): AsyncGenerator<Uint8Array> {
      const encoder = new TextEncoder();
      for (let c = 0; c < chunks; c++) {
        const text: string[] = [];
        for (let r = 0; r < rowsPerChunk; r++) {
          const line = c * rowsPerChunk + r + 1;
          text.push(`${String(line).padStart(9, '0')},${line % 1000 === 0 ? 1 : 0},${comment}\n`);
        }
        yield encoder.encode(text.join(''));
      }
    }
    const labels = await parseLabelsStream(rows(), 'huge.labels.csv');
    const total = chunks * rowsPerChunk;
    expect(total * rowBytes).toBeGreaterThan(V8_MAX_STRING);
    expect(labels.byLine.size).toBe(total);
    expect(labels.byLine.get(1000)).toBe(1);
    expect(labels.byLine.get(total - 1)).toBe((total - 1) % 1000 === 0 ? 1 : 0);
    expect(labels.byLine.get(total + 1)).toBeUndefined();
  }, 120_000);
});
