/**
 * /choose's rule table: when to use a BERT-style encoder and when a decoder LLM, in the
 * project's words. Every rule names the section of topic 2 it comes from, and `/help choose`
 * prints this table as it is: the recommendation is these rules and nothing else.
 */

export const TASKS = [
  'classification',
  'ner',
  'retrieval',
  'extraction',
  'summarization',
  'qa',
  'chat',
  'generation',
] as const;
export type Task = (typeof TASKS)[number];

/** Understanding tasks (a fixed output space) and generation tasks (free text). */
export const UNDERSTANDING: readonly Task[] = ['classification', 'ner', 'extraction'];
export const GENERATION: readonly Task[] = ['summarization', 'qa', 'chat', 'generation'];

/** Labelled examples from which a fine-tuned encoder is the default. */
export const ENOUGH_LABELS = 1000;
/** Requests per day from which prompting an LLM for every request gets expensive. */
export const HIGH_VOLUME = 50_000;
/** A latency target (ms) at or below which token-by-token generation is a problem. */
export const TIGHT_LATENCY_MS = 300;

export type RuleId =
  | 'generate'
  | 'labelled'
  | 'token-level'
  | 'embeddings'
  | 'prompt-first'
  | 'distil'
  | 'volume'
  | 'cpu-only'
  | 'latency'
  | 'memory'
  | 'baseline'
  | 'fine-tune';

export interface Rule {
  id: RuleId;
  /** The section of topic 2 (src/knowledge/content, e.g. t2.nlu) the rule comes from. */
  section: string;
  when: { en: string; zh: string };
  conclusion: { en: string; zh: string };
}

export const RULES: readonly Rule[] = [
  {
    id: 'generate',
    section: 't2.nlg',
    when: {
      en: 'the output is free text (summarization, open QA, chat, generation)',
      zh: '输出是自由文本（摘要、开放问答、对话、生成）',
    },
    conclusion: {
      en: 'decoder LLM: an encoder cannot write fluent text',
      zh: '用解码器 LLM：编码器写不出流畅的文本',
    },
  },
  {
    id: 'labelled',
    section: 't2.nlu',
    when: {
      en: `classification, NER or extraction with ≥ ${ENOUGH_LABELS} labelled examples and a stable label set`,
      zh: `分类、NER 或抽取任务，有 ≥ ${ENOUGH_LABELS} 条标注且标签集稳定`,
    },
    conclusion: {
      en: 'fine-tuned encoder: usually as accurate as a prompted LLM, with stable outputs and confidence scores',
      zh: '微调编码器：通常不输于提示词 LLM，输出稳定、有置信度',
    },
  },
  {
    id: 'token-level',
    section: 't2.nlu',
    when: {
      en: 'NER or span extraction (a label per token)',
      zh: 'NER 或片段抽取（每个词元一个标签）',
    },
    conclusion: {
      en: 'encoder fits naturally: every token gets a bidirectional representation',
      zh: '编码器天然合适：每个词元都有双向表示',
    },
  },
  {
    id: 'embeddings',
    section: 't2.nlu',
    when: { en: 'retrieval or embeddings', zh: '检索或向量表示' },
    conclusion: {
      en: 'embedding encoder (BGE, E5, GTE) plus a cross-encoder reranker; an LLM only writes the answer (the RAG stack, t2.practice)',
      zh: '向量编码器（BGE、E5、GTE）加交叉编码器重排；LLM 只负责写答案（RAG，t2.practice）',
    },
  },
  {
    id: 'prompt-first',
    section: 't2.practice',
    when: {
      en: `an understanding task with < ${ENOUGH_LABELS} labels, or labels that keep changing, at low volume`,
      zh: `理解类任务，标注 < ${ENOUGH_LABELS} 条或标签经常变化，且量不大`,
    },
    conclusion: {
      en: 'prompt an LLM with a few examples and ship; collect labels as you go',
      zh: '先用带少量示例的提示词调用 LLM 上线，边用边积累标注',
    },
  },
  {
    id: 'distil',
    section: 't2.practice',
    when: {
      en: `an understanding task with < ${ENOUGH_LABELS} labels but high volume, tight latency or CPU only`,
      zh: `理解类任务，标注 < ${ENOUGH_LABELS} 条，但量大、延迟要求高或只有 CPU`,
    },
    conclusion: {
      en: 'let an LLM label a few thousand examples, review a sample by hand, then distil into a small encoder',
      zh: '让 LLM 标注几千条，人工抽查，再蒸馏到小编码器',
    },
  },
  {
    id: 'volume',
    section: 't2.resources',
    when: {
      en: `volume ≥ ${HIGH_VOLUME.toLocaleString('en-US')} requests a day, or the LLM needs more than one device`,
      zh: `每天 ≥ ${HIGH_VOLUME.toLocaleString('en-US')} 次请求，或 LLM 需要不止一台设备`,
    },
    conclusion: {
      en: 'cost per request decides: an encoder serves orders of magnitude more per device',
      zh: '单次成本说了算：同样的设备，编码器能多服务几个数量级的请求',
    },
  },
  {
    id: 'cpu-only',
    section: 't2.resources',
    when: { en: 'the hardware is CPU only', zh: '只有 CPU' },
    conclusion: {
      en: 'a BERT-base encoder runs well on CPU; a 7B LLM on CPU takes seconds per request, so use it only offline or through a GPU/API',
      zh: 'BERT-base 编码器在 CPU 上跑得很好；7B LLM 在 CPU 上每次请求要几秒，只适合离线或改用 GPU/API',
    },
  },
  {
    id: 'latency',
    section: 't2.resources',
    when: {
      en: `a latency target ≤ ${TIGHT_LATENCY_MS} ms, or one the LLM estimate misses`,
      zh: `延迟目标 ≤ ${TIGHT_LATENCY_MS} 毫秒，或 LLM 估算达不到的目标`,
    },
    conclusion: {
      en: 'an LLM generates token by token; an encoder answers in one forward pass',
      zh: 'LLM 逐词元生成；编码器一次前向就出结果',
    },
  },
  {
    id: 'memory',
    section: 't2.resources',
    when: {
      en: 'the 7B model does not fit the given GPU in bf16 (/vram mode=inference)',
      zh: '7B 模型的 bf16 推理放不进给定的 GPU（/vram mode=inference）',
    },
    conclusion: {
      en: 'quantize to 4 bits or use a 24 GB-class or larger card',
      zh: '量化到 4 bit，或换 24 GB 级别以上的卡',
    },
  },
  {
    id: 'baseline',
    section: 't2.practice',
    when: { en: 'any understanding task', zh: '任何理解类任务' },
    conclusion: {
      en: 'start with a cheap baseline (a fine-tuned encoder, or TF-IDF plus logistic regression) so you know what an LLM has to beat',
      zh: '先做便宜的基线（微调编码器，或 TF-IDF 加逻辑回归），才知道 LLM 要超过多少',
    },
  },
  {
    id: 'fine-tune',
    section: 't2.resources',
    when: { en: 'the recommendation needs training', zh: '推荐的方案需要训练' },
    conclusion: {
      en: 'fine-tuning BERT fits on one consumer GPU; an LLM needs LoRA/QLoRA (/vram … mode=qlora) or several large GPUs for full fine-tuning',
      zh: '微调 BERT 一张消费级显卡就够；LLM 要用 LoRA/QLoRA（/vram … mode=qlora），全量微调需要多张大卡',
    },
  },
];

export function rule(id: RuleId): Rule {
  return RULES.find((r) => r.id === id) as Rule;
}
