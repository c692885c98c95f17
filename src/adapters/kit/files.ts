/**
 * File intake: text files attached to a message, for a command with a `file` option. Read
 * only when the command wants a file; at most 2 MiB in all (checked against the size the
 * platform announces, and again while downloading, since that size can lie); decoded as
 * UTF-8 (a BOM dropped). Anything else becomes a clear Reply in the user's language;
 * nothing throws.
 */
import { splitCommandLine } from '../../core/args.js';
import type { Localized } from '../../core/i18n.js';
import { decodeText, MAX_FILE_BYTES } from '../../core/input.js';
import { optionsOf } from '../../core/options.js';
import type { Router } from '../../core/router.js';
import { bytesOverLimit, quoteValue } from '../../core/sanitize.js';
import type { Incoming, Lang, Reply } from '../../core/types.js';

export { decodeText, MAX_FILE_BYTES };

export type AttachedFile = NonNullable<Incoming['files']>[number];

/** A file the platform offers for download. */
export interface RemoteFile {
  name: string;
  url: string | undefined;
  /** The size the platform announced (it can lie: the download is capped as well). */
  size: number | undefined;
  /** False when the platform's metadata says it is not text: refused without downloading. */
  isText?: boolean;
}

export interface IntakeOptions {
  /** The language of a refusal. */
  lang: Lang;
  maxBytes?: number;
  /** Per-file download timeout in ms (default 15 s). */
  timeoutMs?: number;
  /** Request headers (Slack: the bot token). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Is this (ok) response the file? Slack answers a missing scope with an HTML login page. */
  accept?: (res: Response, name: string) => boolean;
}

export type Intake = { ok: true; files: AttachedFile[] } | { ok: false; reply: Reply };

/** Does this text invoke a command that takes an attached file (an option named `file`)? */
export function wantsFile(router: Router, text: string): boolean {
  const line = splitCommandLine(text);
  const command = line ? router.findCommand(line.name) : undefined;
  return Boolean(command && optionsOf(command.schema).some((o) => o.name === 'file'));
}

/** Read a response body, stopping (null) as soon as it exceeds `max` bytes. */
export async function readCapped(res: Response, max: number): Promise<Uint8Array | null> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

type Refusal = 'not-text' | 'too-big' | 'failed' | 'not-utf8';

/** Why a file was refused, and what to do about it. */
function refusalText(
  why: Refusal,
  name: string,
  bytes?: number,
  max = MAX_FILE_BYTES,
  more = false,
): Localized {
  const en = quoteValue(name);
  const zh = quoteValue(name, 'zh');
  const size = bytesOverLimit(bytes, max);
  switch (why) {
    case 'not-text':
      return {
        en: `${en} is not a text file. Attach a .txt or .md file (UTF-8), or paste the text.`,
        zh: `${zh} 不是文本文件。请上传 .txt 或 .md 文件(UTF-8),或直接粘贴文本。`,
      };
    case 'too-big':
      return {
        en: `${more ? `With ${en} the attachments come to` : `${en} is`} ${size.en}. Split it first, or run llm-tutor chunk < file in a terminal.`,
        zh: `${more ? `加上 ${zh},附件共` : `${zh} 有`} ${size.zh}。请先拆分,或在终端使用 llm-tutor chunk < 文件。`,
      };
    case 'failed':
      return {
        en: `I could not download ${en}. Please try again, or paste the text.`,
        zh: `无法下载 ${zh}。请重试,或直接粘贴文本。`,
      };
    case 'not-utf8':
      return {
        en: `${en} is not a UTF-8 text file (.txt/.md). Save it as UTF-8 and attach it again.`,
        zh: `${zh} 不是 UTF-8 文本文件(.txt/.md)。请另存为 UTF-8 后重新上传。`,
      };
  }
}

class Refused extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
  }
}

/** Download one file's bytes, at most `max`; throws `Refused` with the reason. */
async function download(
  file: RemoteFile,
  max: number,
  options: IntakeOptions,
): Promise<Uint8Array> {
  const failed = new Refused(refusalText('failed', file.name));
  if (!file.url) throw failed;
  let bytes: Uint8Array | null;
  try {
    const res = await (options.fetch ?? fetch)(file.url, {
      ...(options.headers ? { headers: options.headers } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (!res.ok || !(options.accept?.(res, file.name) ?? true)) {
      await res.body?.cancel().catch(() => {});
      throw failed;
    }
    bytes = await readCapped(res, max);
  } catch {
    throw failed;
  }
  if (bytes === null)
    throw new Refused(refusalText('too-big', file.name, undefined, options.maxBytes));
  return bytes;
}

/** Check, download and decode each file in turn; the first refusal answers for all. */
async function intake(
  files: readonly RemoteFile[],
  options: IntakeOptions,
): Promise<AttachedFile[]> {
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  const out: AttachedFile[] = [];
  let total = 0;
  for (const file of files) {
    if (file.isText === false) throw new Refused(refusalText('not-text', file.name));
    const announced = (file.size ?? 0) + total;
    if (announced > max) {
      throw new Refused(refusalText('too-big', file.name, announced, max, total > 0));
    }
    const bytes = await download(file, max - total, options);
    const text = decodeText(bytes);
    if (text === undefined) throw new Refused(refusalText('not-utf8', file.name));
    total += bytes.byteLength;
    out.push({ name: file.name, text });
  }
  return out;
}

/** Download every attached file as text, or explain (in `options.lang`) why not. */
export async function fetchTextFiles(
  files: readonly RemoteFile[],
  options: IntakeOptions,
): Promise<Intake> {
  try {
    return { ok: true, files: await intake(files, options) };
  } catch (err) {
    const text =
      err instanceof Refused ? err.text : refusalText('failed', files[0]?.name ?? 'file');
    const lang = options.lang;
    return { ok: false, reply: { kind: 'error', lang, ephemeral: true, paragraphs: [text[lang]] } };
  }
}
