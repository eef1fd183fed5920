/**
 * The ISO layout's hand reader (parse/isoLine.ts) against the layout's own regex: the same record
 * for every line, on generated logs and on random lines built from the pieces where the regex's
 * choices lie (zones, fractions, `t`, brackets, level words in any case, odd whitespace).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_LAYOUTS, type Layout } from '../../../src/core/parse';
import { compileFieldsLayout } from '../../../src/core/parse/fieldsParser';
import { generateLog } from '../../../src/core/generate';

const ISO = BUILTIN_LAYOUTS.find((l) => l.id === 'iso') as Layout;
const byHand = compileFieldsLayout(ISO);
// The same regex written differently (`(?:)` matches nothing), so the layout is read by the regex alone.
const byRegex = compileFieldsLayout({ ...ISO, pattern: (ISO.pattern as string).replace(/^\^/, '^(?:)') });

function same(line: string): void {
  expect(byHand(line), JSON.stringify(line)).toEqual(byRegex(line));
}

describe('ISO layout read by hand', () => {
  it('gives the regex records for a generated log', () => {
    let n = 0;
    for (const line of generateLog({ seed: 3, lines: 20_000, layout: 'iso' })) {
      same(line.text);
      n++;
    }
    expect(n).toBe(20_000);
    expect(byHand('2026-03-14T00:00:00.214Z INFO  [api-gateway] req-1 GET /x')).toEqual({
      timestamp: Date.UTC(2026, 2, 14, 0, 0, 0, 214),
      level: 'INFO',
      component: 'api-gateway',
      message: 'req-1 GET /x',
    });
  });

  it('gives the regex records for lines built from the pieces where they could differ', () => {
    const stamp = fc
      .tuple(
        fc.constantFrom('2024-05-01', '2024-5-01', '2024-05-01x', '2O24-05-01', '2024-05-0x', '0000-00-00'),
        fc.constantFrom('T', ' ', 't', '_'),
        fc.constantFrom('12:00:00', '12:00:0', '24:61:60', '12:0a:00', '1:00:00'),
        fc.constantFrom('', '.123', ',5', '.', '.1234567', ','),
        fc.constantFrom('', 'Z', 'z', '+02:00', '-0530', '+02', '+02:0', '+0200x', '-'),
      )
      .map((parts) => parts.join(''));
    const piece = fc.constantFrom(
      'INFO',
      'info',
      'Warn',
      'WARNING',
      'WARNINGS',
      'ERR',
      'ERROR',
      'err:',
      'SEVERE',
      'CRITICAL',
      'notice',
      'trace',
      'DEBUG',
      '[INFO]',
      '[INFO',
      'INFO]',
      '[main]',
      '[a b]',
      '[x',
      ']',
      '[',
      '[]',
      '-',
      '--',
      'msg',
      'ünï',
      '',
    );
    const gap = fc.constantFrom(' ', '  ', '\t', '', ' \u00a0', '\u2003', '\v', ' \r', '\ufeff');
    const line = fc
      .tuple(stamp, fc.array(fc.tuple(gap, piece), { maxLength: 6 }), gap)
      .map(([s, rest, end]) => s + rest.map(([g, p]) => g + p).join('') + end);
    fc.assert(fc.property(line, same), { numRuns: 20_000 });
    fc.assert(fc.property(fc.string({ maxLength: 60 }), same), { numRuns: 3_000 });
  });
});
