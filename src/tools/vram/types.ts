import type {
  Attention,
  Checkpointing,
  KvDtype,
  LoraTarget,
  Mode,
  Optimizer,
  Precision,
} from './schema.js';

export type TermKey = 'weights' | 'gradients' | 'optimizer' | 'activations' | 'logits' | 'kvCache';
export type VramBytes = Record<TermKey | 'total', number>;

/** One term of the breakdown, explained: its formula, the numbers filled in, and its source. */
export interface VramTerm {
  key: TermKey;
  formula: string;
  filled: string;
  source: string;
}

/** The setup an estimate was made for, every default filled in. */
export interface VramSetup {
  mode: Mode;
  precision: Precision;
  optimizer?: Optimizer;
  checkpointing?: Checkpointing;
  /** sdpa (FlashAttention/SDPA: no seq×seq scores kept) or eager (the scores are kept). */
  attention: Attention;
  batch: number;
  seq: number;
  zero: number;
  gpus: number;
  kvDtype?: KvDtype;
  loraRank?: number;
  loraTargets?: LoraTarget[];
  /** The module names the targets map to in this model (ChatGLM: query_key_value, …). */
  loraModules?: string[];
}
