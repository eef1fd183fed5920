/** What the analyst chooses about scoring: the detector, the unit scored, and the forest's knobs. */

export type ScoringUnit = 'line' | 'template' | 'session' | 'window';
export type DetectorKind = 'forest' | 'surprise' | 'fused';

export interface ForestSettings {
  nEstimators: number;
  /** Sub-sample size per tree (scikit-learn's max_samples). */
  maxSamples: number;
  /** 'auto' lets the scores choose the threshold; a fraction flags that share of units. */
  contamination: 'auto' | number;
  /** Extended isolation forest (random hyperplane splits) instead of axis-parallel splits. */
  extended: boolean;
  /** PCA whitening before the forest: number of components, 0 = off. */
  pcaComponents: number;
  seed: number;
}
