import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, runScore } from '../../src/cli/loupe';
import { generateLog, lineLabelsCsv, sessionLabelsCsv } from '../../src/core/generate';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'data');
const hasShared = existsSync(SHARED);
const quiet = () => {};

function generatedFiles(): { log: string; labels: string; sessions: string } {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-cli-'));
  const lines = [...generateLog({ seed: 21, lines: 3000, layout: 'syslog' })];
  const log = join(dir, 'gen.log');
  const labels = join(dir, 'gen.labels.csv');
  writeFileSync(log, lines.map((l) => l.text).join('\n') + '\n');
  writeFileSync(labels, lineLabelsCsv(lines));
  const sessions = join(dir, 'gen.sessions.csv');
  writeFileSync(sessions, sessionLabelsCsv(lines));
  return { log, labels, sessions };
}

describe('loupe CLI', () => {
  it('parses options and rejects bad ones with a usage message', () => {
    const { log, labels } = generatedFiles();
    const o = parseArgs(['score', log, '--labels', labels, '--unit', 'session', '--detector', 'forest', '--json']);
    expect(o).toMatchObject({ files: [log], labels, unit: 'session', detector: 'forest', json: true });
    expect(() => parseArgs(['score'])).toThrow(/at least one log file/);
    expect(() => parseArgs(['score', log, '--unit', 'block'])).toThrow(/--unit must be/);
    expect(() => parseArgs(['score', '/no/such.log'])).toThrow(/no such file/);
    expect(() => parseArgs(['rank', log])).toThrow(/unknown command/);
    expect(() => parseArgs(['score', log, '--session-regex', '(unclosed'])).toThrow(/not a valid regular expression/);
  });

  it('scores a generated log: request sessions found by their ids, ranked against session labels', async () => {
    const { log, sessions } = generatedFiles();
    const regex = 'req-[0-9a-f]{8}|blk_-?\\d+|job-\\d+';
    const { summary } = await runScore(parseArgs(['score', log, '--labels', sessions, '--unit', 'session', '--session-regex', regex, '--detector', 'forest', '--no-encoder']), quiet);
    expect(summary.records).toBe(3000);
    expect(summary.scoreDistribution.length).toBeGreaterThan(100);
    expect(summary.metrics?.unit).toBe('session');
    expect(summary.metrics!.auroc).toBeGreaterThan(0.6);
  });

  it('prints JSON with top-level metrics from the command line', () => {
    const { log, labels } = generatedFiles();
    const out = execFileSync('npx', ['tsx', 'src/cli/loupe.ts', 'score', log, '--labels', labels, '--no-encoder', '--detector', 'forest', '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const report = JSON.parse(out);
    expect(Object.keys(report.metrics).sort()).toEqual(['ap', 'auroc', 'best_f1', 'detector', 'f1', 'precision', 'recall', 'unit']);
    expect(report.templates.length).toBeGreaterThan(5);
  });

  it.skipIf(!hasShared)('finds HDFS blocks as sessions without being told, and scores them against block labels', async () => {
    const o = parseArgs(['score', join(SHARED, 'hdfs', 'HDFS_AD_5k.log'), '--labels', join(SHARED, 'hdfs', 'HDFS_AD_5k.block_labels.csv'), '--unit', 'session', '--no-encoder', '--detector', 'forest']);
    const { summary } = await runScore(o, quiet);
    expect(summary.scoreDistribution.length).toBe(110);
    expect(summary.metrics!.auroc).toBeGreaterThan(0.8);
  });

  it.skipIf(!hasShared)('reference mode: fitted on normal BGL, the BGL alerts stand out more', async () => {
    const target = join(SHARED, 'loghub_2k', 'BGL', 'BGL_2k.log');
    const alone = await runScore(parseArgs(['score', target, '--no-encoder', '--detector', 'forest']), quiet);
    const withReference = await runScore(parseArgs(['score', target, '--reference', join(SHARED, 'bgl', 'BGL_5000.log'), '--no-encoder', '--detector', 'forest']), quiet);
    expect(withReference.summary.referenceMode).toBe(true);
    expect(withReference.summary.templates.some((t) => t.novel)).toBe(true);
    expect(withReference.summary.metrics!.auroc).toBeGreaterThan(alone.summary.metrics!.auroc);
  });
});
