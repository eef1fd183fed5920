import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateLog, type GeneratedLine, type Layout } from '../../../src/core/generate';

const DATA = '../../shared/data';
const hasData = existsSync(DATA);

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (DEBUG|INFO |WARN |ERROR|FATAL) \[([a-z-]+)\] (.+)$/;
/** RFC 3164: `Mmm dd hh:mm:ss host tag[pid]: message`, day padded with a space. */
const SYSLOG = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\S+) ([^\s[:]+(?:\([^)]*\))?)(?:\[(\d+)\])?: (.*)$/;
/** Loghub HDFS: `yymmdd hhmmss thread LEVEL logger: message`. */
const HDFS = /^(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2}) (\d+) (DEBUG|INFO|WARN|ERROR|FATAL) ([\w.$]+): (.+)$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Reads the timestamp back from the text, as a parser would; second precision for syslog/hdfs. */
function parsedTime(layout: Layout, text: string): number {
  switch (layout) {
    case 'iso':
      return Date.parse(ISO.exec(text)?.[1] ?? '');
    case 'jsonl':
      return Date.parse((JSON.parse(text) as { ts: string }).ts);
    case 'syslog': {
      const m = SYSLOG.exec(text);
      if (m === null) return Number.NaN;
      return Date.UTC(2026, MONTHS.indexOf(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
    }
    case 'hdfs': {
      const m = HDFS.exec(text);
      if (m === null) return Number.NaN;
      return Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    }
  }
}

function generate(layout: Layout, lines = 5000): GeneratedLine[] {
  return [...generateLog({ seed: 42, lines, layout })];
}

describe('generated layouts', () => {
  it('iso: every line is `<ISO-8601> <LEVEL> [service] message`', () => {
    for (const line of generate('iso')) {
      const m = ISO.exec(line.text);
      expect(m, line.text).not.toBeNull();
      expect(m?.[2].trim()).toBe(line.level);
      expect(m?.[3]).toBe(line.service);
    }
  });

  it('jsonl: every line is an object with ts, level, service, host and msg', () => {
    for (const line of generate('jsonl')) {
      const record = JSON.parse(line.text) as Record<string, unknown>;
      expect(Object.keys(record)).toEqual(['ts', 'level', 'service', 'host', 'msg']);
      expect(record.level).toBe(line.level);
      expect(record.service).toBe(line.service);
      expect(typeof record.msg).toBe('string');
    }
  });

  it('syslog: every line is RFC 3164 with the service as tag and a pid', () => {
    for (const line of generate('syslog')) {
      const m = SYSLOG.exec(line.text);
      expect(m, line.text).not.toBeNull();
      expect(m?.[7]).toBe(line.service);
      expect(m?.[8]).toMatch(/^\d+$/);
      expect(m?.[9].startsWith(`${line.level} `)).toBe(true);
    }
  });

  it('hdfs: every line is in the Loghub HDFS layout, and blocks are named blk_<signed long>', () => {
    const lines = generate('hdfs');
    for (const line of lines) expect(HDFS.exec(line.text), line.text).not.toBeNull();
    const blocks = lines.filter((l) => l.session?.startsWith('blk_'));
    expect(blocks.length).toBeGreaterThan(100);
    for (const line of blocks) expect(line.session).toMatch(/^blk_-?\d{1,19}$/);
    expect(lines.some((l) => l.text.includes(' INFO dfs.DataNode$PacketResponder: PacketResponder '))).toBe(true);
  });

  it('writes timestamps that read back to the line time and never go backwards', () => {
    for (const layout of ['iso', 'jsonl', 'syslog', 'hdfs'] as const) {
      const precision = layout === 'iso' || layout === 'jsonl' ? 1 : 1000;
      let previous = -Infinity;
      for (const line of generate(layout, 3000)) {
        const time = parsedTime(layout, line.text);
        expect(time).toBe(Math.floor(line.time / precision) * precision);
        expect(time).toBeGreaterThanOrEqual(previous);
        previous = time;
      }
    }
  });

  it.skipIf(!hasData)('hdfs and syslog layouts match the real Loghub logs (skipped when ../shared/data is absent)', () => {
    const real = (path: string) =>
      readFileSync(`${DATA}/${path}`, 'utf8')
        .split(/\r?\n/)
        .filter((l) => l.length > 0);
    const hdfs = real('loghub_2k/HDFS/HDFS_2k.log');
    expect(hdfs.filter((l) => HDFS.test(l)).length).toBe(hdfs.length);
    const linux = real('loghub_2k/Linux/Linux_2k.log');
    // A few real lines carry no tag; the layout must match the great majority.
    expect(linux.filter((l) => SYSLOG.test(l)).length / linux.length).toBeGreaterThan(0.95);
    // Our HDFS block lines use the real loggers and message shapes.
    const realLoggers = new Set(hdfs.map((l) => HDFS.exec(l)?.[9]));
    const ours = generate('hdfs').filter((l) => l.session?.startsWith('blk_'));
    for (const line of ours) expect(realLoggers.has(HDFS.exec(line.text)?.[9])).toBe(true);
  });
});
