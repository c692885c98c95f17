import { quoteValue } from '../shared/quote.js';
import type { IntOption } from './schema.js';
import { acceptedEn, CHOICES, LIMITS, LORA_TARGETS } from './schema.js';

/** A user error: which option, what was wrong and what is accepted, in both languages. */
export interface VramError {
  option: string;
  message_en: string;
  message_zh: string;
}

export type VramResult<T> = { ok: true; value: T } | { ok: false; error: VramError };

/** Thrown by `estimateMemory` (the throwing library entry) with the same fields. */
export class VramInputError extends RangeError {
  readonly detail: VramError;
  constructor(detail: VramError) {
    super(detail.message_en);
    this.name = 'VramInputError';
    this.detail = detail;
  }
}

export function acceptedZh(option: string): string {
  if (option in LIMITS) {
    const [min, max] = LIMITS[option as IntOption];
    return `${min} 到 ${max.toLocaleString('en-US')} 的整数${option === 'seq' ? '(4k = 4096)' : ''}`;
  }
  const list = CHOICES[option];
  if (list) return `以下之一:${list.join(', ')}`;
  if (option === 'lora_targets') return `逗号分隔的 ${LORA_TARGETS.join(', ')},或 all`;
  if (option === 'model') return '预设模型名,或参数规模如 7b、6.7e9、350m';
  if (option === 'gpu') return ' GPU 名称,如 A100-80GB、H100 或 4090(最多 40 个字符)';
  return 'true 或 false';
}

/** A bad value, quoted: at most 80 characters, cut by grapheme clusters, with its length. */
function show(raw: unknown, lang: 'en' | 'zh'): string {
  if (typeof raw === 'string') return quoteValue(raw, lang);
  let text: string | undefined;
  try {
    text = JSON.stringify(raw);
  } catch {}
  return quoteValue(text ?? String(raw), lang);
}

/** The value of `option` could not be read or is out of range. */
export function invalidOption(option: string, raw: unknown): VramError {
  return {
    option,
    message_en: `${option}: got ${show(raw, 'en')}; expected ${acceptedEn(option)}.`,
    message_zh: `${option}:收到 ${show(raw, 'zh')},应为${acceptedZh(option)}。`,
  };
}

export function vramError(option: string, en: string, zh: string): VramError {
  return { option, message_en: `${option}: ${en}`, message_zh: `${option}:${zh}` };
}
