/**
 * Text files attached to a Slack message, as the kit's file intake downloads them: with the
 * bot token (`files:read`), only files Slack describes as text.
 */
import type { Lang } from '../../core/types.js';
import { fetchTextFiles, type Intake, type RemoteFile } from '../kit/index.js';

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

function remoteFile(file: SlackFile): RemoteFile {
  return {
    name: file.name ?? file.title ?? file.id ?? 'file',
    url: file.url_private_download ?? file.url_private,
    size: file.size,
    isText: isTextFile(file),
  };
}

/** Without files:read Slack answers with its HTML login page, not an error status. */
function isTheFile(res: Response, name: string): boolean {
  const type = res.headers.get('content-type') ?? '';
  return !(type.includes('text/html') && !/\.html?$/i.test(name));
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
export function downloadTextFiles(
  files: readonly SlackFile[],
  options: DownloadOptions,
): Promise<Intake> {
  const { token, ...rest } = options;
  return fetchTextFiles(files.map(remoteFile), {
    ...rest,
    headers: { Authorization: `Bearer ${token}` },
    accept: isTheFile,
  });
}
