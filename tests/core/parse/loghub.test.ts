import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRecordParser, detectLayout, normalizeLevel, parseLayoutFormat, type Layout } from '../../../src/core/parse';
import type { ParsedRecord } from '../../../src/core/types';

const dataRoot = new URL('../../../../shared/data/loghub_2k/', import.meta.url);
const hasData = existsSync(dataRoot);
if (!hasData) console.warn('parse tests: ../shared/data not found, skipping the Loghub parsing tests');

/** Minimal RFC 4180 reader: quoted fields with "" escapes and embedded commas/newlines. */
function readCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

function load(system: string): { lines: string[]; truth: Record<string, string>[] } {
  const dir = new URL(`${system}/`, dataRoot);
  const lines = readFileSync(new URL(`${system}_2k.log`, dir), 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const truth = readCsv(readFileSync(new URL(`${system}_2k.log_structured.csv`, dir), 'utf8'));
  return { lines, truth };
}

function parseAll(layout: Layout, lines: string[]): (ParsedRecord | null)[] {
  const parser = createRecordParser(layout);
  return lines.map((line) => parser.parse(line));
}

/** Expected layout id per system; Linux, OpenSSH and Mac are all BSD syslog. */
const SYSTEMS: Record<string, string> = {
  Android: 'loghub-android',
  Apache: 'apache-error',
  BGL: 'loghub-bgl',
  HDFS: 'loghub-hdfs',
  HPC: 'loghub-hpc',
  Hadoop: 'loghub-hadoop',
  HealthApp: 'loghub-healthapp',
  Linux: 'syslog',
  Mac: 'syslog',
  OpenSSH: 'syslog',
  OpenStack: 'loghub-openstack',
  Proxifier: 'loghub-proxifier',
  Spark: 'loghub-spark',
  Thunderbird: 'loghub-thunderbird',
  Windows: 'loghub-windows',
  Zookeeper: 'loghub-zookeeper',
};
/** Systems whose Loghub "Level" column is a real level (Linux's is the host name). */
const REAL_LEVELS = new Set(['Android', 'Apache', 'BGL', 'HDFS', 'Hadoop', 'OpenStack', 'Spark', 'Windows', 'Zookeeper']);

const agreement: Record<string, string> = {};

describe.skipIf(!hasData)('parsing the 16 Loghub systems', () => {
  for (const [system, layoutId] of Object.entries(SYSTEMS)) {
    it(`${system}: detects ${layoutId} and matches every Content, level and timestamp`, () => {
      const { lines, truth } = load(system);
      expect(lines.length).toBe(2000);
      expect(truth.length).toBe(2000);
      const layout = detectLayout(lines.slice(0, 200));
      expect(layout.id).toBe(layoutId);
      expect(layout.matchShare).toBe(1);

      const records = parseAll(layout, lines);
      let same = 0;
      const mismatches: string[] = [];
      records.forEach((record, i) => {
        const expected = truth[i].Content.trim();
        if (record !== null && record.message === expected) same++;
        else if (mismatches.length < 3)
          mismatches.push(`line ${i + 1}: got ${JSON.stringify(record?.message)} want ${JSON.stringify(expected)}`);
      });
      agreement[system] = `${same}/${records.length}`;
      expect(mismatches).toEqual([]);
      expect(same).toBe(2000);

      for (const [i, record] of records.entries()) {
        if (record === null) continue;
        expect(Number.isNaN(record.timestamp), `${system} line ${i + 1} timestamp`).toBe(false);
        if (REAL_LEVELS.has(system)) expect(record.level).toBe(normalizeLevel(truth[i].Level));
      }
    });
  }

  it('keeps BGL labels out of the message: 143 alerts in 2000 lines', () => {
    const { lines, truth } = load('BGL');
    const records = parseAll(detectLayout(lines.slice(0, 200)), lines);
    const labels = records.map((r) => r?.label);
    expect(labels.filter((label) => label !== '-').length).toBe(143);
    expect(labels).toEqual(truth.map((row) => row.Label));
    expect(new Set(labels)).toContain('KERNDTLB');
    expect(records.every((r) => r !== null && !r.message.startsWith('- '))).toBe(true);
  });

  it('reads Thunderbird labels (all normal in the 2k sample) and no labels elsewhere', () => {
    const { lines } = load('Thunderbird');
    const records = parseAll(detectLayout(lines.slice(0, 200)), lines);
    expect(records.every((r) => r?.label === '-')).toBe(true);
    for (const system of ['HDFS', 'Linux', 'Spark']) {
      const other = load(system);
      const parsed = parseAll(detectLayout(other.lines.slice(0, 200)), other.lines);
      expect(parsed.some((r) => r?.label !== undefined)).toBe(false);
    }
  });

  it('gives the right timestamps for a few known lines', () => {
    const at = (system: string, index: number, yearHint?: number): number => {
      const { lines } = load(system);
      return createRecordParser(detectLayout(lines.slice(0, 200)), { yearHint }).parse(lines[index])?.timestamp ?? NaN;
    };
    expect(at('HDFS', 0)).toBe(Date.UTC(2008, 10, 9, 20, 36, 15));
    expect(at('BGL', 0)).toBe(Date.UTC(2005, 5, 3, 15, 42, 50, 675));
    expect(at('Apache', 0)).toBe(Date.UTC(2005, 11, 4, 4, 47, 44));
    expect(at('HealthApp', 0)).toBe(Date.UTC(2017, 11, 23, 22, 15, 29, 606));
    expect(at('HPC', 0)).toBe(1077804742000);
    expect(at('Thunderbird', 0)).toBe(1131566461000);
    // Year-less: the hinted year (file modification time), else the current year, never 2000.
    expect(at('Android', 0, 2017)).toBe(Date.UTC(2017, 2, 17, 16, 13, 38, 811));
    expect(at('Android', 0)).toBe(Date.UTC(new Date().getUTCFullYear(), 2, 17, 16, 13, 38, 811));
  });

  it('parses with the Loghub format strings given as layout overrides', () => {
    const formats: Record<string, string> = {
      HDFS: '<Date> <Time> <Pid> <Level> <Component>: <Content>',
      Spark: '<Date> <Time> <Level> <Component>: <Content>',
      Zookeeper: String.raw`<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>`,
      BGL: '<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>',
      HealthApp: String.raw`<Time>\|<Component>\|<Pid>\|<Content>`,
      OpenStack: String.raw`<Logrecord> <Date> <Time> <Pid> <Level> <Component> \[<ADDR>\] <Content>`,
      Linux: String.raw`<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>`,
    };
    for (const [system, format] of Object.entries(formats)) {
      const { lines, truth } = load(system);
      const records = parseAll(parseLayoutFormat(format), lines);
      const same = records.filter((r, i) => r?.message === truth[i].Content.trim()).length;
      expect(same, system).toBe(2000);
      expect(records.filter((r) => r !== null && Number.isNaN(r.timestamp)).length, system).toBe(0);
    }
  });

  it('summary', () => {
    console.log('Content agreement per system:', agreement);
  });
});
