import { z } from 'zod';
import type { TokenStats } from '../../tools/tokens/index.js';
import { defineCommand, option } from '../command.js';
import { jobFailureReply } from '../jobs/runner.js';
import type { Lang, Reply } from '../types.js';

/** `/tokens <text>`: what a text costs under several real tokenizers. */

/** Longest text `/tokens` counts (characters; the LLaMA tokenizer is slow on huge inputs). */
export const MAX_TOKENS_INPUT = 200_000;

const fmt = (x: number | null): string => (x === null ? '–' : x.toFixed(2));

/** Tokens of an 8k window, for the "holds about N characters/words" line. */
const WINDOW = 8192;

function errorReply(lang: Lang, title: Text, message: Text, data: Reply['data']): Reply {
  return { kind: 'error', lang, title: title[lang], paragraphs: [message[lang]], data };
}

/**
 * What the text costs under GPT-4o: per Chinese character for Chinese, per English word for
 * English, both for mixed text, per character for text with neither (digits, emoji).
 */
function costLine(stats: TokenStats, lang: Lang): string | undefined {
  const o200k = stats.counts.find((c) => c.tokenizer === 'o200k');
  if (!o200k) return undefined;
  const zh = o200k.perChineseChar;
  const en = o200k.perEnglishWord;
  const zhLang = lang === 'zh';
  const parts: string[] = [];
  const fit: string[] = [];
  if (zh !== null) {
    parts.push(
      zhLang
        ? `每个汉字约 ${zh.toFixed(2)} 个词元`
        : `${zh.toFixed(2)} tokens per Chinese character`,
    );
    if (zh > 0)
      fit.push(
        zhLang
          ? `约 ${Math.floor(WINDOW / zh)} 个汉字`
          : `about ${Math.floor(WINDOW / zh)} Chinese characters`,
      );
  }
  if (en !== null) {
    parts.push(
      zhLang
        ? `每个英文单词约 ${en.toFixed(2)} 个词元`
        : `${en.toFixed(2)} tokens per English word`,
    );
    if (en > 0)
      fit.push(
        zhLang
          ? `约 ${Math.floor(WINDOW / en)} 个英文单词`
          : `about ${Math.floor(WINDOW / en)} English words`,
      );
  }
  if (zh === null && en === null) {
    const per = o200k.tokens / Math.max(1, stats.chars);
    parts.push(
      zhLang ? `每个字符约 ${per.toFixed(2)} 个词元` : `${per.toFixed(2)} tokens per character`,
    );
  }
  if (zhLang) {
    const holds = fit.length
      ? `一个 8k 词元的上下文窗口大约放得下${fit.join('或')}（见 /topic 1）。`
      : '（见 /topic 1）';
    return `在 GPT-4o（o200k）下，${parts.join('，')}。${holds}`;
  }
  const holds = fit.length
    ? ` An 8k-token context window holds ${fit.join(' or ')} (see /topic 1).`
    : ' (See /topic 1.)';
  return `Under GPT-4o (o200k): ${parts.join(', ')}.${holds}`;
}

/** One row per tokenizer plus characters; only the per-unit columns the text has. */
function tokenTable(stats: TokenStats, lang: Lang): { headers: string[]; rows: string[][] } {
  const zh = lang === 'zh';
  const hasZh = stats.chineseChars > 0;
  const hasEn = stats.englishWords > 0;
  const headers = [zh ? '分词器' : 'tokenizer', zh ? '词元' : 'tokens'];
  if (hasZh) headers.push(zh ? '词元/汉字' : 'tokens/Chinese char');
  if (hasEn) headers.push(zh ? '词元/英文单词' : 'tokens/English word');
  if (!hasZh && !hasEn) headers.push(zh ? '词元/字符' : 'tokens/char');
  const perUnit = (tokens: number, perZh: number | null, perEn: number | null): string[] => {
    const cells: string[] = [];
    if (hasZh) cells.push(fmt(perZh));
    if (hasEn) cells.push(fmt(perEn));
    if (!hasZh && !hasEn) cells.push(fmt(tokens / Math.max(1, stats.chars)));
    return cells;
  };
  const rows = stats.counts.map((c) => [
    c.label,
    String(c.tokens),
    ...perUnit(c.tokens, c.perChineseChar, c.perEnglishWord),
  ]);
  rows.push([
    zh ? '字符（码点）' : 'characters (code points)',
    String(stats.chars),
    ...perUnit(stats.chars, 1, null),
  ]);
  return { headers, rows };
}

type Text = Record<Lang, string>;

export const tokensCommand = defineCommand({
  name: 'tokens',
  description: {
    en: 'Count tokens under GPT-4o (o200k), GPT-4 (cl100k) and LLaMA tokenizers',
    zh: '用 GPT-4o（o200k）、GPT-4（cl100k）和 LLaMA 分词器数词元',
  },
  schema: z.object({
    text: option(z.string().optional(), 'The text to count', '要统计的文本'),
  }),
  rest: 'text',
  examples: ['/tokens 大语言模型 large language model', '/tokens How long is too long?'],
  async run(args, ctx): Promise<Reply> {
    const { lang } = ctx;
    const text = args.text ?? '';
    if (text.trim() === '') {
      return errorReply(
        lang,
        { en: '/tokens: no text', zh: '/tokens：缺少文本' },
        {
          en: 'Put the text to count after /tokens, e.g. /tokens How long is too long?',
          zh: '请在 /tokens 后面写上要统计的文本，例如：/tokens 大语言模型 large language model',
        },
        { error: { option: 'text' } },
      );
    }
    if (text.length > MAX_TOKENS_INPUT) {
      return errorReply(
        lang,
        { en: '/tokens: text too long', zh: '/tokens：文本太长' },
        {
          en: `The text has ${text.length} characters; /tokens counts at most ${MAX_TOKENS_INPUT}.`,
          zh: `文本有 ${text.length} 个字符，/tokens 最多统计 ${MAX_TOKENS_INPUT} 个。`,
        },
        { error: { option: 'text', max: MAX_TOKENS_INPUT } },
      );
    }
    const done = await ctx.jobs.run('tokens', { text });
    if (!done.ok) return jobFailureReply(done, lang, '/tokens');
    const stats = done.value;
    const paragraphs = [
      lang === 'zh'
        ? `${stats.chars} 个字符（其中汉字 ${stats.chineseChars} 个，英文单词 ${stats.englishWords} 个）。`
        : `${stats.chars} characters (${stats.chineseChars} Chinese characters, ${stats.englishWords} English words).`,
    ];
    const cost = costLine(stats, lang);
    if (cost) paragraphs.push(cost);
    return {
      kind: 'answer',
      lang,
      title: lang === 'zh' ? '/tokens：词元数' : '/tokens: token counts',
      paragraphs,
      table: tokenTable(stats, lang),
      hints: ['/topic 1', '/chunk unit=tokens'],
      data: stats,
    };
  },
});
