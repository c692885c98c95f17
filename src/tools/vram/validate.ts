import { invalidOption, type VramError, type VramResult, vramError } from './errors.js';
import { OPTION_NAMES, type Precision, type VramOptions, vramOptionsSchema } from './schema.js';

/** Precisions each mode accepts (full/LoRA train 16/32-bit weights; QLoRA quantizes the base). */
export const PRECISIONS_BY_MODE: Record<VramOptions['mode'], readonly Precision[]> = {
  full: ['fp32', 'mixed', 'bf16', 'fp16'],
  lora: ['fp32', 'mixed', 'bf16', 'fp16'],
  qlora: ['nf4', 'int4', 'int8'],
  inference: ['fp32', 'bf16', 'fp16', 'int8', 'int4', 'nf4'],
};

/** Read raw options (strings or typed values) into validated options, or name what is wrong. */
export function parseVramOptions(input: unknown): VramResult<VramOptions> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      error: vramError(
        'model',
        'options must be an object such as { model: "llama-2-7b", mode: "full" }.',
        '参数须为对象,例如 { model: "llama-2-7b", mode: "full" }。',
      ),
    };
  }
  const raw = input as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && !OPTION_NAMES.includes(key)) {
      return {
        ok: false,
        error: vramError(
          key,
          `unknown option. Options: ${OPTION_NAMES.join(', ')}.`,
          `未知选项。可用选项:${OPTION_NAMES.join(', ')}。`,
        ),
      };
    }
  }
  const parsed = vramOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const option = String(parsed.error.issues[0]?.path[0] ?? 'model');
    return { ok: false, error: invalidOption(option, raw[option]) };
  }
  const conflict = checkCombination(parsed.data);
  return conflict ? { ok: false, error: conflict } : { ok: true, value: parsed.data };
}

const TRAINING_ONLY = ['optimizer', 'checkpointing'] as const;

/** Options that contradict the mode: each error names the option and what it needs. */
export function checkCombination(o: VramOptions): VramError | undefined {
  const lora = o.mode === 'lora' || o.mode === 'qlora';
  for (const key of ['lora_rank', 'lora_targets'] as const) {
    if (!lora && o[key] !== undefined) {
      return vramError(
        key,
        `only applies to mode=lora or mode=qlora (mode is ${o.mode}). Remove it or set mode=lora.`,
        `仅适用于 mode=lora 或 mode=qlora(当前 mode=${o.mode})。请去掉它或设 mode=lora。`,
      );
    }
  }
  if (o.mode === 'inference') {
    for (const key of TRAINING_ONLY) {
      if (o[key] !== undefined) {
        return vramError(
          key,
          'only applies to training (mode=full, lora or qlora), not mode=inference.',
          '仅适用于训练(mode=full、lora 或 qlora),不适用于 mode=inference。',
        );
      }
    }
    if (o.zero !== 0) {
      return vramError(
        'zero',
        'ZeRO shards training states; with mode=inference use zero=0 (gpus= splits the model by tensor parallelism).',
        'ZeRO 切分的是训练状态;mode=inference 时请用 zero=0(gpus= 按张量并行切分模型)。',
      );
    }
  } else if (o.kv_dtype !== undefined) {
    return vramError(
      'kv_dtype',
      `only applies to mode=inference (training keeps no KV cache); mode is ${o.mode}.`,
      `仅适用于 mode=inference(训练不保留 KV cache);当前 mode=${o.mode}。`,
    );
  }
  const accepted = PRECISIONS_BY_MODE[o.mode];
  if (o.precision !== undefined && !accepted.includes(o.precision)) {
    const hint =
      o.mode === 'qlora'
        ? { en: ' For a 16/32-bit base use mode=lora.', zh: '16/32 位基座请用 mode=lora。' }
        : o.mode === 'inference'
          ? { en: ' mixed is a training setting.', zh: 'mixed 是训练设置。' }
          : {
              en: ' Quantized weights cannot be trained directly: use mode=qlora.',
              zh: '量化权重不能直接训练:请用 mode=qlora。',
            };
    return vramError(
      'precision',
      `with mode=${o.mode} expected one of ${accepted.join(', ')}.${hint.en}`,
      `mode=${o.mode} 时应为以下之一:${accepted.join(', ')}。${hint.zh}`,
    );
  }
  return undefined;
}
