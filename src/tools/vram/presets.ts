/**
 * Published model configurations (a data table, not code). Values are copied from each
 * model's Hugging Face config.json; Llama-3-70B from meta-llama/llama-models sku_list.py.
 * `params` is the exact count the formulas in params.ts give for the row (checked in tests).
 */

/** `decoder`: Llama-style (q/k/v/o + gated MLP, RMSNorm); `glm`: ChatGLM naming; `bert`: encoder. */
export type Family = 'decoder' | 'glm' | 'bert';

export interface Architecture {
  family: Family;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  /** Per-head width; h / heads unless the config sets it (ChatGLM `kv_channels`). */
  headDim: number;
  intermediate: number;
  vocab: number;
  /** Input embedding shared with the output head (no separate lm_head). */
  tied: boolean;
  qkvBias: boolean;
  /** Learned absolute positions (BERT): the longest sequence the model accepts. */
  maxPositions?: number;
  /** Sliding-window attention width (Mistral), for the rolling-buffer KV note. */
  slidingWindow?: number;
}

export interface Preset {
  name: string;
  aliases: readonly string[];
  arch: Architecture;
  /** The size the publisher advertises. */
  published: string;
  /**
   * The context length the model was trained on (Llama 2 4,096; Llama 3 8,192; Mistral 7B
   * 8,192; Qwen2-7B 32,768 before YaRN; ChatGLM3 `seq_length` 8,192; BERT 512): a longer seq is
   * warned about (topic 1).
   */
  context: number;
  source: string;
}

const HF = 'Hugging Face config.json';

export const PRESETS: readonly Preset[] = [
  {
    name: 'llama-2-7b',
    aliases: ['llama2-7b', 'llama-2-7b-hf', 'meta-llama/llama-2-7b-hf'],
    arch: {
      family: 'decoder',
      layers: 32,
      hidden: 4096,
      heads: 32,
      kvHeads: 32,
      headDim: 128,
      intermediate: 11008,
      vocab: 32000,
      tied: false,
      qkvBias: false,
    },
    published: '7B',
    context: 4096,
    source: `${HF} (meta-llama/Llama-2-7b-hf)`,
  },
  {
    name: 'llama-2-13b',
    aliases: ['llama2-13b', 'llama-2-13b-hf', 'meta-llama/llama-2-13b-hf'],
    arch: {
      family: 'decoder',
      layers: 40,
      hidden: 5120,
      heads: 40,
      kvHeads: 40,
      headDim: 128,
      intermediate: 13824,
      vocab: 32000,
      tied: false,
      qkvBias: false,
    },
    published: '13B',
    context: 4096,
    source: `${HF} (meta-llama/Llama-2-13b-hf)`,
  },
  {
    name: 'llama-2-70b',
    aliases: ['llama2-70b', 'llama-2-70b-hf', 'meta-llama/llama-2-70b-hf'],
    arch: {
      family: 'decoder',
      layers: 80,
      hidden: 8192,
      heads: 64,
      kvHeads: 8,
      headDim: 128,
      intermediate: 28672,
      vocab: 32000,
      tied: false,
      qkvBias: false,
    },
    published: '70B',
    context: 4096,
    source: `${HF} (meta-llama/Llama-2-70b-hf)`,
  },
  {
    name: 'llama-3-8b',
    aliases: ['llama3-8b', 'meta-llama-3-8b', 'meta-llama/meta-llama-3-8b'],
    arch: {
      family: 'decoder',
      layers: 32,
      hidden: 4096,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      intermediate: 14336,
      vocab: 128256,
      tied: false,
      qkvBias: false,
    },
    published: '8B',
    context: 8192,
    source: `${HF} (meta-llama/Meta-Llama-3-8B)`,
  },
  {
    name: 'llama-3-70b',
    aliases: ['llama3-70b', 'meta-llama-3-70b', 'meta-llama/meta-llama-3-70b'],
    arch: {
      family: 'decoder',
      layers: 80,
      hidden: 8192,
      heads: 64,
      kvHeads: 8,
      headDim: 128,
      intermediate: 28672,
      vocab: 128256,
      tied: false,
      qkvBias: false,
    },
    published: '70B',
    context: 8192,
    source: 'meta-llama/llama-models models/sku_list.py @084b88e9',
  },
  {
    name: 'mistral-7b',
    aliases: ['mistral-7b-v0.1', 'mistralai/mistral-7b-v0.1'],
    arch: {
      family: 'decoder',
      layers: 32,
      hidden: 4096,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      intermediate: 14336,
      vocab: 32000,
      tied: false,
      qkvBias: false,
      slidingWindow: 4096,
    },
    published: '7B',
    context: 8192,
    source: `${HF} (mistralai/Mistral-7B-v0.1)`,
  },
  {
    name: 'qwen2-7b',
    aliases: ['qwen2-7b-instruct', 'qwen/qwen2-7b'],
    arch: {
      family: 'decoder',
      layers: 28,
      hidden: 3584,
      heads: 28,
      kvHeads: 4,
      headDim: 128,
      intermediate: 18944,
      vocab: 152064,
      tied: false,
      qkvBias: true,
    },
    published: '7B',
    context: 32768,
    source: `${HF} (Qwen/Qwen2-7B)`,
  },
  {
    // num_layers, multi_query_group_num = 2, kv_channels = 128, ffn_hidden_size, padded_vocab_size
    name: 'chatglm3-6b',
    aliases: ['chatglm3', 'thudm/chatglm3-6b'],
    arch: {
      family: 'glm',
      layers: 28,
      hidden: 4096,
      heads: 32,
      kvHeads: 2,
      headDim: 128,
      intermediate: 13696,
      vocab: 65024,
      tied: false,
      qkvBias: true,
    },
    published: '6B',
    context: 8192,
    source: `${HF} (THUDM/chatglm3-6b)`,
  },
  {
    name: 'bert-base',
    aliases: ['bert-base-uncased', 'bert-base-cased', 'google-bert/bert-base-uncased'],
    arch: {
      family: 'bert',
      layers: 12,
      hidden: 768,
      heads: 12,
      kvHeads: 12,
      headDim: 64,
      intermediate: 3072,
      vocab: 30522,
      tied: true,
      qkvBias: true,
      maxPositions: 512,
    },
    published: '110M',
    context: 512,
    source: `${HF} (google-bert/bert-base-uncased)`,
  },
  {
    name: 'bert-large',
    aliases: ['bert-large-uncased', 'google-bert/bert-large-uncased'],
    arch: {
      family: 'bert',
      layers: 24,
      hidden: 1024,
      heads: 16,
      kvHeads: 16,
      headDim: 64,
      intermediate: 4096,
      vocab: 30522,
      tied: true,
      qkvBias: true,
      maxPositions: 512,
    },
    published: '340M',
    context: 512,
    source: `${HF} (google-bert/bert-large-uncased)`,
  },
];

/** Names users may type, normalised: lower case, `_` and spaces read as `-`. */
export function normalizeModelName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
}

export function findPreset(name: string): Preset | undefined {
  const key = normalizeModelName(name);
  return PRESETS.find((p) => p.name === key || p.aliases.includes(key));
}

export const PRESET_NAMES: readonly string[] = PRESETS.map((p) => p.name);
