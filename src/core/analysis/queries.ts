/**
 * The page's questions about a scored fit: pages of log rows under a filter (in file or score
 * order), where a line sits in the filtered list, the next flagged line in that order, the
 * highest-scored line of a stretch, template or session, and what a threshold flags. The last
 * filter's matches are kept, since the viewer asks for page after page of the same filter.
 */
import { countFlagged, searchSorted, isFlagged } from '../detect/threshold';
import type { AnalysisFit } from './fit';
import { LEVELS, levelIndex } from '../parse/level';
import { readRecords, scanRecords } from './recordText';
import { lineThresholdOf, type Scoring } from './scoring';
import { labelsReport, sessionLabelMetrics } from './labelsReport';
import { compileSearch } from './search';
import { metricsAt } from './summary';
import { timelineBuckets } from './timeline';
import type { LogRow, RowFilter, ThresholdView } from './types';

function membersOf(scoring: Scoring, session: string): Set<number> {
  const groups = scoring.sessions;
  const out = new Set<number>();
  const g = groups ? groups.keys.indexOf(session) : -1;
  if (!groups || g < 0) return out;
  for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) out.add(groups.members[k]);
  return out;
}

/** The filter without its order: which rows, not how they are sorted. */
function rowsKey(filter: RowFilter): string {
  const { order: _order, ...which } = filter;
  return JSON.stringify(which, Object.keys(which).sort());
}

/** One filter's rows in file order, and (once asked) by score. */
interface RowSet {
  key: string;
  matches: Uint32Array;
  byScore?: Uint32Array;
}

export class RowQueries {
  private cached?: RowSet;

  constructor(
    private readonly fit: AnalysisFit,
    private readonly scoring: Scoring,
  ) {}

  async rows(filter: RowFilter, start: number, count: number): Promise<{ total: number; rows: LogRow[] }> {
    const matches = await this.ordered(filter);
    const page = matches.subarray(Math.max(0, start), Math.min(matches.length, start + count));
    return { total: matches.length, rows: await this.rowsOf(page) };
  }

  async positionOf(filter: RowFilter, record: number): Promise<number> {
    const matches = await this.ordered(filter);
    if (filter.order === 'score') return matches.indexOf(record);
    const at = searchSorted(matches, record);
    return at < matches.length && matches[at] === record ? at : -1;
  }

  async recordAt(filter: RowFilter, position: number): Promise<number> {
    const matches = await this.ordered(filter);
    return Number.isInteger(position) && position >= 0 && position < matches.length ? matches[position] : -1;
  }

  /** Sessions (their ids) holding a line of any of these templates: the map's box narrows the session table. */
  sessionsHolding(templateIds: number[]): string[] {
    const sessions = this.scoring.sessions;
    if (!sessions) return [];
    const wanted = new Set(templateIds);
    const templateId = this.fit.records.target.templateId;
    const out: string[] = [];
    for (let g = 0; g < sessions.keys.length; g++) {
      for (let k = sessions.starts[g]; k < sessions.starts[g + 1]; k++) {
        if (wanted.has(templateId[sessions.members[k]])) {
          out.push(sessions.keys[g]);
          break;
        }
      }
    }
    return out;
  }

  /** The next (or previous) flagged line from a record, in file order over every line; -1 when none. */
  nextAnomaly(fromRecord: number, direction: 1 | -1, threshold: number): number {
    const scores = this.scoring.scores.line;
    const cut = lineThresholdOf(this.scoring, threshold);
    for (let i = fromRecord + direction; i >= 0 && i < scores.length; i += direction) {
      if (isFlagged(scores[i], cut)) return i;
    }
    return -1;
  }

  /** The next (or previous) flagged line among the filter's rows in the filter's order; -1 when none. */
  async stepFlagged(filter: RowFilter, fromRecord: number, direction: 1 | -1, threshold: number): Promise<number> {
    const matches = await this.ordered(filter);
    const scores = this.scoring.scores.line;
    const cut = lineThresholdOf(this.scoring, threshold);
    let from: number;
    if (fromRecord < 0) from = direction === 1 ? -1 : matches.length;
    else if (filter.order === 'score') {
      from = matches.indexOf(fromRecord);
      // A line outside the rows: walk the whole list from its start (or end).
      if (from < 0) from = direction === 1 ? -1 : matches.length;
    } else {
      const at = searchSorted(matches, fromRecord);
      // Not among the rows: "after it" starts at its insertion point, "before it" just before.
      from = at < matches.length && matches[at] === fromRecord ? at : direction === 1 ? at - 1 : at;
    }
    for (let p = from + direction; p >= 0 && p < matches.length; p += direction) {
      if (isFlagged(scores[matches[p]], cut)) return matches[p];
    }
    return -1;
  }

  /** The highest-scored line among the filter's rows (ties: the first in the file); -1 when none. */
  async highestScored(filter: RowFilter): Promise<number> {
    const matches = await this.matches(filter);
    const scores = this.scoring.scores.line;
    let best = -1;
    for (const i of matches) if (best < 0 || scores[i] > scores[best]) best = i;
    return best;
  }

  thresholdView(threshold: number): ThresholdView {
    const { fit, scoring } = this;
    const cut = lineThresholdOf(scoring, threshold);
    return {
      threshold,
      linesAbove: countFlagged(scoring.scores.line, cut),
      timeline: timelineBuckets(fit.timeline, fit.records.target, scoring.scores.line, cut),
      metrics: metricsAt(fit, scoring, threshold) ?? sessionLabelMetrics(fit, scoring),
      labels: labelsReport(fit, scoring),
    };
  }

  async rowsOf(indices: ArrayLike<number>): Promise<LogRow[]> {
    const t = this.fit.records.target;
    const lineLabels = this.fit.lineLabels;
    const texts = await readRecords(t, indices);
    return texts.map(({ raw, message }, k) => {
      const i = indices[k];
      return {
        record: i,
        file: t.fileIndex[i],
        lineNumber: t.lineNumber[i] + 1,
        timestamp: t.timestamp[i],
        level: LEVELS[t.level[i]],
        raw,
        message,
        templateId: t.templateId[i],
        score: this.scoring.scores.line[i],
        label: lineLabels ? lineLabels[i] : -1,
      };
    });
  }

  /** The filter's rows in its order: file order, or highest score first (ties in file order). */
  private async ordered(filter: RowFilter): Promise<Uint32Array> {
    const set = await this.rowSet(filter);
    if (filter.order !== 'score') return set.matches;
    if (!set.byScore) {
      const scores = this.scoring.scores.line;
      // NaN scores (none today) would break the sort: they go last.
      const key = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
      set.byScore = Uint32Array.from(set.matches).sort((a, b) => key(b) - key(a) || a - b);
    }
    return set.byScore;
  }

  private async matches(filter: RowFilter): Promise<Uint32Array> {
    return (await this.rowSet(filter)).matches;
  }

  private async rowSet(filter: RowFilter): Promise<RowSet> {
    const key = rowsKey(filter);
    if (this.cached?.key === key) return this.cached;
    const target = this.fit.records.target;
    const scores = this.scoring.scores.line;
    const levels = filter.levels?.length ? new Set(filter.levels.map((l) => levelIndex(l))) : undefined;
    const templates = filter.templateIds ? new Set(filter.templateIds) : undefined;
    const search = compileSearch(filter.text ?? '', filter.regex);
    const negate = !!filter.negate;
    const sessionMembers = filter.session !== undefined ? membersOf(this.scoring, filter.session) : undefined;
    const cut = filter.flaggedAt !== undefined ? lineThresholdOf(this.scoring, filter.flaggedAt) : undefined;
    const range = filter.range;
    const timed = this.fit.timeline.timed;
    // Untimed lines (continuations, odd lines) take the time of the record before them.
    let lastTime = Number.NaN;
    // Text search reads every line once (from the files when their text is not held in memory).
    let textMatches: Uint8Array | undefined;
    if (search) {
      const found = (textMatches = new Uint8Array(target.count));
      await scanRecords(target, (i, text) => {
        if (search.matches(text.raw) !== negate) found[i] = 1;
      });
    }
    const out = new Uint32Array(target.count);
    let n = 0;
    for (let i = 0; i < target.count; i++) {
      if (!Number.isNaN(target.timestamp[i])) lastTime = target.timestamp[i];
      if (filter.minScore !== undefined && !(scores[i] >= filter.minScore)) continue;
      if (filter.maxScore !== undefined && !(scores[i] <= filter.maxScore)) continue;
      if (cut !== undefined && !isFlagged(scores[i], cut)) continue;
      if (levels && !levels.has(target.level[i])) continue;
      if (filter.templateId !== undefined && target.templateId[i] !== filter.templateId) continue;
      if (templates && !templates.has(target.templateId[i])) continue;
      if (sessionMembers && !sessionMembers.has(i)) continue;
      if (textMatches && !textMatches[i]) continue;
      if (range) {
        const at = timed ? lastTime : i;
        if (!(at >= range[0] && at <= range[1])) continue;
      }
      out[n++] = i;
    }
    this.cached = { key, matches: out.slice(0, n) };
    return this.cached;
  }
}
