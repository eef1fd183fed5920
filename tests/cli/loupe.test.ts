import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { main, openLogFile, parseArgs, runScore } from '../../src/cli/loupe';
import { printable } from '../../src/cli/output';
import { buildRecords } from '../../src/core/analysis/records';
import { DEFAULT_SETTINGS } from '../../src/core/analysis/types';
import { generateLog, generateLogText, lineLabelsCsv, sessionLabelsCsv } from '../../src/core/generate';

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
    const { summary } = await runScore(
      parseArgs([
        'score',
        log,
        '--labels',
        sessions,
        '--unit',
        'session',
        '--session-regex',
        regex,
        '--detector',
        'forest',
        '--no-encoder',
      ]),
      quiet,
    );
    expect(summary.records).toBe(3000);
    expect(summary.scoreDistribution.length).toBeGreaterThan(100);
    expect(summary.metrics?.unit).toBe('session');
    expect(summary.metrics!.auroc).toBeGreaterThan(0.6);
  });

  it('lists the most anomalous lines with their text, file, line number and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-cli-top-'));
    const lines = generateLogText({ seed: 23, lines: 2000, layout: 'iso' }).split('\n');
    const log = join(dir, 'app.log');
    writeFileSync(log, lines.join('\n'));
    const json: string[] = [];
    expect(await main(['score', log, '--no-encoder', '--top', '5', '--json'], { out: (l) => json.push(l), err: quiet })).toBe(0);
    const top = JSON.parse(json.join('\n')).top as Array<{ file: string; line: number; text: string; reason: string }>;
    expect(top).toHaveLength(5);
    for (const t of top) {
      expect(t).toMatchObject({ file: 'app.log', text: lines[t.line - 1] });
      expect(t.reason.length).toBeGreaterThan(0);
    }
    const out: string[] = [];
    await main(['score', log, '--no-encoder', '--top', '5'], { out: (l) => out.push(l), err: quiet });
    const printed = out.join('\n');
    for (const t of top) expect(printed).toContain(`line ${t.line}  `);
    expect(printed).toContain(top[0].text);
  });

  it('prints JSON with top-level metrics from the command line', () => {
    const { log, labels } = generatedFiles();
    const out = execFileSync(
      'npx',
      ['tsx', 'src/cli/loupe.ts', 'score', log, '--labels', labels, '--no-encoder', '--detector', 'forest', '--json'],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const report = JSON.parse(out);
    expect(Object.keys(report.metrics).sort()).toEqual(['ap', 'auroc', 'best_f1', 'detector', 'f1', 'precision', 'recall', 'unit']);
    expect(report.templates.length).toBeGreaterThan(5);
  });

  it.skipIf(!hasShared)('finds HDFS blocks as sessions without being told, and scores them against block labels', async () => {
    const o = parseArgs([
      'score',
      join(SHARED, 'hdfs', 'HDFS_AD_5k.log'),
      '--labels',
      join(SHARED, 'hdfs', 'HDFS_AD_5k.block_labels.csv'),
      '--unit',
      'session',
      '--no-encoder',
      '--detector',
      'forest',
    ]);
    const { summary } = await runScore(o, quiet);
    expect(summary.scoreDistribution.length).toBe(110);
    expect(summary.metrics!.auroc).toBeGreaterThan(0.8);
  });

  it.skipIf(!hasShared)('reference mode: fitted on normal BGL, the BGL alerts stand out more', async () => {
    const target = join(SHARED, 'loghub_2k', 'BGL', 'BGL_2k.log');
    const alone = await runScore(parseArgs(['score', target, '--no-encoder', '--detector', 'forest']), quiet);
    const withReference = await runScore(
      parseArgs(['score', target, '--reference', join(SHARED, 'bgl', 'BGL_5000.log'), '--no-encoder', '--detector', 'forest']),
      quiet,
    );
    expect(withReference.summary.referenceMode).toBe(true);
    expect(withReference.summary.templates.some((t) => t.novel)).toBe(true);
    expect(withReference.summary.metrics!.auroc).toBeGreaterThan(alone.summary.metrics!.auroc);
  });
});

/** Runs the CLI in-process, capturing what it prints. */
async function run(argv: string[], testing = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, testing);
  return { code, out, err };
}

function fileWith(name: string, data: string | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'loupe-cli-bad-')), name);
  writeFileSync(path, data);
  return path;
}

describe('loupe CLI on bad usage and bad input', () => {
  it('rejects numbers that are not numbers with exit code 2, naming the option', async () => {
    const { log } = generatedFiles();
    for (const [option, value, message] of [
      ['--threshold', 'abc', '--threshold must be a number, not "abc"'],
      ['--threshold', '', '--threshold must be a number, not ""'],
      ['--top', 'abc', '--top must be a number, not "abc"'],
      ['--top', '-3', '--top must be a whole number of 0 or more, not "-3"'],
      ['--top', '2.5', '--top must be a whole number of 0 or more, not "2.5"'],
    ]) {
      const { code, err, out } = await run(['score', log, option, value, '--no-encoder']);
      expect(code).toBe(2);
      expect(err[0]).toBe(`loupe: ${message}\n${err[0].split('\n').slice(1).join('\n')}`);
      expect(err[0].split('\n')[0]).toBe(`loupe: ${message}`);
      expect(out).toEqual([]);
    }
    expect(parseArgs(['score', log, '--threshold', '0.61', '--top', '5'])).toMatchObject({ threshold: 0.61, top: 5 });
  });

  it('escapes control characters of the log in text mode, and leaves them to JSON escaping in --json', async () => {
    const lines = generateLogText({ seed: 31, lines: 400, layout: 'iso' }).split('\n');
    // A hostile line: clears the screen, moves the cursor, colours the text (its CR ends the line).
    lines.splice(200, 0, '2026-03-14T00:01:00.000Z ERROR [auth] \x1b[2J\x1b[H\x1b[31mPWNED\x1b[0m\rall good');
    const log = fileWith('ansi.log', lines.join('\n'));
    const text = await run(['score', log, '--unit', 'template', '--no-encoder', '--detector', 'forest', '--top', '400']);
    expect(text.code).toBe(0);
    const printed = text.out.join('\n');
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(printed).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(printed).toContain('\\x1b[H\\x1b[31mPWNED');
    const json = await run(['score', log, '--unit', 'template', '--no-encoder', '--detector', 'forest', '--top', '400', '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out.join('\n'));
    expect(json.out.join('\n')).not.toContain('\x1b');
    expect(report.scores.some((s: { id: string }) => s.id.includes('\x1b[H\x1b[31mPWNED'))).toBe(true);
    expect(printable('a\x1b[0m\u202eb\tc')).toBe('a\\x1b[0m\\u202eb\\tc');
  });

  it.each([
    ['an empty file', 'empty.log', new Uint8Array(0), /^loupe: empty\.log holds no log lines\.$/],
    ['a whitespace-only file', 'blank.log', ' \n\t\n\r\n   \n', /^loupe: blank\.log holds no log lines\.$/],
    [
      'a binary file',
      'core.dump',
      new Uint8Array(4096).map((_, i) => (i * 7919) % 256),
      /^loupe: core\.dump looks like a binary file \(NUL bytes in the first 64 KiB\), not a text log$/,
    ],
    [
      'a damaged gzip file',
      'app.log.gz',
      (() => {
        const gz = new Uint8Array(gzipSync(Buffer.from(generateLogText({ seed: 1, lines: 2000, layout: 'iso' }))));
        for (let i = 100; i < 140; i++) gz[i] ^= 0x5a;
        return gz;
      })(),
      /^loupe: app\.log\.gz is a damaged gzip file \(.+\)$/,
    ],
  ])('fails on %s with one clear line and exit code 1', async (_what, name, data, message) => {
    const { code, err, out } = await run(['score', fileWith(name, data), '--no-encoder']);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    const last = err[err.length - 1];
    expect(last).toMatch(message);
    expect(last.split('\n')).toHaveLength(1);
  });

  it('says what it altered: invalid UTF-8, cut lines, NULs', async () => {
    const body = generateLogText({ seed: 2, lines: 2000, layout: 'iso' });
    const bytes = Buffer.concat([
      Buffer.from(body),
      Buffer.from('2026-03-14T01:00:00.000Z WARN [x] bad bytes '),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from(`2026-03-14T01:00:01.000Z WARN [x] huge ${'y'.repeat(100_000)}\n`),
      Buffer.from('2026-03-14T01:00:02.000Z WARN [x] nul'),
      Buffer.from([0, 0x0a]),
    ]);
    const { code, err } = await run(['score', fileWith('altered.log', bytes), '--no-encoder', '--detector', 'forest']);
    expect(code).toBe(0);
    const note = err.find((l) => l.startsWith('loupe: altered.log: '));
    expect(note).toBe(
      'loupe: altered.log: 1 line longer than 64 KiB cut to that length (34 KiB left out); 2 invalid UTF-8 sequences shown as \uFFFD; 1 NUL character removed',
    );
  });

  it('takes the bounded path for a gzip bomb and says so', async () => {
    const block = generateLogText({ seed: 5, lines: 200, layout: 'iso' });
    const bomb = gzipSync(Buffer.from(block.repeat(Math.ceil((24 * 2 ** 20) / block.length))), { level: 9 });
    const { code, err, out } = await run(['score', fileWith('bomb.log.gz', bomb), '--no-encoder', '--detector', 'forest'], {
      textInMemoryLimit: 2 ** 20,
    });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^\d+ records/);
    expect(err).toContainEqual(
      expect.stringMatching(/^loupe: 24 MiB of text \(from \d+ KiB of gzip\): lines are read back from the files, not held in memory$/),
    );
  }, 60_000);
});

describe('loupe CLI reads files as the browser does', () => {
  it("gives year-less timestamps the year of the file's mtime", async () => {
    const path = fileWith(
      'Linux.log',
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure\nJun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown\n',
    );
    utimesSync(path, new Date(Date.UTC(2005, 6, 1)), new Date(Date.UTC(2005, 6, 1)));
    const file = await openLogFile(path);
    expect(file.name).toBe('Linux.log');
    expect(file.lastModified).toBe(Date.UTC(2005, 6, 1));
    const records = await buildRecords([{ name: file.name, data: file, role: 'target' }], { masks: DEFAULT_SETTINGS.masks });
    expect(new Date(records.target.timestamp[0]).getUTCFullYear()).toBe(2005);
  });
});

describe('text spooled to temporary files', () => {
  it('is removed when the CLI is interrupted (Ctrl-C skips exit handlers)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-spool-sig-'));
    const script = join(mkdtempSync(join(tmpdir(), 'loupe-spool-script-')), 'interrupt.ts');
    writeFileSync(
      script,
      [
        `import { createFileTextSpool } from ${JSON.stringify(join(ROOT, 'src', 'core', 'ingest', 'node.ts'))};`,
        `import { readdirSync } from 'node:fs';`,
        `const spool = createFileTextSpool(${JSON.stringify(dir)})('big.log.gz');`,
        `spool.write(new TextEncoder().encode('some text\\n'));`,
        `console.log(readdirSync(${JSON.stringify(dir)}).length);`,
        `process.kill(process.pid, 'SIGINT');`,
        `setTimeout(() => console.log('still running'), 5000);`,
      ].join('\n'),
    );
    const child = spawnSync('npx', ['tsx', script], { cwd: ROOT, encoding: 'utf8' });
    expect(child.stdout.trim()).toBe('1');
    expect(child.signal ?? child.status).toSatisfy((s: unknown) => s === 'SIGINT' || s === 130);
    expect(readdirSync(dir)).toEqual([]);
  });
});
