/**
 * Ground truth of a generated log as CSV files and a summary: line-level labels (`id` = 1-based
 * line number) and session-level labels (`id` = session id, 1 when any of its lines is anomalous,
 * which includes the line where a broken sequence stops or goes out of order).
 */
import { ANOMALY_KINDS, type AnomalyKind, type GeneratedLine } from './types';

/** `id,label` with one row per line, in line order. */
export function lineLabelsCsv(lines: Iterable<GeneratedLine>): string {
  const rows = ['id,label'];
  let id = 0;
  for (const line of lines) rows.push(`${++id},${line.anomaly ? 1 : 0}`);
  return `${rows.join('\n')}\n`;
}

/** Session id → 0/1, in order of first appearance. */
export function sessionLabels(lines: Iterable<GeneratedLine>): Map<string, 0 | 1> {
  const labels = new Map<string, 0 | 1>();
  for (const line of lines) {
    if (line.session === undefined) continue;
    if (line.anomaly) labels.set(line.session, 1);
    else if (!labels.has(line.session)) labels.set(line.session, 0);
  }
  return labels;
}

/** `id,label` with one row per session, in order of first appearance. */
export function sessionLabelsCsv(lines: Iterable<GeneratedLine>): string {
  const rows = ['id,label'];
  for (const [id, label] of sessionLabels(lines)) rows.push(`${id},${label}`);
  return `${rows.join('\n')}\n`;
}

export interface LogSummary {
  lines: number;
  anomalousLines: number;
  linesByKind: Record<AnomalyKind, number>;
  sessions: number;
  anomalousSessions: number;
  /** Epoch ms of the first and last line (NaN for an empty log). */
  firstTime: number;
  lastTime: number;
}

/** Counts for a README or a benchmark report; a single pass that keeps only session ids. */
export function summarizeLog(lines: Iterable<GeneratedLine>): LogSummary {
  const linesByKind = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>;
  const sessions = new Map<string, boolean>();
  let count = 0;
  let anomalous = 0;
  let firstTime = Number.NaN;
  let lastTime = Number.NaN;
  for (const line of lines) {
    if (count === 0) firstTime = line.time;
    lastTime = line.time;
    count++;
    if (line.kind !== undefined) {
      anomalous++;
      linesByKind[line.kind]++;
    }
    if (line.session !== undefined) sessions.set(line.session, (sessions.get(line.session) ?? false) || line.anomaly);
  }
  let anomalousSessions = 0;
  for (const flagged of sessions.values()) if (flagged) anomalousSessions++;
  return { lines: count, anomalousLines: anomalous, linesByKind, sessions: sessions.size, anomalousSessions, firstTime, lastTime };
}
