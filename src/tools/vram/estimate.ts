import { assumptionsFor } from './assumptions.js';
import { type VramError, VramInputError, vramError } from './errors.js';
import { activationBytes, kvCacheBytes, optimizerBytesPerParam, weightBytes } from './formulas.js';
import { type Fit, fitsOn, matchGpus } from './gpus.js';
import { loraParams } from './params.js';
import type { Architecture } from './presets.js';
import { type ResolvedModel, resolveModel } from './resolve.js';
import type { Checkpointing, Mode, Precision, VramOptions, VramOptionsInput } from './schema.js';
import { buildTerms } from './terms.js';
import type { TermKey, VramBytes, VramSetup, VramTerm } from './types.js';
import { parseVramOptions } from './validate.js';
import { warningsFor } from './warnings.js';

export interface VramEstimate {
  model: { name: string; kind: ResolvedModel['kind']; source: string } & Architecture;
  setup: VramSetup;
  /** Ψ, the model's parameter count. */
  params: number;
  /** Parameters that get gradients: Ψ (full), the adapters (LoRA/QLoRA), 0 (inference). */
  trainableParams: number;
  /** Bytes per GPU, after ZeRO sharding (training) or tensor parallelism (inference). */
  bytes: VramBytes;
  /** bytes.total. */
  perGpuBytes: number;
  /** weights + gradients + optimizer states per GPU (what the ZeRO paper calls model states). */
  modelStatesBytes: number;
  fits: Fit[];
  /** The listed GPUs that gpu= names (empty when not given or unknown: see warnings). */
  gpu: Fit[];
  /** What to read the estimate with: seq past the trained context, batch × seq far beyond what fits, an unknown gpu=. */
  warnings: string[];
  warningsZh: string[];
  /** Training, activations over 20 % of the total: bytes per GPU checkpointing=full would save. */
  checkpointingSavesBytes?: number;
  assumptions: string[];
  assumptionsZh: string[];
  terms: VramTerm[];
}

const DEFAULT_PRECISION: Record<Mode, Precision> = {
  full: 'mixed',
  lora: 'bf16',
  qlora: 'nf4',
  inference: 'bf16',
};

type Computed = { ok: true; value: VramEstimate } | { ok: false; error: VramError };

/** Gradient checkpointing by mode: on for LoRA/QLoRA (PEFT, LLaMA-Factory), off for full (HF Trainer). */
const DEFAULT_CHECKPOINTING: Record<Mode, Checkpointing> = {
  full: 'none',
  lora: 'full',
  qlora: 'full',
  inference: 'none',
};

/** Estimate GPU memory, or say which option is wrong. Never throws for user input. */
export function safeEstimateMemory(input: unknown): Computed {
  const parsed = parseVramOptions(input);
  if (!parsed.ok) return parsed;
  const o = parsed.value;
  const resolved = resolveModel(o);
  if (!resolved.ok) return resolved;
  const m = resolved.model;
  const built = buildSetup(o, m);
  if (!built.ok) return built;
  const { setup, trainable } = built;
  const bytes = computeBytes(m, setup, trainable);
  const asked = o.gpu === undefined ? [] : matchGpus(o.gpu);
  const fits = fitsOn(bytes.total);
  const value: VramEstimate = {
    model: { name: m.name, kind: m.kind, source: m.source, ...m.arch },
    setup,
    params: m.params,
    trainableParams: trainable,
    bytes,
    perGpuBytes: bytes.total,
    modelStatesBytes: bytes.weights + bytes.gradients + bytes.optimizer,
    fits,
    gpu: fits.filter((f) => asked.some((g) => g.name === f.gpu)),
    ...warningsFor(m, setup, bytes, { asked: o.gpu, known: asked.length }),
    checkpointingSavesBytes: checkpointingSaves(m, setup, trainable, bytes),
    ...assumptionsFor(m, setup, trainable, o.checkpointing === undefined),
    terms: buildTerms(m, setup, trainable, bytes),
  };
  return { ok: true, value };
}

/** Activations over this share of the total: the reply says what checkpointing=full saves. */
const CHECKPOINTING_HINT_SHARE = 0.2;

/** Bytes per GPU that checkpointing=full would save, when activations weigh (else undefined). */
function checkpointingSaves(
  m: ResolvedModel,
  s: VramSetup,
  trainable: number,
  bytes: VramBytes,
): number | undefined {
  if (s.mode === 'inference' || s.checkpointing === 'full') return undefined;
  if (bytes.activations <= CHECKPOINTING_HINT_SHARE * bytes.total) return undefined;
  const withFull = computeBytes(m, { ...s, checkpointing: 'full' }, trainable);
  return bytes.total - withFull.total;
}

type Built = { ok: true; setup: VramSetup; trainable: number } | { ok: false; error: VramError };

/** Every default filled in, checked against the model (seq, LoRA rank and targets). */
function buildSetup(o: VramOptions, m: ResolvedModel): Built {
  const a = m.arch;
  const seq = o.seq ?? Math.min(2048, a.maxPositions ?? 2048);
  if (a.maxPositions !== undefined && seq > a.maxPositions) {
    const err = vramError(
      'seq',
      `${m.name} has learned positions up to ${a.maxPositions} tokens: an integer from 1 to ${a.maxPositions}.`,
      `${m.name} 的位置编码最长 ${a.maxPositions} 个 token:应为 1 到 ${a.maxPositions} 的整数。`,
    );
    return { ok: false, error: err };
  }
  const setup: VramSetup = {
    mode: o.mode,
    precision: o.precision ?? DEFAULT_PRECISION[o.mode],
    batch: o.batch,
    seq,
    zero: o.zero,
    gpus: o.gpus,
    attention: o.attention,
  };
  if (o.mode !== 'inference') {
    setup.optimizer = o.optimizer ?? 'adamw';
    setup.checkpointing = o.checkpointing ?? DEFAULT_CHECKPOINTING[o.mode];
  } else {
    setup.kvDtype = o.kv_dtype ?? 'fp16';
  }
  if (o.mode !== 'lora' && o.mode !== 'qlora') {
    return { ok: true, setup, trainable: o.mode === 'inference' ? 0 : m.params };
  }
  return loraSetup(o, m, setup);
}

function loraSetup(o: VramOptions, m: ResolvedModel, setup: VramSetup): Built {
  const a = m.arch;
  setup.loraRank = o.lora_rank ?? 8;
  setup.loraTargets = o.lora_targets ?? ['q_proj', 'v_proj'];
  if (setup.loraRank > a.hidden) {
    return {
      ok: false,
      error: vramError(
        'lora_rank',
        `must not exceed hidden (${a.hidden}): an integer from 1 to ${a.hidden}.`,
        `不能超过 hidden(${a.hidden}):应为 1 到 ${a.hidden} 的整数。`,
      ),
    };
  }
  const count = loraParams(a, setup.loraRank, setup.loraTargets);
  if (!count.ok) {
    return {
      ok: false,
      error: vramError(
        'lora_targets',
        `${m.name} has no ${count.missing} (a BERT block has q/k/v/o, up and down only).`,
        `${m.name} 没有 ${count.missing}(BERT 块只有 q/k/v/o、up 和 down)。`,
      ),
    };
  }
  setup.loraModules = count.modules;
  return { ok: true, setup, trainable: count.trainable };
}

function computeBytes(m: ResolvedModel, s: VramSetup, trainable: number): VramBytes {
  const a = m.arch;
  const N = s.gpus;
  const base = weightBytes(m, s.precision);
  let weights = base;
  let gradients = 0;
  let optimizer = 0;
  let activations: number;
  let logits: number;
  let kvCache = 0;
  if (s.mode === 'inference') {
    weights = base / N;
    const act16 = 2 * s.seq * s.batch * (2 * a.hidden + 2 * a.intermediate);
    activations = s.precision === 'fp32' ? 2 * act16 : act16;
    logits = 4 * s.batch * a.vocab;
    kvCache = kvCacheBytes(a, s.seq, s.batch, s.kvDtype ?? 'fp16') / Math.min(N, a.kvHeads);
  } else {
    const opt = s.optimizer ?? 'adamw';
    if (s.mode === 'full') {
      const kind = s.precision === 'fp32' ? 'fp32' : s.precision === 'mixed' ? 'mixed' : 'pure16';
      gradients = m.params * (s.precision === 'fp32' ? 4 : 2);
      optimizer = m.params * optimizerBytesPerParam(kind, opt);
    } else {
      // LoRA adapters stay fp32 (PEFT): 4 B weights + 4 B gradients + optimizer states.
      weights = base + 4 * trainable;
      gradients = 4 * trainable;
      optimizer = trainable * optimizerBytesPerParam('fp32', opt);
    }
    const shard = (stage: number) => (s.zero >= stage ? N : 1);
    weights /= shard(3);
    gradients /= shard(2);
    optimizer /= shard(1);
    const act = activationBytes(a, s.seq, s.batch, s.checkpointing ?? 'none', s.attention);
    activations = s.precision === 'fp32' ? 2 * act : act;
    logits = 4 * s.seq * s.batch * a.vocab;
  }
  const terms = { weights, gradients, optimizer, activations, logits, kvCache };
  const rounded = Object.fromEntries(
    Object.entries(terms).map(([k, v]) => [k, Math.round(v)]),
  ) as Record<TermKey, number>;
  const total = Object.values(rounded).reduce((sum, v) => sum + v, 0);
  return { ...rounded, total };
}

/** Estimate GPU memory for a training or inference setup (throws `VramInputError` on bad input). */
export function estimateMemory(options: VramOptionsInput): VramEstimate {
  const r = safeEstimateMemory(options);
  if (!r.ok) throw new VramInputError(r.error);
  return r.value;
}
