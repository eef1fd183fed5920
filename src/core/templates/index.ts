export { DEFAULT_MASKS, WILDCARD, buildMasks, compileMasks, applyMasks, maskVariables, type Mask, type CompiledMasks } from './masks';
export { Drain, DEFAULT_DRAIN_OPTIONS, type DrainOptions } from './drain';
export { drainOptionsForLayout, layoutsWithPresets, type MaskChanges } from './presets';
export { groupingAccuracy } from './accuracy';
export { readStructuredCsv, readCsvRows } from './loghubCsv';
export { Tokenizer } from './tokenize';
