/** Learning from the analyst's labels: features, the head, the blend, label propagation, suggestions. */
export * from './features';
export * from './head';
export { BACKGROUND_SAMPLE, countLabels, trainingSet } from './trainingSet';
export * from './blend';
export * from './propagate';
export * from './suggest';
export * from './units';
