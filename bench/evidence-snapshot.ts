/**
 * Snapshots everything a detector could use, once, so detection experiments run without the
 * encoder (minutes of surprise on a small machine) and without depending on scoring code in flux.
 *   npx tsx bench/evidence-snapshot.ts [--out /tmp/loupe-evidence] [--only bgl_2k,demo]
 * Per set it writes <out>/<set>.json: the distinct target texts (count, template, level, surprise
 * mean/max, per-word surprise), the vectors (base64 Float32, row-major), the records (text, template,
 * level, timestamp, raw message, label), the sessions (CSR) and session labels; for a set with a
 * reference the same for the reference texts.
 */
import { existsSync, mkdirSync, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildRecords, type InputFile, type RecordsResult } from '../src/core/analysis/records';
import { parseLabelsCsv } from '../src/core/analysis/labels';
import { sessionGroups } from '../src/core/analysis/units';
import { DEFAULT_SETTINGS } from '../src/core/analysis/types';
import { createTransformersEncoder } from '../src/core/embed/transformersEncoder';
import type { Encoder } from '../src/core/embed/encoder';
import { SURPRISE_MASK_STRIDE } from '../src/core/embed/maskPlan';
import type { TextTable } from '../src/core/types';
import { LOGHUB_SYSTEMS } from './loghub';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, '..', 'shared', 'data');
const SAMPLES = join(ROOT, 'public', 'samples');

export interface SnapshotSet {
  name: string;
  target: string;
  reference?: string;
  /** Line labels: 'prefix' = the BGL alert token the parser reads, else a CSV of 1-based line numbers. */
  lineLabels?: 'prefix' | string;
  sessionLabels?: string;
  /**
   * The session regex an analyst would type: the built-in rules know only UUID request ids, and the
   * demo's `req-<8 hex>`, `blk_<n>` and `job-<n>` sessions are what its session labels name.
   */
  sessionRegex?: string;
}

const DEMO_SESSIONS = '(req-[0-9a-f]{8}|blk_-?\\d+|job-\\d+)';

export const SNAPSHOT_SETS: SnapshotSet[] = [
  { name: 'bgl_2k', target: join(DATA, 'loghub_2k', 'BGL', 'BGL_2k.log'), lineLabels: 'prefix' },
  {
    name: 'bgl_2k_ref',
    target: join(DATA, 'loghub_2k', 'BGL', 'BGL_2k.log'),
    reference: join(DATA, 'bgl', 'BGL_5000.log'),
    lineLabels: 'prefix',
  },
  { name: 'hdfs_ad_5k', target: join(DATA, 'hdfs', 'HDFS_AD_5k.log'), sessionLabels: join(DATA, 'hdfs', 'HDFS_AD_5k.block_labels.csv') },
  {
    name: 'demo',
    target: join(SAMPLES, 'demo.log'),
    lineLabels: join(SAMPLES, 'demo.labels.csv'),
    sessionLabels: join(SAMPLES, 'demo.sessions.csv'),
    sessionRegex: DEMO_SESSIONS,
  },
  {
    name: 'demo_syslog',
    target: join(SAMPLES, 'demo-syslog.log'),
    lineLabels: join(SAMPLES, 'demo-syslog.labels.csv'),
    sessionLabels: join(SAMPLES, 'demo-syslog.sessions.csv'),
    sessionRegex: DEMO_SESSIONS,
  },
  {
    name: 'demo_jsonl',
    target: join(SAMPLES, 'demo.jsonl'),
    lineLabels: join(SAMPLES, 'demo-jsonl.labels.csv'),
    sessionLabels: join(SAMPLES, 'demo-jsonl.sessions.csv'),
    sessionRegex: DEMO_SESSIONS,
  },
  {
    name: 'demo_hdfs',
    target: join(SAMPLES, 'demo-hdfs.log'),
    lineLabels: join(SAMPLES, 'demo-hdfs.labels.csv'),
    sessionLabels: join(SAMPLES, 'demo-hdfs.sessions.csv'),
    sessionRegex: DEMO_SESSIONS,
  },
  ...LOGHUB_SYSTEMS.map((s) => ({ name: `loghub_${s.toLowerCase()}`, target: join(DATA, 'loghub_2k', s, `${s}_2k.log`) })),
];

function b64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

async function textEvidence(encoder: Encoder, table: TextTable): Promise<Record<string, unknown>> {
  const texts = table.texts;
  const vectors = await encoder.embed(texts);
  const started = Date.now();
  const surprise = await encoder.surprise(texts, { maskStride: SURPRISE_MASK_STRIDE });
  console.error(`  surprise of ${texts.length} texts: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    texts,
    counts: Array.from(table.counts),
    templateOf: Array.from(table.templateOf),
    levelOf: Array.from(table.levelOf),
    dims: encoder.dims,
    vectors: b64(vectors),
    surpriseMean: surprise.map((r) => (Number.isNaN(r.mean) ? 0 : r.mean)),
    surpriseMax: surprise.map((r) => (Number.isNaN(r.max) ? 0 : r.max)),
    words: surprise.map((r) => r.words.map((w) => [w.text, Math.round(w.surprise * 1000) / 1000])),
  };
}

async function snapshot(set: SnapshotSet, encoder: Encoder, out: string): Promise<void> {
  const files: InputFile[] = [];
  if (set.reference) files.push({ name: 'reference.log', data: await openAsBlob(set.reference), role: 'reference' });
  files.push({ name: set.target.split('/').pop()!, data: await openAsBlob(set.target), role: 'target' });
  const records: RecordsResult = await buildRecords(files, DEFAULT_SETTINGS);
  const t = records.target;
  const label = new Int8Array(t.count).fill(-1);
  if (set.lineLabels === 'prefix') label.set(t.label.subarray(0, t.count));
  else if (set.lineLabels) {
    const byLine = parseLabelsCsv(readFileSync(set.lineLabels, 'utf8')).byLine;
    for (let i = 0; i < t.count; i++) label[i] = byLine.get(t.lineNumber[i] + 1) ?? -1;
  }
  const groups = await sessionGroups(t, set.sessionRegex);
  let sessionLabel: number[] | undefined;
  if (groups && set.sessionLabels) {
    const bySession = parseLabelsCsv(readFileSync(set.sessionLabels, 'utf8')).bySession;
    sessionLabel = groups.keys.map((k) => bySession.get(k) ?? -1);
  }
  console.error(
    `${set.name}: ${t.count} records, ${records.targetTexts.texts.length} texts, ${records.templates.length} templates, ${groups?.keys.length ?? 0} sessions`,
  );
  const result = {
    name: set.name,
    target: set.target,
    reference: set.reference,
    templates: records.templates,
    texts: await textEvidence(encoder, records.targetTexts),
    referenceTexts: records.reference ? await textEvidence(encoder, records.reference.texts) : undefined,
    referenceRecords: records.reference
      ? {
          textIndex: Array.from(records.reference.records.textIndex.subarray(0, records.reference.records.count)),
          templateId: Array.from(records.reference.records.templateId.subarray(0, records.reference.records.count)),
        }
      : undefined,
    records: {
      count: t.count,
      textIndex: Array.from(t.textIndex.subarray(0, t.count)),
      templateId: Array.from(t.templateId.subarray(0, t.count)),
      level: Array.from(t.level.subarray(0, t.count)),
      timestamp: Array.from(t.timestamp.subarray(0, t.count)),
      lineNumber: Array.from(t.lineNumber.subarray(0, t.count)),
      raw: t.raw.slice(0, t.count),
      message: t.message.slice(0, t.count),
      label: Array.from(label),
    },
    sessions: groups
      ? { keys: groups.keys, starts: Array.from(groups.starts), members: Array.from(groups.members), label: sessionLabel }
      : undefined,
  };
  writeFileSync(join(out, `${set.name}.json`), JSON.stringify(result));
}

const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? process.argv[outArg + 1] : '/tmp/loupe-evidence';
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : undefined;
mkdirSync(out, { recursive: true });
const encoder = await createTransformersEncoder({
  source: { kind: 'local', name: 'loupe-log-bert', files: join(ROOT, 'public', 'models', 'loupe-log-bert') },
  device: 'cpu',
});
for (const set of SNAPSHOT_SETS) {
  if (only && !only.has(set.name)) continue;
  if (!existsSync(set.target)) {
    console.error(`${set.name}: ${set.target} is absent; skipped.`);
    continue;
  }
  const started = Date.now();
  await snapshot(set, encoder, out);
  console.error(`${set.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
await encoder.dispose();
