import type { Architecture } from './presets.js';
import type { ResolvedModel } from './resolve.js';
import type { Attention, Checkpointing, KvDtype, Optimizer, Precision } from './schema.js';

/** The byte formulas (vram-notes F1, F3, F4, F5, F7), each a pure function of its inputs. */

/** Bytes per parameter of 16/32-bit weights; quantized formats cover Linear weights only. */
export const WEIGHT_BYTES: Record<Precision, number> = {
  fp32: 4,
  mixed: 2,
  bf16: 2,
  fp16: 2,
  int8: 1,
  int4: 0.5,
  nf4: 4.127 / 8,
};

/** Optimizer bytes per trained parameter (vram-notes F1, F4, F7). */
export function optimizerBytesPerParam(
  precision: 'fp32' | 'mixed' | 'pure16',
  opt: Optimizer,
): number {
  const table = {
    fp32: { adamw: 8, 'adamw-8bit': 2, 'sgd-momentum': 4, sgd: 0 },
    mixed: { adamw: 12, 'adamw-8bit': 6, 'sgd-momentum': 8, sgd: 4 },
    pure16: { adamw: 4, 'adamw-8bit': 2, 'sgd-momentum': 2, sgd: 0 },
  } as const;
  return table[precision][opt];
}

export const KV_BYTES: Record<KvDtype, number> = {
  fp32: 4,
  fp16: 2,
  bf16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
};

export function weightBytes(m: ResolvedModel, precision: Precision): number {
  const quantized = precision === 'int8' || precision === 'int4' || precision === 'nf4';
  if (!quantized) return m.params * WEIGHT_BYTES[precision];
  return m.linearParams * WEIGHT_BYTES[precision] + (m.params - m.linearParams) * 2;
}

/**
 * Activations per step (Korthikanti et al. 2022), 16-bit; fp32 doubles them (the caller).
 * eager keeps each layer's 5·a·s²·b bytes of attention scores unless checkpointing is on;
 * sdpa (FlashAttention/SDPA) never stores them, so none and selective agree at 34·s·b·h per
 * layer. Full checkpointing keeps one layer input (2·s·b·h) per layer; with sdpa the estimate
 * also counts the one layer whose activations are rebuilt during backward (34·s·b·h), which
 * the H200 LoRA run confirms (13.93 GiB measured). eager reproduces Table 2 unchanged.
 */
export function activationBytes(
  a: Architecture,
  s: number,
  b: number,
  c: Checkpointing,
  attention: Attention = 'sdpa',
): number {
  const sbh = s * b * a.hidden;
  const scores = attention === 'eager' ? 5 * a.heads * s * s * b : 0;
  if (c === 'full') return a.layers * 2 * sbh + (attention === 'sdpa' ? 34 * sbh : 0);
  if (c === 'selective') return a.layers * 34 * sbh;
  return a.layers * (34 * sbh + scores);
}

/** KV cache: 2 (K and V) · L · kv_heads · head_dim · tokens · batch · bytes per element. */
export function kvCacheBytes(a: Architecture, tokens: number, b: number, dtype: KvDtype): number {
  if (a.family === 'bert') return 0;
  return 2 * a.layers * a.kvHeads * a.headDim * tokens * b * KV_BYTES[dtype];
}
