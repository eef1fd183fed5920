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
import { textFeatureColumns } from '../detect/textFeatures';
import { scoreGroups, templateScores } from '../detect/groups';
import { thresholdForShare } from '../detect/threshold';
import {
  DEFAULT_PROPAGATION,
  FeatureError,
  groupFeatures,
  groupKeys,
  groupLabels,
  learnFromLabels,
  lineFeatures,
  lineLabelsWithTemplates,
  prepareFeatures,
  rankingChange,
  blendScores,
  scoreWithHead,
  suggestLabels,
  type EvidenceColumn,
  type LearnResult,
  type PreparedFeatures,
  type Suggestion,
  type TemplatePropagation,
  type TrainedHead,
  type UnitLabel,
} from '../learn';
import type { RecordGroups } from '../sessions';
import { verdictArrays, type AnalystLabel } from '../labels/labels';
import type { LabelSet } from './labels';
import type { AnalysisFit } from './fit';
import { groupsOf, type Scoring } from './scoring';
import type { AnalysisSummary } from './types';

/** What the analyst said, per unit kind (-1 = nothing): from `verdictArrays` or a labels CSV. */
export interface AnalystVerdicts {
  /** Per line of the target (record index). */
  line?: ArrayLike<number>;
  /** Per template id. */
  template?: ArrayLike<number>;
  /** Per session id. */
  session?: ReadonlyMap<string, UnitLabel>;
}

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

/**
 * Verdicts from a labels CSV (ids as in `--labels`: 1-based line numbers, session ids), for the
 * command line's `--train-labels`. Line numbers are per file, as `--labels` reads them.
 */
export function verdictsFromLabelSet(fit: AnalysisFit, scoring: Scoring, labels: LabelSet): AnalystVerdicts {
  const t = fit.records.target;
  const line = new Int8Array(t.count).fill(-1);
  if (labels.byLine.size) {
    for (let i = 0; i < t.count; i++) {
      const v = labels.byLine.get(t.lineNumber[i] + 1);
      if (v === 0 || v === 1) line[i] = v;
    }
  }
  const session = new Map<string, UnitLabel>();
  if (labels.bySession.size && scoring.sessions) {
    for (const key of scoring.sessions.keys) {
      const v = labels.bySession.get(key);
      if (v === 0 || v === 1) session.set(key, v);
    }
  }
  return { line, session };
}

/** Verdicts from the analyst's content-keyed labels (the page's labels store, issue 11). */
export function verdictsFromAnalystLabels(
  fit: AnalysisFit,
  scoring: Scoring,
  labels: Iterable<AnalystLabel>,
  fileKeys: readonly string[],
): AnalystVerdicts & { matched: number } {
  const t = fit.records.target;
  const v = verdictArrays(labels, {
    fileKeys,
    fileIndex: t.fileIndex.subarray(0, t.count),
    lineNumber: t.lineNumber.subarray(0, t.count),
    templates: fit.records.templates,
    templateCount: fit.records.templates.length,
    sessionKeys: scoring.sessions?.keys,
  });
  const session = new Map<string, UnitLabel>();
  v.session?.forEach((verdict, g) => {
    if (verdict === 0 || verdict === 1) session.set(scoring.sessions!.keys[g], verdict);
  });
  return { line: v.line, template: v.template, session, matched: v.matched };
}

/** After a retraining: the summary of the scoring every view now follows, and what the head learned. */
export interface LearningView {
  summary: AnalysisSummary;
  learning: LearningSummary;
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

const preparedCache = new WeakMap<Scoring, PreparedFeatures | null>();

/** Which groups a session or window scoring ranks. */
function unitGroups(scoring: Scoring): RecordGroups | undefined {
  const unit = scoring.settings.unit;
  return unit === 'session' || unit === 'window' ? groupsOf(scoring, unit) : undefined;
}

/** Whether the head can learn for this scoring's unit. */
export function canLearn(scoring: Scoring): boolean {
  const unit = scoring.settings.unit;
  return unit === 'line' || ((unit === 'session' || unit === 'window') && !!unitGroups(scoring));
}

/** Per-line evidence columns (the bench's set: bench/fewshot.ts measured the head on them). */
function lineColumns(fit: AnalysisFit, scoring: Scoring): EvidenceColumn[] {
  const { records, evidence } = fit;
  const t = records.target;
  const texts = records.targetTexts;
  const scores = scoring.scores;
  const n = texts.texts.length;
  const columns = textFeatureColumns(scores.forest, evidence.vectors, n, {
    templateOf: texts.templateOf,
    levelOf: texts.levelOf,
    surprise: evidence.surprise,
    // Against a reference log the population is not the target: novelty is measured afresh.
    selfIndex: records.reference ? undefined : Int32Array.from({ length: n }, (_, i) => i),
  });
  const perLine = (perText: ArrayLike<number>): Float64Array => Float64Array.from({ length: t.count }, (_, i) => perText[t.textIndex[i]]);
  const out: EvidenceColumn[] = [
    { name: 'unsupervised', values: scores.line },
    { name: 'forest', values: perLine(scores.textForest) },
    { name: 'templateRarity', values: perLine(columns.templateRarity) },
    { name: 'level', values: Float64Array.from(t.level.subarray(0, t.count)) },
    { name: 'pcaResidual', values: perLine(columns.pcaResidual) },
    { name: 'novelty', values: perLine(columns.novelty) },
    { name: 'surprise', values: perLine(columns.surprise) },
  ];
  const values = scores.evidence?.values.score ?? fit.values?.evidence.score;
  if (values && values.length >= t.count) out.push({ name: 'values', values: values.subarray(0, t.count) });
  const fused = scores.evidence?.line;
  if (fused) {
    const k = fused.names.length;
    fused.names.forEach((name, c) =>
      out.push({ name: `evidence ${name}`, values: Float64Array.from({ length: t.count }, (_, i) => fused.contributions[i * k + c]) }),
    );
  }
  // A column that is not finite everywhere (a detector without that evidence) is left out, not learned from.
  return out.filter((c) => Array.prototype.every.call(c.values, (v: number) => Number.isFinite(v)));
}

/**
 * The head's features for this scoring, prepared once and cached (undefined: the unit cannot learn).
 * Lines: the text's vector + per-line evidence; sessions/windows: their lines' mean vector + the
 * group's scores and the highest of each line column among its lines (learn/units.ts).
 */
export function learningFeatures(fit: AnalysisFit, scoring: Scoring): PreparedFeatures | undefined {
  const cached = preparedCache.get(scoring);
  if (cached !== undefined) return cached ?? undefined;
  let prepared: PreparedFeatures | null = null;
  if (canLearn(scoring)) {
    const t = fit.records.target;
    const lines = { vectors: fit.evidence.vectors, dims: fit.evidence.dims, textIndex: t.textIndex, count: t.count };
    const columns = lineColumns(fit, scoring);
    const groups = unitGroups(scoring);
    if (scoring.settings.unit === 'line') {
      prepared = prepareFeatures(lineFeatures(lines, columns));
    } else if (groups) {
      const scores = scoring.scores;
      const forest = scoring.settings.forest;
      const composition = scoreGroups(groups, scores.line, t.templateId.subarray(0, t.count), {
        nEstimators: forest.nEstimators,
        maxSamples: forest.maxSamples,
        seed: forest.seed,
      });
      const meanLine = Float64Array.from({ length: groups.keys.length }, (_, g) => {
        const from = groups.starts[g];
        const to = groups.starts[g + 1];
        let sum = 0;
        for (let k = from; k < to; k++) sum += scores.line[groups.members[k]];
        return to === from ? 0 : sum / (to - from);
      });
      const missing = scoring.settings.unit === 'session' ? scores.evidence?.session?.missing : undefined;
      prepared = prepareFeatures(
        groupFeatures(
          groups,
          lines,
          [
            { name: 'unsupervised', values: scores.unit },
            { name: 'maxLine', values: composition.maxLine },
            { name: 'meanLine', values: meanLine },
            { name: 'composition', values: composition.composition },
            ...(missing ? [{ name: 'missing steps', values: missing }] : []),
          ],
          columns.filter((c) => c.name !== 'unsupervised'),
        ),
      );
    }
  }
  preparedCache.set(scoring, prepared);
  return prepared ?? undefined;
}

/** Labels per unit of the scoring: line verdicts spread over templates; sessions from their lines. */
export function labelsForUnits(
  fit: AnalysisFit,
  scoring: Scoring,
  verdicts: AnalystVerdicts,
  propagation = DEFAULT_PROPAGATION,
): Int8Array {
  const t = fit.records.target;
  const templateId = t.templateId.subarray(0, t.count);
  const line = verdicts.line ? Int8Array.from({ length: t.count }, (_, i) => verdicts.line![i] ?? -1) : new Int8Array(t.count).fill(-1);
  const templateLabels = new Map<number, UnitLabel>();
  if (verdicts.template) {
    for (let id = 0; id < verdicts.template.length; id++) {
      const v = verdicts.template[id];
      if (v === 0 || v === 1) templateLabels.set(id, v);
    }
  }
  const lineLabels = lineLabelsWithTemplates(templateId, line, propagation, templateLabels);
  if (scoring.settings.unit === 'line') return lineLabels;
  const groups = unitGroups(scoring);
  if (!groups) throw new FeatureError(`no ${scoring.settings.unit}s to label`);
  // Only the analyst's own session labels key sessions: windows take theirs from their lines.
  const byKey = scoring.settings.unit === 'session' ? (verdicts.session ?? new Map<string, UnitLabel>()) : new Map<string, UnitLabel>();
  return groupLabels(groups, byKey, lineLabels);
}

/** Line units: the template of each line (a normal label spread over a template is one judgement). */
function judgementsOf(fit: AnalysisFit, scoring: Scoring): Int32Array | undefined {
  const t = fit.records.target;
  return scoring.settings.unit === 'line' ? t.templateId.subarray(0, t.count) : undefined;
}

/**
 * The scoring whose unit scores are `blended` (tail-share scale): line units blend line scores
 * (texts take their worst line, templates the mean of their lines); session and window units blend
 * the unit only. The threshold keeps the share of units the unsupervised threshold flagged.
 */
export function blendedScoring(fit: AnalysisFit, unsupervised: Scoring, blended: Float32Array): Scoring {
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
    };
  }
  const scores = { ...s, unit: blended, threshold, thresholdExplanation };
  if (unit === 'session') scores.session = blended;
  if (unit === 'window') scores.window = blended;
  return { ...unsupervised, scores };
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
  const scoring = blendedScoring(fit, unsupervised, result.blended);
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
 * A saved head applied again (a reopened analysis): the same features, `scoreWithHead` and
 * `blendScores` give the same blended ranking without retraining. Throws when the head was trained
 * on other features (another detector or unit).
 */
export function scoringWithHead(
  fit: AnalysisFit,
  unsupervised: Scoring,
  head: TrainedHead,
  weight: number,
): { scoring: Scoring; learned: Float32Array; blended: Float32Array } {
  const prepared = learningFeatures(fit, unsupervised);
  if (!prepared) throw new FeatureError(`a ${unsupervised.settings.unit} scoring has no head`);
  const learned = scoreWithHead(head, prepared);
  const blended = blendScores(learned, unsupervised.scores.unit, weight);
  return { scoring: blendedScoring(fit, unsupervised, blended), learned, blended };
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
 * What a saved analysis or bundle keeps of the head (issue 12 §5): its weights and layout, the
 * blend weight and the unit. JSON-safe; `restoreLearning` re-applies it without retraining.
 */
export interface SavedLearning {
  version: 1;
  unit: Scoring['settings']['unit'];
  weight: number;
  weightFrom: LearnResult['weightFrom'];
  head: Omit<TrainedHead, 'inputWeights' | 'hiddenBias' | 'outputWeights'> & {
    inputWeights: number[];
    hiddenBias: number[];
    outputWeights: number[];
  };
}

/** The learning of a scoring as it is saved; undefined without a head. */
export function savedLearningOf(learned: LearnedScoring): SavedLearning | undefined {
  const head = learned.head;
  if (!head) return undefined;
  return {
    version: 1,
    unit: learned.unsupervised.settings.unit,
    weight: learned.summary.weight,
    weightFrom: learned.summary.weightFrom,
    head: {
      ...head,
      inputWeights: Array.from(head.inputWeights),
      hiddenBias: Array.from(head.hiddenBias),
      outputWeights: Array.from(head.outputWeights),
    },
  };
}

function finiteArray(value: unknown, what: string): Float32Array {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new FeatureError(`the saved head's ${what} must be a list of finite numbers`);
  }
  return Float32Array.from(value as number[]);
}

/**
 * A saved head re-applied to the reopened scoring: the same blended ranking, no retraining. Throws
 * (FeatureError) when the saved head does not fit this scoring (another unit, other features) or is
 * damaged: the caller keeps the unsupervised scoring then.
 */
export function restoreLearning(fit: AnalysisFit, unsupervised: Scoring, saved: SavedLearning): LearnedScoring {
  if (saved?.version !== 1) throw new FeatureError('the saved head is of an unknown version');
  if (saved.unit !== unsupervised.settings.unit)
    throw new FeatureError(`the saved head ranks ${saved.unit}s, not ${unsupervised.settings.unit}s`);
  const h = saved.head;
  const head: TrainedHead = {
    ...h,
    inputWeights: finiteArray(h.inputWeights, 'input weights'),
    hiddenBias: finiteArray(h.hiddenBias, 'hidden biases'),
    outputWeights: finiteArray(h.outputWeights, 'output weights'),
  };
  const width = head.dims + head.evidenceNames.length;
  if (head.inputWeights.length !== width * Math.max(1, head.hidden) || head.hiddenBias.length !== head.hidden) {
    throw new FeatureError(
      `the saved head holds ${head.inputWeights.length} input weights for ${width} features and ${head.hidden} hidden units`,
    );
  }
  if (!Number.isFinite(head.bias)) throw new FeatureError('the saved head has no finite bias');
  const { scoring, learned, blended } = scoringWithHead(fit, unsupervised, head, saved.weight);
  const moved = rankingChange(unsupervised.scores.unit, blended, MOVED_TOP);
  return {
    scoring,
    unsupervised,
    learned,
    blended,
    head,
    labels: new Int8Array(unsupervised.scores.unit.length).fill(-1),
    summary: {
      anomalous: head.anomalous,
      normal: head.normal,
      trained: true,
      headKind: head.kind,
      weight: saved.weight,
      weightFrom: saved.weightFrom,
      top: moved.top,
      movedIntoTop: moved.movedIn,
      trainMs: 0,
    },
  };
}
