/**
 * What the page receives about a scored fit: tables, the timeline, the map and the evaluation,
 * each sized for charts and tables (never one object per line of a big log).
 */
import { evaluateScores } from '../evaluate';
import { sortedScores } from '../detect/threshold';
import type { RecordGroups } from '../sessions';
import type { AnalysisFit } from './fit';
import { LEVELS } from '../parse/level';
import { lineThresholdOf, unitLabels, type Scoring } from './scoring';
import { timelineBuckets } from './timeline';
import type { AnalysisSummary, MapPoint, Metrics, ScoringUnit, TemplateRow, UnitRow } from './types';

/** Units listed in tables, most anomalous first. */
const MAX_UNIT_ROWS = 2000;

/** Indices of the `k` highest scores, highest first (ties by index). */
export function topIndices(scores: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k);
}

export function templateTable(fit: AnalysisFit, scoring: Scoring): TemplateRow[] {
  const { records } = fit;
  const target = records.target;
  const counts = records.targetTemplateCounts;
  const first = new Int32Array(counts.length).fill(-1);
  const last = new Int32Array(counts.length).fill(-1);
  const worstLevel = new Uint8Array(counts.length);
  for (let i = 0; i < target.count; i++) {
    const t = target.templateId[i];
    if (first[t] < 0) first[t] = i;
    last[t] = i;
    if (target.level[i] > worstLevel[t]) worstLevel[t] = target.level[i];
  }
  const referenceCounts = records.referenceTemplateCounts;
  const rows: TemplateRow[] = [];
  for (const t of records.templates) {
    if (!counts[t.id]) continue;
    rows.push({
      id: t.id,
      text: t.text,
      count: counts[t.id],
      firstSeen: first[t.id],
      lastSeen: last[t.id],
      score: scoring.scores.template[t.id],
      level: LEVELS[worstLevel[t.id]],
      novel: referenceCounts ? !referenceCounts[t.id] : false,
    });
  }
  return rows.sort((a, b) => b.score - a.score || b.count - a.count);
}

function groupRows(
  groups: RecordGroups,
  scores: Float32Array,
  timestamp: Float64Array,
  labels: Int8Array | undefined,
  k: number,
): UnitRow[] {
  return topIndices(scores, k).map((g, r) => {
    const from = groups.starts[g];
    const to = groups.starts[g + 1];
    return {
      index: g,
      id: groups.keys[g],
      score: scores[g],
      rank: r + 1,
      count: to - from,
      label: labels ? labels[g] : -1,
      start: to > from ? timestamp[groups.members[from]] : Number.NaN,
      end: to > from ? timestamp[groups.members[to - 1]] : Number.NaN,
    };
  });
}

/** The most anomalous units of a unit kind, highest first. */
export function unitRows(fit: AnalysisFit, scoring: Scoring, unit: ScoringUnit, templates: TemplateRow[], k = MAX_UNIT_ROWS): UnitRow[] {
  const target = fit.records.target;
  const labels = unitLabels(fit, scoring, unit);
  switch (unit) {
    case 'template':
      return templates.slice(0, k).map((t, i) => ({
        index: t.id,
        id: t.text,
        score: t.score,
        rank: i + 1,
        count: t.count,
        label: -1,
        start: target.timestamp[t.firstSeen] ?? Number.NaN,
        end: target.timestamp[t.lastSeen] ?? Number.NaN,
      }));
    case 'session':
      return scoring.sessions && scoring.scores.session
        ? groupRows(scoring.sessions, scoring.scores.session, target.timestamp, labels, k)
        : [];
    case 'window':
      return scoring.scores.window ? groupRows(scoring.windows, scoring.scores.window, target.timestamp, labels, k) : [];
    default: {
      const line = scoring.scores.line;
      return topIndices(line, k).map((i, r) => ({
        index: i,
        id: String(target.lineNumber[i] + 1),
        score: line[i],
        rank: r + 1,
        count: 1,
        label: labels ? labels[i] : -1,
        start: target.timestamp[i],
        end: target.timestamp[i],
      }));
    }
  }
}

/** Detection quality of the current unit against ground truth, when any is known. */
export function metricsAt(fit: AnalysisFit, scoring: Scoring, threshold: number): Metrics | undefined {
  const { unit, detector } = scoring.settings;
  const labels = unitLabels(fit, scoring, unit);
  if (!labels) return undefined;
  const training = scoring.trainingLabels;
  if (!training || training.length !== labels.length) return metricsOf(scoring.scores.unit, labels, threshold, unit, detector);
  const heldOut = labels.slice();
  let left = 0;
  for (let u = 0; u < heldOut.length; u++) {
    if (training[u] >= 0 && heldOut[u] >= 0) {
      heldOut[u] = -1;
      left++;
    }
  }
  const metrics = metricsOf(scoring.scores.unit, heldOut, threshold, unit, detector);
  return metrics && left > 0
    ? { ...metrics, note: `Measured without the ${left.toLocaleString('en-US')} labelled ${unit}s the head learned from.` }
    : metrics;
}

/** ROC-AUC, AP, best F1 and P/R/F1 at the threshold of scores against labels; undefined without both classes. */
export function metricsOf(
  scores: Float32Array,
  labels: Int8Array,
  threshold: number,
  unit: ScoringUnit,
  detector: Metrics['detector'],
): Metrics | undefined {
  const evaluation = evaluateScores(scores, labels, threshold);
  if (evaluation.positives === 0 || evaluation.negatives === 0) return undefined;
  const at = evaluation.atThreshold!;
  return {
    unit,
    detector,
    auroc: evaluation.auroc,
    ap: evaluation.ap,
    bestF1: evaluation.best.f1,
    precision: at.precision,
    recall: at.recall,
    f1: at.f1,
    threshold,
    pr: evaluation.pr.map((p) => ({ recall: p.recall, precision: p.precision })),
  };
}

export function summarise(
  fit: AnalysisFit,
  scoring: Scoring,
  map: Omit<MapPoint, 'score'>[],
  durationsMs: AnalysisSummary['durationsMs'],
): AnalysisSummary {
  const { records, evidence } = fit;
  const { scores } = scoring;
  const target = records.target;
  const templates = templateTable(fit, scoring);
  const threshold = scores.threshold;
  return {
    files: records.files.map((f) => ({
      name: f.name,
      role: f.role,
      report: f.report,
      layoutName: f.layout.name,
      layoutFormat: f.layout.format,
      records: f.records,
      labelledRecords: f.labelledRecords,
    })),
    records: target.count,
    timed: fit.timeline.timed,
    encoder: evidence.encoder
      ? {
          modelId: evidence.encoder.modelId,
          device: evidence.encoder.device,
          fallbackReason: evidence.encoder.fallbackReason,
          modelNote: evidence.encoder.modelNote,
          threads: evidence.encoder.threads,
          hasMlmHead: evidence.encoder.hasMlmHead,
        }
      : { modelId: 'tf-idf', device: 'none', fallbackReason: evidence.encoderError, threads: 0, hasMlmHead: false },
    settings: { ...fit.settings, ...scoring.settings },
    referenceMode: !!records.reference,
    // Templates seen only in the reference have no lines here: they are not units of this log.
    scoreDistribution: sortedScores(scoring.settings.unit === 'template' ? templates.map((t) => t.score) : scores.unit),
    unitRows: unitRows(fit, scoring, scoring.settings.unit, templates),
    threshold,
    lineThreshold: scores.lineThreshold,
    thresholdExplanation: scores.thresholdExplanation,
    templates,
    sessions: scoring.sessions && scores.session ? unitRows(fit, scoring, 'session', templates) : [],
    timeline: timelineBuckets(fit.timeline, target, scores.line, lineThresholdOf(scoring, threshold)),
    map: map.map((p) => ({ ...p, score: scores.template[p.templateId] })),
    metrics: metricsAt(fit, scoring, threshold),
    durationsMs,
  };
}
