// The parse stage: lines to records.
export type { Layout, LayoutKind } from './layout';
export { BUILTIN_LAYOUTS, PLAIN_LAYOUT } from './builtinLayouts';
export { detectLayout, DETECTION_SAMPLE_LINES } from './detect';
export { parseLayoutFormat } from './loghubFormat';
export { createRecordParser, MAX_FOLDED_MESSAGE_CHARS, type ParseOptions, type RecordParser } from './recordParser';
export { isContinuationLine, startsWithRecordHeader } from './continuation';
export {
  LEVELS, LEVEL_ALIASES, LEVELS_BY_SEVERITY, canonicalLevelName, levelAtLineStart, levelIndex, normalizeLevel, type LevelName,
} from './level';
export { compileTimeFormat, newestYearIn, parseIsoTimestamp, resolveYear } from './timestamp';
