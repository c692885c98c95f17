/**
 * Slash commands and button clicks. The 3 s rule: the answer is raced against
 * `deferAfterMs` (2 s). A fast answer is the interaction's reply (ephemeral for user errors).
 * A slow one is deferred publicly, then the placeholder is edited into the answer; when the
 * answer turns out to be private, the public placeholder is deleted and the answer is sent as
 * an ephemeral follow-up, so nothing private shows in the channel.
 */
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';
import { userError } from '../../core/errors.js';
import type { Incoming, Reply } from '../../core/types.js';
import { fetchTextFiles, isPrivate, langOfLocale } from '../kit/index.js';
import { apologyText, type DiscordContext } from './context.js';
import { errorInfo } from './errors.js';
import { commandLine, interactionBase, remoteFile, slashOptions } from './incoming.js';
import { renderDiscordReply } from './render.js';
import { editOptions, replyOptions } from './send.js';

async function sendInteractionReply(
  ctx: DiscordContext,
  interaction: RepliableInteraction,
  reply: Reply,
  deferred: boolean,
): Promise<void> {
  const priv = isPrivate(reply);
  const [first, ...rest] = renderDiscordReply(reply, { actions: ctx.actions });
  if (!first) return;
  if (!deferred) {
    await interaction.reply(replyOptions(first, priv));
  } else if (priv) {
    try {
      await interaction.deleteReply();
    } catch (err) {
      ctx.log.warn(
        { err: errorInfo(err), interaction: interaction.id },
        'could not delete the deferred reply',
      );
      await interaction.editReply({ content: '…', embeds: [], components: [] });
    }
    await interaction.followUp(replyOptions(first, true));
  } else {
    await interaction.editReply(editOptions(first));
  }
  for (const m of rest) await interaction.followUp(replyOptions(m, priv));
}

/** Answer fast when the work is fast; otherwise defer first, then edit. */
async function respond(
  ctx: DiscordContext,
  interaction: RepliableInteraction,
  work: Promise<Reply>,
): Promise<void> {
  work.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
  const LATE = Symbol('late');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ctx.deferAfterMs);
  });
  const first = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (first !== LATE) {
    await sendInteractionReply(ctx, interaction, first, false);
    return;
  }
  await interaction.deferReply();
  await sendInteractionReply(ctx, interaction, await work, true);
}

async function slashReply(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
): Promise<Reply> {
  const base = interactionBase(interaction);
  const { options, file } = slashOptions(interaction.options.data);
  const incoming: Incoming = {
    ...base,
    text: commandLine(interaction.commandName, options),
    command: { name: interaction.commandName, options },
  };
  if (file) {
    const got = await fetchTextFiles([remoteFile(file)], {
      lang: base.lang ?? 'en',
      maxBytes: ctx.maxFileBytes,
    });
    if (!got.ok) return got.reply;
    incoming.files = got.files;
  }
  return ctx.router.handle(incoming);
}

async function buttonReply(ctx: DiscordContext, interaction: ButtonInteraction): Promise<Reply> {
  const lang = langOfLocale(interaction.locale) ?? 'en';
  const found = ctx.actions.actionOf(interaction.customId);
  if (!found.ok) {
    return userError(lang, {
      en: 'This button has expired. Please ask again.',
      zh: '这个按钮已过期,请重新提问。',
    });
  }
  return ctx.router.handle({ ...interactionBase(interaction), text: found.action });
}

async function apologizeTo(interaction: RepliableInteraction): Promise<void> {
  const content = apologyText(langOfLocale(interaction.locale));
  if (interaction.deferred && !interaction.replied) {
    await interaction.editReply({ content, embeds: [], components: [], files: [] });
  } else if (interaction.replied || interaction.deferred) {
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  }
}

/** The `interactionCreate` listener: slash commands and buttons, each answered once. */
export function onInteraction(ctx: DiscordContext) {
  return (interaction: Interaction): void => {
    if (ctx.stopping()) return;
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const context = {
      event: 'interactionCreate',
      interaction: interaction.id,
      command: interaction.isChatInputCommand() ? interaction.commandName : undefined,
      customId: interaction.isButton() ? interaction.customId : undefined,
      user: interaction.user.id,
      channel: interaction.channelId,
    };
    ctx.log.debug(context, 'discord event');
    void ctx.flight.run(
      context,
      async () => {
        if (await ctx.dedupe.isRepeat(`i:${interaction.id}`)) return;
        const work = interaction.isChatInputCommand()
          ? slashReply(ctx, interaction)
          : buttonReply(ctx, interaction);
        await respond(ctx, interaction, work);
      },
      () => apologizeTo(interaction),
    );
  };
}
