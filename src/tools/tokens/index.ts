export { BytePairEncoder, type RawRanks } from './bpe.js';
export { type TokenCuts, tokenCuts } from './offsets.js';
export {
  countTokens,
  DEFAULT_TOKENIZER,
  getReferenceTokenizer,
  getTokenizer,
  isTokenizerName,
  TOKENIZER_LABELS,
  TOKENIZER_NAMES,
  type Tokenizer,
  type TokenizerName,
  utf8Length,
} from './registry.js';
export { PieceCache, ScanResult } from './scan.js';
export { type TokenStats, tokenStats } from './stats.js';
