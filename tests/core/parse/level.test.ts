/** One level vocabulary (issue 8): the parser, the record table's indices and the chart colours agree. */
import { describe, expect, it } from 'vitest';
import { LEVELS, LEVELS_BY_SEVERITY, LEVEL_ALIASES, canonicalLevelName, levelIndex, normalizeLevel } from '../../../src/core/parse';
import { canonicalLevel, levelRank, LEVEL_ORDER } from '../../../src/ui/charts/palette';

describe('the level vocabulary', () => {
  it('indexes levels by severity, 0 for none', () => {
    expect(LEVELS[0]).toBe('');
    expect(LEVELS_BY_SEVERITY).toEqual(['FATAL', 'ERROR', 'WARN', 'NOTICE', 'INFO', 'DEBUG', 'TRACE']);
    for (let i = 1; i < LEVELS.length; i++) expect(levelIndex(LEVELS[i])).toBe(i);
    expect(levelIndex('')).toBe(0);
    expect(levelIndex('combo')).toBe(0); // Loghub Linux's "Level" column is a host name
  });

  it('folds every alias, in any case, onto the same index the parser gives', () => {
    for (const [alias, level] of Object.entries(LEVEL_ALIASES)) {
      expect(normalizeLevel(alias.toLowerCase())).toBe(level);
      expect(levelIndex(alias)).toBe(LEVELS.indexOf(level));
      expect(levelIndex(` ${alias.toLowerCase()} `)).toBe(LEVELS.indexOf(level));
      expect(canonicalLevelName(alias)).toBe(level);
    }
  });

  it('settles the spellings the three old vocabularies disagreed on', () => {
    expect(canonicalLevelName('SEVERE')).toBe('ERROR');
    expect(canonicalLevelName('crit')).toBe('FATAL');
    expect(canonicalLevelName('CRITICAL')).toBe('FATAL');
    expect(canonicalLevelName('FAILURE')).toBe('FATAL');
    expect(canonicalLevelName('notice')).toBe('NOTICE');
    expect(canonicalLevelName('V')).toBe('TRACE');
  });

  it('the chart colours follow it: every alias lands in the group of its canonical level', () => {
    const group: Record<string, string> = {
      '': 'OTHER',
      TRACE: 'DEBUG',
      DEBUG: 'DEBUG',
      INFO: 'INFO',
      NOTICE: 'INFO',
      WARN: 'WARN',
      ERROR: 'ERROR',
      FATAL: 'FATAL',
    };
    for (const alias of Object.keys(LEVEL_ALIASES)) expect(canonicalLevel(alias)).toBe(group[canonicalLevelName(alias)]);
    expect(canonicalLevel('SEVERE')).toBe('ERROR');
    expect(canonicalLevel('CRIT')).toBe('FATAL');
    expect(canonicalLevel('whatever')).toBe('OTHER');
    // More severe levels rank first in legends, as their indices say.
    const ranked = LEVELS.slice(1).map((l) => levelRank(l));
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]).toBeLessThanOrEqual(ranked[i - 1]);
    expect(LEVEL_ORDER[levelRank('FATAL')]).toBe('FATAL');
  });
});
