import { kvCacheBytes } from './formulas.js';
import type { ResolvedModel } from './resolve.js';
import type { VramSetup } from './types.js';
import { formatInt, toGiB } from './units.js';

/** The assumptions behind an estimate, stated in both languages (same order). */
export function assumptionsFor(
  m: ResolvedModel,
  s: VramSetup,
  trainable: number,
): { assumptions: string[]; assumptionsZh: string[] } {
  const en: string[] = [];
  const zh: string[] = [];
  const add = (e: string, z: string) => {
    en.push(e);
    zh.push(z);
  };
  const a = m.arch;
  const shape = `L=${a.layers}, h=${a.hidden}, heads=${a.heads}, kv_heads=${a.kvHeads}, I=${a.intermediate}, V=${a.vocab}`;
  const P = formatInt(m.params);
  if (m.kind === 'preset') {
    add(
      `${m.name}: published config (${shape}), Ψ = ${P}`,
      `${m.name}:官方配置(${shape}),Ψ = ${P}`,
    );
  } else if (m.kind === 'size') {
    add(
      `${m.name}: Ψ = ${P} as given; approximate Llama-like shape (${shape}) for activations, KV and LoRA; give layers/hidden/heads/kv_heads/intermediate/vocab for exact values`,
      `${m.name}:Ψ = ${P}(按给定值);激活、KV 与 LoRA 按近似的 Llama 式结构(${shape})计算,给出 layers/hidden/heads/kv_heads/intermediate/vocab 可得精确值`,
    );
  } else {
    add(
      `custom decoder (${shape}, tied=${a.tied}, qkv_bias=${a.qkvBias}), Ψ = ${P}`,
      `自定义解码器结构(${shape},tied=${a.tied},qkv_bias=${a.qkvBias}),Ψ = ${P}`,
    );
  }
  if (m.overridden.length > 0) {
    const list = m.overridden.join(', ');
    add(`changed from the defaults: ${list}`, `已覆盖默认结构参数:${list}`);
  }

  const training = s.mode !== 'inference';
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
    add(e, z);
  } else if (training) {
    const base =
      s.mode === 'qlora'
        ? `${s.precision} Linear weights, embeddings/head/norms bf16`
        : s.precision;
    const baseZh =
      s.mode === 'qlora' ? `线性层 ${s.precision},嵌入/输出层/归一化 bf16` : s.precision;
    const targets = (s.loraModules ?? []).join(',');
    add(
      `LoRA r=${s.loraRank} on ${targets}: T = ${formatInt(trainable)} trainable, fp32 with ${opt}; frozen base ${base}`,
      `LoRA r=${s.loraRank} 作用于 ${targets}:可训练 T = ${formatInt(trainable)},fp32 + ${opt};冻结基座 ${baseZh}`,
    );
  } else {
    add(
      `inference: ${s.precision} weights, KV cache ${s.kvDtype} for ${s.seq} tokens × batch ${s.batch}`,
      `推理:${s.precision} 权重,KV cache ${s.kvDtype},${s.seq} 个 token × batch ${s.batch}`,
    );
  }

  if (training) {
    const ck = s.checkpointing ?? 'none';
    const ckEn =
      ck === 'none'
        ? 'checkpointing=none keeps the attention scores (eager attention; FlashAttention/SDPA ≈ selective)'
        : `checkpointing=${ck}`;
    const ckZh =
      ck === 'none'
        ? 'checkpointing=none 保存注意力分数(普通注意力;FlashAttention/SDPA 约等于 selective)'
        : `checkpointing=${ck}`;
    add(
      `micro-batch ${s.batch} × seq ${s.seq} per GPU, 16-bit activations (Korthikanti et al.); ${ckEn}`,
      `每卡微批 ${s.batch} × 序列 ${s.seq},16 位激活(Korthikanti 等);${ckZh}`,
    );
    if (s.gpus > 1 && s.zero === 0) {
      add(
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
      add(
        `ZeRO-${s.zero} shards ${what} over ${s.gpus} GPU(s)`,
        `ZeRO-${s.zero} 将${whatZh}切分到 ${s.gpus} 张卡`,
      );
    }
    add(
      'not counted: CUDA context ≈0.6 GiB per GPU (the fits verdict reserves it), allocator fragmentation, and PyTorch’s default foreach AdamW temporaries (≈4 B/param: llama-2-7b peaked at 125.6 GiB instead of 101.45; use foreach=False or fused=True)',
      '未计入:每卡约 0.6 GiB 的 CUDA 上下文(“能否放下”的判断已预留)、显存碎片,以及 PyTorch 默认 foreach AdamW 的临时张量(约 4 B/参数:llama-2-7b 峰值 125.6 GiB 而非 101.45;可用 foreach=False 或 fused=True)',
    );
  } else {
    if (s.gpus > 1) {
      add(
        `${s.gpus} GPUs, tensor parallel: weights split ${s.gpus} ways, KV cache split over min(gpus, kv_heads)`,
        `${s.gpus} 张卡张量并行:权重切成 ${s.gpus} 份,KV cache 按 min(gpus, kv_heads) 切分`,
      );
    }
    if (a.slidingWindow !== undefined && s.seq > a.slidingWindow) {
      const rolling = toGiB(kvCacheBytes(a, a.slidingWindow, s.batch, s.kvDtype ?? 'fp16'));
      add(
        `sliding window ${a.slidingWindow}: HF transformers keeps all ${s.seq} tokens (counted here); a rolling-buffer runtime would need ${rolling.toFixed(2)} GiB of KV cache`,
        `滑动窗口 ${a.slidingWindow}:HF transformers 保留全部 ${s.seq} 个 token(此处按此计算);滚动缓冲实现只需 ${rolling.toFixed(2)} GiB KV cache`,
      );
    }
    add(
      'not counted: CUDA context ≈0.6 GiB per GPU (the fits verdict reserves it) and runtime workspaces',
      '未计入:每卡约 0.6 GiB 的 CUDA 上下文(“能否放下”的判断已预留)及推理框架的工作区',
    );
  }
  add('GB = 10⁹ bytes, GiB = 2³⁰ bytes', 'GB = 10⁹ 字节,GiB = 2³⁰ 字节');
  return { assumptions: en, assumptionsZh: zh };
}
