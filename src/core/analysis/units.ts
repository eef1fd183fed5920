/**
 * Session and window units of an analysis, from the sessions stage: which records form each
 * session (the analyst's regex, else the built-in identifiers a sample of the log shows) and
 * which fall in each window (time windows when the log is timed, else count windows).
 */
import { countWindows, detectSessionRules, SessionGrouper, slidingTimeWindows, type RecordGroups, type SessionRule } from '../sessions';
import type { RecordTable } from './recordTable';
import { readRecords, scanRecords } from './recordText';
import type { WindowSettings } from './types';

const RULE_SAMPLE = 5000;
/** Stretches of the log the sample is cut from. */
const RULE_RUNS = 5;

/** The analyst's regex, else the built-in identifiers that a sample of the messages names. */
export async function sessionRulesFor(records: RecordTable, userRegex?: string): Promise<SessionRule[]> {
  if (userRegex && userRegex.trim()) return [{ name: 'your session regex', pattern: userRegex }];
  // Runs of consecutive records, spread over the log: a session's lines sit close together, and a
  // strided sample would see each short request once (and judge its id as never recurring).
  const runs = Math.min(RULE_RUNS, Math.max(1, Math.floor(records.count / (RULE_SAMPLE / RULE_RUNS))));
  const runLength = Math.min(records.count, Math.ceil(RULE_SAMPLE / runs));
  const picked: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = Math.floor(((records.count - runLength) * r) / Math.max(1, runs - 1 || 1));
    for (let i = start; i < start + runLength && i < records.count; i++) picked.push(i);
  }
  const sample = Uint32Array.from(new Set(picked));
  return detectSessionRules((await readRecords(records, sample)).map((t) => t.message));
}

/** Sessions of the records (one pass over their messages), or undefined when the log names none. */
export async function sessionGroups(records: RecordTable, userRegex?: string, signal?: AbortSignal): Promise<RecordGroups | undefined> {
  const rules = await sessionRulesFor(records, userRegex);
  if (rules.length === 0) return undefined;
  const grouper = new SessionGrouper(rules);
  await scanRecords(records, (i, text) => grouper.add(text.message, i), signal);
  const groups = grouper.build();
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
