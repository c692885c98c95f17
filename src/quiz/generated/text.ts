/**
 * /tokens and /chunk calculation questions. Token counts come from `tokenStats` (what
 * `/tokens` runs) on a fixed bilingual paragraph; chunk counts from `splitTextExplained` (what
 * `/chunk` runs) on a document whose shape the question states (paragraphs of one length), so
 * the count is both what the splitter makes and what a learner can work out.
 */
import type { Lang } from '../../knowledge/text.js';
import { splitTextExplained } from '../../tools/chunk/index.js';
import {
  TOKENIZER_LABELS,
  TOKENIZER_NAMES,
  type TokenizerName,
  tokenStats,
  utf8Length,
} from '../../tools/tokens/index.js';
import type { Difficulty, QuestionGenerator } from '../bank.js';
import { type Bilingual, choiceQuestion, int, type Mistake, pick } from './common.js';
import { PARAGRAPHS } from './paragraphs.js';

const LANGS: readonly Lang[] = ['zh', 'en'];
const LANG_NAME: Record<Lang, Bilingual> = {
  zh: { en: 'Chinese', zh: '中文' },
  en: { en: 'English', zh: '英文' },
};

function tokensOf(text: string, tokenizer: TokenizerName) {
  const stats = tokenStats(text, [tokenizer]);
  return { stats, tokens: stats.counts[0]?.tokens ?? 0 };
}

function tokenMistakes(text: string, asked: Lang, otherTokens: number): Mistake[] {
  const stats = tokenStats(text, []);
  const other = LANG_NAME[asked === 'zh' ? 'en' : 'zh'];
  const out: Mistake[] = [
    {
      value: otherTokens,
      why: {
        en: `assuming it costs the same as the ${other.en} version`,
        zh: `以为和${other.zh}版本一样多`,
      },
    },
    { value: stats.chars, why: { en: 'one token per character', zh: '每个字符一个词元' } },
  ];
  if (asked === 'zh') {
    out.push(
      {
        value: utf8Length(text),
        why: {
          en: 'one token per UTF-8 byte (no merges at all)',
          zh: '每个 UTF-8 字节一个词元(完全没有合并)',
        },
      },
      {
        value: Math.round(stats.chars / 4),
        why: {
          en: 'the English rule of thumb, about 4 characters per token',
          zh: '套用英文的经验值:约 4 个字符一个词元',
        },
      },
    );
  } else {
    out.push({
      value: stats.englishWords,
      why: { en: 'exactly one token per word', zh: '每个单词恰好一个词元' },
    });
  }
  return out;
}

/** A /tokens question for a topic: the count of one version, given the other's. */
function tokensGenerator(
  name: string,
  topic: number,
  section: string,
  difficulty: Difficulty,
): QuestionGenerator {
  return {
    name,
    topic,
    section,
    difficulty,
    draw: (random) =>
      `p${Math.floor(random() * PARAGRAPHS.length) + 1}.${pick(random, LANGS)}.${pick(random, TOKENIZER_NAMES)}`,
    build(params) {
      const m = /^p(\d+)\.(zh|en)\.([a-z0-9]+)$/.exec(params);
      const pair = m ? PARAGRAPHS[Number(m[1]) - 1] : undefined;
      const tokenizer = TOKENIZER_NAMES.find((t) => t === m?.[3]);
      if (!m || !pair || !tokenizer || m[1] !== String(Number(m[1]))) return undefined;
      const asked = m[2] as Lang;
      const given: Lang = asked === 'zh' ? 'en' : 'zh';
      const answer = tokensOf(pair[asked], tokenizer).tokens;
      const known = tokensOf(pair[given], tokenizer).tokens;
      const label = TOKENIZER_LABELS[tokenizer];
      const index = TOKENIZER_NAMES.indexOf(tokenizer);
      const texts = `${LANG_NAME.zh.en}: ${pair.zh}\n${LANG_NAME.en.en}: ${pair.en}`;
      const textsZh = `中文:${pair.zh}\n英文:${pair.en}`;
      const a = LANG_NAME[asked];
      const g = LANG_NAME[given];
      return choiceQuestion({
        generator: this,
        params,
        value: answer,
        format: (v) => `${int(v)} tokens`,
        minGap: 0.08,
        question: {
          en: `Under ${label}, the ${g.en} version below costs ${known} tokens. How many tokens does the ${a.en} version cost?\n${texts}`,
          zh: `在 ${label} 下,下面的${g.zh}版本是 ${known} 个词元。${a.zh}版本是多少个词元?\n${textsZh}`,
        },
        working: {
          en: [
            `${label}: ${a.en} ${answer} tokens for ${[...pair[asked]].length} characters, ${g.en} ${known} tokens for ${[...pair[given]].length} characters.`,
            `Check it: /tokens followed by the ${a.en} text (--json: counts[${index}].tokens).`,
          ],
          zh: [
            `${label}:${a.zh} ${answer} 个词元(${[...pair[asked]].length} 个字符),${g.zh} ${known} 个词元(${[...pair[given]].length} 个字符)。`,
            `自己验证:/tokens 加上${a.zh}原文(--json 输出中的 counts[${index}].tokens)。`,
          ],
        },
        mistakes: tokenMistakes(pair[asked], asked, known),
        info: { command: `/tokens ${pair[asked]}`, jsonPath: `counts[${index}].tokens` },
      });
    },
  };
}

export const tokensContext = tokensGenerator('tokens', 1, 't1.practice', 1);
export const tokensChunking = tokensGenerator('tokens-chunking', 4, 't4.chunking', 2);

// ——— how many chunks ———

/**
 * Paragraph lengths and chunk sizes the chunk question draws from. A pair is used only when the
 * number of whole paragraphs a chunk holds is the same whether or not the blank lines count, and
 * those paragraphs fill at least the share of the chunk the splitter needs to prefer a paragraph
 * end over a later sentence end, so the question is answerable by reasoning (and the splitter
 * agrees: see the tests).
 */
const PARAGRAPH_LENGTHS = [120, 150, 180, 200, 250, 300, 400];
const CHUNK_SIZES = [300, 500, 800, 1000];
/** Paragraph counts drawn (more than one chunk's worth). */
const MAX_PARAGRAPHS = 16;
/** A blank line between paragraphs: `\n\n`. */
const GAP = 2;
/** The splitter cuts at a paragraph end when the chunk keeps at least this share (engine.ts). */
const PARAGRAPH_FILL = 0.8;

/** Whole paragraphs of `length` that fit in a chunk of `size`, or undefined for a pair not used. */
export function paragraphsPerChunk(length: number, size: number): number | undefined {
  const k = Math.floor(size / (length + GAP));
  const fill = (k * (length + GAP)) / size;
  return k >= 2 && Math.floor(size / length) === k && fill >= PARAGRAPH_FILL ? k : undefined;
}

const PAIRS = PARAGRAPH_LENGTHS.flatMap((length) =>
  CHUNK_SIZES.filter((size) => paragraphsPerChunk(length, size) !== undefined).map(
    (size) => [length, size] as const,
  ),
);

/** Paragraph `i` of a document: `length` code points of prose ending with a full stop. */
function paragraph(lang: Lang, i: number, length: number): string {
  const source = [...PARAGRAPHS.slice(i % PARAGRAPHS.length), ...PARAGRAPHS]
    .map((p) => p[lang])
    .join(lang === 'zh' ? '' : ' ');
  const body = [...source].slice(0, length - 1);
  if (/\s/u.test(body.at(-1) ?? '')) body[body.length - 1] = 's';
  return `${body.join('')}${lang === 'zh' ? '。' : '.'}`;
}

function packMistakes(
  count: number,
  perChunk: number,
  textLength: number,
  size: number,
): Mistake[] {
  return [
    {
      value: Math.ceil(textLength / size),
      why: {
        en: 'cutting every size characters as if the text were one stream (the splitter keeps paragraphs whole)',
        zh: '把文本当成一整段、每 size 个字符切一刀(切分器会保持段落完整)',
      },
    },
    { value: count, why: { en: 'one chunk per paragraph', zh: '每段一块' } },
    {
      value: Math.floor(count / perChunk),
      why: { en: 'forgetting the last, partly filled chunk', zh: '漏了最后那个没装满的块' },
    },
    {
      value: Math.ceil(count / (perChunk + 1)),
      why: {
        en: 'fitting one paragraph more per chunk than fits',
        zh: '每块多算了一段(其实装不下)',
      },
    },
    {
      value: Math.ceil(count / (perChunk - 1)),
      why: {
        en: 'one paragraph fewer per chunk than fits',
        zh: '每块少装了一段(其实装得下)',
      },
    },
  ];
}

export const chunkPack: QuestionGenerator = {
  name: 'chunk-pack',
  topic: 4,
  section: 't4.chunking',
  difficulty: 2,
  draw(random) {
    const [length, size] = pick(random, PAIRS);
    const perChunk = paragraphsPerChunk(length, size) ?? 2;
    const count = perChunk + 1 + Math.floor(random() * (MAX_PARAGRAPHS - perChunk));
    return `${pick(random, LANGS)}.${count}.${length}.${size}`;
  },
  build(params) {
    const m = /^(zh|en)\.(\d+)\.(\d+)\.(\d+)$/.exec(params);
    if (!m) return undefined;
    const [count, length, size] = [Number(m[2]), Number(m[3]), Number(m[4])];
    const perChunk = PAIRS.some(([l, s]) => l === length && s === size)
      ? paragraphsPerChunk(length, size)
      : undefined;
    if (perChunk === undefined || count <= perChunk || count > MAX_PARAGRAPHS) return undefined;
    if (params !== `${m[1]}.${count}.${length}.${size}`) return undefined;
    return buildPack(this, params, m[1] as Lang, { count, length, size, perChunk });
  },
};

function percent(share: number): string {
  return `${Math.floor(share * 100)} %`;
}

interface Pack {
  count: number;
  length: number;
  size: number;
  perChunk: number;
}

function buildPack(g: QuestionGenerator, params: string, lang: Lang, p: Pack) {
  const paragraphs = Array.from({ length: p.count }, (_, i) => paragraph(lang, i, p.length));
  const text = paragraphs.join('\n\n');
  const textLength = [...text].length;
  const chunks = splitTextExplained(text, { size: p.size, overlap: 0 });
  const used = p.perChunk * (p.length + GAP);
  const next = used + p.length + GAP;
  const what = LANG_NAME[lang];
  const sizes = chunks.map((c) => c.size).join(', ');
  return choiceQuestion({
    generator: g,
    params,
    value: chunks.length,
    format: (v) => String(v),
    whole: true,
    question: {
      en: `/chunk size=${p.size} overlap=0 splits ${lang === 'en' ? 'an' : 'a'} ${what.en} text of ${int(textLength)} characters: ${p.count} paragraphs of ${p.length} characters each, with a blank line (2 characters) between two paragraphs. The splitter ends a chunk at a paragraph end when that keeps it at least 80 % full, else at a sentence end. How many chunks does it make?`,
      zh: `/chunk size=${p.size} overlap=0 切分一段 ${int(textLength)} 个字符的${what.zh}文本:共 ${p.count} 段,每段 ${p.length} 个字符,段与段之间隔一个空行(2 个字符)。如果在段落结尾切能让这块至少装满 80%,切分器就在段落结尾切,否则在句子结尾切。会切成几块?`,
    },
    working: {
      en: [
        `A paragraph and the blank line after it take ${p.length} + 2 = ${p.length + GAP} characters. ${p.perChunk} of them fit in one chunk: ${p.perChunk} × ${p.length + GAP} = ${used} ≤ ${p.size} (${percent(used / p.size)} full, so the chunk ends at that paragraph end); one more would make ${next} > ${p.size}.`,
        `So ⌈${p.count} / ${p.perChunk}⌉ = ${chunks.length} chunks, of ${sizes} characters.`,
        `Check it: /chunk size=${p.size} on any text of ${p.count} paragraphs of ${p.length} characters (--json: count).`,
      ],
      zh: [
        `一段加上其后的空行共 ${p.length} + 2 = ${p.length + GAP} 个字符。一块能装下 ${p.perChunk} 段:${p.perChunk} × ${p.length + GAP} = ${used} ≤ ${p.size}(装满 ${percent(used / p.size)},所以在这段结尾切);再加一段就是 ${next} > ${p.size}。`,
        `所以 ⌈${p.count} / ${p.perChunk}⌉ = ${chunks.length} 块,长度为 ${sizes}。`,
        `自己验证:对任意一段由 ${p.count} 段、每段 ${p.length} 个字符组成的文本运行 /chunk size=${p.size}(--json 输出中的 count)。`,
      ],
    },
    mistakes: packMistakes(p.count, p.perChunk, textLength, p.size),
    info: { command: `/chunk size=${p.size} overlap=0 ${text}`, jsonPath: 'count' },
  });
}
