/**
 * Turning Discord events into the core's `Incoming`: slash options to raw values,
 * locales to a language, thread/DM placement, mention stripping, and text attachments
 * downloaded with a size limit.
 */
import {
  ApplicationCommandOptionType,
  type Attachment,
  type CommandInteractionOption,
  type Interaction,
  type Message,
  PermissionFlagsBits,
  type PermissionsBitField,
  type User,
} from 'discord.js';
import { splitCommandLine } from '../../core/args.js';
import { t } from '../../core/i18n.js';
import { optionsOf } from '../../core/options.js';
import type { Router } from '../../core/router.js';
import { bytesOverLimit, quoteValue } from '../../core/sanitize.js';
import type { Incoming, Lang, Reply } from '../../core/types.js';

/** Largest attachment read for a `file` option (2 MiB, like /chunk's limit). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The user's language from a Discord locale (`zh-CN`, `zh-TW` → zh; `en-*` → en). */
export function langOfLocale(locale: string | null | undefined): Lang | undefined {
  if (!locale) return undefined;
  if (/^zh\b/i.test(locale)) return 'zh';
  if (/^en\b/i.test(locale)) return 'en';
  return undefined;
}

/** Remove mentions of the bot (`<@id>`, `<@!id>`) from a message. */
export function stripMention(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Slash options as raw values for the core (it validates them), and the attachment if any. */
export function slashOptions(data: readonly CommandInteractionOption[]): {
  options: Record<string, unknown>;
  file?: Attachment;
} {
  const options: Record<string, unknown> = {};
  let file: Attachment | undefined;
  const visit = (list: readonly CommandInteractionOption[]) => {
    for (const o of list) {
      if (o.type === ApplicationCommandOptionType.Attachment) {
        if (o.attachment) file = o.attachment;
        continue;
      }
      if (o.options?.length) visit(o.options);
      else if (o.value !== undefined) options[o.name] = o.value;
    }
  };
  visit(data);
  return file ? { options, file } : { options };
}

/** `/name key=value …`: the text the user could have typed (used for language detection). */
export function commandLine(name: string, options: Record<string, unknown>): string {
  const parts = [`/${name}`];
  for (const [key, value] of Object.entries(options)) {
    const v = String(value);
    parts.push(`${key}=${/\s|"/.test(v) ? JSON.stringify(v) : v}`);
  }
  return parts.join(' ');
}

function userOf(user: User, moderator: boolean): Incoming['user'] {
  return { id: user.id, name: user.globalName ?? user.username, moderator };
}

/**
 * May this member moderate (e.g. stop someone else's quiz)? Manage Messages in the channel;
 * Administrator implies it (and the guild owner has every permission). Unknown → false.
 */
export function hasModeratorPermission(
  permissions: Readonly<PermissionsBitField> | null | undefined,
): boolean {
  return permissions?.has(PermissionFlagsBits.ManageMessages, true) ?? false;
}

/**
 * An interaction's user is a moderator when Discord's resolved channel permissions
 * (`member.permissions` in the payload) include Manage Messages or Administrator. DMs: never.
 */
export function interactionModerator(interaction: Interaction): boolean {
  return interaction.inGuild() && hasModeratorPermission(interaction.memberPermissions);
}

/**
 * A message author is a moderator when their permissions in the channel (roles, overwrites,
 * guild owner; computed from the cached guild) include Manage Messages or Administrator.
 * DMs, webhooks and members that cannot be resolved: never.
 */
export function messageModerator(message: Message): boolean {
  if (!message.inGuild() || !message.member) return false;
  try {
    return hasModeratorPermission(message.member.permissionsIn(message.channel));
  } catch {
    return false; // the channel is not in the cache: permissions unknown
  }
}

/** Where an interaction happened: a thread is reported with its parent channel. */
export function interactionChannel(interaction: Interaction): Incoming['channel'] {
  const channel = interaction.channel;
  const isDM = !interaction.inGuild();
  const id = interaction.channelId ?? interaction.user.id;
  if (channel?.isThread()) return { id: channel.parentId ?? id, threadId: channel.id, isDM };
  return { id, isDM };
}

/** The Incoming for an interaction (slash command or button), before options/text. */
export function interactionBase(interaction: Interaction): Omit<Incoming, 'text'> {
  const lang = langOfLocale(interaction.locale);
  return {
    platform: 'discord',
    user: userOf(interaction.user, interactionModerator(interaction)),
    channel: interactionChannel(interaction),
    ...(lang ? { lang } : {}),
  };
}

/** The Incoming for a message (mention, DM or thread message), without files. */
export function messageIncoming(message: Message, botId: string): Incoming {
  const channel = message.channel;
  const isDM = !message.inGuild();
  const placement: Incoming['channel'] = channel.isThread()
    ? { id: channel.parentId ?? channel.id, threadId: channel.id, isDM }
    : { id: message.channelId, isDM };
  return {
    platform: 'discord',
    user: userOf(message.author, messageModerator(message)),
    channel: placement,
    text: stripMention(message.content, botId),
  };
}

/** True when the text is a command that takes a `file` option (so attachments are read). */
export function wantsFile(router: Router, text: string): boolean {
  const line = splitCommandLine(text);
  const command = line ? router.findCommand(line.name) : undefined;
  return Boolean(command && optionsOf(command.schema).some((o) => o.name === 'file'));
}

export type Download =
  | { ok: true; name: string; text: string }
  | { ok: false; name: string; reason: 'too-big' | 'not-text' | 'failed'; bytes?: number };

/** Download a text attachment: refused beyond `maxBytes` (checked before and while reading). */
export async function downloadText(
  file: { name: string; url: string; size: number },
  maxBytes = MAX_FILE_BYTES,
  timeoutMs = 15_000,
): Promise<Download> {
  const name = file.name;
  if (file.size > maxBytes) return { ok: false, name, reason: 'too-big', bytes: file.size };
  let response: Response;
  try {
    response = await fetch(file.url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return { ok: false, name, reason: 'failed' };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, name, reason: 'failed' };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // The declared size was wrong; the real one is unknown (only "more than the limit").
        await reader.cancel().catch(() => {});
        return { ok: false, name, reason: 'too-big' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, name, reason: 'failed' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    if (text.includes('\u0000')) return { ok: false, name, reason: 'not-text' };
    return { ok: true, name, text };
  } catch {
    return { ok: false, name, reason: 'not-text' };
  }
}

/** The user-facing refusal for an attachment that cannot be read. */
export function downloadErrorReply(
  result: Extract<Download, { ok: false }>,
  lang: Lang,
  maxBytes = MAX_FILE_BYTES,
): Reply {
  const size = bytesOverLimit(result.bytes, maxBytes);
  const en = quoteValue(result.name);
  const zh = quoteValue(result.name, 'zh');
  const text =
    result.reason === 'too-big'
      ? {
          en: `The attached file ${en} is ${size.en}. Split it first, or run llm-tutor chunk < file in a terminal.`,
          zh: `附件 ${zh} 有 ${size.zh}。请先拆分,或在终端使用 llm-tutor chunk < 文件。`,
        }
      : result.reason === 'not-text'
        ? {
            en: `The attached file ${en} is not a UTF-8 text file (.txt/.md).`,
            zh: `附件 ${zh} 不是 UTF-8 文本文件(.txt/.md)。`,
          }
        : {
            en: `I could not download the attached file ${en}. Please try again.`,
            zh: `无法下载附件 ${zh},请再试一次。`,
          };
  return { kind: 'error', lang, ephemeral: true, paragraphs: [t(lang, text)] };
}
