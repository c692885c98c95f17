/**
 * llm-tutor as a library.
 *
 * @example
 * import { matchQuestion } from 'llm-tutor';
 * matchQuestion('为什么SFT之后模型变笨了'); // → { outcome: 'answer', topic: 6, … }
 */
export {
  type CreateRouterOptions,
  configuredStore,
  createRouter,
  memoryStore,
} from './compose.js';
export * from './core/index.js';
export * from './knowledge/index.js';
export {
  type Chunk,
  type ChunkOptions,
  chunkStream,
  splitText,
  validateChunkOptions,
} from './tools/chunk/index.js';
export { countTokens, TOKENIZER_NAMES, type TokenizerName } from './tools/tokens/index.js';
export {
  estimateMemory,
  PRESET_NAMES,
  safeEstimateMemory,
  type VramEstimate,
  VramInputError,
  type VramOptionsInput,
  vramOptionsSchema,
} from './tools/vram/index.js';
