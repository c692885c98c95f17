/**
 * @mentions, direct messages and messages in threads the bot has joined; any other message in
 * a server channel goes to the router as `overheard` (a quiz answer is taken, else nothing).
 */
import type { Client, Message } from 'discord.js';
import { isSilent } from '../../core/router.js';
import { fetchTextFiles, replyLang, wantsFile } from '../kit/index.js';
import { apologyText, type DiscordContext, NO_PINGS } from './context.js';
import { messageIncoming, remoteFile } from './incoming.js';
import { replyToMessage } from './send.js';

async function answerMessage(
  ctx: DiscordContext,
  message: Message,
  botId: string,
  overheard: boolean,
): Promise<void> {
  const incoming = messageIncoming(message, botId);
  if (overheard) incoming.overheard = true;
  const attachment = overheard ? undefined : message.attachments.first();
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
  const reply = ctx.limits.refusal(incoming) ?? (await ctx.router.handle(incoming));
  if (!isSilent(reply)) await replyToMessage(message, reply, ctx.actions);
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
    const overheard = !addressed(message, me.id);
    const context = {
      event: 'messageCreate',
      message: message.id,
      channel: message.channelId,
      user: message.author.id,
    };
    ctx.log.debug(context, 'discord event');
    void ctx.flight.run(
      context,
      async () => {
        if (await ctx.dedupe.isRepeat(`m:${message.id}`)) return;
        await answerMessage(ctx, message, me.id, overheard);
      },
      async () => {
        if (overheard) return; // a message that was not for the bot gets no apology either
        await message.reply({ content: apologyText(undefined), allowedMentions: NO_PINGS });
      },
    );
  };
}
