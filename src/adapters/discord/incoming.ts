/**
 * Turning Discord events into the core's `Incoming`: slash options to raw values,
 * thread/DM placement, moderators, mention stripping, and attachments as the kit's
 * `RemoteFile`s.
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
import type { Incoming } from '../../core/types.js';
import { langOfLocale, type RemoteFile } from '../kit/index.js';

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

/** An attachment as the kit's file intake downloads it. */
export function remoteFile(file: Pick<Attachment, 'name' | 'url' | 'size'>): RemoteFile {
  return { name: file.name, url: file.url, size: file.size };
}
