import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MASKS,
  applyBuiltinMasksInListOrder,
  buildMasks,
  compileMasks,
  applyMasks,
  maskVariables,
} from '../../../src/core/templates/masks';
import { readStructuredCsv } from '../../../src/core/templates/loghubCsv';
import { LOGHUB_SYSTEMS } from '../../../bench/loghub';

const DATA = fileURLToPath(new URL('../../../../shared/data/loghub_2k', import.meta.url));
const hasData = existsSync(DATA);

const mask = (s: string) => maskVariables(s, DEFAULT_MASKS);

describe('maskVariables with the default masks', () => {
  it.each([
    ['ipv4', 'from 10.250.19.102 ok', 'from <*> ok'],
    ['ipv4 with port', 'src: /10.250.19.102:54106 dest', 'src: /<*> dest'],
    ['ipv6 full', 'addr 2001:db8:0:0:0:0:2:1 up', 'addr <*> up'],
    ['ipv6 compressed', 'addr fe80::1ff:fe23:4567:890a up', 'addr <*> up'],
    ['int', 'retry 3 times', 'retry <*> times'],
    ['negative float', 'delta -3.25 now', 'delta <*> now'],
    ['exponent', 'loss 1.5e-4 at', 'loss <*> at'],
    ['number with unit', 'took 12ms for 4KB (99%)', 'took <*> for <*> (<*>)'],
    ['spaced size unit', 'size 17.5 KB, free 3 MB', 'size <*>, free <*>'],
    ['0x hex', 'flags=0x1F set', 'flags=<*> set'],
    ['long hex run', 'user 113d3a99c3da401fbd62cc2caa5b96d2 ok', 'user <*> ok'],
    ['uuid', 'req-38101a0b-2096-447d-96ea-a692162415ae done', 'req-<*> done'],
    ['unix path', 'read /etc/httpd/conf/workers2.properties ok', 'read <*> ok'],
    ['windows path', 'Core: C:\\Windows\\winsxs\\cbscore.dll', 'Core: <*>'],
    ['url', 'GET http://example.org/a/b?c=1 done', 'GET <*> done'],
    ['hdfs block', 'block blk_-1608999687919862906 of blk_42', 'block <*> of <*>'],
    ['compound duration', 'uptime 1h30m15s now', 'uptime <*> now'],
    ['iso datetime', 'at 2016-09-28T04:30:31.455Z ok', 'at <*> ok'],
    ['slashed date and time', '00000001@2016/9/27:20:30:31.455 x', '<*>@<*>:<*> x'],
    ['date in words', 'connection at Fri Jun 17 07:07:00 2005 ok', 'connection at <*> ok'],
    ['clock time', 'at 12:30:45 ok', 'at <*> ok'],
    ['mac', 'mac 00:1a:2b:3c:4d:5e up', 'mac <*> up'],
    ['email', 'mail bob.x@example.com now', 'mail <*> now'],
    ['host with port', 'www.baidu.com:443 open', '<*> open'],
    ['account name', 'Invalid user webmaster from 1.2.3.4', 'Invalid user <*> from <*>'],
    ['hex-only request id', 'served req-befffabe in 3 ms', 'served req-<*> in <*> ms'],
    ['hex-only id after =', 'id=deadbeef ok', 'id=<*> ok'],
    ['upper-case hex id after a name', 'trace_id=CAFEF00D span_id=abcdef', 'trace_id=<*> span_id=<*>'],
    // A real Android line (Loghub): `mask=ffffffff` was kept as a constant word.
    [
      'real Android hex mask',
      'setSystemUiVisibility vis=508 mask=ffffffff oldVal=40000500',
      'setSystemUiVisibility vis=<*> mask=<*> oldVal=<*>',
    ],
  ])('masks %s', (_kind, input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('leaves words, identifiers with digits and empty input alone', () => {
    expect(mask('log4j x86 deadbeef acceded t761 ipv4')).toBe('log4j x86 deadbeef acceded t761 ipv4');
    expect(mask('')).toBe('');
    expect(mask('no variables here at all')).toBe('no variables here at all');
    // Hex-only words need an id-like name glued before them, 6+ digits, one case, and to end the token.
    expect(mask('deadbeef req-befab x-DeadBeef x-deadbeefs -facade x=')).toBe('deadbeef req-befab x-DeadBeef x-deadbeefs -facade x=');
  });

  it.skipIf(!hasData)('the word-start grouped regex gives exactly what the list-order alternation gives (loghub_2k)', () => {
    let compared = 0;
    for (const s of LOGHUB_SYSTEMS) {
      for (const row of readStructuredCsv(readFileSync(`${DATA}/${s}/${s}_2k.log_structured.csv`, 'utf8'))) {
        expect(mask(row.Content)).toBe(applyBuiltinMasksInListOrder(row.Content, DEFAULT_MASKS));
        compared++;
      }
    }
    expect(compared).toBe(32_000);
  });
});

describe('buildMasks', () => {
  it('adds user masks ahead of the defaults, with their own replacement', () => {
    const masks = buildMasks({ add: [{ name: 'ticket', pattern: 'TCK-\\d+', replacement: '<ticket>' }] });
    expect(masks[0].name).toBe('ticket');
    expect(maskVariables('closed TCK-123 after 5 tries', masks)).toBe('closed <ticket> after <*> tries');
  });

  it('accepts RegExp patterns with flags and words with no digits', () => {
    const masks = buildMasks({ add: [{ name: 'color', pattern: /\b(red|green)\b/i }] });
    expect(maskVariables('light RED then Green 2', masks)).toBe('light <*> then <*> <*>');
  });

  it('removes default masks by name', () => {
    const masks = buildMasks({ remove: ['ipv4', 'number'] });
    expect(masks.some((m) => m.name === 'ipv4')).toBe(false);
    expect(maskVariables('from 10.0.0.1 in 5 tries, blk_7', masks)).toBe('from 10.0.0.1 in 5 tries, <*>');
  });

  it('rejects an invalid user regex and names it', () => {
    expect(() => buildMasks({ add: [{ name: 'broken', pattern: '(unclosed' }] })).toThrow(/broken/);
  });

  it('treats a $ in a replacement literally', () => {
    const masks = buildMasks({ add: [{ name: 'money', pattern: '\\d+ EUR', replacement: '$$' }], remove: ['number'] });
    expect(applyMasks('pay 5 EUR', compileMasks(masks))).toBe('pay $$');
  });
});
