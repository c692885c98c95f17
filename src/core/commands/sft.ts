import { stat } from 'node:fs/promises';
import { z } from 'zod';
import {
  parseRatios,
  SFT_FORMATS,
  type SftOptions,
  type SplitOptions,
  TEMPLATE_NAMES,
} from '../../tools/sft/index.js';
import { flag } from '../../tools/shared/flag.js';
import { DEFAULT_TOKENIZER, TOKENIZER_NAMES } from '../../tools/tokens/index.js';
import { defineCommand, option } from '../command.js';
import { optionError } from '../errors.js';
import type { Localized } from '../i18n.js';
import { MAX_FILE_BYTES } from '../input.js';
import { jobFailureReply } from '../jobs/runner.js';
import { bytesOverLimit, quoteValue } from '../sanitize.js';
import type { Incoming, Lang, Platform, Reply } from '../types.js';
import { sftFile } from './sft-file.js';

/** `/sft`: check, clean and split an SFT dataset (JSONL or JSON; Alpaca, ShareGPT, OpenAI chat). */

const FILE_PLATFORMS: readonly Platform[] = ['console', 'cli', 'test'];

const schema = z.object({
  file: option(
    z.string().optional(),
    'The dataset: an attached .jsonl/.json file (≤ 2 MiB), or a path in the terminal (any size)',
    '数据集：上传的 .jsonl/.json 附件（≤ 2 MiB），或终端里的文件路径（大小不限）',
  ),
  format: option(
    z.enum(SFT_FORMATS).optional(),
    'Record format (default: detected from the first record)',
    '记录格式（默认根据第一条记录自动识别）',
  ),
  tokenizer: option(
    z.enum(TOKENIZER_NAMES).default(DEFAULT_TOKENIZER),
    'Tokenizer for the token lengths',
    '统计词元长度用的分词器',
  ),
  max_len: option(
    z.coerce.number().int().min(1).max(10_000_000).default(2048),
    'Longest example in tokens (prompt + response) the training run accepts',
    '训练时允许的最长样本词元数（提问 + 回复）',
  ),
  template: option(
    z.enum(TEMPLATE_NAMES).optional(),
    'Only check this chat template’s markup (default: all known)',
    '只检查这种对话模板的标记（默认检查所有已知模板）',
  ),
  split: option(
    z.string().optional(),
    'Write train/validation/test splits, e.g. 80/10/10',
    '切分出训练/验证/测试集，例如 80/10/10',
  ),
  seed: option(
    z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    'Seed of the split (same seed, same split)',
    '切分的随机种子（种子相同，切分相同）',
  ),
  stratify: option(
    z.string().optional(),
    'Keep the ratios within each value of this field, e.g. category',
    '按这个字段的每个取值分层切分，例如 category',
  ),
  dedupe: option(
    flag().default(false),
    'Drop exact and near-duplicates before splitting',
    '切分前去掉完全重复和近似重复的记录',
  ),
  out: option(
    z.string().optional(),
    'Folder for the split files (terminal; default: next to the file)',
    '切分文件的输出目录（终端；默认与输入文件同目录）',
  ),
  text: option(z.string().optional(), 'The dataset pasted as text', '直接粘贴的数据集文本'),
});

const EXAMPLES = [
  '/sft file=data.jsonl',
  '/sft file=data.jsonl split=80/10/10 seed=42 dedupe=true stratify=category',
  '/sft tokenizer=llama2 max_len=4096 {"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}',
];

function errorReply(lang: Lang, option: string | undefined, message: Localized): Reply {
  return optionError('sft', lang, option, message, EXAMPLES, {
    en: 'cannot check',
    zh: '无法检查',
  });
}

type Source =
  | { kind: 'text'; text: string; name: string }
  | { kind: 'path'; path: string; bytes: number }
  | { kind: 'error'; reply: Reply };

async function statFile(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

function inChat(lang: Lang, text: string, name: string, option: string): Source {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= MAX_FILE_BYTES) return { kind: 'text', text, name };
  const size = bytesOverLimit(bytes, MAX_FILE_BYTES);
  return {
    kind: 'error',
    reply: errorReply(lang, option, {
      en: `The dataset is ${size.en}. In a terminal, llm-tutor run "/sft file=path" streams files of any size.`,
      zh: `数据集有 ${size.zh}。在终端用 llm-tutor run "/sft file=路径" 可以流式处理任意大小的文件。`,
    }),
  };
}

/** Where the dataset comes from: an attachment, a path (terminal), or pasted text. */
async function source(
  args: { file?: string | undefined; text?: string | undefined },
  lang: Lang,
  incoming: Incoming,
): Promise<Source> {
  const inline = args.text?.trim() ? args.text : undefined;
  const attached = incoming.files?.[0];
  if (attached && args.file === undefined && !inline)
    return inChat(lang, attached.text, attached.name, 'file');
  if (args.file !== undefined && inline) {
    const message = {
      en: 'Give either file=path or the pasted dataset, not both.',
      zh: '请只提供 file=路径 或粘贴的数据集，不要同时提供。',
    };
    return { kind: 'error', reply: errorReply(lang, 'file', message) };
  }
  if (args.file !== undefined) {
    if (!FILE_PLATFORMS.includes(incoming.platform)) {
      const message = {
        en: 'file= reads a path on the bot’s machine and works only in the terminal; attach the .jsonl/.json file or paste it instead.',
        zh: 'file= 读取的是机器人所在机器上的路径，只能在终端使用；请上传 .jsonl/.json 附件或直接粘贴。',
      };
      return { kind: 'error', reply: errorReply(lang, 'file', message) };
    }
    const bytes = await statFile(args.file);
    if (bytes !== undefined) return { kind: 'path', path: args.file, bytes };
    const message = {
      en: `Cannot read file ${quoteValue(args.file)}: no such file.`,
      zh: `无法读取文件 ${quoteValue(args.file, 'zh')}：文件不存在。`,
    };
    return { kind: 'error', reply: errorReply(lang, 'file', message) };
  }
  if (inline) return inChat(lang, inline, 'text', 'text');
  const message = {
    en: 'Nothing to check: attach a .jsonl/.json file, paste the records after the options, or use file=path in the terminal.',
    zh: '没有要检查的数据：请上传 .jsonl/.json 附件、在参数后粘贴记录，或在终端使用 file=路径。',
  };
  return { kind: 'error', reply: errorReply(lang, 'file', message) };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** split=, seed=, dedupe=, stratify= and out= together, or what is wrong with them. */
async function splitOptions(
  args: z.output<typeof schema>,
  lang: Lang,
  terminal: boolean,
): Promise<{ ok: true; split: SplitOptions | undefined } | { ok: false; reply: Reply }> {
  const fail = (option: string, message: Localized) => ({
    ok: false as const,
    reply: errorReply(lang, option, message),
  });
  if (args.out !== undefined && !terminal) {
    return fail('out', {
      en: 'out= writes files on the bot’s machine and works only with file=path in the terminal; in chat the splits come back as attachments.',
      zh: 'out= 会在机器人所在机器上写文件，只能在终端配合 file=路径 使用；在聊天中切分结果会作为附件返回。',
    });
  }
  if (args.out !== undefined && !(await isDirectory(args.out))) {
    return fail('out', {
      en: `out=${quoteValue(args.out)} is not an existing folder.`,
      zh: `out=${quoteValue(args.out, 'zh')} 不是已存在的目录。`,
    });
  }
  if (args.split === undefined) {
    for (const o of ['stratify', 'dedupe', 'out'] as const) {
      if (args[o] !== undefined && args[o] !== false) {
        return fail(o, {
          en: `${o}= only changes how the dataset is split; add split=, e.g. split=80/10/10.`,
          zh: `${o}= 只影响数据集的切分；请同时给出 split=，例如 split=80/10/10。`,
        });
      }
    }
    return { ok: true, split: undefined };
  }
  const ratios = parseRatios(args.split);
  if (!ratios.ok) return fail('split', ratios);
  return { ok: true, split: { ratios: ratios.ratios, seed: args.seed, dedupe: args.dedupe } };
}

export const sftCommand = defineCommand({
  name: 'sft',
  description: {
    en: 'Check, clean and split an SFT dataset (JSONL/JSON: Alpaca, ShareGPT, OpenAI chat)',
    zh: '检查、清洗并切分 SFT 数据集（JSONL/JSON：Alpaca、ShareGPT、OpenAI chat）',
  },
  schema,
  rest: 'text',
  examples: EXAMPLES,
  async run(args, ctx) {
    const { lang } = ctx;
    const from = await source(args, lang, ctx.incoming);
    if (from.kind === 'error') return from.reply;
    const checked = await splitOptions(args, lang, from.kind === 'path');
    if (!checked.ok) return checked.reply;
    const options: SftOptions = {
      format: args.format,
      tokenizer: args.tokenizer,
      maxLen: args.max_len,
      template: args.template,
      stratify: args.stratify,
    };
    if (from.kind === 'path') {
      try {
        return await sftFile(from.path, from.bytes, lang, options, checked.split, args.out);
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        return errorReply(lang, undefined, {
          en: `Reading ${quoteValue(from.path)} or writing its splits failed (${why}). Check that the file is readable and the output folder writable.`,
          zh: `读取 ${quoteValue(from.path, 'zh')} 或写入切分文件失败（${why}）。请检查文件可读、输出目录可写。`,
        });
      }
    }
    const job = { text: from.text, source: from.name, lang, options, split: checked.split };
    const done = await ctx.jobs.run('sft', job);
    return done.ok ? done.value : jobFailureReply(done, lang, '/sft');
  },
});
