/** Precision, recall and F1 at the current threshold, and threshold-free AUCs, when labels exist. */
import { useLoupe } from '../../state/store';
import { formatScore } from '../format';

function Metric({ name, value, title }: { name: string; value: number; title: string }) {
  return (
    <span className="metric" title={title}>
      <span className="muted">{name}</span> <b>{formatScore(value, 3)}</b>
    </span>
  );
}

export function EvaluationStrip() {
  const metrics = useLoupe((s) => s.thresholdView?.metrics ?? s.summary?.metrics);
  const labelled = useLoupe((s) => s.summary?.files.some((f) => f.labelledRecords > 0) ?? false);
  if (!metrics) {
    return (
      <div className="eval-strip muted" data-testid="evaluation">
        No ground truth for this log: drop a labels CSV (id,label) with it to see precision, recall and ROC-AUC.
        {labelled && ' (Labelled lines were found, but not for the current scoring unit.)'}
      </div>
    );
  }
  return (
    <div className="eval-strip" data-testid="evaluation">
      <span className="panel-title">Evaluation · {metrics.unit} · {metrics.detector}</span>
      <Metric name="precision" value={metrics.precision} title="Share of flagged units that are labelled anomalous" />
      <Metric name="recall" value={metrics.recall} title="Share of labelled anomalies that are flagged" />
      <Metric name="F1" value={metrics.f1} title="F1 at the current threshold" />
      <Metric name="best F1" value={metrics.bestF1} title="Best F1 over all thresholds" />
      <Metric name="ROC-AUC" value={metrics.auroc} title="Area under the ROC curve (threshold-free)" />
      <Metric name="AP" value={metrics.ap} title="Average precision: area under the PR curve" />
    </div>
  );
}
