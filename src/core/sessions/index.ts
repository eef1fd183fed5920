export { type RecordGroups, groupSize, membersOf, packGroups } from './groups';
export {
  type SessionRule, type DetectOptions, type SessionRuleCoverage, BUILTIN_SESSION_RULES,
  sessionKeysOf, detectSessionRules, sessionRuleCoverage, validateSessionRule,
} from './rules';
export { SessionGrouper, groupSessions } from './sessions';
export { type TimeWindows, slidingTimeWindows, fixedTimeWindows, countWindows } from './windows';
