import type { ParsedRecord } from '../types';
import type { Layout } from './layout';
import { levelFromSyslogPri, normalizeLevel } from './level';
import { autoTimeParser } from './autoTimeFormat';
import { parseIsoTimestamp } from './isoTimestamp';
import { compileTimeScanner } from './timeFormat';
import { BUILTIN_LAYOUTS } from './builtinLayouts';
import { readIsoLine } from './isoLine';

/** Compiled form of a 'fields' layout: line → record, or null when the line does not fit. */
export type LineToRecord = (line: string) => ParsedRecord | null;

/** `year`: the year of timestamps whose pattern has none (see timestamp.ts `resolveYear`). */
export function compileFieldsLayout(layout: Layout, year?: number): LineToRecord {
  if (layout.pattern === undefined || layout.fields === undefined) {
    throw new Error(`Layout ${layout.id} has no pattern/fields`);
  }
  const flags = (layout.patternFlags ?? '').replace(/[gsy]/g, '') + 's';
  const regex = new RegExp(layout.pattern, flags);
  const fields = layout.fields;
  // Capture group numbers (1-based) of the fields each record needs; 0 = absent.
  const group = (name: string | undefined): number => (name === undefined ? 0 : fields.indexOf(name) + 1);
  const contentGroup = group('Content');
  const levelGroup = group(layout.levelField);
  const componentGroup = group(layout.componentField);
  const labelGroup = group(layout.labelField);
  const priGroup = group('Pri');
  const timeGroups = (layout.timeFields ?? []).map(group).filter((g) => g > 0);
  const parseTime =
    layout.timeFormat === undefined || timeGroups.length === 0
      ? null
      : layout.timeFormat === 'iso'
        ? parseIsoTimestamp
        : layout.timeFormat === 'auto'
          ? autoTimeParser(year)
          : compileTimeScanner(layout.timeFormat, year);

  // Neighbouring records usually repeat the date (and often the time): reuse the last result.
  const lastTimeParts: (string | undefined)[] = timeGroups.map(() => undefined);
  let lastTimestamp = NaN;

  const byRegex = (line: string): ParsedRecord | null => {
    const m = regex.exec(line);
    if (m === null) return null;
    let timestamp = NaN;
    if (parseTime !== null) {
      let same = true;
      for (let i = 0; i < timeGroups.length; i++) {
        if (m[timeGroups[i]] !== lastTimeParts[i]) {
          same = false;
          break;
        }
      }
      if (same) timestamp = lastTimestamp;
      else {
        let text = m[timeGroups[0]] ?? '';
        lastTimeParts[0] = m[timeGroups[0]];
        for (let i = 1; i < timeGroups.length; i++) {
          text += ' ' + (m[timeGroups[i]] ?? '');
          lastTimeParts[i] = m[timeGroups[i]];
        }
        timestamp = parseTime(text);
        lastTimestamp = timestamp;
      }
    }
    let level = '';
    if (levelGroup > 0 && m[levelGroup] !== undefined) level = normalizeLevel(m[levelGroup]);
    if (level === '' && priGroup > 0 && m[priGroup] !== undefined) level = levelFromSyslogPri(Number(m[priGroup]));
    const record: ParsedRecord = {
      timestamp,
      level,
      component: componentGroup > 0 ? (m[componentGroup] ?? '').trim() : '',
      message: contentGroup > 0 ? (m[contentGroup] ?? '').trim() : line.trim(),
    };
    if (labelGroup > 0 && m[labelGroup] !== undefined) record.label = m[labelGroup];
    return record;
  };
  return sameAsBuiltinIso(layout) ? (line) => readIsoLine(line, byRegex) : byRegex;
}

const BUILTIN_ISO = BUILTIN_LAYOUTS.find((l) => l.id === 'iso') as Layout;

/** Whether `layout` reads lines exactly as the built-in ISO layout does (isoLine.ts reads those by hand). */
function sameAsBuiltinIso(layout: Layout): boolean {
  const iso = BUILTIN_ISO;
  return (
    layout.kind === 'fields' &&
    layout.pattern === iso.pattern &&
    layout.patternFlags === iso.patternFlags &&
    layout.fields?.join('\n') === iso.fields?.join('\n') &&
    layout.timeFields?.join('\n') === iso.timeFields?.join('\n') &&
    layout.timeFormat === iso.timeFormat &&
    layout.levelField === iso.levelField &&
    layout.componentField === iso.componentField &&
    layout.labelField === undefined
  );
}
