import { quoteValue } from '../shared/quote.js';
import { type VramError, vramError } from './errors.js';
import {
  approximateArchitecture,
  countParams,
  linearParams,
  llamaIntermediate,
  parseSize,
} from './params.js';
import { type Architecture, findPreset, PRESET_NAMES, PRESETS, type Preset } from './presets.js';
import type { VramOptions } from './schema.js';

/** The model an estimate is about: its shape, Ψ, and where both came from. */
export interface ResolvedModel {
  name: string;
  kind: 'preset' | 'size' | 'architecture';
  arch: Architecture;
  /** Ψ: exact for presets and architectures, the given number for a raw size. */
  params: number;
  /** Weights of the Linear layers in the blocks (quantized by int8/int4/nf4). */
  linearParams: number;
  /** Architecture options that changed a preset or the approximate shape. */
  overridden: string[];
  source: string;
  /** A preset's trained context length (warned about when seq is longer). */
  context?: number;
  /** A raw size: the preset whose shape it borrows (undefined: the generic Llama-like shape). */
  shapeOf?: string;
}

/** A raw size borrows a preset's shape when it is within this factor of the preset's Ψ. */
const SHAPE_FACTOR = 1.25;

/**
 * The preset nearest a raw size (by Ψ ratio), for its real shape (GQA, vocab, FFN width), or
 * undefined when no decoder preset is within 25 % of it (then the generic shape is used).
 */
export function presetShapeFor(size: number): Preset | undefined {
  let best: Preset | undefined;
  let bestDistance = Math.log(SHAPE_FACTOR);
  for (const p of PRESETS) {
    if (p.arch.family === 'bert') continue;
    const distance = Math.abs(Math.log(size / countParams(p.arch)));
    if (distance <= bestDistance) {
      if (distance === bestDistance && best) continue;
      best = p;
      bestDistance = distance;
    }
  }
  return best;
}

const MIN_SIZE = 1e6;
const MAX_SIZE = 1e13;
const ARCH_KEYS = [
  'layers',
  'hidden',
  'heads',
  'kv_heads',
  'intermediate',
  'vocab',
  'tied',
  'qkv_bias',
] as const;

export function unknownModel(model: string): VramError {
  const list = PRESET_NAMES.join(', ');
  return vramError(
    'model',
    `unknown preset ${quoteValue(model)}. Presets: ${list}. Or give a size (model=7b, 6.7e9, 350m), or an architecture: layers=32 hidden=4096 heads=32 kv_heads=8 intermediate=14336 vocab=128256 tied=false qkv_bias=false.`,
    `未知的预设 ${quoteValue(model, 'zh')}。可用预设:${list}。也可以给出参数规模(model=7b、6.7e9、350m),或给出结构:layers=32 hidden=4096 heads=32 kv_heads=8 intermediate=14336 vocab=128256 tied=false qkv_bias=false。`,
  );
}

function defaultHeads(hidden: number): number {
  if (hidden >= 128 && hidden % 128 === 0) return hidden / 128;
  if (hidden >= 64 && hidden % 64 === 0) return hidden / 64;
  return 1;
}

type Base = {
  kind: ResolvedModel['kind'];
  name: string;
  arch: Architecture;
  size?: number;
  source: string;
  context?: number;
  shapeOf?: string;
};

function baseModel(o: VramOptions): { ok: true; base: Base } | { ok: false; error: VramError } {
  if (o.model !== undefined) {
    const preset = findPreset(o.model);
    if (preset) {
      return {
        ok: true,
        base: {
          kind: 'preset',
          name: preset.name,
          arch: preset.arch,
          source: preset.source,
          context: preset.context,
        },
      };
    }
    const size = parseSize(o.model);
    if (size === undefined) return { ok: false, error: unknownModel(o.model) };
    if (size < MIN_SIZE || size > MAX_SIZE) {
      return {
        ok: false,
        error: vramError(
          'model',
          `a raw size must be from 1m (1e6) to 10t (1e13) parameters; got ${o.model}. Write 7b, not 7.`,
          `参数规模须在 1m(1e6)到 10t(1e13)之间,收到 ${o.model}。请写 7b 而不是 7。`,
        ),
      };
    }
    const shape = presetShapeFor(size);
    const arch = shape?.arch ?? approximateArchitecture(size);
    const source = shape ? `raw size; shape of ${shape.name} (${shape.source})` : 'raw size';
    return {
      ok: true,
      base: { kind: 'size', name: o.model, arch, size, source, shapeOf: shape?.name },
    };
  }
  const missing = o.layers === undefined ? 'layers' : o.hidden === undefined ? 'hidden' : undefined;
  if (missing || o.layers === undefined || o.hidden === undefined) {
    const anyArch = ARCH_KEYS.some((k) => o[k] !== undefined);
    return {
      ok: false,
      error: vramError(
        anyArch ? (missing ?? 'layers') : 'model',
        `give model=<preset or size> (${PRESET_NAMES.join(', ')}; or 7b, 350m), or an architecture with at least layers= and hidden=.`,
        `请给出 model=<预设或规模>(${PRESET_NAMES.join(', ')};或 7b、350m),或至少给出结构参数 layers= 与 hidden=。`,
      ),
    };
  }
  const heads = defaultHeads(o.hidden);
  const arch: Architecture = {
    family: 'decoder',
    layers: o.layers,
    hidden: o.hidden,
    heads,
    kvHeads: heads,
    headDim: o.hidden / heads,
    intermediate: llamaIntermediate(o.hidden),
    vocab: 32000,
    tied: false,
    qkvBias: false,
  };
  return { ok: true, base: { kind: 'architecture', name: 'custom', arch, source: 'architecture' } };
}

export function resolveModel(
  o: VramOptions,
): { ok: true; model: ResolvedModel } | { ok: false; error: VramError } {
  const b = baseModel(o);
  if (!b.ok) return b;
  const { base } = b;
  const preset = base.kind === 'preset' || base.shapeOf !== undefined;
  const hidden = o.hidden ?? base.arch.hidden;
  const heads =
    o.heads ?? (preset || o.hidden === undefined ? base.arch.heads : defaultHeads(hidden));
  if (hidden % heads !== 0) {
    return {
      ok: false,
      error: vramError(
        'heads',
        `hidden (${hidden}) must be divisible by heads (${heads}).`,
        `hidden(${hidden})必须能被 heads(${heads})整除。`,
      ),
    };
  }
  const kvHeads = o.kv_heads ?? (preset && o.heads === undefined ? base.arch.kvHeads : heads);
  if (heads % kvHeads !== 0) {
    return {
      ok: false,
      error: vramError(
        'kv_heads',
        `must divide heads (${heads}): an integer from 1 to ${heads} that divides it.`,
        `必须整除 heads(${heads}):1 到 ${heads} 之间能整除它的整数。`,
      ),
    };
  }
  const intermediate =
    o.intermediate ??
    (preset || o.hidden === undefined ? base.arch.intermediate : llamaIntermediate(hidden));
  const arch: Architecture = {
    ...base.arch,
    layers: o.layers ?? base.arch.layers,
    hidden,
    heads,
    kvHeads,
    headDim: hidden / heads,
    intermediate,
    vocab: o.vocab ?? base.arch.vocab,
    tied: o.tied ?? base.arch.tied,
    qkvBias: o.qkv_bias ?? base.arch.qkvBias,
  };
  const overridden =
    base.kind === 'architecture' ? [] : ARCH_KEYS.filter((k) => o[k] !== undefined);
  const exact = countParams(arch);
  const linear = linearParams(arch);
  const params = base.size ?? exact;
  const linearShare = base.size === undefined ? linear : Math.round((params * linear) / exact);
  return {
    ok: true,
    model: {
      name: base.name,
      kind: base.kind,
      arch,
      params,
      linearParams: linearShare,
      overridden,
      source: base.source,
      context: base.context,
      shapeOf: base.shapeOf,
    },
  };
}
