/**
 * Property tests of the layout parsers (issue 8): no line throws, and every character of a line is
 * accounted for. A record keeps the line's message as its tail (trimmed): the header before it
 * holds the fields a layout reads (timestamp, level, component, label) and the ones it drops on
 * purpose (pid, host, thread...: the raw line keeps them). Lines built from a layout's fields
 * give those fields back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_LAYOUTS,
  PLAIN_LAYOUT,
  compileTimeFormat,
  createRecordParser,
  detectLayout,
  isContinuationLine,
  levelIndex,
  parseIsoTimestamp,
  parseLayoutFormat,
  type Layout,
} from '../../../src/core/parse';

const CUSTOM: Layout[] = [
  parseLayoutFormat(String.raw`<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>`),
  parseLayoutFormat('<Date> <Time> <Level> <Component>: <Content>'),
  parseLayoutFormat(String.raw`\[<Time>\] <Program> - <Content>`),
];
const ALL = [...BUILTIN_LAYOUTS, PLAIN_LAYOUT, ...CUSTOM];

/** Layouts whose message is the end of the line (access logs rebuild it, JSON takes a field). */
const TAIL_MESSAGE = new Set(['fields', 'plain']);

const pieces = fc.constantFrom(
  '2024-05-01',
  '12:00:00,123',
  '2024-05-01T12:00:00Z',
  'Jun 17 07:07:00',
  'INFO',
  'WARN',
  'ERROR',
  'error',
  '[main]',
  '[error]',
  'host',
  'sshd[42]:',
  ':',
  ' - ',
  '-',
  '|',
  '{',
  '}',
  '"msg"',
  '<34>',
  '1',
  '081109',
  '203615',
  '143',
  'dfs.DataNode:',
  'blk_1',
  '  ',
  '\t',
  ' ',
  'é',
  '😀',
  '\u0000',
  '\r',
);
const lineish = fc.array(pieces, { maxLength: 14 }).map((parts) => parts.join(' '));
const anyLine = fc.oneof(lineish, fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 60 }));

describe('layout parsers, property tests', () => {
  it('never throw, and a record keeps the message as the tail of the line, its component inside the line', () => {
    const parsers = ALL.map((layout) => ({ layout, parser: createRecordParser(layout, { yearHint: 2024 }) }));
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 1, maxLength: 6 }), (lines) => {
        for (const { layout, parser } of parsers) {
          parser.reset();
          let previous = null;
          for (const line of lines) {
            const record = parser.parse(line);
            if (record === null) {
              // Only continuation-looking lines fold, and only after a record.
              expect(previous).not.toBeNull();
              expect(isContinuationLine(line)).toBe(true);
              continue;
            }
            previous = record;
            expect(typeof record.message).toBe('string');
            expect(Number.isNaN(record.timestamp) || Number.isFinite(record.timestamp)).toBe(true);
            if (record.level !== '') expect(record.level).toBe(record.level.toUpperCase());
            if (TAIL_MESSAGE.has(layout.kind)) {
              const text = line.trimEnd();
              expect(text.endsWith(record.message), `${layout.id}: ${JSON.stringify(line)}`).toBe(true);
              expect(text.slice(0, text.length - record.message.length)).toContain(record.component);
            }
          }
        }
      }),
      { numRuns: 800 },
    );
  });

  it('layout detection never throws and always answers a layout', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 30 }), (lines) => {
        const layout = detectLayout(lines);
        expect(ALL.some((l) => l.id === layout.id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('folding never throws and keeps every folded line, up to the cap', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 20 }), (lines) => {
        const parser = createRecordParser(PLAIN_LAYOUT);
        const record = parser.parse('start of a record');
        if (record === null) throw new Error('a first line is always a record');
        for (const line of lines) parser.fold(record, line);
        const kept = lines.map((l) => l.trimEnd()).filter((l) => l !== '');
        expect(record.message).toBe(['start of a record', ...kept].join('\n').slice(0, 65536));
      }),
    );
  });

  // Lines built from fields: the parser gives every field back, so the header is fully accounted for.
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.$]{0,11}$/);
  const message = fc
    .string({ maxLength: 60 })
    .map((s) => s.replace(/[\r\n]/g, ' ').trim())
    .filter((s) => s !== '');
  const level = fc.constantFrom('INFO', 'WARN', 'ERROR', 'DEBUG', 'FATAL', 'TRACE');

  it('ISO lines: timestamp, level, component and message come back', () => {
    const parser = createRecordParser(BUILTIN_LAYOUTS.find((l) => l.id === 'iso') as Layout);
    fc.assert(
      // `- ` after the component is log4j's separator (`%p [%c] - %m`): the parser drops it, by design.
      fc.property(
        fc.date({ min: new Date(Date.UTC(1971, 0, 1)), max: new Date(Date.UTC(2099, 0, 1)), noInvalidDate: true }),
        level,
        word,
        message.filter((m) => !/^-\s/.test(m)),
        (date, lvl, component, msg) => {
          const stamp = date.toISOString();
          const record = parser.parse(`${stamp} ${lvl} [${component}] ${msg}`);
          expect(record).toMatchObject({ timestamp: date.getTime(), level: lvl, component, message: msg });
          expect(levelIndex(record?.level ?? '')).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('syslog lines: year-less stamps take the hint; host and pid are dropped on purpose, the rest comes back', () => {
    const parser = createRecordParser(BUILTIN_LAYOUTS.find((l) => l.id === 'syslog') as Layout, { yearHint: 2019 });
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const program = fc.stringMatching(/^[a-z][a-z0-9_-]{0,9}$/);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 86399 }),
        program,
        fc.integer({ min: 1, max: 99999 }),
        message.filter((m) => !m.startsWith(':')),
        (month, day, seconds, component, pid, msg) => {
          const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
          const mm = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
          const ss = String(seconds % 60).padStart(2, '0');
          const line = `${months[month]} ${String(day).padStart(2, ' ')} ${hh}:${mm}:${ss} host1 ${component}[${pid}]: ${msg}`;
          const record = parser.parse(line);
          expect(record).toMatchObject({ component, message: msg, timestamp: Date.UTC(2019, month, day) + seconds * 1000 });
        },
      ),
    );
  });

  it('ISO stamps: the fixed-position fast path answers what the general pattern scanner answers', () => {
    const dateOnly = compileTimeFormat('yyyy-MM-dd');
    const withT = compileTimeFormat('yyyy-MM-ddTHH:mm:ssSSSX');
    const withSpace = compileTimeFormat('yyyy-MM-dd HH:mm:ssSSSX');
    const reference = (text: string): number => {
      const s = text.trim();
      if (s.length < 10 || !/^[0-9]/.test(s) || s[4] !== '-') return NaN;
      if (s.length === 10) return dateOnly(s);
      if (s[10] !== 'T' && s[10] !== ' ') return NaN;
      return (s[10] === 'T' ? withT : withSpace)(s);
    };
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
    const stamp = fc
      .tuple(
        digits(4, 4),
        fc.constantFrom('-', '/'),
        digits(1, 2),
        fc.constantFrom('-', '-', '.'),
        digits(1, 2),
        fc.constantFrom('T', ' ', '  ', 't', ''),
        digits(1, 3),
        fc.constantFrom(':', ':', '.'),
        digits(2, 2),
        fc.constantFrom(':', ''),
        digits(1, 2),
        fc.constantFrom('', '', '.', ',', '.5', ',25', '.123', '.123456'),
        fc.constantFrom('', '', 'Z', 'z', '+02:00', '-0530', '+02', '+2', '-05:3', '+02:00x', ' ', 'Zz'),
        fc.constantFrom('', '', ' ', '\t'),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(stamp, fc.string({ maxLength: 30 })), (text) => {
        expect(Object.is(parseIsoTimestamp(text), reference(text)), text).toBe(true);
      }),
      { numRuns: 20000 },
    );
    expect(parseIsoTimestamp('2024-05-01T12:00:00.123+02:00')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
    expect(parseIsoTimestamp('2024-02-30 24:00:00')).toBe(Date.UTC(2024, 1, 30, 24));
  });
});
