/**
 * Property tests of the masks (issue 8): no input throws, every input character is accounted for
 * (kept in order, or inside a masked span), and the word-by-word fast path gives exactly what the
 * one-regex pass gives, on random lines built from the pieces that make masks interact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MASKS, WILDCARD, applyMasks, applyMasksWholeLine, buildMasks, compileMasks } from '../../../src/core/templates/masks';

/** Pieces that start, end or join masks: names and dates, numbers and units, ids, the `user` mask's words. */
const PIECES = [
  'user',
  'User',
  'for',
  'from',
  'fromage',
  'bob',
  'root,',
  'a.b-c_d',
  '-x',
  'Jun',
  'June',
  'Fri',
  'Fri,',
  'Dec',
  'Monitor',
  '17',
  '7',
  '07:07:00',
  '2005',
  '2016-09-28',
  '2016/9/27',
  '04:30:31.455',
  'T',
  'Z',
  '+02:00',
  '17.5',
  '1e5',
  'KB',
  'B',
  'GiB',
  'MBs',
  'ms',
  '1h30m',
  'blk_-123',
  'blk_9',
  '10.0.0.1',
  '10.0.0.1:80',
  '::1',
  'fe80::1',
  'a.b.c:99',
  'req-befffabe',
  'id=deadbeef',
  'x_ABCDEF',
  '0x1F',
  '0X',
  'deadbeef1',
  'cafebabe',
  '113d3a99c3da401f',
  '/var/log/x',
  'C:\\x\\y',
  'http://a.b/c?d=1',
  'a@b.io',
  '00:1a:2b:3c:4d:5e',
  '38101a0b-2096-447d-96ea-a692162415ae',
  '(',
  ')',
  ',',
  '.',
  '=',
  ':',
  '-',
  '_',
  '/',
  '%',
  '<*>',
  'é',
  '😀',
  'x',
  'y9',
];
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '', '', '\n', ' \t '];

const logish = fc
  .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(...SEPARATORS)), { maxLength: 12 })
  .map((parts) => parts.map(([piece, sep]) => piece + sep).join(''));

const anyText = fc.oneof(logish, fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }));

const defaults = compileMasks(DEFAULT_MASKS);
const noUser = compileMasks(buildMasks({ remove: ['user'] }));
const noNumber = compileMasks(buildMasks({ remove: ['number', 'date-words'] }));
const withUserMask = compileMasks(buildMasks({ add: [{ name: 'ticket', pattern: /TCK-\d+/ }] }));

/** Whether `masked` is `text` with some non-empty stretches replaced by `<*>`, everything else kept in order. */
function accountsForEveryCharacter(text: string, masked: string): boolean {
  const kept = masked.split(WILDCARD);
  if (kept.length === 1) return masked === text;
  if (!text.startsWith(kept[0])) return false;
  // Leftmost placement of each kept piece leaves the most room for the rest.
  let at = kept[0].length;
  for (let k = 1; k < kept.length - 1; k++) {
    const found = text.indexOf(kept[k], at + 1);
    if (found < 0) return false;
    at = found + kept[k].length;
  }
  const last = kept[kept.length - 1];
  return text.endsWith(last) && text.length - last.length >= at + 1;
}

describe('masks, property tests', () => {
  it('the fast path equals the whole-line regex, for the default masks and for changed mask sets', () => {
    fc.assert(
      fc.property(logish, (text) => {
        for (const compiled of [defaults, noUser, noNumber, withUserMask]) {
          expect(applyMasks(text, compiled)).toBe(applyMasksWholeLine(text, compiled));
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('never throws, and keeps every character that is not inside a masked stretch, in order', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const masked = applyMasks(text, defaults);
        expect(applyMasks(text, defaults)).toBe(masked); // the cache gives the same answer twice
        expect(masked).toBe(applyMasksWholeLine(text, defaults));
        if (!text.includes(WILDCARD)) expect(accountsForEveryCharacter(text, masked)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('words of one shape share a cached masking, but the 0 of 0x is told apart from other digits', () => {
    const compiled = compileMasks(DEFAULT_MASKS);
    const words = ['10x5', '0x5', '00x5', '20x5', '0x0b85eee0', '1x0b85eee0', '0X1F', '9X1F', 'a0x1', 'a9x1', '0x', '5x'];
    for (const w of [...words, ...words.reverse()]) {
      expect(applyMasks(`at ${w} ok`, compiled), w).toBe(applyMasksWholeLine(`at ${w} ok`, compiled));
    }
    expect(applyMasks('at 0x1F ok', compiled)).toBe('at <*> ok');
    expect(applyMasks('at 1x1F ok', compiled)).toBe('at 1x1F ok');
  });

  it('hex words that share a shape (hex letters folded) mask alike: exponents, durations, 0x, cases', () => {
    // One masker for every run, so that words of one folded shape meet in its cache in any order.
    const shared = [
      compileMasks(DEFAULT_MASKS),
      compileMasks(buildMasks({ remove: ['hex'] })),
      compileMasks(buildMasks({ remove: ['number'] })),
    ];
    const hexish = fc
      .array(fc.constantFrom(...'0123456789abcdefABCDEFxXeEdhmsnu.,-_=:'), { minLength: 1, maxLength: 14 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(hexish, { minLength: 1, maxLength: 4 }), fc.constantFrom(' ', ' id=', ' req-'), (words, glue) => {
        const text = words.join(glue);
        for (const compiled of shared) expect(applyMasks(text, compiled), text).toBe(applyMasksWholeLine(text, compiled));
      }),
      { numRuns: 20000 },
    );
    // Runs a `number` or `duration` mask covers keep their e / d apart from other hex letters.
    const compiled = compileMasks(DEFAULT_MASKS);
    for (const w of [
      '5a3',
      '5e3',
      '56f61e',
      '56d61d',
      '1d2d',
      '1a2a',
      '12ab',
      '6e628ac5',
      '6c628ac5',
      '0xab',
      '0xe5',
      '0xabc1',
      'req-6c628ac5',
      'req-3F905BB1',
    ]) {
      expect(applyMasks(`at ${w} ok`, compiled), w).toBe(applyMasksWholeLine(`at ${w} ok`, compiled));
    }
  });

  it('a repeated masked text is handed on as the same string, and texts whose hashes collide stay apart', () => {
    const compiled = compileMasks(DEFAULT_MASKS);
    const first = applyMasks('took 17 ms for req-6c628ac5', compiled);
    expect(first).toBe('took <*> ms for req-<*>');
    // Another line with the same masked text gives the very string made for the first one.
    expect(Object.is(applyMasks('took 250 ms for req-3f905bb1', compiled), first)).toBe(true);
    // `Aa` and `BB` hash alike (31 * 65 + 97 = 31 * 66 + 66): the stored text is compared, not trusted.
    expect(applyMasks('Aa id=1', compiled)).toBe('Aa id=<*>');
    expect(applyMasks('BB id=2', compiled)).toBe('BB id=<*>');
    expect(applyMasks('Aa id=3', compiled)).toBe('Aa id=<*>');
  });

  it('known joins across spaces still mask as one variable', () => {
    const cases: Array<[string, string]> = [
      ['at Fri Jun 17 07:07:00 2005 ok', 'at <*> ok'],
      ['size 17.5 KB, free 3 GiB', 'size <*>, free <*>'],
      ['at 2016-09-28 04:30:31 ok', 'at <*> ok'],
      ['Invalid user webmaster from 1.2.3.4', 'Invalid user <*> from <*>'],
      ['Failed password for root from 1.2.3.4', 'Failed password for <*> from <*>'],
      ['password for root, from x', 'password for root, from x'],
      ['user 12ab', 'user <*>'],
      ['user root:x', 'user <*>:x'],
    ];
    for (const [text, masked] of cases) {
      expect(applyMasks(text, defaults), text).toBe(masked);
      expect(applyMasksWholeLine(text, defaults), text).toBe(masked);
    }
  });
});
