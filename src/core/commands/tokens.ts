import { z } from 'zod';
import { defineCommand, option } from '../command.js';
import { jobFailureReply } from '../jobs/runner.js';
import type { Reply } from '../types.js';

/** `/tokens <text>`: what a text costs under several real tokenizers. */

/** Longest text `/tokens` counts (characters; the LLaMA tokenizer is slow on huge inputs). */
export const MAX_TOKENS_INPUT = 200_000;

const fmt = (x: number | null): string => (x === null ? '–' : x.toFixed(2));

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
      return {
        kind: 'error',
        lang,
        title: lang === 'zh' ? '/tokens：缺少文本' : '/tokens: no text',
        paragraphs: [
          lang === 'zh'
            ? '请在 /tokens 后面写上要统计的文本，例如：/tokens 大语言模型 large language model'
            : 'Put the text to count after /tokens, e.g. /tokens How long is too long?',
        ],
        data: { error: { option: 'text' } },
      };
    }
    if (text.length > MAX_TOKENS_INPUT) {
      return {
        kind: 'error',
        lang,
        title: lang === 'zh' ? '/tokens：文本太长' : '/tokens: text too long',
        paragraphs: [
          lang === 'zh'
            ? `文本有 ${text.length} 个字符，/tokens 最多统计 ${MAX_TOKENS_INPUT} 个。`
            : `The text has ${text.length} characters; /tokens counts at most ${MAX_TOKENS_INPUT}.`,
        ],
        data: { error: { option: 'text', max: MAX_TOKENS_INPUT } },
      };
    }
    const done = await ctx.jobs.run('tokens', { text });
    if (!done.ok) return jobFailureReply(done, lang, '/tokens');
    const stats = done.value;
    const o200k = stats.counts.find((c) => c.tokenizer === 'o200k');
    const paragraphs = [
      lang === 'zh'
        ? `${stats.chars} 个字符（其中汉字 ${stats.chineseChars} 个，英文单词 ${stats.englishWords} 个）。`
        : `${stats.chars} characters (${stats.chineseChars} Chinese characters, ${stats.englishWords} English words).`,
    ];
    if (o200k?.perChineseChar != null || o200k?.perEnglishWord != null) {
      const zh = o200k.perChineseChar;
      const en = o200k.perEnglishWord;
      const parts: string[] = [];
      if (lang === 'zh') {
        if (zh !== null) parts.push(`每个汉字约 ${zh.toFixed(2)} 个词元`);
        if (en !== null) parts.push(`每个英文单词约 ${en.toFixed(2)} 个词元`);
        const window = 8192;
        const fit: string[] = [];
        if (zh) fit.push(`约 ${Math.floor(window / zh)} 个汉字`);
        if (en) fit.push(`约 ${Math.floor(window / en)} 个英文单词`);
        paragraphs.push(
          `在 GPT-4o（o200k）下，${parts.join('，')}。一个 8k 词元的上下文窗口大约放得下${fit.join('或')}（见 /topic 1）。`,
        );
      } else {
        if (zh !== null) parts.push(`${zh.toFixed(2)} tokens per Chinese character`);
        if (en !== null) parts.push(`${en.toFixed(2)} tokens per English word`);
        const window = 8192;
        const fit: string[] = [];
        if (zh) fit.push(`about ${Math.floor(window / zh)} Chinese characters`);
        if (en) fit.push(`about ${Math.floor(window / en)} English words`);
        paragraphs.push(
          `Under GPT-4o (o200k): ${parts.join(', ')}. An 8k-token context window holds ${fit.join(' or ')} (see /topic 1).`,
        );
      }
    }
    return {
      kind: 'answer',
      lang,
      title: lang === 'zh' ? '/tokens：词元数' : '/tokens: token counts',
      paragraphs,
      table: {
        headers:
          lang === 'zh'
            ? ['分词器', '词元', '词元/汉字', '词元/英文单词']
            : ['tokenizer', 'tokens', 'tokens/Chinese char', 'tokens/English word'],
        rows: [
          ...stats.counts.map((c) => [
            c.label,
            String(c.tokens),
            fmt(c.perChineseChar),
            fmt(c.perEnglishWord),
          ]),
          [
            lang === 'zh' ? '字符（码点）' : 'characters (code points)',
            String(stats.chars),
            '1.00',
            '–',
          ],
        ],
      },
      hints: ['/topic 1', '/chunk unit=tokens'],
      data: stats,
    };
  },
});
