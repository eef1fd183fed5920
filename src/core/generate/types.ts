/**
 * Shapes of the synthetic log generator: what it is asked for and what each generated line says
 * about itself (its ground truth).
 */

/** Line layouts the generator can write; each is a standard one the parsers detect. */
export type Layout = 'iso' | 'syslog' | 'jsonl' | 'hdfs';
export const LAYOUTS: readonly Layout[] = ['iso', 'syslog', 'jsonl', 'hdfs'];

/**
 * What makes an injected line anomalous.
 * - rare-error: an error template that never occurs in normal traffic (disk I/O error, OOM kill...)
 * - unusual-value: a normal template with an absurd parameter (latency x100, negative size, unseen status)
 * - planted-word: a normal template with exactly one word swapped for a word normal traffic never uses
 * - missing-step: a session that stops early (a request that never gets its response); the label
 *   sits on the last line the session did write
 * - out-of-order: a session whose steps are logged in the wrong order; the label sits on the moved step
 * - burst: one of a flood of WARN lines in a short window (each line alone looks ordinary)
 */
export type AnomalyKind = 'rare-error' | 'unusual-value' | 'planted-word' | 'missing-step' | 'out-of-order' | 'burst';
export const ANOMALY_KINDS: readonly AnomalyKind[] = [
  'rare-error',
  'unusual-value',
  'planted-word',
  'missing-step',
  'out-of-order',
  'burst',
];

export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

export type ServiceName = 'api-gateway' | 'auth' | 'orders' | 'payments' | 'inventory' | 'storage' | 'scheduler';

export interface GenerateOptions {
  /** Any integer; the same seed and options always give the same log. */
  seed: number;
  /** Exact number of lines to write. */
  lines: number;
  layout: Layout;
  /** Target fraction of anomalous lines, 0..0.5. Default 0.02. 0 gives a normal-only log. */
  anomalyRate?: number;
  /** Epoch ms of the start of the log. Default 2026-03-14T00:00:00Z. */
  start?: number;
  /** Mean lines per second over a day (the rate follows a diurnal curve). Default 2. */
  linesPerSecond?: number;
}

export interface GeneratedLine {
  /** The log line as written, without a line terminator. */
  text: string;
  /** Line-level ground truth. */
  anomaly: boolean;
  /** Set on anomalous lines. */
  kind?: AnomalyKind;
  /** Session id (`req-<hex>`, `blk_<id>`, `job-<n>`) when the line belongs to one. */
  session?: string;
  /** Epoch ms of the line's timestamp. */
  time: number;
  level: Level;
  service: ServiceName;
  /** For planted-word anomalies: the same line with the normal word, everything else identical. */
  twin?: string;
}
