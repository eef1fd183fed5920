/**
 * The Top anomalies list: the flagged units of the current unit (lines, templates, sessions or
 * windows), most anomalous first, each with the line a click opens (the unit's highest-scored
 * line) and a one-line reason (the evidence that raised that line's score most). Reasons of all
 * listed units are computed in one batch on the fitted forest.
 */
import { reasonOf } from '../explain/evidence';
import { isFlagged, searchSorted } from '../detect/threshold';
import type { AnalysisFit } from './fit';
import { contributionsOf } from './lineDetail';
import { groupsOf, unitLabels, type Scoring } from './scoring';
import { templateTable, unitRows } from './summary';
import type { TopAnomaly, UnitRow } from './types';

/** The most listed: reasons cost a forest pass each. */
const MAX_TOP_ANOMALIES = 200;

/** Characters of a unit's line sent for the list (a 1 MB line is not copied to the page). */
const TEXT_PREVIEW = 400;

/**
 * Flagged lines, one per distinct text: a log that repeats one alarm 300 times would otherwise fill
 * the list with it. Each text is shown by its highest-scored line; `count` says how many flagged
 * lines share the text, `rank` where that line stands among all lines (ties share the best rank).
 */
function distinctLines(fit: AnalysisFit, scoring: Scoring, threshold: number, wanted: number, sorted: Float32Array): UnitRow[] {
  const target = fit.records.target;
  const textIndex = target.textIndex;
  const line = scoring.scores.line;
  const best = new Int32Array(fit.records.targetTexts.texts.length).fill(-1);
  const flagged = new Uint32Array(best.length);
  for (let i = 0; i < line.length; i++) {
    if (!isFlagged(line[i], threshold)) continue;
    const t = textIndex[i];
    flagged[t]++;
    if (best[t] < 0 || line[i] > line[best[t]]) best[t] = i;
  }
  const shown = Array.from(best.filter((i) => i >= 0)).sort((a, b) => line[b] - line[a] || a - b);
  const labels = unitLabels(fit, scoring, 'line');
  return shown.slice(0, wanted).map((i) => ({
    index: i,
    id: String(target.lineNumber[i] + 1),
    score: line[i],
    rank: sorted.length - searchSorted(sorted, line[i], true) + 1,
    count: flagged[textIndex[i]],
    label: labels ? labels[i] : -1,
    start: target.timestamp[i],
    end: target.timestamp[i],
  }));
}

/** Highest-scored line of each unit, for the listed units only. */
function worstLines(fit: AnalysisFit, scoring: Scoring, rows: UnitRow[]): number[] {
  const { unit } = scoring.settings;
  const line = scoring.scores.line;
  if (unit === 'line') return rows.map((r) => r.index);
  if (unit === 'template') {
    const wanted = new Map<number, number>(rows.map((r) => [r.index, -1]));
    const templateId = fit.records.target.templateId;
    for (let i = 0; i < line.length; i++) {
      const best = wanted.get(templateId[i]);
      if (best !== undefined && (best < 0 || line[i] > line[best])) wanted.set(templateId[i], i);
    }
    return rows.map((r) => wanted.get(r.index) ?? -1);
  }
  const groups = groupsOf(scoring, unit);
  return rows.map((r) => {
    let best = -1;
    if (!groups) return best;
    for (let k = groups.starts[r.index]; k < groups.starts[r.index + 1]; k++) {
      const i = groups.members[k];
      if (best < 0 || line[i] > line[best]) best = i;
    }
    return best;
  });
}

/**
 * `sortedUnitScores`: the unit's scores sorted ascending, as the summary already holds them
 * (`scoreDistribution`); a listed line's rank is read from them.
 */
export function topAnomalies(
  fit: AnalysisFit,
  scoring: Scoring,
  threshold: number,
  limit: number,
  sortedUnitScores: Float32Array,
): TopAnomaly[] {
  const { unit } = scoring.settings;
  const wanted = Math.max(0, Math.min(Math.floor(limit), MAX_TOP_ANOMALIES));
  const rows =
    unit === 'line'
      ? distinctLines(fit, scoring, threshold, wanted, sortedUnitScores)
      : unitRows(fit, scoring, unit, templateTable(fit, scoring), wanted).filter((r) => isFlagged(r.score, threshold));
  const records = worstLines(fit, scoring, rows);
  const textIndex = fit.records.target.textIndex;
  const present = records.filter((r) => r >= 0);
  const reasons = contributionsOf(fit, scoring, present).map(reasonOf);
  let next = 0;
  return rows.map((row, i) => {
    const reason = records[i] >= 0 ? reasons[next++] : 'no lines';
    const prefix = unit === 'line' || unit === 'template' ? '' : 'worst line: ';
    const text = records[i] >= 0 ? fit.records.targetTexts.texts[textIndex[records[i]]].slice(0, TEXT_PREVIEW) : '';
    return { ...row, unit, record: records[i], reason: prefix + reason, text };
  });
}
