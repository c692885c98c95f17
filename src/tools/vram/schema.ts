import { z } from 'zod';
import { flag } from '../shared/flag.js';

/**
 * The options of the GPU-memory calculator: one zod schema for the library, the chat command
 * and /help. Values arrive either as strings from a text command line (`seq=4k`, `tied=true`,
 * `lora_targets=q_proj,v_proj`) or typed (Discord), so every option coerces; parsing is
 * idempotent (a parsed value parses to itself).
 */

export const MODES = ['full', 'lora', 'qlora', 'inference'] as const;
export const PRECISIONS = ['fp32', 'mixed', 'bf16', 'fp16', 'int8', 'int4', 'nf4'] as const;
export const OPTIMIZERS = ['adamw', 'adamw-8bit', 'sgd-momentum', 'sgd'] as const;
export const CHECKPOINTING = ['none', 'selective', 'full'] as const;
export const ATTENTION = ['sdpa', 'eager'] as const;
export const KV_DTYPES = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'] as const;
export const LORA_TARGETS = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
] as const;

export type Mode = (typeof MODES)[number];
export type Precision = (typeof PRECISIONS)[number];
export type Optimizer = (typeof OPTIMIZERS)[number];
export type Checkpointing = (typeof CHECKPOINTING)[number];
export type Attention = (typeof ATTENTION)[number];
export type KvDtype = (typeof KV_DTYPES)[number];
export type LoraTarget = (typeof LORA_TARGETS)[number];

export const LIMITS = {
  batch: [1, 4096],
  seq: [1, 1_048_576],
  lora_rank: [1, 4096],
  zero: [0, 3],
  gpus: [1, 100_000],
  layers: [1, 1024],
  hidden: [1, 262_144],
  heads: [1, 4096],
  kv_heads: [1, 4096],
  intermediate: [1, 1_048_576],
  vocab: [1, 4_000_000],
} as const satisfies Record<string, readonly [number, number]>;

export type IntOption = keyof typeof LIMITS;

const ALIASES: Record<string, Record<string, string>> = {
  mode: { ft: 'full', 'full-ft': 'full', finetune: 'full', infer: 'inference', inf: 'inference' },
  precision: {
    amp: 'mixed',
    'mixed-fp16': 'mixed',
    'mixed-bf16': 'mixed',
    'fp16-mixed': 'mixed',
    'bf16-mixed': 'mixed',
    float32: 'fp32',
    'pure-bf16': 'bf16',
    bfloat16: 'bf16',
    float16: 'fp16',
    half: 'fp16',
    '8bit': 'int8',
    '4bit': 'int4',
  },
  optimizer: {
    adam: 'adamw',
    'adamw-torch': 'adamw',
    adamw8bit: 'adamw-8bit',
    'adam-8bit': 'adamw-8bit',
    'paged-adamw-8bit': 'adamw-8bit',
    sgdm: 'sgd-momentum',
    momentum: 'sgd-momentum',
  },
  checkpointing: {
    false: 'none',
    off: 'none',
    no: 'none',
    '0': 'none',
    true: 'full',
    on: 'full',
    yes: 'full',
    '1': 'full',
  },
  attention: {
    flash: 'sdpa',
    'flash-attention': 'sdpa',
    'flash-attention-2': 'sdpa',
    'flash-attn': 'sdpa',
    fa2: 'sdpa',
    flashattention: 'sdpa',
    math: 'eager',
    naive: 'eager',
  },
  kv_dtype: { float32: 'fp32', float16: 'fp16', half: 'fp16', bfloat16: 'bf16' },
  lora_targets: {
    q: 'q_proj',
    query: 'q_proj',
    k: 'k_proj',
    key: 'k_proj',
    v: 'v_proj',
    value: 'v_proj',
    o: 'o_proj',
    out_proj: 'o_proj',
    gate: 'gate_proj',
    up: 'up_proj',
    down: 'down_proj',
  },
};

function canonical(option: string, raw: string): string {
  const key = raw
    .trim()
    .toLowerCase()
    .replace(/_/g, option === 'lora_targets' ? '_' : '-');
  const mapped = ALIASES[option]?.[key];
  if (mapped) return mapped;
  if (option === 'kv_dtype' && key.startsWith('fp8')) return 'fp8';
  return key;
}

/** The options that take one of a fixed list of values. */
export const CHOICES: Readonly<Record<string, readonly string[]>> = {
  mode: MODES,
  precision: PRECISIONS,
  optimizer: OPTIMIZERS,
  checkpointing: CHECKPOINTING,
  attention: ATTENTION,
  kv_dtype: KV_DTYPES,
};

/** English text of what an option accepts; the zh text lives in errors.ts. */
export function acceptedEn(option: string): string {
  if (option in LIMITS) {
    const [min, max] = LIMITS[option as IntOption];
    const k = option === 'seq' ? ' (4k = 4096)' : '';
    return `an integer from ${min} to ${max.toLocaleString('en-US')}${k}`;
  }
  const list = CHOICES[option];
  if (list) return `one of ${list.join(', ')}`;
  if (option === 'lora_targets') return `a comma list of ${LORA_TARGETS.join(', ')}, or all`;
  if (option === 'model') return 'a preset name or a size such as 7b, 6.7e9, 350m';
  if (option === 'gpu') return 'a GPU name such as A100-80GB, H100 or 4090 (up to 40 characters)';
  return 'true or false';
}

/** Language-neutral zod messages (the router wraps them in its bilingual text): `0–3`, `full|lora`. */
function neutral(option: string): string {
  if (option in LIMITS) {
    const [min, max] = LIMITS[option as IntOption];
    return `${min}–${max.toLocaleString('en-US')}`;
  }
  const lists: Record<string, readonly string[]> = {
    ...CHOICES,
    lora_targets: [...LORA_TARGETS, 'all'],
    model: ['llama-2-7b', '7b', '6.7e9', '350m'],
    gpu: ['A100-80GB', 'H100', '4090'],
  };
  return (lists[option] ?? ['true', 'false']).join(' | ');
}

const message = (option: string) => () => neutral(option);

function toInt(allowK: boolean) {
  return (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const s = v.trim().toLowerCase().replace(/[_,]/g, '');
    const k = allowK ? /^(\d+(?:\.\d+)?)k$/.exec(s) : null;
    if (k?.[1]) return Number(k[1]) * 1024;
    return s === '' ? Number.NaN : Number(s);
  };
}

function intOption(option: IntOption) {
  const [min, max] = LIMITS[option];
  const error = message(option);
  return z.preprocess(
    toInt(option === 'seq'),
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
}

function enumOption<const T extends readonly [string, ...string[]]>(option: string, values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? canonical(option, v) : v),
    z.enum(values, { error: message(option) }),
  );
}

const boolOption = (option: string) => flag(message(option));

const targetsOption = z.preprocess(
  (v) => {
    const list = typeof v === 'string' ? v.split(/[\s,+]+/) : v;
    if (!Array.isArray(list)) return list;
    const out = list
      .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
      .map((t) => canonical('lora_targets', t));
    return out.some((t) => t === 'all' || t === 'all-linear')
      ? [...LORA_TARGETS]
      : [...new Set(out)];
  },
  z
    .array(z.enum(LORA_TARGETS, { error: message('lora_targets') }), {
      error: message('lora_targets'),
    })
    .min(1, { error: message('lora_targets') }),
);

const modelOption = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v),
  z
    .string({ error: message('model') })
    .min(1, { error: message('model') })
    .max(80, {
      error: message('model'),
    }),
);

const d = (en: string, zh: string) => ({ description: en, zh });

export const vramOptionsSchema = z.object({
  model: modelOption
    .optional()
    .meta(
      d(
        'Preset (llama-2-7b, llama-3-8b, mistral-7b, qwen2-7b, chatglm3-6b, bert-base, …) or a size (7b, 6.7e9, 350m). Omit it to describe an architecture with layers/hidden/…',
        '预设模型名(llama-2-7b、llama-3-8b、mistral-7b、qwen2-7b、chatglm3-6b、bert-base 等)或参数规模(7b、6.7e9、350m)。不填则用 layers/hidden 等描述结构',
      ),
    ),
  mode: enumOption('mode', MODES)
    .default('full')
    .meta(
      d(
        'full (full-parameter fine-tuning), lora, qlora or inference. Default full',
        'full(全参数微调)、lora、qlora 或 inference(推理)。默认 full',
      ),
    ),
  precision: enumOption('precision', PRECISIONS)
    .optional()
    .meta(
      d(
        'fp32, mixed (fp16/bf16 AMP with fp32 master weights), bf16/fp16 (pure 16-bit), int8, int4, nf4. Default: mixed for full, bf16 for lora and inference, nf4 for qlora',
        'fp32、mixed(fp16/bf16 混合精度,含 fp32 主权重)、bf16/fp16(纯 16 位)、int8、int4、nf4。默认:full 用 mixed,lora 与 inference 用 bf16,qlora 用 nf4',
      ),
    ),
  optimizer: enumOption('optimizer', OPTIMIZERS)
    .optional()
    .meta(
      d(
        'adamw, adamw-8bit, sgd-momentum or sgd (training only). Default adamw',
        'adamw、adamw-8bit、sgd-momentum 或 sgd(仅训练)。默认 adamw',
      ),
    ),
  batch: intOption('batch')
    .default(1)
    .meta(d('Micro-batch size per GPU. Default 1', '每张 GPU 的微批大小。默认 1')),
  seq: intOption('seq')
    .optional()
    .meta(
      d(
        'Sequence length in tokens; for inference the context length (KV cache). Default 2048 (512 for BERT)',
        '序列长度(token 数);推理时为上下文长度(决定 KV cache)。默认 2048(BERT 为 512)',
      ),
    ),
  checkpointing: enumOption('checkpointing', CHECKPOINTING)
    .optional()
    .meta(
      d(
        'Gradient checkpointing: none, selective (recompute the attention scores; what sdpa gives anyway) or full (keep each layer’s input, recompute the rest; training only). Default full for lora and qlora (as PEFT’s prepare_model_for_kbit_training and LLaMA-Factory do), none for full (the HF Trainer default)',
        '梯度检查点:none、selective(重算注意力分数;用 sdpa 时本来就不存)或 full(只存每层输入,其余重算;仅训练)。默认:lora 与 qlora 为 full(与 PEFT 的 prepare_model_for_kbit_training 和 LLaMA-Factory 一致),full 为 none(HF Trainer 的默认)',
      ),
    ),
  attention: enumOption('attention', ATTENTION)
    .default('sdpa')
    .meta(
      d(
        'Attention kernel: sdpa (FlashAttention / PyTorch SDPA, the transformers default on current PyTorch: no seq×seq scores kept) or eager (keeps the scores, the old figures). Default sdpa',
        '注意力实现:sdpa(FlashAttention / PyTorch SDPA,当前 PyTorch 上 transformers 的默认:不保存 seq×seq 分数)或 eager(保存分数,即旧的估算)。默认 sdpa',
      ),
    ),
  gpu: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z
        .string({ error: message('gpu') })
        .min(1, { error: message('gpu') })
        .max(40, {
          error: message('gpu'),
        }),
    )
    .optional()
    .meta(
      d(
        'The GPU you have (A100-80GB, H100, 4090, T4, …): the verdict names it first. Default: none, all listed GPUs',
        '你手上的 GPU(A100-80GB、H100、4090、T4 等):结论中先说它。默认不指定,列出所有 GPU',
      ),
    ),
  lora_rank: intOption('lora_rank')
    .optional()
    .meta(d('LoRA rank r (lora/qlora only). Default 8', 'LoRA 秩 r(仅 lora/qlora)。默认 8')),
  lora_targets: targetsOption
    .optional()
    .meta(
      d(
        'Modules LoRA adapts: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj or all (lora/qlora only). Default q_proj,v_proj',
        'LoRA 作用的模块:q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj 或 all(仅 lora/qlora)。默认 q_proj,v_proj',
      ),
    ),
  zero: intOption('zero')
    .default(0)
    .meta(
      d(
        'DeepSpeed ZeRO stage 0–3 (training only): 1 shards optimizer states, 2 also gradients, 3 also weights, across gpus. Default 0',
        'DeepSpeed ZeRO 阶段 0–3(仅训练):1 切分优化器状态,2 再切分梯度,3 再切分权重,切分到 gpus 张卡。默认 0',
      ),
    ),
  gpus: intOption('gpus')
    .default(1)
    .meta(
      d(
        'Number of GPUs: ZeRO shards over them in training; inference splits weights and KV cache (tensor parallel). Default 1',
        'GPU 数量:训练时 ZeRO 在其上切分;推理时权重与 KV cache 按张量并行切分。默认 1',
      ),
    ),
  kv_dtype: enumOption('kv_dtype', KV_DTYPES)
    .optional()
    .meta(
      d(
        'KV-cache element type for inference: fp32, fp16, bf16, fp8, int8, int4. Default fp16',
        '推理时 KV cache 的数据类型:fp32、fp16、bf16、fp8、int8、int4。默认 fp16',
      ),
    ),
  explain: boolOption('explain')
    .default(false)
    .meta(
      d(
        'Show each term’s formula with the numbers filled in and its source. Default false',
        '逐项给出公式、代入的数值与出处。默认 false',
      ),
    ),
  layers: intOption('layers')
    .optional()
    .meta(
      d('Architecture: number of layers (default: from the preset)', '结构:层数(默认取预设值)'),
    ),
  hidden: intOption('hidden')
    .optional()
    .meta(
      d('Architecture: hidden size h (default: from the preset)', '结构:隐藏维度 h(默认取预设值)'),
    ),
  heads: intOption('heads')
    .optional()
    .meta(
      d(
        'Architecture: attention heads (default: preset, else hidden/128)',
        '结构:注意力头数(默认取预设值,否则 hidden/128)',
      ),
    ),
  kv_heads: intOption('kv_heads')
    .optional()
    .meta(
      d(
        'Architecture: key/value heads for grouped-query attention (default: preset, else heads)',
        '结构:分组查询注意力的 KV 头数(默认取预设值,否则等于 heads)',
      ),
    ),
  intermediate: intOption('intermediate')
    .optional()
    .meta(
      d(
        'Architecture: MLP width I (default: preset, else Llama’s rule 256·⌈(8h/3)/256⌉)',
        '结构:MLP 宽度 I(默认取预设值,否则按 Llama 规则 256·⌈(8h/3)/256⌉)',
      ),
    ),
  vocab: intOption('vocab')
    .optional()
    .meta(
      d(
        'Architecture: vocabulary size (default: preset, else 32000)',
        '结构:词表大小(默认取预设值,否则 32000)',
      ),
    ),
  tied: boolOption('tied')
    .optional()
    .meta(
      d(
        'Architecture: lm_head shares the embedding (default: preset, else false)',
        '结构:输出层与词嵌入共享权重(默认取预设值,否则 false)',
      ),
    ),
  qkv_bias: boolOption('qkv_bias')
    .optional()
    .meta(
      d(
        'Architecture: q/k/v projections have a bias, as in Qwen2 (default: preset, else false)',
        '结构:q/k/v 投影带偏置,如 Qwen2(默认取预设值,否则 false)',
      ),
    ),
});

/** Validated options (defaults applied). */
export type VramOptions = z.output<typeof vramOptionsSchema>;

/** What a caller may pass: canonical values, or the strings a command line carries. */
export type VramOptionsInput = {
  [K in keyof VramOptions]?: VramOptions[K] | string | (K extends 'model' ? number : never);
};

export const OPTION_NAMES: readonly string[] = Object.keys(vramOptionsSchema.shape);
