/**
 * Precision, recall and F1 at the current threshold, and threshold-free AUCs, when labels exist;
 * what a dropped labels CSV matched ("412 of 1,162 ids matched"), and which unit is evaluated when
 * the labels name sessions while lines are scored.
 */
import type { LabelsReport } from '../../core/analysis/types';
import { useLoupe } from '../../state/store';
import { formatCount, formatScore } from '../format';

function Metric({ name, value, title }: { name: string; value: number; title: string }) {
  return (
    <span className="metric" title={title}>
      <span className="muted">{name}</span> <b>{formatScore(value, 3)}</b>
    </span>
  );
}

/** What the labels CSV matched, in one sentence. */
function labelsSentence(report: LabelsReport, file: string | undefined): string {
  const name = file ?? 'The labels CSV';
  if (report.matched === 0) {
    return `${name}: none of its ${formatCount(report.ids)} ids matched a line number or a session id of this log, so nothing is evaluated.`;
  }
  const kinds = [
    report.sessionIds > 0 && `${formatCount(report.matchedSessions)} of ${formatCount(report.sessionIds)} session ids`,
    report.lineIds > 0 && `${formatCount(report.matchedLines)} of ${formatCount(report.lineIds)} line numbers`,
  ].filter(Boolean);
  return report.matched === report.ids
    ? `${name}: all ${formatCount(report.ids)} ids matched (${kinds.join(', ')}).`
    : `${name}: ${formatCount(report.matched)} of ${formatCount(report.ids)} ids matched (${kinds.join(', ')}).`;
}

export function EvaluationStrip() {
  const metrics = useLoupe((s) => s.thresholdView?.metrics ?? s.summary?.metrics);
  const report = useLoupe((s) => s.thresholdView?.labels);
  const labelsFile = useLoupe((s) => s.sources.labels?.name);
  const labelled = useLoupe((s) => s.summary?.files.some((f) => f.labelledRecords > 0) ?? false);
  const reportLine = report && (
    <span className={report.matched < report.ids ? 'flagged' : 'muted'} data-testid="labels-report">
      {labelsSentence(report, labelsFile)}
    </span>
  );
  if (!metrics) {
    return (
      <div className="eval-strip muted" data-testid="evaluation">
        {reportLine ?? <>No ground truth for this log: drop a labels CSV (id,label) with it to see precision, recall and ROC-AUC.</>}
        {!report && labelled && ' (Labelled lines were found, but not for the current scoring unit.)'}
      </div>
    );
  }
  return (
    <div className="eval-strip" data-testid="evaluation">
      <span className="panel-title">
        Evaluation · {metrics.unit} · {metrics.detector}
      </span>
      <Metric name="precision" value={metrics.precision} title="Share of flagged units that are labelled anomalous" />
      <Metric name="recall" value={metrics.recall} title="Share of labelled anomalies that are flagged" />
      <Metric name="F1" value={metrics.f1} title="F1 at the current threshold" />
      <Metric name="best F1" value={metrics.bestF1} title="Best F1 over all thresholds" />
      <Metric name="ROC-AUC" value={metrics.auroc} title="Area under the ROC curve (threshold-free)" />
      <Metric name="AP" value={metrics.ap} title="Average precision: area under the PR curve" />
      {metrics.note && (
        <span
          className="muted"
          data-testid="evaluation-note"
          title={metrics.note}
          style={{ overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}
        >
          {metrics.note}
        </span>
      )}
      {report && report.matched < report.ids && reportLine}
    </div>
  );
}
