/** `/sft`: check, clean and split an SFT dataset. Pure: the caller reads files and writes outputs. */
export {
  DEFAULT_TOKEN_BUDGET_BYTES,
  MAX_STRATA,
  type SftAnalysis,
  SftAnalyzer,
} from './analyze.js';
export { TEMPLATE_NAMES, TEMPLATES, type TemplateName } from './checks.js';
export { FORMAT_LABELS, SFT_FORMATS, type SftFormat } from './formats.js';
export { BANDS, BINS, NEAR_DUP_THRESHOLD, ROWS, SHINGLE } from './minhash.js';
export {
  NOT_WRITTEN,
  parseRatios,
  planSplit,
  SPLIT_NAMES,
  type SplitName,
  type SplitOptions,
  type SplitPlan,
  SplitRouter,
} from './split.js';
export type { DuplicatePair, Issue, IssueList, Quantiles, SftOptions, SftReport } from './types.js';
