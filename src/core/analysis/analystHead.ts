/**
 * The head trained on the analyst's verdicts (issue 12), kept beside the analysis it ranks. It is in
 * force while the scoring shown is the one it blended: a re-score or a new analysis leaves it behind.
 */
import { learnScoring, sameTraining, type LearnedScoring, type LearningOptions } from './learning';
import type { AnalystVerdicts } from './learningLabels';
import type { AnalysisFit } from './fit';
import type { Scoring } from './scoring';

export interface HeadInForce {
  result: LearnedScoring;
  verdicts: AnalystVerdicts;
  options: LearningOptions;
}

export class AnalystHead {
  private held?: HeadInForce;

  /** The head in force when `shown` is its blended scoring. */
  inForce(shown: Scoring | undefined): HeadInForce | undefined {
    return this.held && shown === this.held.result.scoring ? this.held : undefined;
  }

  /** The scoring a head learns from: the unsupervised one behind a blended scoring. */
  unsupervised(shown: Scoring): Scoring {
    return this.inForce(shown)?.result.unsupervised ?? shown;
  }

  /**
   * Trains on the verdicts and keeps the result; undefined when the head in force learned exactly
   * these labels with this weight (a reopened analysis): nothing is retrained then. Throws
   * FeatureError as learnScoring does.
   */
  train(fit: AnalysisFit, shown: Scoring, verdicts: AnalystVerdicts, options: LearningOptions): LearnedScoring | undefined {
    const previous = this.inForce(shown);
    if (previous && sameTraining(fit, previous.result, verdicts, options)) return undefined;
    const result = learnScoring(fit, this.unsupervised(shown), verdicts, options);
    this.held = { result, verdicts, options };
    return result;
  }

  /** A reopened analysis's saved head is in force until the labels change (its verdicts are not saved). */
  restore(result: LearnedScoring | undefined): void {
    this.held = result && {
      result,
      verdicts: {},
      options: result.summary.weightFrom === 'analyst' ? { weight: result.summary.weight } : {},
    };
  }
}
