/** `/choose`: a BERT-style encoder or a decoder LLM for a task, by a transparent rule table. */
export {
  CPU_BANDWIDTH_GBS,
  CPU_GFLOPS,
  DECODE_BATCH,
  ENCODER_CPU_TOKENS_PER_S,
  ENCODER_GFLOP_PER_TOKEN,
  GPU_SPECS,
  HARDWARE,
  MFU,
  type ServingCost,
  servingCost,
} from './cost.js';
export {
  type ChooseInput,
  type ChooseLanguage,
  type ChooseResult,
  choose,
  type Verdict,
} from './decide.js';
export {
  ENOUGH_LABELS,
  HIGH_VOLUME,
  RULES,
  type Rule,
  type RuleId,
  rule,
  TASKS,
  type Task,
  TIGHT_LATENCY_MS,
} from './rules.js';
