/**
 * Learning from the analyst (issue 12): the few-shot head of `core/learn` trained on the analyst's
 * verdicts about one scoring, and a new `Scoring` whose unit scores are the blended ones, so that
 * every view (histogram, timeline, top anomalies, viewer order) follows it.
 *
 * Features are built once per scoring (the encoder's vectors are frozen: retraining never runs the
 * encoder) and cached; each label costs one head fit, the blend-weight folds and one scoring pass.
 *
 * Units: lines and sessions (and windows) learn; templates keep the unsupervised score (a template
 * is judged through its lines). For a session or window unit only the unit scores are blended: line
 * scores stay on the detector's nats, so the lines of a flagged session are still read the same way.
 *
 * Threshold on the blended scale: the blended score is a tail share (uniform on [0, 1) by
 * construction), so a robust fence (`autoThreshold`) over it would flag a fixed share whatever the
 * log, and nats thresholds do not apply. The blended threshold flags as many units as the
 * unsupervised threshold flagged (`thresholdForShare` with that share): the head changes WHICH
 * units are flagged, and the analyst's contamination or the detector's automatic choice still
 * decides HOW MANY.
 */
import { templateScores } from '../detect/groups';
import { thresholdForShare } from '../detect/threshold';
import {
  FeatureError,
  groupKeys,
  learnFromLabels,
  rankingChange,
  blendScores,
  scoreWithHead,
  suggestLabels,
  type LearnResult,
  type Suggestion,
  type TemplatePropagation,
  type TrainedHead,
} from '../learn';
import type { AnalysisFit } from './fit';
import type { Scoring } from './scoring';
import { readRecords } from './recordText';
import type { AnalysisSummary } from './types';
import { canLearn, judgementsOf, learningFeatures, unitGroups } from './learningFeatures';
import { labelsForUnits, type AnalystVerdicts } from './learningLabels';

export interface LearningOptions {
  /** The analyst's weight of the learned score (the slider); chosen from the labels when absent. */
  weight?: number;
  seed?: number;
  /** How a line label spreads to its template (default: normal labels spread, anomalous do not). */
  propagation?: TemplatePropagation;
}

/** What the page and the CLI say about the head. */
export interface LearningSummary {
  /** Labelled units of each class (after spreading over templates and sessions). */
  anomalous: number;
  normal: number;
  /** Whether a head exists: at least one label of each class. */
  trained: boolean;
  headKind?: TrainedHead['kind'];
  weight: number;
  weightFrom: LearnResult['weightFrom'];
  /** Units in the blended top `top` that were not in the unsupervised one. */
  top: number;
  movedIntoTop: number;
  /** Milliseconds of this retraining (features excluded when they were cached). */
  trainMs: number;
}

export interface LearnedScoring {
  /** The scoring every view follows: the blended one when there is a head, else the unsupervised one. */
  scoring: Scoring;
  /** The scoring the head started from. */
  unsupervised: Scoring;
  /** Per unit: the head's probability of "anomalous" and the blended score (absent without a head). */
  learned?: Float32Array;
  blended?: Float32Array;
  /** Labels per unit as the head saw them. */
  labels: Int8Array;
  head?: TrainedHead;
  summary: LearningSummary;
}
/** After a retraining: the summary of the scoring every view now follows, and what the head learned. */
export interface LearningView {
  summary: AnalysisSummary;
  learning: LearningSummary;
  /** The labels and weight were those of the head in force: nothing was retrained, the views stand. */
  unchanged?: boolean;
}

/** A "Label next" suggestion: its unit, the line that shows it (a session: its worst line), and why. */
export interface LabelSuggestion {
  unit: number;
  record: number;
  reason: 'uncertain' | 'top anomaly';
  /** The record's file index and 1-based line number, and its text (for the list). */
  file?: number;
  lineNumber?: number;
  text?: string;
}

/** Where the blend weight came from, in the analyst's words. */
export const WEIGHT_FROM: Record<LearningSummary['weightFrom'], string> = {
  labels: 'chosen from your labels',
  default: 'the default: too few labels of a class to choose',
  analyst: 'set by you',
  'no head': 'no head yet',
};

/**
 * What the head learned, in one sentence: "Learned from 3 anomalous and 40 normal lines (logistic
 * head, weight 0.60, chosen from your labels): 12 lines moved into the top 50."
 */
export function describeLearning(l: LearningSummary, unit: string): string {
  const units = `${unit}s`;
  if (!l.trained) {
    return `No head yet: your labels name ${l.anomalous} anomalous and ${l.normal} normal ${units} (one of each is needed); the unsupervised ranking is shown.`;
  }
  return `Learned from ${l.anomalous} anomalous and ${l.normal} normal ${units} (${l.headKind} head, weight ${l.weight.toFixed(2)}, ${WEIGHT_FROM[l.weightFrom]}): ${l.movedIntoTop} ${l.movedIntoTop === 1 ? unit : units} moved into the top ${l.top}.`;
}

/** The ranking change reported: "12 lines moved into the top 50". */
export const MOVED_TOP = 50;

/**
 * The scoring whose unit scores are `blended` (tail-share scale): line units blend line scores
 * (texts take their worst line, templates the mean of their lines); session and window units blend
 * the unit only. The threshold keeps the share of units the unsupervised threshold flagged.
 */
export function blendedScoring(fit: AnalysisFit, unsupervised: Scoring, blended: Float32Array, trainingLabels?: Int8Array): Scoring {
  const s = unsupervised.scores;
  const unit = unsupervised.settings.unit;
  if (blended.length !== s.unit.length) throw new FeatureError(`${blended.length} blended scores for ${s.unit.length} units`);
  let flagged = 0;
  for (let u = 0; u < s.unit.length; u++) if (s.unit[u] >= s.threshold) flagged++;
  const share = s.unit.length ? flagged / s.unit.length : 0;
  const threshold = thresholdForShare(Float32Array.from(blended).sort(), share);
  const thresholdExplanation = `${s.thresholdExplanation} Learned from your labels: the same share of units (${(share * 100).toFixed(1)}%), ranked by the blended score.`;
  if (unit === 'line') {
    const t = fit.records.target;
    const text = new Float32Array(fit.records.targetTexts.texts.length);
    for (let i = 0; i < t.count; i++) if (blended[i] > text[t.textIndex[i]]) text[t.textIndex[i]] = blended[i];
    const template = templateScores(fit.records.templates.length, t.templateId.subarray(0, t.count), blended);
    return {
      ...unsupervised,
      scores: { ...s, line: blended, unit: blended, text, template, threshold, lineThreshold: threshold, thresholdExplanation },
      ...(trainingLabels ? { trainingLabels } : {}),
    };
  }
  const scores = { ...s, unit: blended, threshold, thresholdExplanation };
  if (unit === 'session') scores.session = blended;
  if (unit === 'window') scores.window = blended;
  return { ...unsupervised, scores, ...(trainingLabels ? { trainingLabels } : {}) };
}

/**
 * Trains the head on the analyst's verdicts and blends. With fewer than one label of each class (or
 * a unit that cannot learn) the unsupervised scoring is returned as it is.
 */
export function learnScoring(
  fit: AnalysisFit,
  unsupervised: Scoring,
  verdicts: AnalystVerdicts,
  options: LearningOptions = {},
): LearnedScoring {
  const started = performance.now();
  const none = (labels: Int8Array, anomalous = 0, normal = 0): LearnedScoring => ({
    scoring: unsupervised,
    unsupervised,
    labels,
    summary: {
      anomalous,
      normal,
      trained: false,
      weight: 0,
      weightFrom: 'no head',
      top: MOVED_TOP,
      movedIntoTop: 0,
      trainMs: performance.now() - started,
    },
  });
  if (options.weight !== undefined && !(options.weight >= 0 && options.weight <= 1)) {
    throw new FeatureError(`blend weight must lie in [0, 1] (got ${options.weight})`);
  }
  const prepared = learningFeatures(fit, unsupervised);
  if (!prepared) return none(new Int8Array(0));
  const labels = labelsForUnits(fit, unsupervised, verdicts, options.propagation);
  const result = learnFromLabels(prepared, labels, unsupervised.scores.unit, {
    seed: options.seed ?? unsupervised.settings.forest.seed,
    judgementOf: judgementsOf(fit, unsupervised),
    weight: options.weight,
  });
  if (!result.head || !result.learned) return none(labels, result.anomalous, result.normal);
  const scoring = blendedScoring(fit, unsupervised, result.blended, labels);
  const moved = rankingChange(unsupervised.scores.unit, result.blended, MOVED_TOP);
  return {
    scoring,
    unsupervised,
    labels,
    head: result.head,
    learned: result.learned,
    blended: result.blended,
    summary: {
      anomalous: result.anomalous,
      normal: result.normal,
      trained: true,
      headKind: result.head.kind,
      weight: result.weight,
      weightFrom: result.weightFrom,
      top: moved.top,
      movedIntoTop: moved.movedIn,
      trainMs: performance.now() - started,
    },
  };
}

/**
 * Whether these verdicts and options would train the head in force again: the same label on every
 * unit and the same weight asked for. A reopened analysis keeps its saved head then, untrained.
 */
export function sameTraining(fit: AnalysisFit, learned: LearnedScoring, verdicts: AnalystVerdicts, options: LearningOptions): boolean {
  if (!learned.head) return false;
  const { weight, weightFrom } = learned.summary;
  const sameWeight = options.weight === undefined ? weightFrom !== 'analyst' : weightFrom === 'analyst' && weight === options.weight;
  if (!sameWeight) return false;
  const labels = labelsForUnits(fit, learned.unsupervised, verdicts, options.propagation);
  if (labels.length !== learned.labels.length) return false;
  for (let u = 0; u < labels.length; u++) if (labels[u] !== learned.labels[u]) return false;
  return true;
}

/**
 * A saved head applied again (a reopened analysis): the same features, `scoreWithHead` and
 * `blendScores` give the same blended ranking without retraining. Throws when the head was trained
 * on other features (another detector or unit).
 */
export function scoringWithHead(
  fit: AnalysisFit,
  unsupervised: Scoring,
  head: TrainedHead,
  weight: number,
  trainingLabels?: Int8Array,
): { scoring: Scoring; learned: Float32Array; blended: Float32Array } {
  const prepared = learningFeatures(fit, unsupervised);
  if (!prepared) throw new FeatureError(`a ${unsupervised.settings.unit} scoring has no head`);
  const learned = scoreWithHead(head, prepared);
  const blended = blendScores(learned, unsupervised.scores.unit, weight);
  return { scoring: blendedScoring(fit, unsupervised, blended, trainingLabels), learned, blended };
}

/** "Label next": up to 10 units to label, no two of one template (a session: its worst line's). */
export function labelNext(fit: AnalysisFit, learned: LearnedScoring, reviewed?: ArrayLike<number>, limit?: number): Suggestion[] {
  const { unsupervised } = learned;
  if (!canLearn(unsupervised)) return [];
  const t = fit.records.target;
  const templateId = t.templateId.subarray(0, t.count);
  const groups = unitGroups(unsupervised);
  const diversityKey =
    unsupervised.settings.unit === 'line' ? templateId : groups ? groupKeys(groups, unsupervised.scores.line, templateId) : undefined;
  return suggestLabels({
    unsupervised: unsupervised.scores.unit,
    labels: learned.labels.length ? learned.labels : new Int8Array(unsupervised.scores.unit.length).fill(-1),
    learned: learned.learned,
    blended: learned.blended,
    reviewed,
    diversityKey,
    limit,
  });
}

/**
 * "Label next" as the page lists it: each suggested unit shown by a line (a session or window: its
 * line with the highest unsupervised score), with that line's file, 1-based line number and text.
 */
export async function labelSuggestions(fit: AnalysisFit, learned: LearnedScoring, limit?: number): Promise<LabelSuggestion[]> {
  const base = learned.unsupervised;
  const groups = base.settings.unit === 'session' ? base.sessions : base.settings.unit === 'window' ? base.windows : undefined;
  const suggestions = labelNext(fit, learned, undefined, limit).map((s) => {
    let record = s.unit;
    if (groups) {
      record = groups.members[groups.starts[s.unit]] ?? -1;
      for (let k = groups.starts[s.unit]; k < groups.starts[s.unit + 1]; k++) {
        if (base.scores.line[groups.members[k]] > base.scores.line[record]) record = groups.members[k];
      }
    }
    return { unit: s.unit, record, reason: s.reason };
  });
  const target = fit.records.target;
  const shown = suggestions.filter((s) => s.record >= 0);
  const texts = await readRecords(
    target,
    shown.map((s) => s.record),
  );
  return suggestions.map((s) => {
    const k = shown.indexOf(s);
    return k < 0 ? s : { ...s, file: target.fileIndex[s.record], lineNumber: target.lineNumber[s.record] + 1, text: texts[k].raw };
  });
}
