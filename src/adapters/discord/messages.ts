/** @mentions, direct messages and messages in threads the bot has joined. */
import type { Client, Message } from 'discord.js';
import { fetchTextFiles, replyLang, wantsFile } from '../kit/index.js';
import { apologyText, type DiscordContext, NO_PINGS } from './context.js';
import { messageIncoming, remoteFile } from './incoming.js';
import { replyToMessage } from './send.js';

async function answerMessage(ctx: DiscordContext, message: Message, botId: string): Promise<void> {
  const incoming = messageIncoming(message, botId);
  const attachment = message.attachments.first();
  if (attachment && wantsFile(ctx.router, incoming.text)) {
    const got = await fetchTextFiles([remoteFile(attachment)], {
      lang: replyLang(undefined, incoming.text),
      maxBytes: ctx.maxFileBytes,
    });
    if (!got.ok) {
      await replyToMessage(message, got.reply, ctx.actions);
      return;
    }
    incoming.files = got.files;
  }
  await replyToMessage(message, await ctx.router.handle(incoming), ctx.actions);
}

/** Is this message for the bot: a DM, a mention, or a thread it has joined? */
function addressed(message: Message, botId: string): boolean {
  const channel = message.channel;
  return (
    !message.inGuild() ||
    message.mentions.users.has(botId) ||
    (channel.isThread() && channel.joined)
  );
}

/** The `messageCreate` listener. */
export function onMessage(ctx: DiscordContext, client: Client) {
  return (message: Message): void => {
    const me = client.user;
    if (ctx.stopping() || !me || message.author.bot || message.system) return;
    if (!addressed(message, me.id)) return;
    const context = {
      event: 'messageCreate',
      message: message.id,
      channel: message.channelId,
      user: message.author.id,
    };
    void ctx.flight.run(
      context,
      async () => {
        if (await ctx.dedupe.isRepeat(`m:${message.id}`)) return;
        await answerMessage(ctx, message, me.id);
      },
      async () => {
        await message.reply({ content: apologyText(undefined), allowedMentions: NO_PINGS });
      },
    );
  };
}
