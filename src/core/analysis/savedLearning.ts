/**
 * The head as a saved analysis or bundle keeps it (issue 12 §5), apart from the training: what is
 * written, and how it is checked and re-applied on reopening without retraining.
 */
import { FeatureError, rankingChange, type LearnResult, type TrainedHead } from '../learn';
import type { AnalysisFit } from './fit';
import type { Scoring } from './scoring';
import { MOVED_TOP, scoringWithHead, type LearnedScoring } from './learning';

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
export function restoreLearning(fit: AnalysisFit, unsupervised: Scoring, saved: SavedLearning, labels?: Int8Array): LearnedScoring {
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
  const units = unsupervised.scores.unit.length;
  if (labels && labels.length !== units) throw new FeatureError(`the saved head holds ${labels.length} labels for ${units} units`);
  const { scoring, learned, blended } = scoringWithHead(fit, unsupervised, head, saved.weight, labels);
  const moved = rankingChange(unsupervised.scores.unit, blended, MOVED_TOP);
  const unitLabels = labels ?? new Int8Array(units).fill(-1);
  // Labelled units of each class as the page counts them (after spreading over templates and sessions).
  let anomalous = 0;
  let normal = 0;
  for (const l of unitLabels) {
    if (l === 1) anomalous++;
    else if (l === 0) normal++;
  }
  return {
    scoring,
    unsupervised,
    learned,
    blended,
    head,
    labels: unitLabels,
    summary: {
      // Without saved labels the head's own counts are all there is to say.
      anomalous: labels ? anomalous : head.anomalous,
      normal: labels ? normal : head.normal,
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
