export { DEFAULT_MASKS, maskVariables } from './masks';
