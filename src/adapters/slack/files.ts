/**
 * Text files attached to a Slack message: downloaded with the bot token (`files:read`),
 * at most 2 MiB, decoded as UTF-8, and handed to the core as `incoming.files`. Anything
 * else (too big, binary, not downloadable) becomes a clear Reply instead; nothing throws.
 */
import { bytesOverLimit, quoteValue } from '../../core/sanitize.js';
import type { Lang, Reply } from '../../core/types.js';

/** Largest attachment accepted (the same bound as /chunk's input). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The parts of a Slack file object used here (`event.files[]`). */
export interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

export type Downloaded =
  | { ok: true; files: { name: string; text: string }[] }
  | { ok: false; reply: Reply };

const TEXT_NAME = /\.(txt|text|md|markdown|csv|tsv|json|jsonl|ya?ml|xml|html?|rst|log|tex)$/i;
const TEXT_TYPES = new Set(['text', 'markdown', 'post', 'csv', 'tsv', 'json', 'yaml', 'xml']);

function isTextFile(file: SlackFile): boolean {
  const mime = file.mimetype?.toLowerCase() ?? '';
  return (
    mime.startsWith('text/') ||
    /^application\/(json|x-ndjson|x-yaml|yaml|xml)/.test(mime) ||
    TEXT_TYPES.has(file.filetype?.toLowerCase() ?? '') ||
    TEXT_NAME.test(file.name ?? '')
  );
}

function refuse(lang: Lang, en: string, zh: string): Downloaded {
  return {
    ok: false,
    reply: { kind: 'error', lang, ephemeral: true, paragraphs: [lang === 'zh' ? zh : en] },
  };
}

/** Read a response body, stopping (null) as soon as it exceeds `max` bytes. */
async function readCapped(res: Response, max: number): Promise<Uint8Array | null> {
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
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export interface DownloadOptions {
  token: string;
  lang: Lang;
  fetch?: typeof fetch;
  /** Per-file download timeout in ms (default 15 s). */
  timeoutMs?: number;
  maxBytes?: number;
}

/** Download every attached file as text, or explain (in the user's language) why not. */
export async function downloadTextFiles(
  files: readonly SlackFile[],
  options: DownloadOptions,
): Promise<Downloaded> {
  const { lang } = options;
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  const fetchFn = options.fetch ?? fetch;
  const out: { name: string; text: string }[] = [];
  let total = 0;
  for (const file of files) {
    const name = file.name ?? file.title ?? file.id ?? 'file';
    const en = quoteValue(name);
    const zh = quoteValue(name, 'zh');
    if (!isTextFile(file)) {
      return refuse(
        lang,
        `${en} is not a text file. Attach a .txt or .md file (UTF-8), or paste the text.`,
        `${zh} 不是文本文件。请上传 .txt 或 .md 文件(UTF-8),或直接粘贴文本。`,
      );
    }
    if ((file.size ?? 0) + total > max) {
      const size = bytesOverLimit((file.size ?? 0) + total, max);
      return refuse(
        lang,
        `${total ? `With ${en} the attachments come to` : `${en} is`} ${size.en}. Split the file first, or use llm-tutor in a terminal, which streams files of any size.`,
        `${total ? `加上 ${zh},附件共` : `${zh} 有`} ${size.zh}。请先拆分文件,或在终端使用 llm-tutor(流式处理,大小不限)。`,
      );
    }
    const url = file.url_private_download ?? file.url_private;
    const failed = () =>
      refuse(
        lang,
        `I could not download ${en} from Slack. Please try again, or paste the text.`,
        `无法从 Slack 下载 ${zh}。请重试,或直接粘贴文本。`,
      );
    if (!url) return failed();
    let bytes: Uint8Array | null;
    try {
      const res = await fetchFn(url, {
        headers: { Authorization: `Bearer ${options.token}` },
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const type = res.headers.get('content-type') ?? '';
      // Without files:read Slack answers with its HTML login page, not an error status.
      if (!res.ok || (type.includes('text/html') && !/\.html?$/i.test(name))) {
        await res.body?.cancel().catch(() => {});
        return failed();
      }
      bytes = await readCapped(res, max - total);
    } catch {
      return failed();
    }
    if (bytes === null) {
      const size = bytesOverLimit(undefined, max);
      return refuse(
        lang,
        `${en} is ${size.en}; split it first, or use llm-tutor in a terminal.`,
        `${zh} ${size.zh};请先拆分,或在终端使用 llm-tutor。`,
      );
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      if (text.includes('\u0000')) throw new Error('binary');
    } catch {
      return refuse(
        lang,
        `${en} is not UTF-8 text. Save it as UTF-8 and attach it again.`,
        `${zh} 不是 UTF-8 文本。请另存为 UTF-8 后重新上传。`,
      );
    }
    total += bytes.byteLength;
    out.push({ name, text: text.replace(/^\uFEFF/, '') });
  }
  return { ok: true, files: out };
}
