/**
 * Reading real logs right (issue 9 §6): indented records, level words in plain text, year-less
 * timestamps. Real lines come from ../shared/data/loghub_2k (skipped when absent); made-up lines
 * cover the shapes those logs lack.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRecordParser, detectLayout, isContinuationLine, levelAtLineStart, newestYearIn, resolveYear } from '../../../src/core/parse';
import { layoutById, records } from './helpers';

const dataRoot = new URL('../../../../shared/data/loghub_2k/', import.meta.url);
const hasData = existsSync(dataRoot);

function loghub(system: string): string[] {
  const lines = readFileSync(new URL(`${system}/${system}_2k.log`, dataRoot), 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const THIS_YEAR = new Date().getUTCFullYear();

describe('indented lines', () => {
  it('an indented line with its own timestamp is a record of its own (made-up ISO log)', () => {
    const lines = [
      '2024-05-01 12:00:00,001 ERROR [main] request failed',
      '    at com.acme.Service.handle(Service.java:42)',
      '  2024-05-01 12:00:00,500 INFO [main] retrying',
      '\t2024-05-01 12:00:01,000 WARN [main] slow answer',
      '        plainly indented text that belongs above',
    ];
    const out = records(detectLayout(lines), lines);
    expect(out.map((r) => r.level)).toEqual(['ERROR', 'INFO', 'WARN']);
    expect(out[0].message).toBe('request failed\n    at com.acme.Service.handle(Service.java:42)');
    expect(out[1].message).toBe('retrying');
    expect(out[1].timestamp).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 500));
    expect(out[2].message).toBe('slow answer\n        plainly indented text that belongs above');
  });

  it('an indented line starting with a level word or a date the layout cannot read is its own record', () => {
    const lines = [
      '2024-05-01T12:00:00Z INFO [api] started',
      '   WARNING: disk almost full',
      '  [error] upstream closed',
      '  Jun 17 07:07:00 relay said hello',
      '  12:00:03 heartbeat',
      '  continuation of the heartbeat',
    ];
    const out = records(layoutById('iso'), lines);
    expect(out.map((r) => [r.level, r.message])).toEqual([
      ['INFO', 'started'],
      ['WARN', 'WARNING: disk almost full'],
      ['ERROR', '[error] upstream closed'],
      ['', 'Jun 17 07:07:00 relay said hello'],
      ['', '12:00:03 heartbeat\n  continuation of the heartbeat'],
    ]);
  });

  it('real continuations still fold: frames, Traceback, at, Caused by, ..., indented text', () => {
    for (const line of [
      '\tat org.apache.Foo.bar(Foo.java:12)',
      'at com.acme.Main.run(Main.java:7)',
      'at async Promise.all (index 0)',
      'at run (/app/x.js:3:9)',
      'at java.lang.Thread.run(Native Method)',
      '    at Object.<anonymous> (/app/x.js:3:9)',
      'Traceback (most recent call last):',
      '  File "/app/job.py", line 12, in run',
      'Caused by: java.io.IOException: disk gone',
      '\t... 12 more',
      '... 3 more',
      '    result = compute(x)',
      '   ',
      '',
    ]) {
      expect(isContinuationLine(line), line).toBe(true);
    }
    for (const line of [
      'at noon (local time) the job ran',
      'at 12:00 backup done',
      '  INFO ready',
      '\tERROR: boom',
      '  [warn] low',
      '  2024-05-01 12:00:00 x',
      ' Jun  1 09:00:55 host a: b',
    ]) {
      expect(isContinuationLine(line), line).toBe(false);
    }
  });

  it.skipIf(!hasData)('real Loghub lines, indented, stay records of their own with the same fields', () => {
    for (const system of ['Hadoop', 'Zookeeper', 'Spark', 'OpenStack', 'Linux', 'Android', 'BGL']) {
      const lines = loghub(system).slice(0, 50);
      const layout = detectLayout(lines);
      const flat = records(layout, lines, 2015);
      // Every other line indented by spaces or a tab, as some pretty-printers and copy-pastes do.
      const indented = records(
        layout,
        lines.map((l, i) => (i % 2 === 1 ? (i % 4 === 1 ? '   ' : '\t') + l : l)),
        2015,
      );
      expect(indented.length, system).toBe(lines.length);
      expect(indented, system).toEqual(flat);
    }
  });
});

describe('level words at the start of plain text', () => {
  it('gives the level of INFO, WARNING:, ERROR, [error], <warn>, Error: and friends', () => {
    const cases: Array<[string, string]> = [
      ['INFO starting worker 3', 'INFO'],
      ['WARNING: low disk', 'WARN'],
      ['ERROR connection refused', 'ERROR'],
      ['[error] mod_jk child in error state 6', 'ERROR'],
      ['[Warn] deprecated flag', 'WARN'],
      ['<info> ready', 'INFO'],
      ['Error: boom', 'ERROR'],
      ['FATAL', 'FATAL'],
      ['CRIT: raid degraded', 'FATAL'],
      ['SEVERE: JUL says so', 'ERROR'],
      ['DEBUG\tx=1', 'DEBUG'],
      ['  NOTICE: maintenance', 'NOTICE'],
    ];
    for (const [line, level] of cases) expect(levelAtLineStart(line), line).toBe(level);
  });

  it('leaves prose, single letters and level-like prefixes alone', () => {
    for (const line of [
      'Info about the cluster',
      'I think so',
      'E 12',
      'Errors: 3',
      'INFOS',
      'error in line 3',
      '[error',
      'warning sign',
      'INFO-ish',
      '',
    ]) {
      expect(levelAtLineStart(line), line).toBe('');
    }
  });

  it('plain-text files and unparsed lines carry that level', () => {
    const lines = ['free text without a layout', 'WARNING: cache cold', 'INFO  cache warm', 'error: lower case, but the colon marks it'];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('plain');
    expect(records(layout, lines).map((r) => r.level)).toEqual(['', 'WARN', 'INFO', 'ERROR']);
    // A line a structured layout cannot parse still gets its level word.
    const iso = createRecordParser(layoutById('iso'));
    iso.parse('2024-05-01T12:00:00Z INFO ok');
    expect(iso.parse('ERROR something unparsed')?.level).toBe('ERROR');
  });
});

describe('year-less timestamps', () => {
  it('take the hinted year, else the newest year in the sample, else the current year; never 2000', () => {
    const lines = [
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
      'Jun 17 07:07:00 combo ftpd[29504]: connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005',
    ];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('syslog');
    expect(layout.sampleYear).toBe(2005);
    expect(records(layout, lines)[0].timestamp).toBe(Date.UTC(2005, 5, 14, 15, 16, 1));
    expect(records(layout, lines, 2016)[0].timestamp).toBe(Date.UTC(2016, 5, 14, 15, 16, 1));
    const noYear = detectLayout(lines.slice(0, 1));
    expect(noYear.sampleYear).toBeUndefined();
    expect(records(noYear, lines.slice(0, 1))[0].timestamp).toBe(Date.UTC(THIS_YEAR, 5, 14, 15, 16, 1));
  });

  it('ignores implausible hints and picks the newest plausible year in text', () => {
    expect(resolveYear(Number.NaN, undefined)).toBe(THIS_YEAR);
    expect(resolveYear(1969, 2010)).toBe(2010);
    expect(resolveYear(2023.5, undefined)).toBe(THIS_YEAR);
    expect(resolveYear(2019, 2010)).toBe(2019);
    expect(newestYearIn(['2015-10-18 18:01:47,978 INFO', 'v2.1.3 released 2017/3/9', '[Sun Dec 04 04:47:44 2005] [error] x'])).toBe(2017);
    expect(newestYearIn(['10/Oct/2000:13:55:36 -0700', 'build 2099-01-01'])).toBe(2000);
    expect(newestYearIn(['version 2015.10.99', 'port 20151'])).toBeUndefined();
  });

  it.skipIf(!hasData)('real year-less logs (Linux, Mac, OpenSSH, Android, Proxifier) take the hint', () => {
    for (const system of ['Linux', 'Mac', 'OpenSSH', 'Android', 'Proxifier']) {
      const lines = loghub(system);
      const layout = detectLayout(lines.slice(0, 200));
      const out = records(layout, lines, 2017);
      const years = new Set(out.filter((r) => !Number.isNaN(r.timestamp)).map((r) => new Date(r.timestamp).getUTCFullYear()));
      expect([...years], system).toEqual([2017]);
    }
    // Linux writes `at Fri Jun 17 07:07:00 2005` in its messages: without a hint, that year is used.
    const linux = loghub('Linux');
    expect(newestYearIn(linux)).toBe(2005);
    const layout = { ...detectLayout(linux.slice(0, 200)), sampleYear: newestYearIn(linux) };
    expect(new Date(records(layout, linux.slice(0, 1))[0].timestamp).getUTCFullYear()).toBe(2005);
  });
});
