import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { CHUNK_UNITS, validateChunkOptions } from '../../tools/chunk/index.js';
import { flag } from '../../tools/shared/flag.js';
import { DEFAULT_TOKENIZER, TOKENIZER_NAMES } from '../../tools/tokens/index.js';
import { defineCommand, option } from '../command.js';
import { optionError } from '../errors.js';
import { decodeText, MAX_FILE_BYTES } from '../input.js';
import { jobFailureReply } from '../jobs/runner.js';
import { bytesOverLimit, quoteValue } from '../sanitize.js';
import type { Incoming, Lang, Platform, Reply } from '../types.js';
import type { ChunkJob } from './chunk-reply.js';

/** `/chunk`: split pasted or attached text into overlapping chunks, and say why they fell so. */

type Text = Record<Lang, string>;

/** Largest text `/chunk` accepts (UTF-8 bytes). */
/** Platforms where `file=` may read a local path (the user owns the machine). */
const FILE_PLATFORMS: readonly Platform[] = ['console', 'cli', 'test'];
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
  return optionError('chunk', lang, option, message, EXAMPLES, {
    en: 'cannot split',
    zh: '无法切分',
  });
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
    if (bytes > MAX_FILE_BYTES) return { ok: false, reply: tooLong(lang, bytes, 'file') };
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
    if (bytes > MAX_FILE_BYTES) return { ok: false, reply: tooLong(lang, bytes, 'file') };
    const raw = await readFile(args.file);
    const text = decodeText(raw);
    if (text === undefined) {
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
  if (bytes > MAX_FILE_BYTES) return { ok: false, reply: tooLong(lang, bytes, 'text') };
  return { ok: true, text: inline, source: 'text' };
}

function tooLong(lang: Lang, bytes: number, option: string): Reply {
  const size = bytesOverLimit(bytes, MAX_FILE_BYTES);
  return errorReply(lang, option, {
    en: `The text is ${size.en}. Split the file first, or use \`llm-tutor chunk < file\` in a terminal, which streams files of any size.`,
    zh: `文本有 ${size.zh}。请先拆分文件，或在终端用 llm-tutor chunk < 文件（流式处理，大小不限）。`,
  });
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
    const job: ChunkJob = {
      text: loaded.text,
      options,
      lang,
      explain: args.explain,
      source: loaded.source,
      listChunks: ctx.jobs.local,
    };
    const done = await ctx.jobs.run('chunk', job);
    return done.ok ? done.value : jobFailureReply(done, lang, '/chunk');
  },
});
