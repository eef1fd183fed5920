import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvRows, readStructuredCsv } from '../../../src/core/templates/loghubCsv';
import { groupingAccuracy } from '../../../src/core/templates/accuracy';

const DATA = fileURLToPath(new URL('../../../../shared/data/loghub_2k', import.meta.url));
const hasData = existsSync(DATA);

describe('readStructuredCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and CRLF rows', () => {
    const text = 'LineId,Content,EventId\r\n1,"a, b",E1\r\n2,"say ""hi""",E2\r\n3,"two\nlines",E3\r\n4,,E4';
    expect(readStructuredCsv(text)).toEqual([
      { LineId: '1', Content: 'a, b', EventId: 'E1' },
      { LineId: '2', Content: 'say "hi"', EventId: 'E2' },
      { LineId: '3', Content: 'two\nlines', EventId: 'E3' },
      { LineId: '4', Content: '', EventId: 'E4' },
    ]);
  });

  it('skips blank lines, ignores a BOM, keeps a quoted empty row, fills missing cells', () => {
    expect(readCsvRows('\uFEFFa,b\n\n1\n""\n')).toEqual([['a', 'b'], ['1'], ['']]);
    expect(readStructuredCsv('a,b\n1\n')).toEqual([{ a: '1', b: '' }]);
    expect(readStructuredCsv('')).toEqual([]);
  });

  it('rejects a file that ends inside a quoted field', () => {
    expect(() => readCsvRows('a\n"open')).toThrow(SyntaxError);
  });

  it.skipIf(!hasData)('reads all 2,000 rows of every Loghub structured file', () => {
    const rows = readStructuredCsv(readFileSync(`${DATA}/Spark/Spark_2k.log_structured.csv`, 'utf8'));
    expect(rows).toHaveLength(2000);
    expect(rows[0].Content).toBe('Registered signal handlers for [TERM, HUP, INT]');
    const android = readStructuredCsv(readFileSync(`${DATA}/Android/Android_2k.log_structured.csv`, 'utf8'));
    expect(android).toHaveLength(2000);
    expect(android[1].Content).toContain('tag="View Lock"');
    expect(android.every((r) => /^E\d+$/.test(r.EventId))).toBe(true);
  });
});

describe('groupingAccuracy', () => {
  it('is 1 for a perfect grouping whatever the labels are called', () => {
    expect(groupingAccuracy([5, 5, 9, 7], ['a', 'a', 'b', 'c'])).toBe(1);
  });

  it('counts a record only when its predicted group equals its true group', () => {
    // Truth: a={0,1,2}, b={3}, c={4,5}. Predicted: {0,1} splits a; {2,3} mixes a and b; {4,5} is c.
    expect(groupingAccuracy([0, 0, 1, 1, 2, 2], ['a', 'a', 'a', 'b', 'c', 'c'])).toBeCloseTo(2 / 6);
  });

  it('is 0 when everything is merged into one group of several truths', () => {
    expect(groupingAccuracy([0, 0, 0], [1, 2, 3])).toBe(0);
  });

  it('handles empty input and rejects mismatched lengths', () => {
    expect(groupingAccuracy([], [])).toBe(1);
    expect(() => groupingAccuracy([1], [])).toThrow(RangeError);
  });
});
