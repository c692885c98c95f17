/**
 * /tokens and /chunk calculation questions. Token counts come from `tokenStats` (what
 * `/tokens` runs) on a fixed bilingual paragraph; chunk counts from `splitTextExplained` (what
 * `/chunk` runs) on a concrete text, because the splitter cuts at paragraph and sentence ends
 * and no formula gives its count.
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
import { PARAGRAPHS, sampleText } from './paragraphs.js';

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

const LENGTHS = [800, 1000, 1200, 1500, 2000, 2500, 3000];
const SIZES = [100, 200, 300, 500];
const OVERLAP_SHARES = [0, 0.1, 0.2];
/** Chunk sizes listed in the reveal (the rest are elided). */
const SIZES_SHOWN = 12;

function chunkMistakes(n: number, size: number, overlap: number): Mistake[] {
  const out: Mistake[] = [
    {
      value: Math.ceil((n - overlap) / (size - overlap)),
      why: {
        en: 'assuming every chunk is full size (the splitter cuts at paragraph and sentence ends, so chunks come out shorter)',
        zh: '以为每块都是满的(切分器在段落和句子结尾处切,块会更短)',
      },
    },
    {
      value: Math.ceil(n / size),
      why: { en: 'ignoring the overlap', zh: '忽略了重叠' },
    },
  ];
  if (size > 2 * overlap && overlap > 0) {
    out.push({
      value: Math.ceil((n - overlap) / (size - 2 * overlap)),
      why: { en: 'subtracting the overlap twice per chunk', zh: '每块把重叠减了两次' },
    });
  }
  out.push({
    value: Math.floor(n / size),
    why: {
      en: 'ignoring the overlap and forgetting the last, shorter chunk',
      zh: '忽略了重叠,还漏了最后那块较短的',
    },
  });
  return out;
}

function endsText(ends: Map<string, number>, lang: Lang): string {
  return [...ends].map(([k, v]) => (lang === 'zh' ? `${k} ${v} 次` : `${k} ${v}×`)).join(', ');
}

export const chunkCount: QuestionGenerator = {
  name: 'chunk',
  topic: 4,
  section: 't4.chunking',
  difficulty: 2,
  draw(random) {
    const size = pick(random, SIZES);
    const n = pick(
      random,
      LENGTHS.filter((x) => x >= 2 * size),
    );
    const overlap = Math.round(size * pick(random, OVERLAP_SHARES));
    return `${pick(random, LANGS)}.${n}.${size}.${overlap}`;
  },
  build(params) {
    const m = /^(zh|en)\.(\d+)\.(\d+)\.(\d+)$/.exec(params);
    if (!m) return undefined;
    const [n, size, overlap] = [Number(m[2]), Number(m[3]), Number(m[4])];
    const shareOk = OVERLAP_SHARES.some((s) => Math.round(size * s) === overlap);
    if (!LENGTHS.includes(n) || !SIZES.includes(size) || !shareOk || n < 2 * size) return undefined;
    if (params !== `${m[1]}.${n}.${size}.${overlap}`) return undefined;
    const lang = m[1] as Lang;
    const text = sampleText(lang, n);
    const chunks = splitTextExplained(text, { size, overlap });
    const ends = new Map<string, number>();
    for (const c of chunks) ends.set(c.endsAt, (ends.get(c.endsAt) ?? 0) + 1);
    const fewest = Math.ceil((n - overlap) / (size - overlap));
    const shown = chunks.slice(0, SIZES_SHOWN).map((c) => c.size);
    const sizes = `${shown.join(', ')}${chunks.length > SIZES_SHOWN ? ', …' : ''}`;
    const what = LANG_NAME[lang];
    return choiceQuestion({
      generator: this,
      params,
      value: chunks.length,
      format: (v) => String(v),
      question: {
        en: `/chunk splits a ${what.en} text of ${int(n)} characters with size=${size} overlap=${overlap}: chunks of at most ${size} characters, each repeating up to ${overlap} characters of the previous one, cut at paragraph, sentence or clause ends where possible. How many chunks does it make?`,
        zh: `/chunk 用 size=${size} overlap=${overlap} 切分一段 ${int(n)} 个字符的${what.zh}文本:每块最多 ${size} 个字符,与上一块最多重叠 ${overlap} 个字符,尽量在段落、句子或分句结尾处切。会切成几块?`,
      },
      working: {
        en: [
          `Each chunk after the first adds at most size − overlap = ${size - overlap} new characters, so at least ⌈(${n} − ${overlap}) / ${size - overlap}⌉ = ${fewest} chunks.`,
          `Cutting at text boundaries makes chunks shorter than ${size}: the splitter made ${chunks.length} chunks of ${sizes} characters (ends: ${endsText(ends, 'en')}).`,
        ],
        zh: [
          `第一块之后,每块最多带来 size − overlap = ${size - overlap} 个新字符,所以至少 ⌈(${n} − ${overlap}) / ${size - overlap}⌉ = ${fewest} 块。`,
          `在文本边界处切会让块短于 ${size}:切分器实际切出 ${chunks.length} 块,长度为 ${sizes}(结尾类型:${endsText(ends, 'zh')})。`,
        ],
      },
      mistakes: chunkMistakes(n, size, overlap),
      info: { command: `/chunk size=${size} overlap=${overlap} ${text}`, jsonPath: 'count' },
    });
  },
};
