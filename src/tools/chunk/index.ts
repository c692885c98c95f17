export {
  type AuditChunk,
  type AuditOptions,
  type AuditReport,
  auditChunks,
  sentenceEnds,
} from './audit.js';
export { ChunkEngine, type RawChunk } from './engine.js';
export {
  CHUNK_UNITS,
  type ChunkOptionError,
  type ChunkOptions,
  type ChunkOptionsResult,
  type ChunkUnit,
  chunkOptionsSchema,
  MAX_CHUNK_SIZE,
  type ResolvedChunkOptions,
  validateChunkOptions,
} from './options.js';
export {
  type Chunk,
  type ExplainedChunk,
  splitText,
  splitTextExplained,
  splitTextWithTokenizer,
} from './split.js';
export { chunkStream } from './stream.js';
export {
  type BoundaryLevel,
  type BoundaryName,
  BoundaryScanner,
  canStartAt,
  isGraphemeBreak,
  LEVEL,
  LEVEL_NAMES,
} from './text.js';
