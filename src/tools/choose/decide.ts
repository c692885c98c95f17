/** /choose's decision: apply the rule table (rules.ts) to a task and say which rules fired. */
import { type ServingCost, servingCost } from './cost.js';
import {
  ENOUGH_LABELS,
  GENERATION,
  HIGH_VOLUME,
  type RuleId,
  type Task,
  TIGHT_LATENCY_MS,
  UNDERSTANDING,
} from './rules.js';

export type ChooseLanguage = 'zh' | 'en' | 'mixed';

export interface ChooseInput {
  task: Task;
  /** Labelled examples available (0: none). */
  labels: number;
  /** Whether the label set still changes (new classes every few weeks). */
  labelsChange: boolean;
  volumePerDay: number;
  /** Average input tokens per request. */
  inputTokens: number;
  /** Latency target per request in ms, if any. */
  latencyMs?: number | undefined;
  /** `cpu` or a GPU name from /vram's list. */
  hardware: string;
  language: ChooseLanguage;
}

/**
 * encoder: a fine-tuned BERT-style model. llm: a decoder LLM. prompt-then-distil: prompt an
 * LLM now, distil into an encoder once it has labelled enough. rag: an embedding encoder with
 * a reranker, and an LLM to write answers.
 */
export type Verdict = 'encoder' | 'llm' | 'prompt-then-distil' | 'rag';

export interface ChooseResult {
  verdict: Verdict;
  /** The rules that fired, in table order of importance (the first decided the verdict). */
  rules: RuleId[];
  cost: ServingCost;
  /** Tokens an answer is assumed to have, by task. */
  outputTokens: number;
  /** Suggested models by language. */
  models: { encoder: string; llm: string };
}

const OUTPUT_TOKENS: Record<Task, number> = {
  classification: 5,
  ner: 40,
  extraction: 60,
  retrieval: 0,
  summarization: 150,
  qa: 200,
  chat: 250,
  generation: 400,
};

const MODELS: Record<ChooseLanguage, { encoder: string; llm: string; preset: string }> = {
  zh: {
    encoder: 'bert-base-chinese / chinese-roberta-wwm-ext (embeddings: bge-base-zh)',
    llm: 'Qwen2-7B-Instruct / ChatGLM3-6B',
    preset: 'qwen2-7b',
  },
  en: {
    encoder: 'DeBERTa-v3-base / ModernBERT-base (embeddings: bge-base-en, e5-base)',
    llm: 'Llama-3-8B-Instruct / Mistral-7B-Instruct',
    preset: 'mistral-7b',
  },
  mixed: {
    encoder: 'xlm-roberta-base (embeddings: bge-m3)',
    llm: 'Qwen2-7B-Instruct',
    preset: 'qwen2-7b',
  },
};

/** Apply the rule table. */
export function choose(input: ChooseInput): ChooseResult {
  const outputTokens = OUTPUT_TOKENS[input.task];
  const m = MODELS[input.language];
  const cost = servingCost({
    volumePerDay: input.volumePerDay,
    inputTokens: input.inputTokens,
    outputTokens,
    hardware: input.hardware,
    model: m.preset,
  });
  const fired: RuleId[] = [];
  const cpu = input.hardware === 'cpu';
  const latencyMissed =
    input.latencyMs !== undefined &&
    (input.latencyMs <= TIGHT_LATENCY_MS || cost.llm.latencyMs > input.latencyMs);
  const heavy = input.volumePerDay >= HIGH_VOLUME || cost.llm.devices > 1;
  let verdict: Verdict;
  if (GENERATION.includes(input.task)) {
    verdict = 'llm';
    fired.push('generate');
  } else if (input.task === 'retrieval') {
    verdict = 'rag';
    fired.push('embeddings');
  } else if (input.labels >= ENOUGH_LABELS && !input.labelsChange) {
    verdict = 'encoder';
    fired.push('labelled');
  } else if (heavy || cpu || latencyMissed) {
    verdict = 'prompt-then-distil';
    fired.push('distil');
  } else {
    verdict = 'llm';
    fired.push('prompt-first');
  }
  if (input.task === 'ner' || input.task === 'extraction') fired.push('token-level');
  if (heavy) fired.push('volume');
  if (cpu) fired.push('cpu-only');
  if (latencyMissed) fired.push('latency');
  if (cost.llm.fits === false && verdict !== 'encoder') fired.push('memory');
  if (UNDERSTANDING.includes(input.task)) fired.push('baseline');
  if (verdict !== 'llm' || input.labels > 0) fired.push('fine-tune');
  return { verdict, rules: fired, cost, outputTokens, models: { encoder: m.encoder, llm: m.llm } };
}
