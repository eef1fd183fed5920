/**
 * A fit scored under one choice of detector, unit and forest: the scores from `detect/score.ts`,
 * the groups they were computed over, and the ground truth of the unit. Replaced whole by every
 * re-score; never changed after it is made.
 */
import type { Pca } from '../detect/pca';
import { scoreAnalysis, type AnalysisScores } from '../detect/score';
import { lineCutoff } from '../detect/threshold';
import type { RecordGroups } from '../sessions';
import { sessionsOf, type AnalysisFit } from './fit';
import { windowGroups } from './units';
import type { ScoringSettings, ScoringUnit } from './types';

export interface Scoring {
  settings: ScoringSettings;
  scores: AnalysisScores;
  sessions?: RecordGroups;
  windows: RecordGroups;
  /**
   * A blended scoring (learning.ts): per unit, the label the head learned from (-1: none). The
   * evaluation leaves these units out: a ranking graded on its own training labels flatters itself.
   */
  trainingLabels?: Int8Array;
}

/** PCA fits depend only on the population, the seed and the components: kept per fit. */
const pcaCaches = new WeakMap<AnalysisFit, Map<string, Pca>>();

export async function scoreFit(fit: AnalysisFit, settings: ScoringSettings, signal?: AbortSignal): Promise<Scoring> {
  const { records, evidence } = fit;
  const sessions = await sessionsOf(fit, settings.sessionRegex, signal);
  const windows = windowGroups(records.target, settings.window, fit.timeline.timed);
  let pcaCache = pcaCaches.get(fit);
  if (!pcaCache) pcaCaches.set(fit, (pcaCache = new Map()));
  const target = records.target;
  const scores = scoreAnalysis(
    {
      target: { texts: records.targetTexts, vectors: evidence.vectors, surprise: evidence.surprise },
      reference:
        records.reference && evidence.referenceVectors
          ? { texts: records.reference.texts, vectors: evidence.referenceVectors, surprise: evidence.referenceSurprise }
          : undefined,
      dims: evidence.dims,
      records: { count: target.count, textIndex: target.textIndex, templateId: target.templateId, level: target.level },
      values: fit.values?.evidence,
      templateCount: records.templates.length,
      sessions,
      windows,
    },
    settings,
    pcaCache,
  );
  return { settings, scores, sessions, windows };
}

/** The line-score threshold that goes with a threshold on this scoring's unit. */
export function lineThresholdOf(scoring: Scoring, unitThreshold: number): number {
  return lineCutoff(scoring.settings.unit, unitThreshold, scoring.scores.lineThreshold);
}

/** The groups of a session or window unit. */
export function groupsOf(scoring: Scoring, unit: 'session' | 'window'): RecordGroups | undefined {
  return unit === 'session' ? scoring.sessions : scoring.windows;
}

/**
 * Ground truth of each unit of `unit` kind, when any is known: lines from the log or a labels CSV;
 * a session or window from the CSV's session ids, else anomalous when any of its labelled lines is.
 */
export function unitLabels(fit: AnalysisFit, scoring: Scoring, unit: ScoringUnit): Int8Array | undefined {
  const { lineLabels, labels } = fit;
  if (unit === 'line') return lineLabels;
  if (unit === 'template') return undefined;
  const groups = groupsOf(scoring, unit);
  if (!groups) return undefined;
  const out = new Int8Array(groups.keys.length).fill(-1);
  let any = false;
  for (let g = 0; g < groups.keys.length; g++) {
    const given = labels?.bySession.get(groups.keys[g]);
    if (given !== undefined) {
      out[g] = given;
      any = true;
      continue;
    }
    if (!lineLabels) continue;
    for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) {
      const l = lineLabels[groups.members[k]];
      if (l >= 0) {
        out[g] = Math.max(out[g], l);
        any = true;
      }
    }
  }
  return any ? out : undefined;
}
