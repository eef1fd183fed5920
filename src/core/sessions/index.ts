export { type RecordGroups, groupSize, membersOf } from './groups';
export { type SessionRule, BUILTIN_SESSION_RULES, sessionKeysOf, detectSessionRules, validateSessionRule } from './rules';
export { SessionGrouper, groupSessions } from './sessions';
export { slidingTimeWindows, fixedTimeWindows, countWindows } from './windows';
