// The parse stage: lines to records.
export type { Layout, LayoutKind } from './layout';
export { BUILTIN_LAYOUTS, PLAIN_LAYOUT } from './builtinLayouts';
export { detectLayout, DETECTION_SAMPLE_LINES } from './detect';
export { parseLayoutFormat } from './loghubFormat';
export { createRecordParser, MAX_FOLDED_MESSAGE_CHARS, type RecordParser } from './recordParser';
export { isContinuationLine } from './continuation';
export { normalizeLevel } from './level';
export { compileTimeFormat, parseIsoTimestamp, YEARLESS_REFERENCE_YEAR } from './timestamp';
