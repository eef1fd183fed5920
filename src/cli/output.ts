/**
 * What the command line prints: the text summary with the most anomalous units and the lines that
 * show them, and the --json report. Log text is escaped before it reaches a terminal.
 */
import type { AnalysisService } from '../core/analysis/service';
import type { LearningSummary } from '../core/analysis/learning';
import type { AnalysisSummary } from '../core/analysis/types';
import { countFlaggedSorted } from '../core/detect/threshold';
import { filesNotes } from '../core/ingest/notes';

/**
 * Text made safe for a terminal: control characters (ANSI escape sequences, carriage returns,
 * backspaces) and bidirectional overrides in a log would otherwise act on the terminal; they are
 * shown escaped instead. (JSON output needs none of this: JSON escapes control characters.)
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\t') return '\\t';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One of the most anomalous units as the terminal shows it: the line that shows it, and why. */
export interface TopLine {
  id: string;
  score: number;
  label: number;
  /** The unit's highest-scored line: its file, line number (1-based, as rows give it) and raw text. */
  file: string;
  line: number;
  text: string;
  reason: string;
}

export async function topLines(service: AnalysisService, summary: AnalysisSummary, limit: number): Promise<TopLine[]> {
  // The top of the ranking whatever the threshold (the summary above says how many it flags).
  const units = (await service.topAnomalies(Number.NEGATIVE_INFINITY, limit)).filter((u) => u.record >= 0);
  const rows = await service.linesAt(units.map((u) => u.record));
  return units.map((unit, k) => ({
    id: unit.id,
    score: unit.score,
    label: unit.label,
    file: summary.files[rows[k].file]?.name ?? '',
    line: rows[k].lineNumber,
    text: rows[k].raw,
    reason: unit.reason,
  }));
}

export function report(summary: AnalysisSummary, options: { top: number }, top: TopLine[], learning?: LearningSummary): unknown {
  const m = summary.metrics;
  const notes = new Map(filesNotes(summary.files).map((f) => [f.name, f.notes]));
  return {
    files: summary.files.map((f) => ({
      name: f.name,
      role: f.role,
      layout: f.layoutName,
      records: f.records,
      labelled: f.labelledRecords,
      notes: notes.get(f.name) ?? [],
    })),
    encoder: summary.encoder,
    records: summary.records,
    unit: summary.settings.unit,
    detector: summary.settings.detector,
    threshold: summary.threshold,
    units: summary.scoreDistribution.length,
    above_threshold: countFlaggedSorted(summary.scoreDistribution, summary.threshold),
    templates: summary.templates
      .slice(0, options.top * 5)
      .map((t) => ({ id: t.id, text: t.text, count: t.count, score: t.score, level: t.level, novel: t.novel })),
    sessions: summary.sessions.slice(0, options.top).map((s) => ({ id: s.id, lines: s.count, score: s.score, label: s.label })),
    scores: summary.unitRows.slice(0, options.top).map((u) => ({ id: u.id, score: u.score, rank: u.rank, label: u.label })),
    top: top.map((t) => ({ id: t.id, score: t.score, file: t.file, line: t.line, text: t.text, reason: t.reason, label: t.label })),
    ...(learning
      ? {
          learning: {
            trained: learning.trained,
            head: learning.headKind ?? null,
            anomalous_labels: learning.anomalous,
            normal_labels: learning.normal,
            weight: learning.weight,
            weight_from: learning.weightFrom,
            moved_into_top: learning.movedIntoTop,
            top: learning.top,
          },
        }
      : {}),
    ...(m
      ? {
          metrics: {
            unit: m.unit,
            detector: m.detector,
            auroc: m.auroc,
            ap: m.ap,
            best_f1: m.bestF1,
            precision: m.precision,
            recall: m.recall,
            f1: m.f1,
          },
        }
      : {}),
  };
}

export function printText(summary: AnalysisSummary, top: TopLine[], out: (line: string) => void): void {
  const above = countFlaggedSorted(summary.scoreDistribution, summary.threshold);
  out(
    `${summary.records} records, ${summary.templates.length} templates, unit ${summary.settings.unit}, detector ${summary.settings.detector}`,
  );
  out(`threshold ${summary.threshold.toFixed(4)}: ${above} of ${summary.scoreDistribution.length} units at or above`);
  out('\nmost anomalous:');
  // Unit ids and lines are log text: escaped, never sent to the terminal raw.
  const unit = summary.settings.unit;
  const files = new Set(top.map((t) => t.file)).size;
  for (const t of top) {
    const where = `${files > 1 ? `${t.file}:` : 'line '}${t.line}`;
    const what = unit === 'line' ? where : `${unit} ${t.id.slice(0, 200)} (worst: ${where})`;
    out(`  ${t.score.toFixed(4)}  ${printable(what)}${t.label === 1 ? '  [labelled anomalous]' : ''}  ${printable(t.reason)}`);
    out(`           ${printable(t.text.length > 300 ? `${t.text.slice(0, 300)}…` : t.text)}`);
  }
  const m = summary.metrics;
  if (m)
    out(
      `\nAUROC ${m.auroc.toFixed(4)}  AP ${m.ap.toFixed(4)}  best F1 ${m.bestF1.toFixed(4)}  at threshold: P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)}`,
    );
}
