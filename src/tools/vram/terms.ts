import { KV_BYTES } from './formulas.js';
import type { ResolvedModel } from './resolve.js';
import type { Optimizer, Precision } from './schema.js';
import type { VramBytes, VramSetup, VramTerm } from './types.js';
import { formatBoth, formatInt } from './units.js';

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

export function buildTerms(
  m: ResolvedModel,
  s: VramSetup,
  trainable: number,
  bytes: VramBytes,
): VramTerm[] {
  const a = m.arch;
  const P = formatInt(m.params);
  const T = formatInt(trainable);
  const N = s.gpus;
  const training = s.mode !== 'inference';
  const sharded = (stage: number) => training && s.zero >= stage && N > 1;
  const split = (f: string, v: string, on: boolean) =>
    on ? { f: `(${f}) / N`, v: `(${v}) / ${N}` } : { f, v };
  const eq = (v: string, b: number) =>
    b === 0 && v.startsWith('0') ? v : `${v} = ${formatBoth(b)}`;

  // weights
  const bits = BITS[s.precision];
  const wb = s.precision === 'fp32' ? 4 : 2;
  let w = bits
    ? {
        f: `${bits} B × Ψ_linear + 2 B × (Ψ − Ψ_linear)`,
        v: `${bits} × ${formatInt(m.linearParams)} + 2 × ${formatInt(m.params - m.linearParams)}`,
      }
    : { f: `${wb} B × Ψ`, v: `${wb} × ${P}` };
  if (s.mode === 'lora' || s.mode === 'qlora')
    w = { f: `${w.f} + 4 B × T`, v: `${w.v} + 4 × ${T}` };
  w = split(w.f, w.v, sharded(3) || (!training && N > 1));
  const wSource =
    s.precision === 'nf4'
      ? SRC.qlora
      : bits
        ? SRC.quant
        : s.mode === 'full'
          ? SRC.zero
          : training
            ? SRC.lora
            : SRC.tm101;
  const stateSource = s.mode === 'full' ? SRC.zero : training ? SRC.lora : '—';

  // gradients and optimizer states
  let g = { f: '0', v: '0 (no backward pass)' };
  let o = { f: '0', v: '0 (no optimizer)' };
  const opt = s.optimizer ?? 'adamw';
  if (s.mode === 'full') {
    const gb = s.precision === 'fp32' ? 4 : 2;
    const kind = s.precision === 'fp32' ? 'fp32' : s.precision === 'mixed' ? 'mixed' : 'pure16';
    g = split(`${gb} B × Ψ`, `${gb} × ${P}`, sharded(2));
    const k = kText(kind, opt);
    o = split(`K × Ψ, K = ${k}`, `${k.split(' ')[0]} × ${P}`, sharded(1));
  } else if (training) {
    g = split('4 B × T (fp32 adapter gradients)', `4 × ${T}`, sharded(2));
    const k = kText('fp32', opt);
    o = split(`K × T, K = ${k}`, `${k.split(' ')[0]} × ${T}`, sharded(1));
  }

  // activations, logits, KV cache
  const { layers: L, hidden: h, heads, vocab: V } = a;
  const sb = `${s.seq} × ${s.batch}`;
  const x2 = s.precision === 'fp32' ? ' × 2 (fp32)' : '';
  let act: { f: string; v: string; src: string };
  if (!training) {
    act = {
      f: `2 B × s·b·(2h + 2I)${x2}`,
      v: `2 × ${sb} × (2×${h} + 2×${a.intermediate})${x2}`,
      src: SRC.heuristic,
    };
  } else if (s.checkpointing === 'full') {
    act = { f: `L × 2·s·b·h${x2}`, v: `${L} × 2 × ${sb} × ${h}${x2}`, src: SRC.korthikanti };
  } else if (s.checkpointing === 'selective') {
    act = { f: `L × 34·s·b·h${x2}`, v: `${L} × 34 × ${sb} × ${h}${x2}`, src: SRC.korthikanti };
  } else {
    act = {
      f: `L × s·b·h·(34 + 5·a·s/h)${x2}`,
      v: `${L} × ${sb} × ${h} × (34 + 5×${heads}×${s.seq}/${h})${x2}`,
      src: SRC.korthikanti,
    };
  }
  const logits = training
    ? { f: '4 B × s·b·V (fp32 logits)', v: `4 × ${sb} × ${V}` }
    : { f: '4 B × b·V (last position only)', v: `4 × ${s.batch} × ${V}` };
  let kv = { f: '0', v: '0 (no KV cache in training: use_cache=False)' };
  if (!training && a.family === 'bert') kv = { f: '0', v: '0 (encoder: no KV cache)' };
  else if (!training) {
    const e = KV_BYTES[s.kvDtype ?? 'fp16'];
    kv = {
      f: '2 · L · kv_heads · head_dim · s · b · bytes',
      v: `2 × ${L} × ${a.kvHeads} × ${a.headDim} × ${sb} × ${e}`,
    };
    const tp = Math.min(N, a.kvHeads);
    if (tp > 1) kv = { f: `(${kv.f}) / min(N, kv_heads)`, v: `(${kv.v}) / ${tp}` };
  }

  return [
    { key: 'weights', formula: w.f, filled: eq(w.v, bytes.weights), source: wSource },
    {
      key: 'gradients',
      formula: g.f,
      filled: eq(g.v, bytes.gradients),
      source: stateSource,
    },
    {
      key: 'optimizer',
      formula: o.f,
      filled: eq(o.v, bytes.optimizer),
      source: s.mode === 'full' ? `${SRC.zero}; ${SRC.tm101}` : stateSource,
    },
    { key: 'activations', formula: act.f, filled: eq(act.v, bytes.activations), source: act.src },
    {
      key: 'logits',
      formula: logits.f,
      filled: eq(logits.v, bytes.logits),
      source: SRC.korthikanti,
    },
    {
      key: 'kvCache',
      formula: kv.f,
      filled: eq(kv.v, bytes.kvCache),
      source: training ? '—' : SRC.kv,
    },
  ];
}
