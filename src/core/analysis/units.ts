/**
 * Session and window units of an analysis, from the sessions stage: which records form each
 * session (the analyst's regex, else the built-in identifiers a sample of the log shows) and
 * which fall in each window (time windows when the log is timed, else count windows).
 */
import { countWindows, detectSessionRules, groupSessions, slidingTimeWindows, type RecordGroups, type SessionRule } from '../sessions';
import type { RecordTable } from './recordTable';
import type { WindowSettings } from './types';

const RULE_SAMPLE = 5000;

export function sessionRulesFor(records: RecordTable, userRegex?: string): SessionRule[] {
  if (userRegex && userRegex.trim()) return [{ name: 'your session regex', pattern: userRegex }];
  const step = Math.max(1, Math.floor(records.count / RULE_SAMPLE));
  const sample: string[] = [];
  for (let i = 0; i < records.count; i += step) sample.push(records.message[i]);
  return detectSessionRules(sample);
}

/** Sessions of the records, or undefined when the log names none. */
export function sessionGroups(records: RecordTable, userRegex?: string): RecordGroups | undefined {
  const rules = sessionRulesFor(records, userRegex);
  if (rules.length === 0) return undefined;
  const groups = groupSessions(records.message, rules);
  return groups.keys.length ? groups : undefined;
}

/** Time windows when the log is timed and time windows are asked for; count windows otherwise. */
export function windowGroups(records: RecordTable, settings: WindowSettings, timed: boolean): RecordGroups {
  const step = settings.step > 0 ? Math.min(settings.step, settings.size) : settings.size;
  if (settings.kind === 'time' && timed) {
    const windows = slidingTimeWindows(records.timestamp, settings.size, step);
    return { keys: windows.keys, starts: windows.starts, members: windows.members };
  }
  // A time size makes no sense as a line count on an untimed log: fall back to 1,000-line windows.
  const size = settings.kind === 'count' ? Math.max(1, Math.round(settings.size)) : 1000;
  return countWindows(records.count, size, settings.kind === 'count' ? Math.max(1, Math.round(step)) : size);
}
