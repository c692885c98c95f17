import { z } from 'zod';
import {
  type ChooseResult,
  CPU_GFLOPS,
  choose,
  DECODE_BATCH,
  ENCODER_GFLOP_PER_TOKEN,
  HARDWARE,
  MFU,
  RULES,
  rule,
  TASKS,
  type Verdict,
} from '../../tools/choose/index.js';
import { flag } from '../../tools/shared/flag.js';
import { formatInt } from '../../tools/vram/index.js';
import { defineCommand, option } from '../command.js';
import { type Localized, t } from '../i18n.js';
import type { Lang, Table } from '../types.js';

/** `/choose`: BERT-style encoder or decoder LLM for a task (topic 2 as a rule table). */

const n = formatInt;
const hardwareByLower = new Map(HARDWARE.map((h) => [h.toLowerCase(), h]));

const schema = z.object({
  task: option(z.enum(TASKS), 'What the model must do', '模型要完成的任务'),
  labels: option(
    z.coerce.number().int().min(0).max(1e9).default(0),
    'Labelled examples you have (0 = none)',
    '已有的标注样本数（0 表示没有）',
  ),
  volume: option(
    z.coerce.number().int().min(1).max(1e10).default(1000),
    'Requests per day',
    '每天的请求数',
  ),
  tokens: option(
    z.coerce.number().int().min(1).max(1_000_000).default(200),
    'Average input tokens per request',
    '每次请求的平均输入词元数',
  ),
  latency: option(
    z.coerce.number().int().min(1).max(3_600_000).optional(),
    'Latency target per request, in ms',
    '每次请求的延迟目标（毫秒）',
  ),
  hardware: option(
    z
      .preprocess(
        (v) => (typeof v === 'string' ? (hardwareByLower.get(v.trim().toLowerCase()) ?? v) : v),
        z.enum(HARDWARE),
      )
      .default('cpu'),
    'cpu, or the GPU to serve on',
    'cpu，或用于推理的 GPU',
  ),
  language: option(
    z.enum(['zh', 'en', 'mixed']).optional(),
    'Language of the texts (default: the language you write in)',
    '文本的语言（默认与你的提问语言相同）',
  ),
  labels_change: option(
    flag().default(false),
    'The label set still changes often',
    '标签集还在经常变化',
  ),
});

const VERDICT: Record<Verdict, Localized> = {
  encoder: { en: 'a fine-tuned BERT-style encoder', zh: '微调的 BERT 类编码器' },
  llm: { en: 'a decoder LLM', zh: '解码器 LLM' },
  'prompt-then-distil': {
    en: 'an LLM with a prompt now, distilled into a small encoder once it has labelled enough',
    zh: '先用 LLM 加提示词，等它标注够了再蒸馏到小编码器',
  },
  rag: {
    en: 'an embedding encoder with a reranker (plus an LLM only if answers must be written)',
    zh: '向量编码器加重排模型（需要生成答案时再加 LLM）',
  },
};

function costLines(r: ChooseResult, lang: Lang, volume: number, tokens: number): string[] {
  const c = r.cost;
  const hw = c.llm.hardware === 'cpu' ? 'CPU' : c.llm.hardware;
  const fit =
    c.llm.fits === null
      ? t(lang, { en: 'in RAM', zh: '内存' })
      : c.llm.fits
        ? t(lang, { en: `fits ${hw}`, zh: `放得进 ${hw}` })
        : t(lang, { en: `does not fit ${hw}`, zh: `放不进 ${hw}` });
  const lines = [
    t(lang, {
      en: `Serving cost for ${n(volume)} requests a day × ${n(tokens)} tokens in, ${r.outputTokens} out (${c.neededTokensPerS.toFixed(1)} input tokens/s on average):`,
      zh: `每天 ${n(volume)} 次请求，每次输入 ${n(tokens)} 个词元、输出 ${r.outputTokens} 个（平均每秒 ${c.neededTokensPerS.toFixed(1)} 个输入词元）的推理成本：`,
    }),
    t(lang, {
      en: `• Encoder (BERT-base) on CPU: ~${n(c.encoder.tokensPerS)} tokens/s per 8-core machine → ${n(c.encoder.machines)} machine(s), ~${n(c.encoder.latencyMs)} ms a request.`,
      zh: `• 编码器（BERT-base）在 CPU 上：每台 8 核机器约 ${n(c.encoder.tokensPerS)} 词元/秒 → ${n(c.encoder.machines)} 台，每次约 ${n(c.encoder.latencyMs)} 毫秒。`,
    }),
    t(lang, {
      en: `• 7B LLM (${c.llm.model}, /vram inference: ${c.llm.memoryGB.toFixed(1)} GB, ${fit}) on ${hw}: ~${c.llm.requestsPerS.toFixed(c.llm.requestsPerS < 10 ? 2 : 0)} requests/s per device → ${n(c.llm.devices)} device(s), ~${n(c.llm.latencyMs)} ms a request.`,
      zh: `• 7B LLM（${c.llm.model}，/vram 推理：${c.llm.memoryGB.toFixed(1)} GB，${fit}）在 ${hw} 上：每台设备约 ${c.llm.requestsPerS.toFixed(c.llm.requestsPerS < 10 ? 2 : 0)} 次请求/秒 → ${n(c.llm.devices)} 台，每次约 ${n(c.llm.latencyMs)} 毫秒。`,
    }),
    t(lang, {
      en: `Assumptions: BERT-base ≈ ${ENCODER_GFLOP_PER_TOKEN} GFLOP a token on a CPU sustaining ${CPU_GFLOPS} GFLOP/s (fp32; int8 ONNX ≈ 3× faster); LLM prompt at ${MFU * 100} % of the GPU's bf16 peak, output bound by memory bandwidth with ${DECODE_BATCH} requests batched (latency: one request alone). Rough figures: measure on your hardware.`,
      zh: `假设：BERT-base 每个词元约 ${ENCODER_GFLOP_PER_TOKEN} GFLOP，CPU 持续 ${CPU_GFLOPS} GFLOP/s（fp32；int8 ONNX 约快 3 倍）；LLM 读提示词按 GPU bf16 峰值的 ${MFU * 100}% 计，生成受显存带宽限制，按 ${DECODE_BATCH} 个请求合批（延迟按单个请求）。只是粗略估算，请在自己的硬件上实测。`,
    }),
  ];
  return [lines.slice(0, 3).join('\n'), lines[3] as string];
}

/** The rule table as /help choose shows it. */
export function ruleTable(lang: Lang): Table {
  return {
    headers: lang === 'zh' ? ['规则', '条件', '结论', '出处'] : ['rule', 'when', 'then', 'source'],
    rows: RULES.map((r) => [r.id, t(lang, r.when), t(lang, r.conclusion), `/topic 2 ${r.section}`]),
  };
}

export const chooseCommand = defineCommand({
  name: 'choose',
  description: {
    en: 'BERT-style encoder or decoder LLM for a task? (topic 2 as a rule table)',
    zh: '任务该用 BERT 类编码器还是解码器 LLM？（第 2 题的规则表）',
  },
  schema,
  positional: ['task'],
  examples: [
    '/choose classification volume=20000 hardware=cpu labels=0 language=zh',
    '/choose ner labels=5000 volume=200000 hardware=cpu',
    '/choose chat volume=5000 hardware=A10-24GB language=en',
  ],
  helpTable: ruleTable,
  run(args, ctx) {
    const lang = ctx.lang;
    const r = choose({
      task: args.task,
      labels: args.labels,
      labelsChange: args.labels_change,
      volumePerDay: args.volume,
      inputTokens: args.tokens,
      latencyMs: args.latency,
      hardware: args.hardware,
      language: args.language ?? lang,
    });
    const why = r.rules.map((id) => {
      const x = rule(id);
      return `• ${t(lang, x.conclusion)} [${x.section}]`;
    });
    return {
      kind: 'answer',
      lang,
      title: t(lang, {
        en: `/choose: ${VERDICT[r.verdict].en}`,
        zh: `/choose：${VERDICT[r.verdict].zh}`,
      }),
      paragraphs: [
        t(lang, {
          en: `For ${args.task}: ${VERDICT[r.verdict].en}. Suggested models: encoder ${r.models.encoder}; LLM ${r.models.llm}.`,
          zh: `任务 ${args.task}：${VERDICT[r.verdict].zh}。可选模型：编码器 ${r.models.encoder}；LLM ${r.models.llm}。`,
        }),
        `${t(lang, { en: 'Why (rules that applied, with their topic 2 section):', zh: '理由（适用的规则及其在第 2 题中的出处）：' })}\n${why.join('\n')}`,
        ...costLines(r, lang, args.volume, args.tokens),
      ],
      hints: ['/help choose', '/topic 2', `/vram ${r.cost.llm.model} mode=inference`],
      data: { input: args, ...r },
    };
  },
});
