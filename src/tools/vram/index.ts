/** The GPU-memory calculator: pure functions, no I/O. */
export { type VramError, VramInputError, type VramResult } from './errors.js';
export { estimateMemory, safeEstimateMemory, type VramEstimate } from './estimate.js';
export {
  activationBytes,
  kvCacheBytes,
  optimizerBytesPerParam,
  weightBytes,
} from './formulas.js';
export { CUDA_CONTEXT_BYTES, type Fit, fitsOn, GPUS, type Gpu } from './gpus.js';
export { countParams, linearParams, loraParams, parseSize } from './params.js';
export { type Architecture, findPreset, PRESET_NAMES, PRESETS, type Preset } from './presets.js';
export { type ResolvedModel, resolveModel } from './resolve.js';
export {
  LORA_TARGETS,
  type Mode,
  OPTION_NAMES,
  type Precision,
  type VramOptions,
  type VramOptionsInput,
  vramOptionsSchema,
} from './schema.js';
export { TERM_LABEL, TERMS } from './terms.js';
export type { TermKey, VramBytes, VramSetup, VramTerm } from './types.js';
export { formatBoth, formatInt, GB, GiB, toGB, toGiB } from './units.js';
export { parseVramOptions } from './validate.js';
