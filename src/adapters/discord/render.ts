/**
 * Renders a platform-neutral `Reply` as Discord message payloads: embeds (title,
 * description, fields, hints as footer), buttons for choices, files as attachments.
 * Every payload respects Discord's limits; a long reply becomes several messages.
 *
 * @example
 * const messages = renderDiscordReply(reply, { actions });
 * await interaction.reply(toSendOptions(messages[0]!));
 */
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { appendAll } from '../../core/arrays.js';
import { cutIndex, sanitizeReply, truncateText } from '../../core/sanitize.js';
import type { Reply, ReplyKind } from '../../core/types.js';
import { lastBreak, renderTable, type SplitRule, splitWith } from '../kit/index.js';
import { ActionIds } from './actions.js';

/** Discord's documented limits (resources/message.mdx, components/reference.mdx). */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  buttonsPerRow: 5,
  rows: 5,
  label: 80,
  customId: 100,
  filesPerMessage: 10,
  /** Conservative: the smallest upload limit (non-boosted servers allow 10 MiB). */
  fileBytes: 8 * 1024 * 1024,
} as const;

/** A reply is cut after this many messages (with a note); a flood helps nobody. */
export const MAX_MESSAGES_PER_REPLY = 10;

export type DiscordActionRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** One message to send: embeds, button rows and attachments (all within limits). */
export interface DiscordMessage {
  embeds: APIEmbed[];
  components: DiscordActionRow[];
  files: { name: string; data: Buffer }[];
}

export interface RenderOptions {
  /** Where long button actions are kept (custom_id holds at most 100 characters). */
  actions?: ActionIds;
}

const COLORS: Record<ReplyKind, number> = {
  answer: 0x5865f2,
  info: 0x5865f2,
  clarify: 0xfee75c,
  none: 0x99aab5,
  error: 0xed4245,
  silent: 0x99aab5,
};

const ZWSP = '\u200b';

/**
 * Escape Discord markdown in plain text, so `q_proj` or `2*7B` show as typed and user
 * text cannot format, hide (spoilers), link (`[x](url)`) or break out of code. Discord
 * shows `\\` + punctuation as the punctuation. Linear time (discord.js's escapeMarkdown
 * is quadratic on long words: 90 ms for 4,000 characters).
 */
export function escapeText(text: string): string {
  return text.replace(/[\\*_~|`[\]]/g, '\\$&').replace(/^([ \t]*)(-#|#|>)/gm, '$1\\$2');
}

/** Make text safe inside a ``` fence: no run of three backticks survives. */
export function neutralizeFences(text: string): string {
  return text.replace(/`(?=``)/g, `\`${ZWSP}`);
}

/** Cut `s` to at most `max` UTF-16 units at a grapheme cluster, ending with `…` when cut. */
export function truncate(s: string, max: number): string {
  return truncateText(s, max);
}

/** Where to cut `s` so that the first piece has at most `max` units. */
function cutPoint(s: string, max: number): number {
  const floor = Math.floor(max * 0.5);
  const line = lastBreak(s, max, ['\n\n', '\n'], floor);
  if (line >= 0) return line;
  const head = s.slice(0, max);
  let best = -1;
  for (const m of head.matchAll(/[。!?!?;;](?=.)|[.!?;](?=\s)/gsu)) best = m.index + m[0].length;
  if (best >= floor) return best;
  const space = head.lastIndexOf(' ');
  if (space >= floor) return space + 1;
  let cut = cutIndex(s, max); // a grapheme boundary (a code point one inside a giant cluster)
  // keep a markdown escape (`\*`) together with the character it escapes
  let slashes = 0;
  while (slashes < cut && s[cut - 1 - slashes] === '\\') slashes++;
  if (slashes % 2 === 1) cut -= 1;
  return Math.max(1, cut);
}

/** Discord's split: whitespace at the cuts is dropped (a message shows no leading blank). */
const DISCORD_SPLIT: SplitRule = { cut: cutPoint, trim: true };

/**
 * Split text into pieces of at most `max` UTF-16 units, preferring paragraph breaks,
 * then line breaks, sentence ends and spaces. Only whitespace at the cuts is dropped.
 */
export function splitText(text: string, max: number): string[] {
  return splitWith(text, max, DISCORD_SPLIT);
}

/** Fenced code blocks of at most `max` units each, split between lines. */
export function codeBlocks(text: string, lang: string | undefined, max: number): string[] {
  const tag = (lang ?? '').replace(/[^\w+#-]/g, '').slice(0, 16);
  const open = `\`\`\`${tag}\n`;
  const close = '\n```';
  const room = max - open.length - close.length;
  const safe = neutralizeFences(text.replace(/\s+$/, ''));
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current) pieces.push(current);
    current = '';
  };
  for (const line of safe.split('\n')) {
    const parts = line.length > room ? splitText(line, room) : [line];
    for (const part of parts) {
      if (current && current.length + 1 + part.length > room) flush();
      current = current ? `${current}\n${part}` : part || ZWSP;
    }
  }
  flush();
  return pieces.map((p) => `${open}${p}${close}`);
}

function embedSize(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
  n += e.author?.name.length ?? 0;
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

function totalSize(m: DiscordMessage): number {
  return m.embeds.reduce((t, e) => t + embedSize(e), 0);
}

/** Fields within limits: a long value continues in further fields of the same name. */
function fieldsOf(reply: Reply): APIEmbedField[] {
  const out: APIEmbedField[] = [];
  for (const f of reply.fields ?? []) {
    const name = truncate(escapeText(f.name).trim() || ZWSP, DISCORD_LIMITS.fieldName);
    const values = splitText(escapeText(f.value), DISCORD_LIMITS.fieldValue);
    if (values.length === 0) values.push(ZWSP);
    values.forEach((value, i) => {
      out.push({
        name: i === 0 ? name : truncate(`${name} (${i + 1})`, DISCORD_LIMITS.fieldName),
        value,
        ...(f.inline ? { inline: true } : {}),
      });
    });
  }
  return out;
}

/** Button rows for the first 25 choices; the rest are returned as text lines. */
function buttonsOf(
  reply: Reply,
  actions: ActionIds,
): { rows: DiscordActionRow[]; overflow: string[] } {
  const choices = reply.choices ?? [];
  const max = DISCORD_LIMITS.rows * DISCORD_LIMITS.buttonsPerRow;
  const rows: DiscordActionRow[] = [];
  choices.slice(0, max).forEach((choice, i) => {
    const button: APIButtonComponentWithCustomId = {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: truncate(choice.label.trim() || choice.action, DISCORD_LIMITS.label),
      custom_id: actions.idFor(choice.action, i, choice.askReason),
    };
    const row = rows[Math.floor(i / DISCORD_LIMITS.buttonsPerRow)];
    if (row) row.components.push(button);
    else rows.push({ type: ComponentType.ActionRow, components: [button] });
  });
  const overflow = choices.slice(max).map((c) => `${c.label}: ${c.action}`);
  return { rows, overflow };
}

/** Files: the first ten that fit the upload limit; the rest become a note. */
function attachmentsOf(reply: Reply): { files: DiscordMessage['files']; notes: string[] } {
  const files: DiscordMessage['files'] = [];
  const notes: string[] = [];
  for (const f of reply.files ?? []) {
    const data = Buffer.from(f.content, 'utf8');
    const name = f.name.replace(/[^\w.-]/g, '_').slice(0, 100) || 'file.txt';
    if (data.length > DISCORD_LIMITS.fileBytes || files.length >= DISCORD_LIMITS.filesPerMessage) {
      notes.push(`${name}: ${(data.length / 1024 / 1024).toFixed(1)} MB (not attached)`);
    } else files.push({ name, data });
  }
  return { files, notes };
}

/** What goes into descriptions, in order, besides the paragraphs. */
interface Extras {
  overflow: string[];
  /** Hints that did not fit the footer. */
  hintText: string | undefined;
  notes: string[];
}

/** The description texts: paragraphs, table, code, then anything that did not fit elsewhere. */
function descriptionsOf(reply: Reply, extras: Extras, descMax: number): string[] {
  const blocks: string[] = [];
  for (const p of reply.paragraphs) appendAll(blocks, splitText(escapeText(p), descMax));
  if (reply.table) {
    appendAll(blocks, codeBlocks(renderTable(reply.table.headers, reply.table.rows), '', descMax));
  }
  if (reply.code) appendAll(blocks, codeBlocks(reply.code.text, reply.code.lang, descMax));
  const { overflow, hintText, notes } = extras;
  if (overflow.length) appendAll(blocks, splitText(escapeText(overflow.join('\n')), descMax));
  if (hintText) appendAll(blocks, splitText(`› ${hintText.replace(/\n/g, '\n› ')}`, descMax));
  if (notes.length) appendAll(blocks, splitText(escapeText(notes.join('\n')), descMax));

  const descriptions: string[] = [];
  for (const block of blocks) {
    const last = descriptions.length - 1;
    const joined = last >= 0 ? `${descriptions[last]}\n\n${block}` : block;
    if (last >= 0 && joined.length <= descMax) descriptions[last] = joined;
    else descriptions.push(block);
  }
  return descriptions;
}

interface EmbedLook {
  color: number;
  title: string | undefined;
  footer: string | undefined;
}

/** Embeds: descriptions first, then fields while the embed stays within limits. */
function embedsOf(reply: Reply, descriptions: string[], look: EmbedLook): APIEmbed[] {
  const { color, title, footer } = look;
  const reserve = footer?.length ?? 0;
  const embeds: APIEmbed[] = descriptions.map((description, i) => ({
    ...(i === 0 && title ? { title } : {}),
    description,
    color,
  }));
  for (const field of fieldsOf(reply)) {
    let embed = embeds[embeds.length - 1];
    const fits =
      embed &&
      (embed.fields?.length ?? 0) < DISCORD_LIMITS.fields &&
      embedSize(embed) + field.name.length + field.value.length + reserve <=
        DISCORD_LIMITS.embedTotal;
    if (!embed || !fits) {
      embed = { color, ...(embeds.length === 0 && title ? { title } : {}) };
      embeds.push(embed);
    }
    embed.fields = [...(embed.fields ?? []), field];
  }
  if (embeds.length === 0) embeds.push({ color, ...(title ? { title } : { description: '…' }) });
  const lastEmbed = embeds[embeds.length - 1]!;
  if (footer) lastEmbed.footer = { text: footer };
  return embeds;
}

/** Messages: as many embeds as fit (10 per message, 6000 characters across them). */
function packMessages(embeds: APIEmbed[]): DiscordMessage[] {
  const messages: DiscordMessage[] = [];
  let size = 0;
  for (const embed of embeds) {
    const n = embedSize(embed);
    const current = messages[messages.length - 1];
    if (
      current &&
      current.embeds.length < DISCORD_LIMITS.embedsPerMessage &&
      size + n <= DISCORD_LIMITS.embedTotal
    ) {
      current.embeds.push(embed);
      size += n;
    } else {
      messages.push({ embeds: [embed], components: [], files: [] });
      size = n;
    }
  }
  return messages;
}

/** Past `MAX_MESSAGES_PER_REPLY`, the rest is dropped and a note says how much. */
function capMessages(messages: DiscordMessage[], look: EmbedLook): void {
  if (messages.length <= MAX_MESSAGES_PER_REPLY) return;
  const dropped = messages.splice(MAX_MESSAGES_PER_REPLY);
  const chars = dropped.reduce((s, m) => s + totalSize(m), 0);
  const note: APIEmbed = {
    color: look.color,
    description: `… (${chars} more characters not shown / 另有 ${chars} 个字符未显示)`,
    ...(look.footer ? { footer: { text: look.footer } } : {}),
  };
  const last = messages[messages.length - 1]!;
  while (
    last.embeds.length >= DISCORD_LIMITS.embedsPerMessage ||
    (last.embeds.length > 0 && totalSize(last) + embedSize(note) > DISCORD_LIMITS.embedTotal)
  ) {
    last.embeds.pop();
  }
  last.embeds.push(note);
}

/**
 * Render a Reply as one or more Discord messages within every limit. Buttons and files
 * go on the last message; the title on the first embed; hints in the last footer.
 */
export function renderDiscordReply(input: Reply, options: RenderOptions = {}): DiscordMessage[] {
  const reply = sanitizeReply(input);
  const actions = options.actions ?? new ActionIds();
  const L = DISCORD_LIMITS;
  const color = COLORS[reply.kind] ?? COLORS.info;
  const title = reply.title ? truncate(escapeText(reply.title), L.title) : undefined;
  // Hints: the footer (plain text: footers show no markdown), or text when too long.
  const hintText = (reply.hints ?? []).join('\n').trim();
  const footer = hintText && hintText.length <= L.footer ? hintText : undefined;
  const { files, notes } = attachmentsOf(reply);
  const { rows, overflow } = buttonsOf(reply, actions);
  const descMax = Math.min(
    L.description,
    L.embedTotal - (title?.length ?? 0) - (footer?.length ?? 0),
  );
  const extras = { overflow, hintText: hintText && !footer ? hintText : undefined, notes };
  const look = { color, title, footer };
  const messages = packMessages(embedsOf(reply, descriptionsOf(reply, extras, descMax), look));
  capMessages(messages, look);
  const final = messages[messages.length - 1]!;
  final.components = rows;
  final.files = files;
  return messages;
}
