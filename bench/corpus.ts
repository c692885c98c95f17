/**
 * Seeded generator of synthetic Chinese and English documents for the splitter benchmark and
 * tests: headings, bullet and numbered lists, paragraphs with full-width indents, decimals
 * (99.5%), abbreviations (e.g., Dr., U.S.), quotes, ellipses, emoji and long unbroken
 * sentences. Nothing is committed: the same seed always gives the same text.
 */

/** mulberry32: a tiny, fast, seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZH_WORDS = (
  '人工智能 大语言模型 上下文 窗口 训练 数据 参数 注意力 机制 我们 可以 需要 通过 进行 ' +
  '文本 向量 检索 生成 推理 能力 问题 答案 用户 系统 方法 结果 重要 长度 显存 计算 ' +
  '分词器 切分 重叠 段落 句子 知识 学习 模型的 这个 那些 一种 非常 已经 因为 所以 但是 ' +
  '如果 就是 以及 对于 其中 然后 可能 没有 不同 提高 降低 理解 表示 输入 输出 评估'
).split(' ');
const ZH_CLAUSE_END = ['，', '，', '，', '、', '：'];
const ZH_SENT_END = ['。', '。', '。', '。', '！', '？', '；', '……'];
const EN_WORDS = (
  'the model reads a long text and splits it into chunks that fit the context window of ' +
  'an encoder while keeping sentences whole so retrieval works better for every user who ' +
  'asks questions about attention tokens training data memory parameters layers vectors ' +
  'search answers results methods quality length overlap paragraph sentence clause word ' +
  'large language models learn patterns from examples during pretraining and fine tuning'
).split(' ');
const EN_ABBR = ['e.g.', 'i.e.', 'Dr.', 'Mr.', 'U.S.', 'approx.', 'vs.', 'Fig.'];
const EMOJI = ['😀', '👍🏽', '🚀', '👨‍👩‍👧‍👦', '🇨🇳', '❤️', '1️⃣', '✅'];

export type CorpusLang = 'zh' | 'en';

interface Gen {
  r: () => number;
  pick<T>(xs: readonly T[]): T;
  int(lo: number, hi: number): number;
}

function gen(seed: number): Gen {
  const r = seededRandom(seed);
  return {
    r,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T,
    int: (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1)),
  };
}

function decimal(g: Gen): string {
  return `${g.int(1, 999)}.${g.int(1, 99)}${g.pick(['%', '', ' GB', 'B'])}`;
}

function zhSentence(g: Gen): string {
  const long = g.r() < 0.005;
  const clauses = long ? 1 : g.int(1, 4);
  let s = '';
  for (let c = 0; c < clauses; c++) {
    const words = long ? g.int(120, 400) : g.int(3, 12);
    for (let w = 0; w < words; w++) {
      const x = g.r();
      if (x < 0.03) s += decimal(g);
      else if (x < 0.04) s += g.pick(EMOJI);
      else if (x < 0.05) s += g.pick(['GPT-4', 'LLaMA', 'RAG', 'Transformer']);
      else s += g.pick(ZH_WORDS);
    }
    if (c < clauses - 1) s += g.pick(ZH_CLAUSE_END);
  }
  s += g.pick(ZH_SENT_END);
  if (g.r() < 0.08) s = `他说：“${s}”`;
  else if (g.r() < 0.03) s = `「${s}」`;
  return s;
}

function enSentence(g: Gen): string {
  const long = g.r() < 0.005;
  const words = long ? g.int(150, 400) : g.int(6, 28);
  const parts: string[] = [];
  for (let w = 0; w < words; w++) {
    const x = g.r();
    let word: string;
    if (x < 0.02) word = decimal(g);
    else if (x < 0.035) word = g.pick(EN_ABBR);
    else if (x < 0.042) word = g.pick(EMOJI);
    else word = g.pick(EN_WORDS);
    if (!long && w > 2 && w < words - 2 && g.r() < 0.07) word += g.pick([',', ',', ';', ':']);
    parts.push(word);
  }
  const first = parts[0] ?? 'The';
  parts[0] = first.charAt(0).toUpperCase() + first.slice(1);
  let s = parts.join(' ') + g.pick(['.', '.', '.', '.', '!', '?', '...']);
  if (g.r() < 0.06) s = `"${s}"`;
  else if (g.r() < 0.03) s = `(${s})`;
  return s;
}

function paragraph(g: Gen, lang: CorpusLang): string {
  const n = g.int(1, 9);
  const sentences: string[] = [];
  for (let i = 0; i < n; i++) sentences.push(lang === 'zh' ? zhSentence(g) : enSentence(g));
  return lang === 'zh' ? `　　${sentences.join('')}` : sentences.join(' ');
}

function block(g: Gen, lang: CorpusLang, index: number): string {
  const x = g.r();
  if (x < 0.08) {
    return lang === 'zh'
      ? `## 第${index}节 ${g.pick(ZH_WORDS)}`
      : `## Section ${index}.${g.int(1, 9)}`;
  }
  if (x < 0.16) {
    const items: string[] = [];
    const numbered = g.r() < 0.5;
    for (let i = 1; i <= g.int(2, 6); i++) {
      const body = lang === 'zh' ? zhSentence(g) : enSentence(g);
      items.push(`${numbered ? `${i}.` : '-'} ${body}`);
    }
    return items.join('\n');
  }
  return paragraph(g, lang);
}

/** UTF-8 length of a string (fast path for generated text). */
function utf8(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** A synthetic document of at least `bytes` UTF-8 bytes, the same for the same seed. */
export function generateCorpus(lang: CorpusLang, bytes: number, seed = 42): string {
  const g = gen(seed ^ (lang === 'zh' ? 0x5a48 : 0x454e));
  const parts: string[] = [];
  let total = 0;
  let i = 1;
  while (total < bytes) {
    const b = block(g, lang, i++);
    const sep = g.r() < 0.9 ? '\n\n' : '\n';
    parts.push(b, sep);
    total += utf8(b) + sep.length;
  }
  return parts.join('');
}
