// The parse stage: lines to records.
export type { Layout } from './layout';
export { BUILTIN_LAYOUTS, PLAIN_LAYOUT } from './builtinLayouts';
export { detectLayout } from './detect';
export { parseLayoutFormat } from './loghubFormat';
export { createRecordParser, MAX_FOLDED_MESSAGE_CHARS, type RecordParser } from './recordParser';
export { isContinuationLine } from './continuation';
export { LEVELS, LEVEL_ALIASES, LEVELS_BY_SEVERITY, canonicalLevelName, levelAtLineStart, levelIndex, normalizeLevel } from './level';
export { compileTimeFormat } from './timeFormat';
export { parseIsoTimestamp } from './isoTimestamp';
export { newestYearIn, resolveYear } from './timestampYear';
