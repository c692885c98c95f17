/**
 * Seeded generator of synthetic Chinese and English documents for the splitter benchmark and
 * tests: headings, bullet and numbered lists, paragraphs with full-width indents, decimals
 * (99.5%), abbreviations (e.g., Dr., U.S.), quotes, ellipses, emoji, and long unbroken
 * sentences longer than a chunk (Chinese runs of 1,200–2,000 characters with only commas or no
 * punctuation at all; English run-on sentences of 1,200–3,000 characters) making up a few
 * percent of the text. Nothing is committed: the same seed always gives the same text.
 *
 * Two profiles, the same sentences in both; they differ only in how sentences are grouped:
 * - `realistic` (default): authored documents — paragraphs of 1–9 sentences (most shorter than
 *   a 1,000-character chunk), headings and lists, blocks mostly separated by blank lines.
 * - `long-paragraph` ("extracted text", as from PDFs, web pages, novels or transcripts):
 *   paragraphs of 1,500–6,000 characters (uniform) with no line break inside, blocks separated
 *   by a single line break more often than by a blank line, and fewer headings and lists.
 */

import { seededRandom } from '../src/tools/shared/random.js';

export { seededRandom };

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
const EN_LINKS = ['and', 'which', 'because', 'so', 'while', 'then', 'but'];
const EN_ABBR = ['e.g.', 'i.e.', 'Dr.', 'Mr.', 'U.S.', 'approx.', 'vs.', 'Fig.'];
const EMOJI = ['😀', '👍🏽', '🚀', '👨‍👩‍👧‍👦', '🇨🇳', '❤️', '1️⃣', '✅'];

/**
 * Long unbroken sentences make up about this share of the text: one is written (at random, with
 * probability 2 % per sentence) only while their share so far is below it, so short and long
 * documents alike carry about 3 %.
 */
const LONG_SHARE = 0.03;

export type CorpusLang = 'zh' | 'en';

/** How sentences are grouped into blocks (see the file comment). */
export type CorpusProfile = 'realistic' | 'long-paragraph';
export const CORPUS_PROFILES: readonly CorpusProfile[] = ['realistic', 'long-paragraph'];

/** Paragraph length range of the long-paragraph profile (code points). */
const LONG_PARAGRAPH = { min: 1500, max: 6000 } as const;

/** What a generated document contains (counts), to describe the corpus next to results. */
export interface CorpusStats {
  lang: CorpusLang;
  profile: CorpusProfile;
  /** UTF-8 bytes and Unicode code points of the text. */
  bytes: number;
  chars: number;
  headings: number;
  listItems: number;
  paragraphs: number;
  /** Paragraph lengths (code points, indent included): median, 90th percentile, longest. */
  paragraphMedian: number;
  paragraphP90: number;
  paragraphMax: number;
  /** Share of the text in paragraphs longer than a 1,000-character chunk. */
  longParagraphShare: number;
  sentences: number;
  /** Long unbroken sentences (longer than a 1,000-character chunk) and their share of the text. */
  longSentences: number;
  longSentenceChars: number;
  longSentenceShare: number;
  longSentenceMax: number;
  decimals: number;
  abbreviations: number;
  emoji: number;
  quotes: number;
}

interface Gen {
  r: () => number;
  pick<T>(xs: readonly T[]): T;
  int(lo: number, hi: number): number;
  stats: CorpusStats;
  /** Lengths of the paragraphs written (code points). */
  paragraphLengths: number[];
}

function gen(seed: number, lang: CorpusLang, profile: CorpusProfile): Gen {
  const r = seededRandom(seed);
  return {
    r,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T,
    int: (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1)),
    paragraphLengths: [],
    stats: {
      lang,
      profile,
      bytes: 0,
      chars: 0,
      headings: 0,
      listItems: 0,
      paragraphs: 0,
      paragraphMedian: 0,
      paragraphP90: 0,
      paragraphMax: 0,
      longParagraphShare: 0,
      sentences: 0,
      longSentences: 0,
      longSentenceChars: 0,
      longSentenceShare: 0,
      longSentenceMax: 0,
      decimals: 0,
      abbreviations: 0,
      emoji: 0,
      quotes: 0,
    },
  };
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function decimal(g: Gen): string {
  g.stats.decimals++;
  return `${g.int(1, 999)}.${g.int(1, 99)}${g.pick(['%', '', ' GB', 'B'])}`;
}

function emoji(g: Gen): string {
  g.stats.emoji++;
  return g.pick(EMOJI);
}

function wantLong(g: Gen): boolean {
  return g.stats.longSentenceChars < LONG_SHARE * g.stats.chars && g.r() < 0.02;
}

function recordLong(g: Gen, s: string): string {
  const n = codePoints(s);
  g.stats.longSentences++;
  g.stats.longSentenceChars += n;
  g.stats.longSentenceMax = Math.max(g.stats.longSentenceMax, n);
  return s;
}

/** A Chinese sentence of 1,200–2,000 characters: no punctuation at all, or only commas. */
function zhLongSentence(g: Gen): string {
  const target = g.int(1200, 2000);
  const commas = g.r() < 0.5;
  let s = '';
  let n = 0;
  let sinceComma = 0;
  let clause = g.int(12, 40);
  while (n < target) {
    const x = g.r();
    const w =
      x < 0.02 ? decimal(g) : x < 0.03 ? g.pick(['GPT-4', 'LLaMA', 'RAG']) : g.pick(ZH_WORDS);
    s += w;
    n += w.length;
    sinceComma += w.length;
    if (commas && sinceComma >= clause && n < target) {
      s += g.pick(['，', '，', '，', '、']);
      n++;
      sinceComma = 0;
      clause = g.int(12, 40);
    }
  }
  return recordLong(g, `${s}${g.pick(['。', '。', '！'])}`);
}

function zhSentence(g: Gen): string {
  g.stats.sentences++;
  if (wantLong(g)) return zhLongSentence(g);
  const clauses = g.int(1, 4);
  let s = '';
  for (let c = 0; c < clauses; c++) {
    const words = g.int(3, 12);
    for (let w = 0; w < words; w++) {
      const x = g.r();
      if (x < 0.03) s += decimal(g);
      else if (x < 0.04) s += emoji(g);
      else if (x < 0.05) s += g.pick(['GPT-4', 'LLaMA', 'RAG', 'Transformer']);
      else s += g.pick(ZH_WORDS);
    }
    if (c < clauses - 1) s += g.pick(ZH_CLAUSE_END);
  }
  s += g.pick(ZH_SENT_END);
  if (g.r() < 0.08) {
    g.stats.quotes++;
    s = `他说：“${s}”`;
  } else if (g.r() < 0.03) {
    g.stats.quotes++;
    s = `「${s}」`;
  }
  return s;
}

/** An English run-on sentence of 1,200–3,000 characters: linked clauses, commas or none. */
function enLongSentence(g: Gen): string {
  const target = g.int(1200, 3000);
  const commas = g.r() < 0.5;
  const parts: string[] = [];
  let n = 0;
  let sinceLink = 0;
  let clause = g.int(8, 20);
  while (n < target) {
    const x = g.r();
    let word: string;
    if (x < 0.02) word = decimal(g);
    else if (x < 0.03) {
      g.stats.abbreviations++;
      word = g.pick(EN_ABBR);
    } else word = g.pick(EN_WORDS);
    sinceLink++;
    if (sinceLink >= clause) {
      if (commas) word += ',';
      parts.push(word);
      word = g.pick(EN_LINKS);
      sinceLink = 0;
      clause = g.int(8, 20);
    }
    parts.push(word);
    n += word.length + 1;
  }
  const first = parts[0] ?? 'the';
  parts[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return recordLong(g, `${parts.join(' ')}.`);
}

function enSentence(g: Gen): string {
  g.stats.sentences++;
  if (wantLong(g)) return enLongSentence(g);
  const words = g.int(6, 28);
  const parts: string[] = [];
  for (let w = 0; w < words; w++) {
    const x = g.r();
    let word: string;
    if (x < 0.02) word = decimal(g);
    else if (x < 0.035) {
      g.stats.abbreviations++;
      word = g.pick(EN_ABBR);
    } else if (x < 0.042) word = emoji(g);
    else word = g.pick(EN_WORDS);
    if (w > 2 && w < words - 2 && g.r() < 0.07) word += g.pick([',', ',', ';', ':']);
    parts.push(word);
  }
  const first = parts[0] ?? 'The';
  parts[0] = first.charAt(0).toUpperCase() + first.slice(1);
  let s = parts.join(' ') + g.pick(['.', '.', '.', '.', '!', '?', '...']);
  if (g.r() < 0.06) {
    g.stats.quotes++;
    s = `"${s}"`;
  } else if (g.r() < 0.03) {
    g.stats.quotes++;
    s = `(${s})`;
  }
  return s;
}

function paragraph(g: Gen, lang: CorpusLang): string {
  g.stats.paragraphs++;
  const n = g.int(1, 9);
  const sentences: string[] = [];
  for (let i = 0; i < n; i++) sentences.push(lang === 'zh' ? zhSentence(g) : enSentence(g));
  const p = lang === 'zh' ? `　　${sentences.join('')}` : sentences.join(' ');
  g.paragraphLengths.push(codePoints(p));
  return p;
}

/**
 * A paragraph of extracted text: sentences until a length drawn uniformly from 1,500–6,000
 * characters is reached (one long unbroken sentence may carry it a little past), no line break.
 */
function longParagraph(g: Gen, lang: CorpusLang): string {
  g.stats.paragraphs++;
  const target = g.int(LONG_PARAGRAPH.min, LONG_PARAGRAPH.max);
  const sentences: string[] = [];
  let n = lang === 'zh' ? 2 : 0;
  while (n < target) {
    const s = lang === 'zh' ? zhSentence(g) : enSentence(g);
    sentences.push(s);
    n += codePoints(s) + (lang === 'zh' ? 0 : 1);
  }
  const p = lang === 'zh' ? `　　${sentences.join('')}` : sentences.join(' ');
  g.paragraphLengths.push(codePoints(p));
  return p;
}

function block(g: Gen, lang: CorpusLang, index: number, profile: CorpusProfile): string {
  const x = g.r();
  // Extracted text keeps fewer headings and lists: its blocks are mostly long paragraphs.
  const scale = profile === 'long-paragraph' ? 0.5 : 1;
  if (x < 0.08 * scale) {
    g.stats.headings++;
    return lang === 'zh'
      ? `## 第${index}节 ${g.pick(ZH_WORDS)}`
      : `## Section ${index}.${g.int(1, 9)}`;
  }
  if (x < 0.16 * scale) {
    const items: string[] = [];
    const numbered = g.r() < 0.5;
    for (let i = 1; i <= g.int(2, 6); i++) {
      g.stats.listItems++;
      const body = lang === 'zh' ? zhSentence(g) : enSentence(g);
      items.push(`${numbered ? `${i}.` : '-'} ${body}`);
    }
    return items.join('\n');
  }
  return profile === 'long-paragraph' ? longParagraph(g, lang) : paragraph(g, lang);
}

/** UTF-8 length of a string (fast path for generated text). */
function utf8(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** A synthetic document of at least `bytes` UTF-8 bytes and what it contains. */
export function generateCorpusWithStats(
  lang: CorpusLang,
  bytes: number,
  seed = 42,
  profile: CorpusProfile = 'realistic',
): { text: string; stats: CorpusStats } {
  const g = gen(seed ^ (lang === 'zh' ? 0x5a48 : 0x454e), lang, profile);
  const parts: string[] = [];
  let total = 0;
  let i = 1;
  // Blank lines between blocks: 90 % in authored documents, 40 % in extracted text.
  const blank = profile === 'long-paragraph' ? 0.4 : 0.9;
  while (total < bytes) {
    const b = block(g, lang, i++, profile);
    const sep = g.r() < blank ? '\n\n' : '\n';
    parts.push(b, sep);
    total += utf8(b) + sep.length;
    g.stats.chars += codePoints(b) + sep.length;
  }
  const s = g.stats;
  s.bytes = total;
  const chars = s.chars;
  s.longSentenceShare = chars > 0 ? s.longSentenceChars / chars : 0;
  const lens = [...g.paragraphLengths].sort((a, b) => a - b);
  const at = (q: number) => lens[Math.min(lens.length - 1, Math.floor(q * lens.length))] ?? 0;
  s.paragraphMedian = at(0.5);
  s.paragraphP90 = at(0.9);
  s.paragraphMax = lens.at(-1) ?? 0;
  let long = 0;
  for (const n of lens) if (n > 1000) long += n;
  s.longParagraphShare = chars > 0 ? long / chars : 0;
  return { text: parts.join(''), stats: s };
}

/** A synthetic document of at least `bytes` UTF-8 bytes, the same for the same seed. */
export function generateCorpus(
  lang: CorpusLang,
  bytes: number,
  seed = 42,
  profile: CorpusProfile = 'realistic',
): string {
  return generateCorpusWithStats(lang, bytes, seed, profile).text;
}

/** One line describing a corpus, for benchmark output. */
export function describeCorpus(s: CorpusStats): string {
  const per = (k: number) => ((1000 * k) / Math.max(1, s.chars)).toFixed(2);
  return (
    `${s.lang} [${s.profile}]: ${(s.bytes / 1e6).toFixed(1)} MB, ${s.chars} chars; ` +
    `${s.headings} headings, ${s.paragraphs} paragraphs (median ${s.paragraphMedian} chars, ` +
    `p90 ${s.paragraphP90}, max ${s.paragraphMax}; ${(100 * s.longParagraphShare).toFixed(0)}% ` +
    `of the text in paragraphs over 1,000 chars), ${s.listItems} list items, ` +
    `${s.sentences} sentences; ` +
    `${s.longSentences} long unbroken sentences (${(100 * s.longSentenceShare).toFixed(1)}% of ` +
    `the text, up to ${s.longSentenceMax} chars); per 1,000 chars: ${per(s.decimals)} decimals, ` +
    `${per(s.abbreviations)} abbreviations, ${per(s.emoji)} emoji, ${per(s.quotes)} quotes`
  );
}

/** A paragraph line (not a heading, list item, quote or indented line): what hard wrapping cuts. */
const WRAPPABLE = /^(?![#>\s]|[-*+] |\d+\. )/;

/**
 * Hard-wrap the paragraphs of a text at `width` columns, as plain-text English is (email,
 * RFCs, Project Gutenberg): the last space that keeps a line within `width` becomes a line
 * break. Headings, list items and indented lines are left alone. The result has the same
 * length and the same offsets as the input (a space becomes a `\n`), so the input's sentence
 * ends are the wrapped text's true sentence ends.
 */
export function hardWrap(text: string, width = 72): string {
  const out = text.split('\n').map((line) => {
    if (line.length <= width || !WRAPPABLE.test(line)) return line;
    const chars = [...line];
    let lineStart = 0;
    let lastSpace = -1;
    for (let i = 0; i < chars.length; i++) {
      if (chars[i] === ' ') lastSpace = i;
      if (i - lineStart >= width && lastSpace > lineStart) {
        chars[lastSpace] = '\n';
        lineStart = lastSpace + 1;
        lastSpace = -1;
      }
    }
    return chars.join('');
  });
  return out.join('\n');
}
