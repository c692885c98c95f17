import { quoteValue } from '../shared/quote.js';
import { CUDA_CONTEXT_BYTES, GPUS } from './gpus.js';
import type { ResolvedModel } from './resolve.js';
import type { VramBytes, VramSetup } from './types.js';
import { formatInt, toGiB } from './units.js';

/** What an estimate should be read with, in both languages (same order). */
export interface Warnings {
  warnings: string[];
  warningsZh: string[];
}

const gib = (b: number) => toGiB(b).toFixed(2);
const LARGEST = GPUS.reduce((a, g) => (g.memoryBytes > a.memoryBytes ? g : a));

/** seq beyond the preset's trained context: memory is fine, quality is not (topics 1 and 4). */
function contextWarning(m: ResolvedModel, s: VramSetup, w: Warnings): void {
  if (m.context === undefined || s.seq <= m.context) return;
  const n = formatInt(m.context);
  w.warnings.push(
    `seq ${formatInt(s.seq)} is beyond ${m.name}’s trained context of ${n} tokens: the memory is estimated, but quality collapses past the trained window unless the model is extended (RoPE scaling plus long-context fine-tuning). See /topic 1 (input length limit) and /topic 4 (long text).`,
  );
  w.warningsZh.push(
    `seq ${formatInt(s.seq)} 超出 ${m.name} 训练时的上下文长度 ${n} 个 token:显存照算,但超出训练窗口后效果会崩溃,除非扩展模型(RoPE 缩放加长上下文微调)。见 /topic 1(输入长度上限)和 /topic 4(长文本)。`,
  );
}

/**
 * batch × seq far beyond what fits: the terms that grow with batch and seq alone exceed the
 * largest listed GPU. Names the largest batch that fits it at this seq (all these terms are
 * linear in the batch).
 */
function tokensWarning(s: VramSetup, bytes: VramBytes, w: Warnings): void {
  const perStep = bytes.activations + bytes.logits + bytes.kvCache;
  if (perStep <= LARGEST.memoryBytes) return;
  const room = LARGEST.memoryBytes - CUDA_CONTEXT_BYTES - (bytes.total - perStep);
  const maxBatch = Math.floor(room / (perStep / s.batch));
  const tokens = formatInt(s.batch * s.seq);
  const head = `batch ${s.batch} × seq ${formatInt(s.seq)} = ${tokens} tokens per GPU: activations, logits and KV cache alone need ${gib(perStep)} GiB, more than the largest listed GPU (${LARGEST.name}).`;
  const headZh = `batch ${s.batch} × seq ${formatInt(s.seq)} = 每卡 ${tokens} 个 token:仅激活、logits 与 KV cache 就需 ${gib(perStep)} GiB,超过所列最大的 GPU(${LARGEST.name})。`;
  const training = s.mode !== 'inference';
  if (maxBatch >= 1) {
    const accumulate = training ? '; gradient accumulation gives a larger effective batch' : '';
    const accumulateZh = training ? ';更大的有效批量可用梯度累积' : '';
    w.warnings.push(
      `${head} At seq ${formatInt(s.seq)}, batch ${maxBatch} is the most that fits there${accumulate}.`,
    );
    w.warningsZh.push(
      `${headZh}在 seq ${formatInt(s.seq)} 下,那张卡最多放得下 batch ${maxBatch}${accumulateZh}。`,
    );
    return;
  }
  const ck = training && s.checkpointing !== 'full' ? ' or use checkpointing=full' : '';
  const ckZh = training && s.checkpointing !== 'full' ? '或使用 checkpointing=full' : '';
  w.warnings.push(`${head} Even batch 1 does not fit there: shorten seq${ck}.`);
  w.warningsZh.push(`${headZh}连 batch 1 都放不下:请缩短 seq${ckZh}。`);
}

/** gpu= named no listed GPU. */
function gpuWarning(asked: string | undefined, known: number, w: Warnings): void {
  if (asked === undefined || known > 0) return;
  const list = GPUS.map((g) => g.name).join(', ');
  w.warnings.push(
    `unknown GPU ${quoteValue(asked)}: the verdict lists every known GPU (${list}); name one of them, e.g. gpu=A100-80GB.`,
  );
  w.warningsZh.push(
    `未知的 GPU ${quoteValue(asked, 'zh')}:结论列出所有已知 GPU(${list});请从中选一个,例如 gpu=A100-80GB。`,
  );
}

export function warningsFor(
  m: ResolvedModel,
  s: VramSetup,
  bytes: VramBytes,
  gpu: { asked: string | undefined; known: number },
): Warnings {
  const w: Warnings = { warnings: [], warningsZh: [] };
  contextWarning(m, s, w);
  tokensWarning(s, bytes, w);
  gpuWarning(gpu.asked, gpu.known, w);
  return w;
}
