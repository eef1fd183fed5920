/** Synthetic, seeded logs with labelled anomalies: demo samples, tests, benchmarks, training text. */
export { generateLog, generateLogText } from './generator';
export { lineLabelsCsv, sessionLabels, sessionLabelsCsv, summarizeLog, type LogSummary } from './labels';
export { ANOMALY_KINDS, LAYOUTS, type GenerateOptions, type GeneratedLine, type Layout } from './types';
