import { kvCacheBytes } from './formulas.js';
import type { ResolvedModel } from './resolve.js';
import type { VramSetup } from './types.js';
import { formatInt, toGiB } from './units.js';

/** Collects each assumption in English and Chinese. */
interface Lines {
  add(en: string, zh: string): void;
}

/** The assumptions behind an estimate, stated in both languages (same order). */
export function assumptionsFor(
  m: ResolvedModel,
  s: VramSetup,
  trainable: number,
  defaultCheckpointing = false,
): { assumptions: string[]; assumptionsZh: string[] } {
  const en: string[] = [];
  const zh: string[] = [];
  const out: Lines = {
    add(e, z) {
      en.push(e);
      zh.push(z);
    },
  };
  modelLines(m, out);
  if (s.mode === 'inference') {
    out.add(
      `inference: ${s.precision} weights, KV cache ${s.kvDtype} for ${s.seq} tokens × batch ${s.batch}`,
      `推理:${s.precision} 权重,KV cache ${s.kvDtype},${s.seq} 个 token × batch ${s.batch}`,
    );
    attentionLines(m, s, out);
    inferenceLines(m, s, out);
  } else {
    statesLine(s, trainable, out);
    attentionLines(m, s, out);
    checkpointingLine(s, defaultCheckpointing, out);
    trainingLines(s, out);
  }
  out.add('GB = 10⁹ bytes, GiB = 2³⁰ bytes', 'GB = 10⁹ 字节,GiB = 2³⁰ 字节');
  return { assumptions: en, assumptionsZh: zh };
}

/** Where the shape and Ψ come from: a preset, a raw size (with the shape it borrows), or given. */
function modelLines(m: ResolvedModel, out: Lines): void {
  const a = m.arch;
  const shape = `L=${a.layers}, h=${a.hidden}, heads=${a.heads}, kv_heads=${a.kvHeads}, I=${a.intermediate}, V=${a.vocab}`;
  const P = formatInt(m.params);
  if (m.kind === 'preset') {
    out.add(
      `${m.name}: published config (${shape}), Ψ = ${P}`,
      `${m.name}:官方配置(${shape}),Ψ = ${P}`,
    );
  } else if (m.kind === 'size' && m.shapeOf !== undefined) {
    out.add(
      `${m.name}: Ψ = ${P} as given; shape of the nearest preset, ${m.shapeOf} (${shape}), for activations, KV and LoRA; give model=${m.shapeOf} for its exact Ψ, or layers/hidden/heads/kv_heads/intermediate/vocab for another shape`,
      `${m.name}:Ψ = ${P}(按给定值);激活、KV 与 LoRA 按最接近的预设 ${m.shapeOf} 的结构(${shape})计算;给出 model=${m.shapeOf} 可得其精确 Ψ,或给出 layers/hidden/heads/kv_heads/intermediate/vocab 指定其他结构`,
    );
  } else if (m.kind === 'size') {
    out.add(
      `${m.name}: Ψ = ${P} as given; no preset within 25 % of it, so an approximate Llama-like shape (${shape}) for activations, KV and LoRA; give layers/hidden/heads/kv_heads/intermediate/vocab for exact values`,
      `${m.name}:Ψ = ${P}(按给定值);没有相差 25% 以内的预设,激活、KV 与 LoRA 按近似的 Llama 式结构(${shape})计算,给出 layers/hidden/heads/kv_heads/intermediate/vocab 可得精确值`,
    );
  } else {
    out.add(
      `custom decoder (${shape}, tied=${a.tied}, qkv_bias=${a.qkvBias}), Ψ = ${P}`,
      `自定义解码器结构(${shape},tied=${a.tied},qkv_bias=${a.qkvBias}),Ψ = ${P}`,
    );
  }
  if (m.overridden.length > 0) {
    const list = m.overridden.join(', ');
    out.add(`changed from the defaults: ${list}`, `已覆盖默认结构参数:${list}`);
  }
}

/** Weights, gradients and optimizer states of a training run. */
function statesLine(s: VramSetup, trainable: number, out: Lines): void {
  const opt = s.optimizer ?? 'adamw';
  if (s.mode === 'full') {
    const states: Record<string, [string, string]> = {
      mixed: [
        `mixed precision (ZeRO paper layout): 16-bit weights and gradients, fp32 master copy in the ${opt} states`,
        `混合精度(ZeRO 论文口径):16 位权重与梯度,fp32 主权重计入 ${opt} 优化器状态`,
      ],
      fp32: [`pure fp32 weights, gradients and ${opt} states`, `纯 fp32 权重、梯度与 ${opt} 状态`],
      bf16: [`pure bf16 weights, gradients and ${opt} states`, `纯 bf16 权重、梯度与 ${opt} 状态`],
      fp16: [`pure fp16 weights, gradients and ${opt} states`, `纯 fp16 权重、梯度与 ${opt} 状态`],
    };
    const [e, z] = states[s.precision] ?? ['', ''];
    out.add(e, z);
    return;
  }
  const qlora = s.mode === 'qlora';
  const base = qlora ? `${s.precision} Linear weights, embeddings/head/norms bf16` : s.precision;
  const baseZh = qlora ? `线性层 ${s.precision},嵌入/输出层/归一化 bf16` : s.precision;
  const targets = (s.loraModules ?? []).join(',');
  out.add(
    `LoRA r=${s.loraRank} on ${targets}: T = ${formatInt(trainable)} trainable, fp32 with ${opt}; frozen base ${base}`,
    `LoRA r=${s.loraRank} 作用于 ${targets}:可训练 T = ${formatInt(trainable)},fp32 + ${opt};冻结基座 ${baseZh}`,
  );
}

/** The attention kernel, in words: whether the seq×seq scores are kept. */
function attentionLines(m: ResolvedModel, s: VramSetup, out: Lines): void {
  if (s.attention === 'sdpa') {
    out.add(
      'attention=sdpa (FlashAttention / PyTorch SDPA, the transformers default on current PyTorch): no seq×seq attention scores are kept',
      'attention=sdpa(FlashAttention / PyTorch SDPA,当前 PyTorch 上 transformers 的默认):不保存 seq×seq 注意力分数',
    );
    return;
  }
  if (s.mode === 'inference') {
    const a = m.arch;
    const scores = toGiB(2 * a.heads * s.seq * s.seq * s.batch).toFixed(2);
    out.add(
      `attention=eager: the prefill’s transient seq×seq scores of one layer (2 B × heads·s²·b = ${scores} GiB) are not counted`,
      `attention=eager:预填充时单层的临时 seq×seq 分数(2 B × heads·s²·b = ${scores} GiB)未计入`,
    );
    return;
  }
  const kept = s.checkpointing === 'none';
  out.add(
    kept
      ? 'attention=eager: every layer keeps its seq×seq attention scores (5·a·s²·b bytes) for backward'
      : `attention=eager: the seq×seq attention scores are recomputed (checkpointing=${s.checkpointing}), not kept`,
    kept
      ? 'attention=eager:每层都保存 seq×seq 注意力分数(5·a·s²·b 字节)供反向传播使用'
      : `attention=eager:seq×seq 注意力分数被重算(checkpointing=${s.checkpointing}),不保存`,
  );
}

/** Gradient checkpointing, in words, and whether it is the mode's default. */
function checkpointingLine(s: VramSetup, isDefault: boolean, out: Lines): void {
  const why = isDefault
    ? s.mode === 'full'
      ? { en: ', the HF Trainer default for full fine-tuning', zh: ',HF Trainer 全参数微调的默认' }
      : {
          en: ', the default for LoRA/QLoRA as in PEFT’s prepare_model_for_kbit_training and LLaMA-Factory',
          zh: ',LoRA/QLoRA 的默认,与 PEFT 的 prepare_model_for_kbit_training 和 LLaMA-Factory 一致',
        }
    : { en: '', zh: '' };
  const text = {
    none: [
      'gradient checkpointing off (checkpointing=none',
      '梯度检查点关闭(checkpointing=none',
      '): every layer keeps its activations for backward',
      '):每层的激活都保留到反向传播',
    ],
    selective: [
      'selective recomputation (checkpointing=selective',
      '选择性重算(checkpointing=selective',
      '): only the attention scores are recomputed',
      '):只重算注意力分数',
    ],
    full: [
      'gradient checkpointing on (checkpointing=full',
      '梯度检查点开启(checkpointing=full',
      '): one input kept per layer, one layer’s activations rebuilt at a time during backward (about a third more compute)',
      '):每层只保留输入,反向时逐层重建一层的激活(计算量约多三分之一)',
    ],
  }[s.checkpointing ?? 'none'];
  out.add(
    `micro-batch ${s.batch} × seq ${s.seq} per GPU, 16-bit activations (Korthikanti et al.); ${text[0]}${why.en}${text[2]}`,
    `每卡微批 ${s.batch} × 序列 ${s.seq},16 位激活(Korthikanti 等);${text[1]}${why.zh}${text[3]}`,
  );
}

/** Data parallelism, ZeRO and what a training estimate leaves out. */
function trainingLines(s: VramSetup, out: Lines): void {
  if (s.gpus > 1 && s.zero === 0) {
    out.add(
      `${s.gpus} GPUs without ZeRO: each holds a full copy (data parallel)`,
      `${s.gpus} 张卡但未用 ZeRO:每张卡各存一份完整副本(数据并行)`,
    );
  } else if (s.zero > 0) {
    const what = [
      '',
      'optimizer states',
      'optimizer states and gradients',
      'optimizer states, gradients and weights',
    ][s.zero];
    const whatZh = ['', '优化器状态', '优化器状态与梯度', '优化器状态、梯度与权重'][s.zero];
    out.add(
      `ZeRO-${s.zero} shards ${what} over ${s.gpus} GPU(s)`,
      `ZeRO-${s.zero} 将${whatZh}切分到 ${s.gpus} 张卡`,
    );
  }
  out.add(
    'not counted: CUDA context ≈0.6 GiB per GPU (the fits verdict reserves it), allocator fragmentation, and PyTorch’s default foreach AdamW temporaries (≈4 B/param: llama-2-7b peaked at 125.6 GiB instead of 101.45; use foreach=False or fused=True)',
    '未计入:每卡约 0.6 GiB 的 CUDA 上下文(“能否放下”的判断已预留)、显存碎片,以及 PyTorch 默认 foreach AdamW 的临时张量(约 4 B/参数:llama-2-7b 峰值 125.6 GiB 而非 101.45;可用 foreach=False 或 fused=True)',
  );
}

/** Tensor parallelism, the sliding window and what an inference estimate leaves out. */
function inferenceLines(m: ResolvedModel, s: VramSetup, out: Lines): void {
  const a = m.arch;
  if (s.gpus > 1) {
    out.add(
      `${s.gpus} GPUs, tensor parallel: weights split ${s.gpus} ways, KV cache split over min(gpus, kv_heads)`,
      `${s.gpus} 张卡张量并行:权重切成 ${s.gpus} 份,KV cache 按 min(gpus, kv_heads) 切分`,
    );
  }
  if (a.slidingWindow !== undefined && s.seq > a.slidingWindow) {
    const rolling = toGiB(kvCacheBytes(a, a.slidingWindow, s.batch, s.kvDtype ?? 'fp16'));
    out.add(
      `sliding window ${a.slidingWindow}: HF transformers keeps all ${s.seq} tokens (counted here); a rolling-buffer runtime would need ${rolling.toFixed(2)} GiB of KV cache`,
      `滑动窗口 ${a.slidingWindow}:HF transformers 保留全部 ${s.seq} 个 token(此处按此计算);滚动缓冲实现只需 ${rolling.toFixed(2)} GiB KV cache`,
    );
  }
  out.add(
    'not counted: CUDA context ≈0.6 GiB per GPU (the fits verdict reserves it) and runtime workspaces',
    '未计入:每卡约 0.6 GiB 的 CUDA 上下文(“能否放下”的判断已预留)及推理框架的工作区',
  );
}
