import { KV_BYTES } from './formulas.js';
import type { ResolvedModel } from './resolve.js';
import type { Optimizer, Precision } from './schema.js';
import type { TermKey, VramBytes, VramSetup, VramTerm } from './types.js';
import { formatBoth, formatInt } from './units.js';

/** The terms of an estimate in the order they are shown. */
export const TERMS: readonly TermKey[] = [
  'weights',
  'gradients',
  'optimizer',
  'activations',
  'logits',
  'kvCache',
];

/** Each term's name in both languages (the /vram reply and generated quiz questions). */
export const TERM_LABEL: Record<TermKey | 'total', { en: string; zh: string }> = {
  weights: { en: 'weights', zh: '权重' },
  gradients: { en: 'gradients', zh: '梯度' },
  optimizer: { en: 'optimizer states', zh: '优化器状态' },
  activations: { en: 'activations', zh: '激活' },
  logits: { en: 'logits', zh: 'logits' },
  kvCache: { en: 'KV cache', zh: 'KV cache' },
  total: { en: 'total per GPU', zh: '每卡合计' },
};

/** Per-term formulas with the numbers filled in and their sources (shown by explain=true). */

const SRC = {
  zero: 'ZeRO, Rajbhandari et al. 2020 (arXiv 1910.02054) §3',
  tm101: 'EleutherAI Transformer Math 101 (Anthony, Biderman, Schoelkopf 2023)',
  korthikanti: 'Korthikanti et al. 2022 (arXiv 2205.05198) §4, Table 2',
  qlora: 'QLoRA, Dettmers et al. 2023 (arXiv 2305.14314) §3: NF4 + double quantization',
  quant: 'LLM.int8 / 4-bit loaders: Linear weights quantized, embeddings, head and norms 16-bit',
  lora: 'LoRA (Hu et al. 2021, arXiv 2106.09685); PEFT keeps adapters in fp32',
  kv: 'kipply, Transformer Inference Arithmetic (cited by Transformer Math 101)',
  heuristic: 'heuristic: one layer’s forward working set (residual, hidden, two MLP intermediates)',
};

const BITS: Partial<Record<Precision, string>> = { int8: '8/8', int4: '4/8', nf4: '4.127/8' };

/** K, the optimizer bytes per trained parameter, and what it is made of. */
function kText(kind: 'fp32' | 'mixed' | 'pure16', opt: Optimizer): string {
  const table = {
    fp32: {
      adamw: '8 (m 4 + v 4)',
      'adamw-8bit': '2 (m 1 + v 1)',
      'sgd-momentum': '4 (momentum 4)',
      sgd: '0',
    },
    mixed: {
      adamw: '12 (fp32 master 4 + m 4 + v 4)',
      'adamw-8bit': '6 (fp32 master 4 + m 1 + v 1)',
      'sgd-momentum': '8 (fp32 master 4 + momentum 4)',
      sgd: '4 (fp32 master 4)',
    },
    pure16: {
      adamw: '4 (bf16 m 2 + v 2)',
      'adamw-8bit': '2 (m 1 + v 1)',
      'sgd-momentum': '2 (bf16 momentum)',
      sgd: '0',
    },
  } as const;
  return table[kind][opt];
}

type Formula = { f: string; v: string };

/** Shared by the term builders: the estimate's setup, its numbers, and the ZeRO split. */
interface Ctx {
  m: ResolvedModel;
  s: VramSetup;
  P: string;
  T: string;
  training: boolean;
  /** Divide by N when ZeRO stage `stage` shards this term over more than one GPU. */
  sharded(stage: number): boolean;
  split(f: string, v: string, on: boolean): Formula;
}

export function buildTerms(
  m: ResolvedModel,
  s: VramSetup,
  trainable: number,
  bytes: VramBytes,
): VramTerm[] {
  const N = s.gpus;
  const training = s.mode !== 'inference';
  const c: Ctx = {
    m,
    s,
    P: formatInt(m.params),
    T: formatInt(trainable),
    training,
    sharded: (stage) => training && s.zero >= stage && N > 1,
    split: (f, v, on) => (on ? { f: `(${f}) / N`, v: `(${v}) / ${N}` } : { f, v }),
  };
  const eq = (v: string, b: number) =>
    b === 0 && v.startsWith('0') ? v : `${v} = ${formatBoth(b)}`;
  const w = weightsTerm(c);
  const { g, o } = stateTerms(c);
  const act = activationTerm(c);
  const { logits, kv } = tokenTerms(c);
  const stateSource = s.mode === 'full' ? SRC.zero : training ? SRC.lora : '—';
  const term = (key: TermKey, x: Formula, source: string): VramTerm => ({
    key,
    formula: x.f,
    filled: eq(x.v, bytes[key]),
    source,
  });
  return [
    term('weights', w, weightsSource(s, training)),
    term('gradients', g, stateSource),
    term('optimizer', o, s.mode === 'full' ? `${SRC.zero}; ${SRC.tm101}` : stateSource),
    term('activations', act, act.src),
    term('logits', logits, SRC.korthikanti),
    term('kvCache', kv, training ? '—' : SRC.kv),
  ];
}

function weightsTerm(c: Ctx): Formula {
  const { m, s } = c;
  const bits = BITS[s.precision];
  const wb = s.precision === 'fp32' ? 4 : 2;
  let w = bits
    ? {
        f: `${bits} B × Ψ_linear + 2 B × (Ψ − Ψ_linear)`,
        v: `${bits} × ${formatInt(m.linearParams)} + 2 × ${formatInt(m.params - m.linearParams)}`,
      }
    : { f: `${wb} B × Ψ`, v: `${wb} × ${c.P}` };
  if (s.mode === 'lora' || s.mode === 'qlora')
    w = { f: `${w.f} + 4 B × T`, v: `${w.v} + 4 × ${c.T}` };
  return c.split(w.f, w.v, c.sharded(3) || (!c.training && s.gpus > 1));
}

function weightsSource(s: VramSetup, training: boolean): string {
  if (s.precision === 'nf4') return SRC.qlora;
  if (BITS[s.precision]) return SRC.quant;
  if (s.mode === 'full') return SRC.zero;
  return training ? SRC.lora : SRC.tm101;
}

/** Gradients and optimizer states. */
function stateTerms(c: Ctx): { g: Formula; o: Formula } {
  const { s, P, T } = c;
  const opt = s.optimizer ?? 'adamw';
  if (s.mode === 'full') {
    const gb = s.precision === 'fp32' ? 4 : 2;
    const kind = s.precision === 'fp32' ? 'fp32' : s.precision === 'mixed' ? 'mixed' : 'pure16';
    const k = kText(kind, opt);
    return {
      g: c.split(`${gb} B × Ψ`, `${gb} × ${P}`, c.sharded(2)),
      o: c.split(`K × Ψ, K = ${k}`, `${k.split(' ')[0]} × ${P}`, c.sharded(1)),
    };
  }
  if (c.training) {
    const k = kText('fp32', opt);
    return {
      g: c.split('4 B × T (fp32 adapter gradients)', `4 × ${T}`, c.sharded(2)),
      o: c.split(`K × T, K = ${k}`, `${k.split(' ')[0]} × ${T}`, c.sharded(1)),
    };
  }
  return { g: { f: '0', v: '0 (no backward pass)' }, o: { f: '0', v: '0 (no optimizer)' } };
}

/** Activations: Korthikanti et al. by checkpointing and attention kernel (see activationBytes). */
function activationTerm(c: Ctx): Formula & { src: string } {
  const { s } = c;
  const a = c.m.arch;
  const { layers: L, hidden: h, heads } = a;
  const sb = `${s.seq} × ${s.batch}`;
  const x2 = s.precision === 'fp32' ? ' × 2 (fp32)' : '';
  if (!c.training) {
    return {
      f: `2 B × s·b·(2h + 2I)${x2}`,
      v: `2 × ${sb} × (2×${h} + 2×${a.intermediate})${x2}`,
      src: SRC.heuristic,
    };
  }
  const src = SRC.korthikanti;
  if (s.checkpointing === 'full' && s.attention === 'sdpa') {
    return {
      f: `(L × 2·s·b·h + 34·s·b·h)${x2} (layer inputs + one layer rebuilt in backward)`,
      v: `(${L} × 2 × ${sb} × ${h} + 34 × ${sb} × ${h})${x2}`,
      src,
    };
  }
  if (s.checkpointing === 'full')
    return { f: `L × 2·s·b·h${x2}`, v: `${L} × 2 × ${sb} × ${h}${x2}`, src };
  if (s.checkpointing === 'selective' || s.attention === 'sdpa') {
    const why = s.attention === 'sdpa' ? ' (sdpa: no s² scores)' : '';
    return { f: `L × 34·s·b·h${x2}${why}`, v: `${L} × 34 × ${sb} × ${h}${x2}`, src };
  }
  return {
    f: `L × s·b·h·(34 + 5·a·s/h)${x2}`,
    v: `${L} × ${sb} × ${h} × (34 + 5×${heads}×${s.seq}/${h})${x2}`,
    src,
  };
}

/** Logits and the KV cache. */
function tokenTerms(c: Ctx): { logits: Formula; kv: Formula } {
  const { s } = c;
  const a = c.m.arch;
  const sb = `${s.seq} × ${s.batch}`;
  const logits = c.training
    ? { f: '4 B × s·b·V (fp32 logits)', v: `4 × ${sb} × ${a.vocab}` }
    : { f: '4 B × b·V (last position only)', v: `4 × ${s.batch} × ${a.vocab}` };
  if (c.training)
    return { logits, kv: { f: '0', v: '0 (no KV cache in training: use_cache=False)' } };
  if (a.family === 'bert') return { logits, kv: { f: '0', v: '0 (encoder: no KV cache)' } };
  const e = KV_BYTES[s.kvDtype ?? 'fp16'];
  const kv = {
    f: '2 · L · kv_heads · head_dim · s · b · bytes',
    v: `2 × ${a.layers} × ${a.kvHeads} × ${a.headDim} × ${sb} × ${e}`,
  };
  const tp = Math.min(s.gpus, a.kvHeads);
  if (tp > 1) return { logits, kv: { f: `(${kv.f}) / min(N, kv_heads)`, v: `(${kv.v}) / ${tp}` } };
  return { logits, kv };
}
