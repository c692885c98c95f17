import {
  safeEstimateMemory,
  TERM_LABEL,
  TERMS,
  toGB,
  toGiB,
  type VramError,
  type VramEstimate,
  vramOptionsSchema,
} from '../../tools/vram/index.js';
import { maxOf } from '../arrays.js';
import { defineCommand } from '../command.js';
import type { Lang, Reply } from '../types.js';
import { displayWidth } from '../width.js';

/** `/vram`: how much GPU memory a model needs to train or serve, term by term. */

type Text = Record<Lang, string>;

const MODE_LABEL: Record<VramEstimate['setup']['mode'], Text> = {
  full: { en: 'full fine-tuning', zh: '全参数微调' },
  lora: { en: 'LoRA fine-tuning', zh: 'LoRA 微调' },
  qlora: { en: 'QLoRA fine-tuning', zh: 'QLoRA 微调' },
  inference: { en: 'inference', zh: '推理' },
};

const WHY_DIFFERENT: Text = {
  en: 'Why other figures differ: a formula that circulates widely, “VRAM ≈ model size × batch size” (topic 5 explains why it is wrong), multiplies the model by the batch, but weights, gradients and optimizer states do not grow with the batch (only activations do), and mixed-precision Adam needs about 16 bytes per parameter, not 2–4. HF accelerate’s estimate-memory loads the model without its lm_head (Llama-2-7B: 6.61 B instead of 6.74 B parameters), prints GiB labelled “GB” (about 7 % smaller numbers) and models batch 1 with no activations. DeepSpeed’s estimators count 18 B/param for ZeRO-2/3 (fp32 gradients too); LLaMA-Factory’s table (7B: 120 / 60 / 16 / 6 GB) states no sequence length or batch; the 1.2 × weights rule for inference has no KV cache.',
  zh: '为什么别处的数字不同:流传很广的公式“显存 ≈ 模型大小 × 批量大小”(第 5 题解释了它错在哪里)把模型乘以批量,但权重、梯度和优化器状态并不随批量增长(只有激活会),而且混合精度 Adam 每个参数约需 16 字节,而不是 2–4 字节。HF accelerate 的 estimate-memory 加载的模型不含 lm_head(Llama-2-7B 为 66.1 亿而非 67.4 亿参数),把 GiB 标成 “GB”(数字小约 7%),且按 batch 1 计算、不含激活。DeepSpeed 的估算器对 ZeRO-2/3 按每参数 18 字节计(还含 fp32 梯度);LLaMA-Factory 的表(7B:120 / 60 / 16 / 6 GB)没有说明序列长度和批量;推理的“权重 × 1.2”经验法则不含 KV cache。',
};

const gb = (b: number) => toGB(b).toFixed(2);
const gib = (b: number) => toGiB(b).toFixed(2);

function bars(e: VramEstimate, lang: Lang): string {
  const width = 30;
  const labels = TERMS.map((k) => TERM_LABEL[k][lang]);
  const pad = maxOf(labels.map(displayWidth)) + 2;
  return TERMS.map((k, i) => {
    const b = e.bytes[k];
    const share = e.perGpuBytes > 0 ? b / e.perGpuBytes : 0;
    let cells = Math.round(share * width);
    if (b > 0 && cells === 0) cells = 1;
    const bar = '█'.repeat(cells) + '·'.repeat(width - cells);
    const pct = `${(share * 100).toFixed(1)}%`.padStart(6);
    const label = labels[i] ?? k;
    return `${label}${' '.repeat(pad - displayWidth(label))}${bar} ${gib(b).padStart(8)} GiB ${pct}`;
  }).join('\n');
}

/** What to try when nothing fits: never the mode or checkpointing already asked for. */
function suggestions(s: VramEstimate['setup']): Text {
  const en: string[] = [];
  const zh: string[] = [];
  if (s.mode === 'inference') {
    en.push(
      'more gpus (tensor parallel)',
      'precision=int8 or int4',
      'kv_dtype=fp8',
      'a shorter seq',
    );
    zh.push('增加 gpus(张量并行)', 'precision=int8 或 int4', 'kv_dtype=fp8', '缩短 seq');
    return { en: en.join(', '), zh: zh.join('、') };
  }
  en.push('zero=3 with more gpus');
  zh.push('zero=3 并增加 gpus');
  const smaller = { full: ['lora', 'qlora'], lora: ['qlora'], qlora: [] }[s.mode];
  if (smaller.length > 0) {
    en.push(smaller.map((m) => `mode=${m}`).join(' or '));
    zh.push(smaller.map((m) => `mode=${m}`).join(' 或 '));
  }
  if (s.checkpointing !== 'full') {
    en.push('checkpointing=full');
    zh.push('checkpointing=full');
  }
  en.push('a shorter seq or smaller batch');
  zh.push('缩短 seq 或减小 batch');
  return { en: en.join(', '), zh: zh.join('、') };
}

/** The GPU gpu= named, first: fits or not, by how much. */
function askedGpu(e: VramEstimate, lang: Lang): string {
  return e.gpu
    .map((f) => {
      if (lang === 'zh') {
        return f.fits
          ? `${f.gpu}:放得下,余量 ${gib(f.headroomBytes)} GiB。`
          : `${f.gpu}:放不下,缺 ${gib(-f.headroomBytes)} GiB。`;
      }
      return f.fits
        ? `On ${f.gpu}: fits, ${gib(f.headroomBytes)} GiB to spare. `
        : `On ${f.gpu}: does not fit, ${gib(-f.headroomBytes)} GiB short. `;
    })
    .join('');
}

function verdict(e: VramEstimate, lang: Lang): string {
  const ok = e.fits.filter((f) => f.fits);
  const no = e.fits.filter((f) => !f.fits);
  const okText = ok.map((f) => `${f.gpu} (+${gib(f.headroomBytes)} GiB)`).join(', ');
  const noText = no.map((f) => `${f.gpu} (−${gib(-f.headroomBytes)} GiB)`).join(', ');
  const tryText = suggestions(e.setup);
  const asked = askedGpu(e, lang);
  if (lang === 'zh') {
    const head = ok.length
      ? `放得下(按每卡计,已预留约 0.6 GiB CUDA 上下文,括号内为余量):${okText}。`
      : '';
    const tail = no.length ? `放不下(括号内为缺口):${noText}。` : '';
    const none = ok.length ? '' : `所列 GPU 都放不下每卡这一份:可试 ${tryText.zh}。`;
    return asked + head + tail + none;
  }
  const head = ok.length
    ? `Fits on (≈0.6 GiB CUDA context reserved; headroom in brackets): ${okText}. `
    : '';
  const tail = no.length ? `Too small (shortfall): ${noText}.` : '';
  const none = ok.length
    ? ''
    : ` No listed GPU has room for this per-GPU share: try ${tryText.en}.`;
  return `${asked}${head}${tail}${none}`;
}

/** checkpointing=full's saving, when activations are over 20 % of the total. */
function checkpointingNote(e: VramEstimate, lang: Lang): string | undefined {
  const saves = e.checkpointingSavesBytes;
  if (saves === undefined) return undefined;
  const share = ((e.bytes.activations / e.perGpuBytes) * 100).toFixed(0);
  const after = e.perGpuBytes - saves;
  return lang === 'zh'
    ? `激活占总量的 ${share}%:checkpointing=full 每卡可省 ${gib(saves)} GiB(降到 ${gib(after)} GiB),代价是计算量约多三分之一。`
    : `Activations are ${share} % of the total: checkpointing=full would save ${gib(saves)} GiB per GPU (down to ${gib(after)} GiB), for about a third more compute.`;
}

function summary(e: VramEstimate, lang: Lang): string {
  const s = e.setup;
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [s.precision, s.optimizer, `batch ${s.batch}`, `seq ${s.seq}`];
  if (s.checkpointing) parts.push(`checkpointing ${s.checkpointing}`);
  parts.push(`attention ${s.attention}`);
  if (s.kvDtype) parts.push(`kv ${s.kvDtype}`);
  if (s.zero > 0) parts.push(`ZeRO-${s.zero}`);
  if (s.gpus > 1) parts.push(`${s.gpus} GPUs`);
  const setup = parts.filter(Boolean).join(', ');
  const total = `${gb(e.perGpuBytes)} GB = ${gib(e.perGpuBytes)} GiB`;
  return lang === 'zh'
    ? `参数量 Ψ = ${n(e.params)}(可训练 ${n(e.trainableParams)})。每卡显存:${total}(${setup})。`
    : `Ψ = ${n(e.params)} parameters (${n(e.trainableParams)} trainable). Per GPU: ${total} (${setup}).`;
}

export function renderVramReply(e: VramEstimate, lang: Lang, explain: boolean): Reply {
  const zh = lang === 'zh';
  const assumptions = zh ? e.assumptionsZh : e.assumptions;
  const warnings = zh ? e.warningsZh : e.warnings;
  const paragraphs = [summary(e, lang)];
  if (warnings.length > 0) {
    paragraphs.push(zh ? `⚠ 注意:${warnings.join(' ')}` : `⚠ Warning: ${warnings.join(' ')}`);
  }
  paragraphs.push(
    zh ? `假设:${assumptions.join(';')}。` : `Assumptions: ${assumptions.join('; ')}.`,
    verdict(e, lang),
  );
  const note = checkpointingNote(e, lang);
  if (note) paragraphs.push(note);
  if (explain) {
    for (const t of e.terms) {
      const label = TERM_LABEL[t.key][lang];
      paragraphs.push(
        zh
          ? `${label}:${t.formula} → ${t.filled}。出处:${t.source}`
          : `${label}: ${t.formula} → ${t.filled}. Source: ${t.source}`,
      );
    }
    paragraphs.push(WHY_DIFFERENT[lang]);
  }
  const rows = [...TERMS, 'total' as const].map((k) => [
    TERM_LABEL[k][lang],
    gb(e.bytes[k]),
    gib(e.bytes[k]),
  ]);
  const title = zh
    ? `显存估算:${e.model.name} · ${MODE_LABEL[e.setup.mode].zh}`
    : `GPU memory: ${e.model.name}, ${MODE_LABEL[e.setup.mode].en}`;
  return {
    kind: 'answer',
    lang,
    title,
    paragraphs,
    table: { headers: [zh ? '项目' : 'term', 'GB', 'GiB'], rows },
    code: { text: bars(e, lang) },
    hints: explain
      ? ['/topic 5']
      : [
          zh
            ? '加上 explain=true 查看每一项的公式与出处'
            : 'add explain=true for each formula and its source',
        ],
    data: e,
  };
}

export function vramErrorReply(error: VramError, lang: Lang): Reply {
  return {
    kind: 'error',
    lang,
    title: lang === 'zh' ? `/vram:参数 ${error.option} 有误` : `/vram: bad option ${error.option}`,
    paragraphs: [lang === 'zh' ? error.message_zh : error.message_en],
    hints: ['/vram llama-2-7b mode=lora seq=2048', '/vram model=7b mode=full zero=3 gpus=8'],
    data: { error },
  };
}

export const vramCommand = defineCommand({
  name: 'vram',
  description: {
    en: 'GPU memory to fine-tune (full, LoRA, QLoRA) or serve a model, term by term',
    zh: '估算微调(全参数、LoRA、QLoRA)或推理一个模型所需的显存,逐项列出',
  },
  schema: vramOptionsSchema,
  positional: ['model'],
  examples: [
    '/vram llama-2-7b',
    '/vram model=llama-3-8b mode=qlora seq=4096 checkpointing=full',
    '/vram model=llama-2-70b mode=inference seq=4096 batch=32',
    '/vram model=7b zero=3 gpus=8 explain=true',
  ],
  run(args, ctx) {
    const result = safeEstimateMemory(args);
    if (!result.ok) return vramErrorReply(result.error, ctx.lang);
    const explain = vramOptionsSchema.shape.explain.safeParse(args.explain).data === true;
    return renderVramReply(result.value, ctx.lang, explain);
  },
});
