/**
 * The reply sanitizer: every reply the router returns and every reply an adapter renders
 * (console, Discord, Slack, also quiz posts through the messenger) passes through
 * `sanitizeReply`. It returns a well-formed Reply whatever it is given: lone surrogates become
 * U+FFFD, missing or mistyped parts are dropped, and a reply with nothing to show says "…".
 * The cutting helpers here are the only ones the renderers use: they cut at grapheme clusters
 * (or code points), never inside a surrogate pair.
 */
import { codePointLength, cutIndex, QUOTE_MAX, quoteValue } from '../tools/shared/quote.js';
import type { Choice, Field, Reply, ReplyKind, Table } from './types.js';

export { codePointLength, cutIndex, QUOTE_MAX, quoteValue };

const KINDS: ReadonlySet<string> = new Set<ReplyKind>([
  'answer',
  'clarify',
  'none',
  'info',
  'error',
  'silent',
]);

/** `s` with lone surrogates replaced by U+FFFD; '' for anything that is not a string. */
export function wellFormed(s: unknown): string {
  if (typeof s !== 'string') return '';
  return s.isWellFormed() ? s : s.toWellFormed();
}

/** `s` cut to at most `maxUnits` UTF-16 units at a grapheme boundary, ending with `…` if cut. */
export function truncateText(s: string, maxUnits: number): string {
  if (s.length <= maxUnits) return s;
  return `${s.slice(0, cutIndex(s, maxUnits - 1))}…`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string').map(wellFormed) : [];
}

function fields(v: unknown): Field[] {
  if (!Array.isArray(v)) return [];
  const out: Field[] = [];
  for (const f of v) {
    if (!isRecord(f)) continue;
    const field: Field = { name: wellFormed(f.name), value: wellFormed(f.value) };
    if (f.inline === true) field.inline = true;
    if (field.name || field.value) out.push(field);
  }
  return out;
}

function table(v: unknown): Table | undefined {
  if (!isRecord(v)) return undefined;
  const headers = strings(v.headers);
  const rows = Array.isArray(v.rows) ? v.rows.map((r) => strings(r)) : [];
  return headers.length || rows.length ? { headers, rows } : undefined;
}

function choices(v: unknown): Choice[] {
  if (!Array.isArray(v)) return [];
  const out: Choice[] = [];
  for (const c of v) {
    if (!isRecord(c)) continue;
    const choice: Choice = { label: wellFormed(c.label), action: wellFormed(c.action) };
    if (c.askReason === true) choice.askReason = true;
    out.push(choice);
  }
  return out;
}

/**
 * A Reply safe to render and send, from anything a command (or a library user's command)
 * returned: the known parts only, every string well-formed, at least one thing to show.
 */
export function sanitizeReply(input: unknown): Reply {
  const r = isRecord(input) ? input : {};
  const reply: Reply = {
    kind: typeof r.kind === 'string' && KINDS.has(r.kind) ? (r.kind as ReplyKind) : 'info',
    lang: r.lang === 'zh' ? 'zh' : 'en',
    paragraphs: strings(r.paragraphs),
  };
  const title = wellFormed(r.title);
  if (title) reply.title = title;
  const f = fields(r.fields);
  if (f.length) reply.fields = f;
  const t = table(r.table);
  if (t) reply.table = t;
  if (isRecord(r.code) && typeof r.code.text === 'string') {
    reply.code = { text: wellFormed(r.code.text) };
    if (typeof r.code.lang === 'string') reply.code.lang = wellFormed(r.code.lang);
  }
  const c = choices(r.choices);
  if (c.length) reply.choices = c;
  const hints = strings(r.hints);
  if (hints.length) reply.hints = hints;
  if (r.ephemeral === true) reply.ephemeral = true;
  if (r.data !== undefined) reply.data = r.data;
  if (Array.isArray(r.files)) {
    const files = r.files
      .filter(isRecord)
      .map((x) => ({ name: wellFormed(x.name) || 'file.txt', content: wellFormed(x.content) }));
    if (files.length) reply.files = files;
  }
  const visible =
    Boolean(reply.title?.trim()) ||
    reply.paragraphs.some((p) => p.trim()) ||
    Boolean(reply.fields || reply.table || reply.code?.text.trim() || reply.choices) ||
    Boolean(reply.hints?.some((h) => h.trim()));
  if (!visible && reply.kind !== 'silent') reply.paragraphs = [...reply.paragraphs, '…'];
  return reply;
}

/**
 * How a size over a byte limit is said: exact bytes and the limit in bytes and MiB
 * ("2,097,153 bytes; the limit is 2,097,152 bytes (2 MiB)"); without a size (a download stopped
 * at the limit), "more than 2,097,152 bytes, the limit (2 MiB)".
 */
export function bytesOverLimit(
  bytes: number | undefined,
  limit: number,
): { en: string; zh: string } {
  const n = (x: number) => x.toLocaleString('en-US');
  const mib = limit / 1024 / 1024;
  const unit = Number.isInteger(mib) ? `${mib} MiB` : `${mib.toFixed(1)} MiB`;
  if (bytes === undefined || bytes <= limit) {
    return {
      en: `more than ${n(limit)} bytes, the limit (${unit})`,
      zh: `超过上限 ${n(limit)} 字节（${unit}）`,
    };
  }
  return {
    en: `${n(bytes)} bytes; the limit is ${n(limit)} bytes (${unit})`,
    zh: `${n(bytes)} 字节；上限是 ${n(limit)} 字节（${unit}）`,
  };
}
