/**
 * The page's questions about a scored fit: pages of log rows under a filter, where a line sits in
 * the filtered list, the next flagged line, and what a threshold flags. The last filter's matches
 * are kept, since the viewer asks for page after page of the same filter.
 */
import { countFlagged, isFlagged } from '../detect/threshold';
import type { AnalysisFit } from './fit';
import { LEVELS, levelIndex } from '../parse/level';
import { readRecords, scanRecords } from './recordText';
import { lineThresholdOf, type Scoring } from './scoring';
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

export class RowQueries {
  private cached?: { key: string; matches: Uint32Array };

  constructor(private readonly fit: AnalysisFit, private readonly scoring: Scoring) {}

  async rows(filter: RowFilter, start: number, count: number): Promise<{ total: number; rows: LogRow[] }> {
    const matches = await this.matches(filter);
    const page = matches.subarray(Math.max(0, start), Math.min(matches.length, start + count));
    return { total: matches.length, rows: await this.rowsOf(page) };
  }

  async positionOf(filter: RowFilter, record: number): Promise<number> {
    const matches = await this.matches(filter);
    let lo = 0;
    let hi = matches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (matches[mid] < record) lo = mid + 1;
      else hi = mid;
    }
    return lo < matches.length && matches[lo] === record ? lo : -1;
  }

  /** The next (or previous) flagged line from a record, in file order; -1 when none. */
  nextAnomaly(fromRecord: number, direction: 1 | -1, threshold: number): number {
    const scores = this.scoring.scores.line;
    const cut = lineThresholdOf(this.scoring, threshold);
    for (let i = fromRecord + direction; i >= 0 && i < scores.length; i += direction) {
      if (isFlagged(scores[i], cut)) return i;
    }
    return -1;
  }

  thresholdView(threshold: number): ThresholdView {
    const { fit, scoring } = this;
    const cut = lineThresholdOf(scoring, threshold);
    return {
      threshold,
      linesAbove: countFlagged(scoring.scores.line, cut),
      timeline: timelineBuckets(fit.timeline, fit.records.target, scoring.scores.line, cut),
      metrics: metricsAt(fit, scoring, threshold),
    };
  }

  async rowsOf(indices: ArrayLike<number>): Promise<LogRow[]> {
    const t = this.fit.records.target;
    const lineLabels = this.fit.lineLabels;
    const texts = await readRecords(t, indices);
    return texts.map(({ raw, message }, k) => {
      const i = indices[k];
      return {
        record: i, file: t.fileIndex[i], lineNumber: t.lineNumber[i] + 1, timestamp: t.timestamp[i], level: LEVELS[t.level[i]],
        raw, message, templateId: t.templateId[i], score: this.scoring.scores.line[i], label: lineLabels ? lineLabels[i] : -1,
      };
    });
  }

  private async matches(filter: RowFilter): Promise<Uint32Array> {
    const key = JSON.stringify(filter);
    if (this.cached?.key === key) return this.cached.matches;
    const target = this.fit.records.target;
    const scores = this.scoring.scores.line;
    const levels = filter.levels?.length ? new Set(filter.levels.map((l) => levelIndex(l))) : undefined;
    const needle = filter.text?.trim().toLowerCase();
    const sessionMembers = filter.session !== undefined ? membersOf(this.scoring, filter.session) : undefined;
    const range = filter.range;
    const timed = this.fit.timeline.timed;
    // Untimed lines (continuations, odd lines) take the time of the record before them.
    let lastTime = Number.NaN;
    // Text search reads every line once (from the files when their text is not held in memory).
    let textMatches: Uint8Array | undefined;
    if (needle) {
      const found = (textMatches = new Uint8Array(target.count));
      await scanRecords(target, (i, text) => {
        if (text.raw.toLowerCase().includes(needle)) found[i] = 1;
      });
    }
    const out = new Uint32Array(target.count);
    let n = 0;
    for (let i = 0; i < target.count; i++) {
      if (!Number.isNaN(target.timestamp[i])) lastTime = target.timestamp[i];
      if (filter.minScore !== undefined && scores[i] < filter.minScore) continue;
      if (levels && !levels.has(target.level[i])) continue;
      if (filter.templateId !== undefined && target.templateId[i] !== filter.templateId) continue;
      if (sessionMembers && !sessionMembers.has(i)) continue;
      if (textMatches && !textMatches[i]) continue;
      if (range) {
        const at = timed ? lastTime : i;
        if (!(at >= range[0] && at <= range[1])) continue;
      }
      out[n++] = i;
    }
    const matches = out.slice(0, n);
    this.cached = { key, matches };
    return matches;
  }
}
