import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import {
  type BoundaryName,
  CHUNK_UNITS,
  type ExplainedChunk,
  type ResolvedChunkOptions,
  splitTextExplained,
  validateChunkOptions,
} from '../../tools/chunk/index.js';
import { flag } from '../../tools/shared/flag.js';
import { DEFAULT_TOKENIZER, TOKENIZER_NAMES } from '../../tools/tokens/index.js';
import { minMax } from '../arrays.js';
import { defineCommand, option } from '../command.js';
import { bytesOverLimit, quoteValue } from '../sanitize.js';
import type { Incoming, Lang, Platform, Reply } from '../types.js';

/** `/chunk`: split pasted or attached text into overlapping chunks, and say why they fell so. */

type Text = Record<Lang, string>;

/** Largest text `/chunk` accepts (UTF-8 bytes). */
export const MAX_CHUNK_INPUT_BYTES = 2 * 1024 * 1024;
/** Platforms where `file=` may read a local path (the user owns the machine). */
const FILE_PLATFORMS: readonly Platform[] = ['console', 'cli', 'test'];
const PREVIEW_BOUNDARIES = 3;
const PREVIEW_CHARS = 24;
const TABLE_ROWS = 10;

const BOUNDARY: Record<BoundaryName | 'end', Text> = {
  paragraph: { en: 'a paragraph break', zh: '段落之间（空行）' },
  line: { en: 'a line break', zh: '换行处' },
  sentence: { en: 'a sentence end', zh: '句末' },
  clause: { en: 'a clause (comma, colon)', zh: '分句处（逗号、冒号）' },
  word: { en: 'a word boundary', zh: '词边界' },
  char: { en: 'a character (no better place fit)', zh: '字符处（没有更好的位置）' },
  end: { en: 'the end of the text', zh: '全文末尾' },
};

const bool = flag();

const schema = z.object({
  size: option(
    z.coerce.number().int().default(500),
    'Largest chunk, in units (1–1000000; default 500)',
    '每块最大长度，按单位计（1–1000000，默认 500）',
  ),
  overlap: option(
    z.coerce.number().int().optional(),
    'Units repeated from the previous chunk (0 to size-1; default min(50, size/10))',
    '与上一块重叠的长度（0 到 size-1，默认 min(50, size/10)）',
  ),
  unit: option(
    z.enum(CHUNK_UNITS).default('chars'),
    'chars (Unicode characters) or tokens',
    'chars（字符）或 tokens（词元）',
  ),
  tokenizer: option(
    z.string().default(DEFAULT_TOKENIZER),
    `Tokenizer for unit=tokens: ${TOKENIZER_NAMES.join(', ')}`,
    `unit=tokens 时用的分词器：${TOKENIZER_NAMES.join('、')}`,
  ),
  explain: option(
    bool.default(false),
    'Explain why each boundary fell where it did',
    '解释每个切分点为什么落在那里',
  ),
  file: option(
    z.string().optional(),
    'Path of a .txt/.md file to split (terminal only; at most 2 MiB)',
    '要切分的 .txt/.md 文件路径（仅终端可用，最大 2 MiB）',
  ),
  text: option(z.string().optional(), 'The text to split', '要切分的文本'),
});

const EXAMPLES = [
  '/chunk size=200 overlap=20 第一段很长的文本……',
  '/chunk size=500 overlap=50 unit=tokens tokenizer=o200k explain=true Some long text…',
  '/chunk file=notes.md size=800',
];

function errorReply(lang: Lang, option: string | undefined, message: Text): Reply {
  return {
    kind: 'error',
    lang,
    title: option
      ? lang === 'zh'
        ? `/chunk：参数 ${option} 有误`
        : `/chunk: bad option ${option}`
      : lang === 'zh'
        ? '/chunk：无法切分'
        : '/chunk: cannot split',
    paragraphs: [message[lang]],
    hints: [...EXAMPLES],
    data: { error: { option, message } },
  };
}

type Loaded = { ok: true; text: string; source: string } | { ok: false; reply: Reply };

async function loadText(
  args: { file?: string | undefined; text?: string | undefined },
  lang: Lang,
  incoming: Incoming,
): Promise<Loaded> {
  const platform = incoming.platform;
  const inline = args.text?.trim() ? args.text : undefined;
  const attached = incoming.files?.[0];
  if (attached && args.file === undefined && !inline) {
    const bytes = Buffer.byteLength(attached.text, 'utf8');
    if (bytes > MAX_CHUNK_INPUT_BYTES) return { ok: false, reply: tooLong(lang, bytes, 'file') };
    return { ok: true, text: attached.text, source: attached.name };
  }
  if (args.file !== undefined) {
    if (inline) {
      return {
        ok: false,
        reply: errorReply(lang, 'file', {
          en: 'Give either file=path or the text itself, not both.',
          zh: '请只提供 file=路径 或文本本身，不要同时提供。',
        }),
      };
    }
    if (!FILE_PLATFORMS.includes(platform)) {
      return {
        ok: false,
        reply: errorReply(lang, 'file', {
          en: 'file= reads a path on the bot’s machine and works only in the terminal; attach the .txt/.md file or paste the text instead.',
          zh: 'file= 读取的是机器人所在机器上的路径，只能在终端使用；请上传 .txt/.md 附件或直接粘贴文本。',
        }),
      };
    }
    let bytes: number;
    try {
      const s = await stat(args.file);
      if (!s.isFile()) throw new Error('not a file');
      bytes = s.size;
    } catch {
      return {
        ok: false,
        reply: errorReply(lang, 'file', {
          en: `Cannot read file ${quoteValue(args.file)}: no such file.`,
          zh: `无法读取文件 ${quoteValue(args.file, 'zh')}：文件不存在。`,
        }),
      };
    }
    if (bytes > MAX_CHUNK_INPUT_BYTES) return { ok: false, reply: tooLong(lang, bytes, 'file') };
    const raw = await readFile(args.file);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
      if (text.includes('\u0000')) throw new Error('binary');
    } catch {
      return {
        ok: false,
        reply: errorReply(lang, 'file', {
          en: `${quoteValue(args.file)} is not a UTF-8 text file (.txt/.md).`,
          zh: `${quoteValue(args.file, 'zh')} 不是 UTF-8 文本文件（.txt/.md）。`,
        }),
      };
    }
    return { ok: true, text, source: args.file };
  }
  if (!inline) {
    return {
      ok: false,
      reply: errorReply(lang, 'text', {
        en: 'Nothing to split: paste the text after the options, or use file=path in the terminal.',
        zh: '没有要切分的文本：请在参数后面粘贴文本，或在终端中使用 file=路径。',
      }),
    };
  }
  const bytes = Buffer.byteLength(inline, 'utf8');
  if (bytes > MAX_CHUNK_INPUT_BYTES) return { ok: false, reply: tooLong(lang, bytes, 'text') };
  return { ok: true, text: inline, source: 'text' };
}

function tooLong(lang: Lang, bytes: number, option: string): Reply {
  const size = bytesOverLimit(bytes, MAX_CHUNK_INPUT_BYTES);
  return errorReply(lang, option, {
    en: `The text is ${size.en}. Split the file first, or use \`llm-tutor chunk < file\` in a terminal, which streams files of any size.`,
    zh: `文本有 ${size.zh}。请先拆分文件，或在终端用 llm-tutor chunk < 文件（流式处理，大小不限）。`,
  });
}

/** Show a piece of text on one line: line breaks as ⏎, tabs as →. */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '⏎').replace(/\t/g, '→');
}

function tail(s: string, n: number): string {
  const cps = [...s];
  return cps.length <= n ? s : `…${cps.slice(-n).join('')}`;
}
function head(s: string, n: number): string {
  const cps = [...s];
  return cps.length <= n ? s : `${cps.slice(0, n).join('')}…`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function unitName(o: ResolvedChunkOptions, lang: Lang): string {
  if (o.unit === 'chars') return lang === 'zh' ? '字符' : 'characters';
  return lang === 'zh' ? `词元（${o.tokenizer}）` : `tokens (${o.tokenizer})`;
}

function explainBoundary(prev: ExplainedChunk, next: ExplainedChunk, i: number, lang: Lang) {
  const ends = BOUNDARY[prev.endsAt][lang];
  const starts = next.overlapStartsAt === 'none' ? null : BOUNDARY[next.overlapStartsAt][lang];
  if (lang === 'zh') {
    const why =
      prev.endsAt === 'sentence' || prev.endsAt === 'line' || prev.endsAt === 'paragraph'
        ? '下一句放不进这一块了，所以在完整的句子后面切，不把句子切断。'
        : '这里的句子比一整块还长，只能在句子内部找最好的位置。';
    const ov = starts
      ? `第 ${i + 2} 块开头重复了上一块末尾的 ${next.overlap} 个单位，从${starts}开始，这样切分点两边的上下文都不会丢。`
      : `第 ${i + 2} 块没有重叠（放不下或 overlap=0）。`;
    return `切分点 ${i + 1}：第 ${i + 1} 块结束于${ends}。${why}${ov}`;
  }
  const why =
    prev.endsAt === 'sentence' || prev.endsAt === 'line' || prev.endsAt === 'paragraph'
      ? 'The next sentence did not fit, so the cut falls after a whole sentence instead of inside one.'
      : 'The sentence here is longer than a whole chunk, so the best place inside it was used.';
  const ov = starts
    ? `Chunk ${i + 2} repeats the last ${next.overlap} units of chunk ${i + 1}, starting at ${starts}, so the context around the cut is in both chunks.`
    : `Chunk ${i + 2} has no overlap (it would not fit, or overlap=0).`;
  return `Boundary ${i + 1}: chunk ${i + 1} ends at ${ends}. ${why} ${ov}`;
}

export const chunkCommand = defineCommand({
  name: 'chunk',
  description: {
    en: 'Split a long text into overlapping chunks (chars or tokens)',
    zh: '把长文本切成有重叠的块（按字符或词元）',
  },
  schema,
  rest: 'text',
  examples: EXAMPLES,
  async run(args, ctx) {
    const { lang } = ctx;
    const size = args.size;
    const overlap = args.overlap ?? Math.min(50, Math.floor(size / 10));
    const checked = validateChunkOptions({
      size,
      overlap,
      unit: args.unit,
      tokenizer: args.tokenizer,
    });
    if (!checked.ok) {
      const e = checked.error;
      return errorReply(lang, e.option, { en: e.en, zh: e.zh });
    }
    const options = checked.options;
    const loaded = await loadText(args, lang, ctx.incoming);
    if (!loaded.ok) return loaded.reply;
    const chunks = splitTextExplained(loaded.text, options);
    const sizes = chunks.map((c) => c.size);
    const { min, max } = minMax(sizes);
    const stats = { min, median: median(sizes), max };
    const oversized = chunks.filter((c) => c.oversized);
    const unit = unitName(options, lang);
    const paragraphs: string[] = [
      lang === 'zh'
        ? `共 ${chunks.length} 块，每块最多 ${options.size} 个${unit}，重叠最多 ${options.overlap}。块大小：最小 ${stats.min}，中位数 ${stats.median}，最大 ${stats.max}。`
        : `${chunks.length} chunks of at most ${options.size} ${unit}, overlap up to ${options.overlap}. Sizes: min ${stats.min}, median ${stats.median}, max ${stats.max}.`,
    ];
    if (oversized.length > 0) {
      const first = oversized[0] as ExplainedChunk;
      paragraphs.push(
        lang === 'zh'
          ? `有 ${oversized.length} 块超过了 ${options.size}：每块都是一个字素簇（一个字符连同它的组合符号，或一个表情符号序列），第一个在 ${first.start}–${first.end}，大小 ${first.size}。切开它就会把字符切坏，所以它单独成块。`
          : `${oversized.length} ${oversized.length === 1 ? 'chunk is' : 'chunks are'} over ${options.size}: each is a single grapheme cluster (a character with its combining marks, or an emoji sequence), the first at ${first.start}–${first.end}, size ${first.size}. Cutting it would break the character, so it is a chunk of its own.`,
      );
    }
    const shown = Math.min(PREVIEW_BOUNDARIES, chunks.length - 1);
    if (shown > 0) {
      paragraphs.push(
        lang === 'zh'
          ? '前几个切分点（“块尾 | 下一块开头”）：'
          : 'First boundaries ("end of chunk | start of next"):',
      );
      for (let i = 0; i < shown; i++) {
        const a = chunks[i] as ExplainedChunk;
        const b = chunks[i + 1] as ExplainedChunk;
        paragraphs.push(
          `${i + 1}. ${oneLine(tail(a.text, PREVIEW_CHARS))} | ${oneLine(head(b.text, PREVIEW_CHARS))}`,
        );
      }
    }
    if (args.explain) {
      paragraphs.push(
        lang === 'zh'
          ? '切分规则：先在最高一级的结构处切——段落、换行、句末（。！？；…… 和 . ! ?，不含 99.5% 这样的小数或 e.g. 这样的缩写）、分句、词，最后才是字符；只要一句话放得进一块，就不会把它切断；每块开头重复上一块末尾最多 overlap 个单位，并尽量从完整的句子开始。'
          : 'How it splits: at the highest structure that fits — paragraphs, line breaks, sentence ends (。！？；…… and . ! ?, not decimals like 99.5% or abbreviations like e.g.), clauses, words, and only then characters; a sentence that fits in a chunk is never cut; each chunk starts with up to `overlap` units of the previous one, from a whole sentence when one fits.',
      );
      for (let i = 0; i < shown; i++) {
        paragraphs.push(
          explainBoundary(chunks[i] as ExplainedChunk, chunks[i + 1] as ExplainedChunk, i, lang),
        );
      }
    }
    const headers =
      lang === 'zh'
        ? ['#', '起点', '终点', '大小', '结束于', '重叠']
        : ['#', 'start', 'end', 'size', 'ends at', 'overlap'];
    const rows = chunks
      .slice(0, TABLE_ROWS)
      .map((c, i) => [
        String(i + 1),
        String(c.start),
        String(c.end),
        String(c.size),
        c.oversized ? `${c.endsAt} (${lang === 'zh' ? '超长' : 'oversized'})` : c.endsAt,
        String(c.overlap),
      ]);
    if (chunks.length > TABLE_ROWS) {
      paragraphs.push(
        lang === 'zh'
          ? `表中只列出前 ${TABLE_ROWS} 块；完整结果见附件 chunks.jsonl（终端：llm-tutor run --json）。`
          : `The table lists the first ${TABLE_ROWS} chunks; the full result is in the attached chunks.jsonl (terminal: llm-tutor run --json).`,
      );
    }
    return {
      kind: 'answer',
      lang,
      title: lang === 'zh' ? `/chunk：${chunks.length} 块` : `/chunk: ${chunks.length} chunks`,
      paragraphs,
      table: { headers, rows },
      hints: args.explain
        ? ['/topic 4']
        : [
            lang === 'zh' ? '加上 explain=true 看每个切分点的原因' : 'Add explain=true to see why',
            '/topic 4',
          ],
      files: [
        {
          name: 'chunks.jsonl',
          content: `${chunks.map((c) => JSON.stringify({ start: c.start, end: c.end, size: c.size, text: c.text, ...(c.oversized ? { oversized: true } : {}) })).join('\n')}\n`,
        },
      ],
      data: {
        source: loaded.source,
        options,
        count: chunks.length,
        sizes: stats,
        oversized: oversized.length,
        chunks: chunks.map((c) => ({
          start: c.start,
          end: c.end,
          size: c.size,
          text: c.text,
          endsAt: c.endsAt,
          overlap: c.overlap,
          ...(c.oversized ? { oversized: true } : {}),
        })),
      },
    };
  },
});
