import type { Architecture } from './presets.js';
import type { LoraTarget } from './schema.js';

/**
 * Parameter counts from an architecture (vram-notes F8), exact for the presets:
 * decoder layer = h·a·d + 2·h·kv·d + a·d·h (+ a·d + 2·kv·d bias) + 3·h·I + 2h (RMSNorms);
 * model = L·layer + V·h·(tied ? 1 : 2) + h (final norm). ChatGLM's fused qkv and h→2I MLP give
 * the same sums. BERT: embeddings V·h + 512·h + 2·h + LN, layers with biases, pooler h² + h.
 */

const qDim = (a: Architecture) => a.heads * a.headDim;
const kvDim = (a: Architecture) => a.kvHeads * a.headDim;

/** Weights of the Linear layers inside the blocks (what NF4/int8 quantize). */
export function linearParams(a: Architecture): number {
  const h = a.hidden;
  if (a.family === 'bert') return a.layers * (4 * h * h + 2 * h * a.intermediate) + h * h;
  const attn = h * qDim(a) + 2 * h * kvDim(a) + qDim(a) * h;
  return a.layers * (attn + 3 * h * a.intermediate);
}

export function countParams(a: Architecture): number {
  const { hidden: h, intermediate: I, vocab: V, layers: L } = a;
  if (a.family === 'bert') {
    const embeddings = V * h + (a.maxPositions ?? 512) * h + 2 * h + 2 * h;
    const layer = 4 * (h * h + h) + 2 * h + (h * I + I) + (I * h + h) + 2 * h;
    return embeddings + L * layer + h * h + h;
  }
  const bias = a.qkvBias ? qDim(a) + 2 * kvDim(a) : 0;
  const perLayer = h * qDim(a) + 2 * h * kvDim(a) + qDim(a) * h + bias + 3 * h * I + 2 * h;
  return L * perLayer + V * h * (a.tied ? 1 : 2) + h;
}

interface LoraModule {
  name: string;
  in: number;
  out: number;
}

/** The module a canonical target names in each family (ChatGLM fuses q/k/v and gate/up). */
function loraModule(a: Architecture, t: LoraTarget): LoraModule | undefined {
  const h = a.hidden;
  const I = a.intermediate;
  if (a.family === 'glm') {
    const qkv = { name: 'query_key_value', in: h, out: qDim(a) + 2 * kvDim(a) };
    const map: Record<LoraTarget, LoraModule> = {
      q_proj: qkv,
      k_proj: qkv,
      v_proj: qkv,
      o_proj: { name: 'dense', in: qDim(a), out: h },
      gate_proj: { name: 'dense_h_to_4h', in: h, out: 2 * I },
      up_proj: { name: 'dense_h_to_4h', in: h, out: 2 * I },
      down_proj: { name: 'dense_4h_to_h', in: I, out: h },
    };
    return map[t];
  }
  if (a.family === 'bert') {
    const map: Partial<Record<LoraTarget, LoraModule>> = {
      q_proj: { name: 'query', in: h, out: h },
      k_proj: { name: 'key', in: h, out: h },
      v_proj: { name: 'value', in: h, out: h },
      o_proj: { name: 'attention.output.dense', in: h, out: h },
      up_proj: { name: 'intermediate.dense', in: h, out: I },
      down_proj: { name: 'output.dense', in: I, out: h },
    };
    return map[t];
  }
  const map: Record<LoraTarget, LoraModule> = {
    q_proj: { name: 'q_proj', in: h, out: qDim(a) },
    k_proj: { name: 'k_proj', in: h, out: kvDim(a) },
    v_proj: { name: 'v_proj', in: h, out: kvDim(a) },
    o_proj: { name: 'o_proj', in: qDim(a), out: h },
    gate_proj: { name: 'gate_proj', in: h, out: I },
    up_proj: { name: 'up_proj', in: h, out: I },
    down_proj: { name: 'down_proj', in: I, out: h },
  };
  return map[t];
}

export type LoraCount =
  | { ok: true; trainable: number; modules: string[]; perLayer: string }
  | { ok: false; missing: LoraTarget };

/** Trainable LoRA parameters: Σ over targeted Linear(in→out) of r·(in + out), per layer × L. */
export function loraParams(
  a: Architecture,
  rank: number,
  targets: readonly LoraTarget[],
): LoraCount {
  const modules = new Map<string, LoraModule>();
  for (const t of targets) {
    const m = loraModule(a, t);
    if (!m) return { ok: false, missing: t };
    modules.set(m.name, m);
  }
  const list = [...modules.values()];
  const perLayer = list.reduce((sum, m) => sum + rank * (m.in + m.out), 0);
  const terms = list.map((m) => `${rank}·(${m.in}+${m.out})`).join(' + ');
  return {
    ok: true,
    trainable: a.layers * perLayer,
    modules: list.map((m) => m.name),
    perLayer: terms,
  };
}

/** Llama's MLP width rule for a hidden size: 256·⌈int(8h/3)/256⌉ (Meta's model args). */
export function llamaIntermediate(hidden: number): number {
  return 256 * Math.ceil(Math.floor((8 * hidden) / 3) / 256);
}

/**
 * An approximate Llama-like shape for a raw size Ψ: head width 128, h/L ≈ 128, vocab 32000,
 * full multi-head attention; h is the multiple of 128 whose 12h³/128 + 2Vh is nearest Ψ.
 */
export function approximateArchitecture(params: number): Architecture {
  const vocab = 32000;
  const size = (h: number) => (12 * h ** 3) / 128 + 2 * vocab * h;
  let hidden = 128;
  while (
    hidden < 65_536 &&
    Math.abs(size(hidden + 128) - params) < Math.abs(size(hidden) - params)
  ) {
    hidden += 128;
  }
  const intermediate = llamaIntermediate(hidden);
  const perLayer = 4 * hidden * hidden + 3 * hidden * intermediate + 2 * hidden;
  const layers = Math.max(1, Math.round((params - 2 * vocab * hidden - hidden) / perLayer));
  const heads = hidden / 128;
  return {
    family: 'decoder',
    layers,
    hidden,
    heads,
    kvHeads: heads,
    headDim: 128,
    intermediate,
    vocab,
    tied: false,
    qkvBias: false,
  };
}

/** `7b`, `6.7e9`, `350m`, `1.1B`, `125M`, `7000000000` → a parameter count; else undefined. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmbt])?$/i.exec(text.trim().replace(/[_,]/g, ''));
  if (!m?.[1]) return undefined;
  const unit: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 };
  const value = Number(m[1]) * (m[2] ? (unit[m[2].toLowerCase()] ?? 1) : 1);
  return Number.isFinite(value) ? Math.round(value) : undefined;
}
