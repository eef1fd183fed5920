/** Synthetic, seeded logs with labelled anomalies: demo samples, tests, benchmarks, training text. */
export { generateLog, generateLogText, diurnalFactor, DEFAULT_START, DEFAULT_ANOMALY_RATE, DEFAULT_LINES_PER_SECOND } from './generator';
export { lineLabelsCsv, sessionLabels, sessionLabelsCsv, summarizeLog, type LogSummary } from './labels';
export {
  ANOMALY_KINDS,
  LAYOUTS,
  type AnomalyKind,
  type GenerateOptions,
  type GeneratedLine,
  type Layout,
  type Level,
  type ServiceName,
} from './types';
