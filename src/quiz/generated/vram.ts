/**
 * /vram calculation questions (topic 5): every answer is computed by the GPU-memory
 * calculator itself (`safeEstimateMemory`, what `/vram` runs), and the reveal shows the
 * calculator's own terms. Distractors come from classic mistakes, several of them computed by
 * the same calculator with the mistaken setup (ZeRO-1 instead of ZeRO-3, for example).
 */
import { WEIGHT_BYTES } from '../../tools/vram/formulas.js';
import {
  CUDA_CONTEXT_BYTES,
  GPUS,
  linearParams,
  PRESETS,
  type Precision,
  safeEstimateMemory,
  TERM_LABEL,
  TERMS,
  toGiB,
  type VramEstimate,
} from '../../tools/vram/index.js';
import type { QuestionGenerator } from '../bank.js';
import {
  type Bilingual,
  choiceQuestion,
  gbText,
  int,
  type Mistake,
  pick,
  trueFalseQuestion,
} from './common.js';

type Args = Record<string, string | number>;

const MODELS = PRESETS.map((p) => p.name);
const DECODERS = PRESETS.filter((p) => p.arch.family !== 'bert').map((p) => p.name);

/** The /vram command line for `args` (the model first, as people type it). */
export function vramLine(args: Args): string {
  const { model, ...rest } = args;
  const options = Object.entries(rest).map(([k, v]) => `${k}=${v}`);
  return ['/vram', String(model), ...options].join(' ');
}

function estimate(args: Args): VramEstimate | undefined {
  const r = safeEstimateMemory(args);
  return r.ok ? r.value : undefined;
}

/** Split `a.b.c` params into exactly `n` parts, or undefined. */
function parts(params: string, n: number): string[] | undefined {
  const p = params.split('.');
  return p.length === n && p.every((x) => x !== '') ? p : undefined;
}

function isModel(name: string | undefined, list: readonly string[]): name is string {
  return name !== undefined && list.includes(name);
}

/** The calculator's terms with a value, one line each: `weights: 2 × 6,738,415,616 = …`. */
function termLines(e: VramEstimate, keys: readonly string[], lang: 'en' | 'zh'): string[] {
  return e.terms
    .filter((t) => keys.includes(t.key))
    .map((t) => `${TERM_LABEL[t.key][lang]}: ${t.filled}`);
}

function checkLine(line: string, path: string): Bilingual {
  return {
    en: `Check it: ${line} (--json: ${path})`,
    zh: `自己验证:${line}(--json 输出中的 ${path})`,
  };
}

function modelText(e: VramEstimate): string {
  return `${e.model.name} (Ψ = ${int(e.params)})`;
}

// ——— weights at a precision ———

const WEIGHT_PRECISIONS: readonly Precision[] = ['fp32', 'bf16', 'int8', 'int4', 'nf4'];
const QUANTIZED = new Set<Precision>(['int8', 'int4', 'nf4']);

function weightMistakes(e: VramEstimate, p: Precision): Mistake[] {
  const P = e.params;
  const bytes = WEIGHT_BYTES[p];
  const out: Mistake[] = [
    {
      value: P * bytes * 8,
      why: { en: 'reading the bits per value as bytes', zh: '把每个值的位数当成了字节数' },
    },
  ];
  if (QUANTIZED.has(p)) {
    out.push({
      value: P * bytes,
      why: {
        en: 'quantizing the embeddings, output head and norms too (they stay 16-bit)',
        zh: '把嵌入层、输出头和归一化层也算成量化的(它们仍是 16 位)',
      },
    });
  }
  if (p !== 'fp32') {
    out.push({
      value: P * 4,
      why: { en: 'assuming fp32, 4 bytes per parameter', zh: '按 fp32 每参数 4 字节计算' },
    });
  }
  out.push({
    value: e.bytes.weights * (2 ** 30 / 1e9),
    why: { en: 'reading GiB (2³⁰ bytes) as GB (10⁹)', zh: '把 GiB(2³⁰ 字节)当成了 GB(10⁹)' },
  });
  if (p !== 'bf16') {
    out.push({
      value: P * 2,
      why: { en: 'assuming 16-bit weights whatever the precision', zh: '不管精度都按 16 位计算' },
    });
  }
  return out;
}

export const vramWeights: QuestionGenerator = {
  name: 'vram-weights',
  topic: 5,
  section: 't5.dtype',
  difficulty: 1,
  draw: (random) => `${pick(random, MODELS)}.${pick(random, WEIGHT_PRECISIONS)}`,
  build(params) {
    const [model, precision] = parts(params, 2) ?? [];
    const p = WEIGHT_PRECISIONS.find((x) => x === precision);
    if (!isModel(model, MODELS) || !p) return undefined;
    const args = { model, mode: 'inference', precision: p };
    const e = estimate(args);
    if (!e) return undefined;
    const quantNote: Bilingual = QUANTIZED.has(p)
      ? {
          en: ` ${p} quantizes the Linear layers of the blocks (Ψ_linear = ${int(linearParams(e.model))}); embeddings, head and norms stay 16-bit.`,
          zh: ` ${p} 只量化各层的线性层(Ψ_linear = ${int(linearParams(e.model))});嵌入层、输出头和归一化层仍是 16 位。`,
        }
      : { en: '', zh: '' };
    return choiceQuestion({
      generator: this,
      params,
      value: e.bytes.weights,
      format: gbText,
      question: {
        en: `Serving ${modelText(e)} in ${p} on one GPU: how much memory do the weights alone take?${quantNote.en}`,
        zh: `在一张卡上以 ${p} 部署 ${modelText(e)}:仅权重占多少显存?${quantNote.zh}`,
      },
      working: {
        en: termLines(e, ['weights'], 'en').concat(checkLine(vramLine(args), 'bytes.weights').en),
        zh: termLines(e, ['weights'], 'zh').concat(checkLine(vramLine(args), 'bytes.weights').zh),
      },
      mistakes: weightMistakes(e, p),
      info: { command: vramLine(args), jsonPath: 'bytes.weights' },
    });
  },
};

// ——— model states of full fine-tuning, on one GPU and with ZeRO-3 ———

const STATE_KEYS = ['weights', 'gradients', 'optimizer'];
const FULL = { mode: 'full', precision: 'mixed', optimizer: 'adamw' } as const;

function statesWorking(e: VramEstimate, args: Args): Record<'en' | 'zh', string[]> {
  const line = vramLine(args);
  const total = gbText(e.modelStatesBytes);
  return {
    en: [
      ...termLines(e, STATE_KEYS, 'en'),
      `model states = ${total} per GPU`,
      checkLine(line, 'modelStatesBytes').en,
    ],
    zh: [
      ...termLines(e, STATE_KEYS, 'zh'),
      `模型状态合计每卡 ${total}`,
      checkLine(line, 'modelStatesBytes').zh,
    ],
  };
}

function statesMistakes(e: VramEstimate): Mistake[] {
  const P = e.params;
  return [
    {
      value: 4 * P,
      why: {
        en: 'forgetting the optimizer states (weights + gradients only)',
        zh: '忘了优化器状态(只算了权重和梯度)',
      },
    },
    {
      value: 20 * P,
      why: {
        en: 'counting the fp32 weights twice (as weights and again as the master copy)',
        zh: '把 fp32 权重算了两遍(当权重一次、当主副本又一次)',
      },
    },
    {
      value: 12 * P,
      why: {
        en: 'forgetting the fp32 master copy (Adam moments only)',
        zh: '忘了 fp32 主权重副本(只算了 Adam 的两个动量)',
      },
    },
    { value: 2 * P, why: { en: 'counting the weights alone', zh: '只算了权重' } },
  ];
}

export const vramStates: QuestionGenerator = {
  name: 'vram-states',
  topic: 5,
  section: 't5.optimizer',
  difficulty: 2,
  draw: (random) => pick(random, MODELS),
  build(params) {
    const [model] = parts(params, 1) ?? [];
    if (!isModel(model, MODELS)) return undefined;
    const args = { model, ...FULL };
    const e = estimate(args);
    if (!e) return undefined;
    return choiceQuestion({
      generator: this,
      params,
      value: e.modelStatesBytes,
      format: gbText,
      question: {
        en: `Full fine-tuning of ${modelText(e)} with AdamW in mixed precision (bf16 weights and gradients, fp32 master weights and moments) on one GPU: how much memory do the model states (weights + gradients + optimizer states) take?`,
        zh: `在一张卡上用 AdamW 混合精度(bf16 权重和梯度,fp32 主权重和动量)全参数微调 ${modelText(e)}:模型状态(权重 + 梯度 + 优化器状态)占多少显存?`,
      },
      working: statesWorking(e, args),
      mistakes: statesMistakes(e),
      info: { command: vramLine(args), jsonPath: 'modelStatesBytes' },
    });
  },
};

const GPU_COUNTS = [2, 4, 8, 16, 32, 64];

function zeroMistakes(model: string, gpus: number): Mistake[] {
  const at = (zero: number) => estimate({ model, ...FULL, zero, gpus })?.modelStatesBytes ?? 0;
  return [
    {
      value: at(1),
      why: {
        en: 'sharding only the optimizer states (that is ZeRO-1)',
        zh: '只切分了优化器状态(那是 ZeRO-1)',
      },
    },
    {
      value: at(2),
      why: {
        en: 'leaving the weights whole on every GPU (that is ZeRO-2)',
        zh: '每张卡仍保留完整权重(那是 ZeRO-2)',
      },
    },
    {
      value: at(0),
      why: { en: 'not dividing by the number of GPUs at all', zh: '完全没有除以 GPU 数' },
    },
  ];
}

export const vramZero3: QuestionGenerator = {
  name: 'vram-zero3',
  topic: 5,
  section: 't5.optimizer',
  difficulty: 2,
  draw: (random) => `${pick(random, DECODERS)}.${pick(random, GPU_COUNTS)}`,
  build(params) {
    const [model, n] = parts(params, 2) ?? [];
    const gpus = Number(n);
    if (!isModel(model, DECODERS) || !GPU_COUNTS.includes(gpus) || n !== String(gpus)) {
      return undefined;
    }
    const args = { model, ...FULL, zero: 3, gpus };
    const e = estimate(args);
    if (!e) return undefined;
    return choiceQuestion({
      generator: this,
      params,
      value: e.modelStatesBytes,
      format: gbText,
      question: {
        en: `Full fine-tuning of ${modelText(e)} with mixed-precision AdamW and ZeRO-3 over ${gpus} GPUs: how much memory do the model states take per GPU?`,
        zh: `用混合精度 AdamW 和 ZeRO-3 在 ${gpus} 张卡上全参数微调 ${modelText(e)}:每张卡上的模型状态占多少显存?`,
      },
      working: statesWorking(e, args),
      mistakes: zeroMistakes(model, gpus),
      info: { command: vramLine(args), jsonPath: 'modelStatesBytes' },
    });
  },
};

// ——— KV cache at a sequence length, with or without GQA ———

const SEQS = [1024, 2048, 4096, 8192, 32768];
const BATCHES = [1, 4, 8, 16, 32];

function kvMistakes(e: VramEstimate): Mistake[] {
  const kv = e.bytes.kvCache;
  const { heads, kvHeads, layers } = e.model;
  return [
    {
      value: (kv * heads) / kvHeads,
      why: {
        en: `ignoring GQA: a K and a V for each of the ${heads} query heads`,
        zh: `忽略了 GQA:按 ${heads} 个查询头各存一份 K 和 V`,
      },
    },
    {
      value: kv / 2,
      why: { en: 'forgetting the factor 2 (keys and values)', zh: '漏了系数 2(K 和 V 各一份)' },
    },
    {
      value: kv * 2,
      why: { en: 'counting 4 bytes (fp32) per value', zh: '每个值按 4 字节(fp32)计算' },
    },
    {
      value: kv / e.setup.batch,
      why: { en: 'forgetting the batch (one sequence only)', zh: '忘了批量(只算了一条序列)' },
    },
    { value: kv / layers, why: { en: 'counting one layer only', zh: '只算了一层' } },
  ];
}

export const vramKvCache: QuestionGenerator = {
  name: 'vram-kv',
  topic: 5,
  section: 't1.compute',
  difficulty: 3,
  draw(random) {
    const model = pick(random, DECODERS);
    const context = PRESETS.find((p) => p.name === model)?.context ?? 2048;
    const seq = pick(
      random,
      SEQS.filter((s) => s <= context),
    );
    return `${model}.${seq}.${pick(random, BATCHES)}`;
  },
  build(params) {
    const [model, s, b] = parts(params, 3) ?? [];
    const seq = Number(s);
    const batch = Number(b);
    const preset = PRESETS.find((p) => p.name === model);
    if (!isModel(model, DECODERS) || !preset || !SEQS.includes(seq) || seq > preset.context) {
      return undefined;
    }
    if (!BATCHES.includes(batch) || s !== String(seq) || b !== String(batch)) return undefined;
    const args = { model, mode: 'inference', seq, batch, kv_dtype: 'fp16' };
    const e = estimate(args);
    if (!e) return undefined;
    const { layers, heads, kvHeads, headDim } = e.model;
    const gqa: Bilingual =
      kvHeads < heads
        ? {
            en: `GQA: ${heads} query heads share ${kvHeads} KV heads`,
            zh: `GQA:${heads} 个查询头共用 ${kvHeads} 个 KV 头`,
          }
        : {
            en: `no GQA: ${kvHeads} KV heads, one per query head`,
            zh: `无 GQA:${kvHeads} 个 KV 头,每个查询头一个`,
          };
    const line = vramLine(args);
    return choiceQuestion({
      generator: this,
      params,
      value: e.bytes.kvCache,
      format: gbText,
      question: {
        en: `Serving ${e.model.name} (${layers} layers, ${gqa.en}, head_dim ${headDim}) with an fp16 KV cache: how much memory does the cache take for a batch of ${batch} sequences of ${int(seq)} tokens?`,
        zh: `部署 ${e.model.name}(${layers} 层,${gqa.zh},head_dim ${headDim}),KV cache 用 fp16:批量 ${batch} 条、每条 ${int(seq)} 个 token 时,KV cache 占多少显存?`,
      },
      working: {
        en: [...termLines(e, ['kvCache'], 'en'), checkLine(line, 'bytes.kvCache').en],
        zh: [...termLines(e, ['kvCache'], 'zh'), checkLine(line, 'bytes.kvCache').zh],
      },
      mistakes: kvMistakes(e),
      info: { command: line, jsonPath: 'bytes.kvCache' },
    });
  },
};

// ——— does it fit on a given GPU ———

const SCENARIOS: Record<string, { args: Args; text: Bilingual }> = {
  full: {
    args: { ...FULL, seq: 2048, batch: 1 },
    text: {
      en: 'Full fine-tuning with mixed-precision AdamW, batch 1, seq 2048, no checkpointing,',
      zh: '混合精度 AdamW 全参数微调,批量 1,seq 2048,不开梯度检查点,',
    },
  },
  lora: {
    args: { mode: 'lora', seq: 2048, batch: 1 },
    text: {
      en: 'LoRA (bf16 base, rank 8 on q_proj and v_proj), batch 1, seq 2048, full checkpointing,',
      zh: 'LoRA 微调(bf16 底座,rank 8,作用于 q_proj 和 v_proj),批量 1,seq 2048,完整梯度检查点,',
    },
  },
  qlora: {
    args: { mode: 'qlora', seq: 2048, batch: 1 },
    text: {
      en: 'QLoRA (nf4 base, rank 8 on q_proj and v_proj), batch 1, seq 2048, full checkpointing,',
      zh: 'QLoRA 微调(nf4 底座,rank 8,作用于 q_proj 和 v_proj),批量 1,seq 2048,完整梯度检查点,',
    },
  },
  inference: {
    args: { mode: 'inference', precision: 'bf16', seq: 4096, batch: 8 },
    text: {
      en: 'Serving in bf16 with an fp16 KV cache, batch 8, seq 4096,',
      zh: '以 bf16 推理部署,KV cache 为 fp16,批量 8,seq 4096,',
    },
  },
};
const SCENARIO_NAMES = Object.keys(SCENARIOS);

function fitsWorking(e: VramEstimate, args: Args): Record<'en' | 'zh', string[]> {
  const fit = e.gpu[0]!;
  const gib = (b: number) => `${toGiB(b).toFixed(2)} GiB`;
  const used = TERMS.filter((k) => e.bytes[k] > 0);
  const trap = !fit.fits && e.bytes.weights + CUDA_CONTEXT_BYTES <= fit.memoryBytes;
  const line = vramLine(args);
  return {
    en: [
      ...termLines(e, used, 'en'),
      `total ${gib(e.perGpuBytes)}; ${fit.gpu} has ${gib(fit.memoryBytes)}, minus ≈0.6 GiB of CUDA context: ${fit.fits ? `fits, ${gib(fit.headroomBytes)} to spare` : `does not fit, ${gib(-fit.headroomBytes)} short`}.`,
      ...(trap
        ? [
            `The classic mistake: counting the weights alone (${gib(e.bytes.weights)}) says it fits.`,
          ]
        : []),
      checkLine(line, 'gpu[0].fits').en,
    ],
    zh: [
      ...termLines(e, used, 'zh'),
      `合计 ${gib(e.perGpuBytes)};${fit.gpu} 有 ${gib(fit.memoryBytes)},减去约 0.6 GiB CUDA 上下文:${fit.fits ? `放得下,余量 ${gib(fit.headroomBytes)}` : `放不下,缺 ${gib(-fit.headroomBytes)}`}。`,
      ...(trap ? [`常见错误:只算权重(${gib(e.bytes.weights)})会以为放得下。`] : []),
      checkLine(line, 'gpu[0].fits').zh,
    ],
  };
}

export const vramFits: QuestionGenerator = {
  name: 'vram-fits',
  topic: 5,
  section: 't5.headroom',
  difficulty: 2,
  draw(random) {
    const scenario = pick(random, SCENARIO_NAMES);
    const model = pick(random, DECODERS);
    const fits = estimate({ model, ...SCENARIOS[scenario]!.args })?.fits ?? [];
    const yes = fits.filter((f) => f.fits);
    const no = fits.filter((f) => !f.fits);
    const side = (random() < 0.5 && yes.length) || !no.length ? yes : no;
    const gpu = side === yes ? yes[0] : no[no.length - 1];
    return `${scenario}.${model}.${gpu?.gpu ?? GPUS[0]!.name}`;
  },
  build(params) {
    const [scenario, model, gpu] = parts(params, 3) ?? [];
    const s = scenario === undefined ? undefined : SCENARIOS[scenario];
    if (!s || !isModel(model, DECODERS) || !GPUS.some((g) => g.name === gpu)) return undefined;
    const args = { model, ...s.args, gpu: gpu as string };
    const e = estimate(args);
    const fit = e?.gpu[0];
    if (!e || !fit) return undefined;
    return trueFalseQuestion({
      generator: this,
      params,
      answer: fit.fits,
      question: {
        en: `${s.text.en} ${modelText(e)}: does it fit on one ${fit.gpu}?`,
        zh: `${s.text.zh}${modelText(e)}:一张 ${fit.gpu} 放得下吗?`,
      },
      working: fitsWorking(e, args),
      info: { command: vramLine(args), jsonPath: 'gpu[0].fits' },
    });
  },
};

export const VRAM_GENERATORS: readonly QuestionGenerator[] = [
  vramWeights,
  vramStates,
  vramZero3,
  vramKvCache,
  vramFits,
];
