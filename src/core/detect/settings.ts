/** What the analyst chooses about scoring: the detector, the unit scored, and the forest's knobs. */

export type ScoringUnit = 'line' | 'template' | 'session' | 'window';
/**
 * `evidence` (the default): every kind of evidence calibrated to nats and summed (calibrate.ts);
 * `forest`, `surprise` and `fused` (their mean) are the text detectors alone, kept for comparison.
 */
export type DetectorKind = 'evidence' | 'forest' | 'surprise' | 'fused';

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
