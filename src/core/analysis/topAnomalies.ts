/**
 * The Top anomalies list: the flagged units of the current unit (lines, templates, sessions or
 * windows), most anomalous first, each with the line a click opens (the unit's highest-scored
 * line) and a one-line reason (the evidence that raised that line's score most). Reasons of all
 * listed units are computed in one batch on the fitted forest.
 */
import { reasonOf } from '../explain/evidence';
import { isFlagged } from '../detect/threshold';
import type { AnalysisFit } from './fit';
import { contributionsOf } from './lineDetail';
import { groupsOf, type Scoring } from './scoring';
import { templateTable, unitRows } from './summary';
import type { TopAnomaly, UnitRow } from './types';

/** The most listed: reasons cost a forest pass each. */
const MAX_TOP_ANOMALIES = 200;

/** Characters of a unit's line sent for the list (a 1 MB line is not copied to the page). */
const TEXT_PREVIEW = 400;

/** Candidate lines read to fill the list when many flagged lines repeat one text. */
const LINE_POOL = 20;

/**
 * Flagged lines, one per distinct text: a log that repeats one alarm 300 times would otherwise fill
 * the list with it. Each keeps its highest-scored line; `count` says how many flagged lines share it.
 */
function distinctLines(fit: AnalysisFit, scoring: Scoring, threshold: number, wanted: number): UnitRow[] {
  const textIndex = fit.records.target.textIndex;
  const line = scoring.scores.line;
  const flaggedByText = new Map<number, number>();
  for (let i = 0; i < line.length; i++) {
    if (isFlagged(line[i], threshold)) flaggedByText.set(textIndex[i], (flaggedByText.get(textIndex[i]) ?? 0) + 1);
  }
  const out: UnitRow[] = [];
  const seen = new Set<number>();
  for (const row of unitRows(fit, scoring, 'line', [], wanted * LINE_POOL)) {
    if (out.length >= wanted || !isFlagged(row.score, threshold)) break;
    const text = textIndex[row.index];
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ ...row, count: flaggedByText.get(text) ?? 1 });
  }
  return out;
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

export function topAnomalies(fit: AnalysisFit, scoring: Scoring, threshold: number, limit: number): TopAnomaly[] {
  const { unit } = scoring.settings;
  const wanted = Math.max(0, Math.min(Math.floor(limit), MAX_TOP_ANOMALIES));
  const rows =
    unit === 'line'
      ? distinctLines(fit, scoring, threshold, wanted)
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
