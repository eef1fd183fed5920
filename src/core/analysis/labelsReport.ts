/**
 * What a dropped labels CSV matched: how many of its ids are line numbers of this log or session
 * ids of its sessions, so the page can say "412 of 1,162 ids matched" (or that none did) instead
 * of accepting labels silently. Labels keyed by session are evaluated per session, whatever the
 * scoring unit, with the sessions' own automatic threshold.
 */
import { metricsOf } from './summary';
import { thresholdFor } from '../detect/threshold';
import type { AnalysisFit } from './fit';
import { unitLabels, type Scoring } from './scoring';
import type { LabelsReport, Metrics } from './types';

export function labelsReport(fit: AnalysisFit, scoring: Scoring): LabelsReport | undefined {
  const labels = fit.labels;
  if (!labels) return undefined;
  const target = fit.records.target;
  // Counted from the log's side (labels are lookups, not lists): each line number and session id once.
  let matchedLines = 0;
  if (labels.byLine.size) {
    const seen = new Set<number>();
    for (let i = 0; i < target.count; i++) {
      const line = target.lineNumber[i] + 1;
      if (!seen.has(line) && labels.byLine.get(line) !== undefined) matchedLines++;
      seen.add(line);
    }
  }
  let matchedSessions = 0;
  if (labels.bySession.size)
    for (const key of new Set(scoring.sessions?.keys ?? [])) if (labels.bySession.get(key) !== undefined) matchedSessions++;
  return {
    lineIds: labels.byLine.size,
    sessionIds: labels.bySession.size,
    matchedLines,
    matchedSessions,
    ids: labels.byLine.size + labels.bySession.size,
    matched: matchedLines + matchedSessions,
  };
}

/**
 * Per-session evaluation when the labels name sessions but the scoring unit has no ground truth of
 * its own (e.g. HDFS block labels while lines are scored).
 */
export function sessionLabelMetrics(fit: AnalysisFit, scoring: Scoring): Metrics | undefined {
  const { unit, detector, forest } = scoring.settings;
  if (unit === 'session' || !fit.labels?.bySession.size || !scoring.scores.session) return undefined;
  const labels = unitLabels(fit, scoring, 'session');
  if (!labels) return undefined;
  const scores = scoring.scores.session;
  const threshold = thresholdFor(scores, forest.contamination);
  const metrics = metricsOf(scores, labels, threshold, 'session', detector);
  return (
    metrics && {
      ...metrics,
      note: `labels name sessions: evaluated per session (${scoring.sessions?.keys.length.toLocaleString('en-US')} sessions, at their own automatic threshold) while ${unit}s are scored`,
    }
  );
}
