/** Renders a Reply as readable terminal text (no colours when not a TTY). */
import { sanitizeReply } from '../../core/sanitize.js';
import type { Reply } from '../../core/types.js';
import { displayWidth } from '../../core/width.js';
import { renderTable } from '../kit/index.js';

export { displayWidth, renderTable };

export interface RenderOptions {
  color?: boolean;
  /** Wrap prose at this many columns (the terminal's width); tables and code are left alone. */
  width?: number;
}

const bold = (s: string, on: boolean) => (on ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s: string, on: boolean) => (on ? `\x1b[2m${s}\x1b[22m` : s);

/** Wrap one line at spaces (or anywhere between CJK characters) to `width` columns. */
export function wrapLine(line: string, width: number): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^(\s*(?:[-*•]|\d+\.)?\s*)/.exec(line)?.[1] ?? '';
  const pieces =
    line
      .slice(indent.length)
      .match(
        /[\u2e80-\u9fff\uac00-\ud7a3\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7a3\uff00-\uffef]+|\s+/g,
      ) ?? [];
  const lines: string[] = [];
  let current = indent;
  const pad = ' '.repeat(displayWidth(indent));
  for (const piece of pieces) {
    if (displayWidth(current) + displayWidth(piece) > width && current.trim()) {
      lines.push(current.trimEnd());
      current = pad;
      if (/^\s+$/.test(piece)) continue;
    }
    current += piece;
  }
  if (current.trim()) lines.push(current.trimEnd());
  return lines;
}

function wrap(text: string, width: number | undefined): string {
  if (!width || width < 20) return text;
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}

export function renderReply(input: Reply, options: RenderOptions = {}): string {
  const reply = sanitizeReply(input);
  const color = options.color ?? false;
  const out: string[] = [];
  if (reply.title) out.push(bold(reply.title, color));
  for (const p of reply.paragraphs) out.push(wrap(p, options.width));
  if (reply.fields?.length) {
    out.push(
      reply.fields
        .map((f) => `${bold(f.name, color)}\n  ${f.value.replace(/\n/g, '\n  ')}`)
        .join('\n'),
    );
  }
  if (reply.table) out.push(renderTable(reply.table.headers, reply.table.rows));
  if (reply.code) out.push(reply.code.text);
  // choices that are only their own numbers ("[3] 3") repeat a numbered list shown above
  if (reply.choices?.some((c, i) => c.label !== String(i + 1))) {
    out.push(reply.choices.map((c, i) => `  [${i + 1}] ${c.label}`).join('\n'));
  }
  if (reply.hints?.length) out.push(reply.hints.map((h) => dim(`› ${h}`, color)).join('\n'));
  return out.join('\n\n');
}
