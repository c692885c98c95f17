/** Rendered Discord messages as discord.js payloads, and posting into channels. */
import {
  type Client,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type Message,
  type MessageCreateOptions,
  MessageFlags,
} from 'discord.js';
import type { Destination, Outbox, Reply } from '../../core/types.js';
import type { ActionIds } from './actions.js';
import { NO_PINGS } from './context.js';
import { type DiscordMessage, renderDiscordReply } from './render.js';

function filesOf(m: DiscordMessage) {
  return m.files.map((f) => ({ attachment: f.data, name: f.name }));
}

export function replyOptions(m: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    embeds: m.embeds,
    components: m.components,
    files: filesOf(m),
    allowedMentions: NO_PINGS,
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

export function editOptions(m: DiscordMessage): InteractionEditReplyOptions {
  const { embeds, components, files, allowedMentions } = messageOptions(m);
  return { content: '', embeds, components, files, allowedMentions };
}

export function messageOptions(m: DiscordMessage): MessageCreateOptions {
  return {
    embeds: m.embeds,
    components: m.components,
    files: filesOf(m),
    allowedMentions: NO_PINGS,
  };
}

/** Answer a message: the first part as a reply to it, the rest in its channel. */
export async function replyToMessage(message: Message, reply: Reply, actions: ActionIds) {
  const [first, ...rest] = renderDiscordReply(reply, { actions });
  if (!first) return;
  await message.reply(messageOptions(first));
  for (const m of rest) {
    if (message.channel.isSendable()) await message.channel.send(messageOptions(m));
  }
}

/** Posting outside a request (quiz timers): into the destination's thread or channel. */
export function discordOutbox(client: Client, actions: ActionIds): Outbox {
  return {
    async post(to: Destination, reply: Reply): Promise<void> {
      const id = to.threadId ?? to.channelId;
      const channel = await client.channels.fetch(id);
      if (!channel?.isSendable()) throw new Error(`cannot post to Discord channel ${id}`);
      for (const m of renderDiscordReply(reply, { actions })) {
        await channel.send(messageOptions(m));
      }
    },
  };
}
