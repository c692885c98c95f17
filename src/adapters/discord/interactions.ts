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
  ComponentType,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  TextInputStyle,
} from 'discord.js';
import { userError } from '../../core/errors.js';
import { REASON_MAX } from '../../core/feedback.js';
import { REASON_PROMPT } from '../../core/index.js';
import { isSilent } from '../../core/router.js';
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
    if (isSilent(first)) await acknowledgeSilently(interaction);
    else await sendInteractionReply(ctx, interaction, first, false);
    return;
  }
  await interaction.deferReply();
  await sendInteractionReply(ctx, interaction, await work, true);
}

/**
 * A refusal that says nothing (a rate limit already noticed): a button or modal is
 * acknowledged without a message; a slash command must answer, with one private character.
 */
async function acknowledgeSilently(interaction: RepliableInteraction): Promise<void> {
  if (interaction.isButton() || interaction.isModalSubmit()) await interaction.deferUpdate();
  else await interaction.reply({ content: '⏳', flags: MessageFlags.Ephemeral });
}

/** Route an interaction's Incoming, unless its user is over the rate limit. */
function handle(ctx: DiscordContext, incoming: Incoming): Promise<Reply> {
  const refused = ctx.limits.refusal(incoming);
  return refused ? Promise.resolve(refused) : ctx.router.handle(incoming);
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
  return handle(ctx, incoming);
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
  return handle(ctx, { ...interactionBase(interaction), text: found.action });
}

/** The modal of a 👎 button: its custom id is `m` + the button's, so the submit finds the action. */
async function askReason(
  ctx: DiscordContext,
  interaction: ButtonInteraction,
  action: string,
): Promise<void> {
  const prompt = REASON_PROMPT[langOfLocale(interaction.locale) ?? 'en'];
  await interaction.showModal({
    custom_id: `m${ctx.actions.idFor(action, 0, true)}`,
    title: prompt.title,
    components: [
      {
        type: ComponentType.Label,
        label: prompt.label,
        component: {
          type: ComponentType.TextInput,
          custom_id: 'reason',
          style: TextInputStyle.Short,
          required: false,
          max_length: REASON_MAX,
        },
      },
    ],
  });
}

/** A submitted reason modal: the button's action with the reason appended. */
async function modalReply(
  ctx: DiscordContext,
  interaction: ModalSubmitInteraction,
): Promise<Reply> {
  const found = ctx.actions.actionOf(interaction.customId.slice(1));
  if (!interaction.customId.startsWith('m') || !found.ok) {
    return userError(langOfLocale(interaction.locale) ?? 'en', {
      en: 'This form has expired. Please press the button again.',
      zh: '这个表单已过期,请重新点按钮。',
    });
  }
  const reason = interaction.fields.getTextInputValue('reason').replace(/\s+/g, ' ').trim();
  const text = reason ? `${found.action} ${reason}` : found.action;
  return handle(ctx, { ...interactionBase(interaction), text });
}

/** A button that asks for a reason first: show the modal instead of answering. */
async function pressed(ctx: DiscordContext, interaction: ButtonInteraction): Promise<boolean> {
  const found = ctx.actions.actionOf(interaction.customId);
  if (!found.ok || !found.askReason) return false;
  await askReason(ctx, interaction, found.action);
  return true;
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
    if (
      !interaction.isChatInputCommand() &&
      !interaction.isButton() &&
      !interaction.isModalSubmit()
    )
      return;
    const context = {
      event: 'interactionCreate',
      interaction: interaction.id,
      command: interaction.isChatInputCommand() ? interaction.commandName : undefined,
      customId: interaction.isChatInputCommand() ? undefined : interaction.customId,
      user: interaction.user.id,
      channel: interaction.channelId,
    };
    ctx.log.debug(context, 'discord event');
    void ctx.flight.run(
      context,
      async () => {
        if (await ctx.dedupe.isRepeat(`i:${interaction.id}`)) return;
        if (interaction.isButton() && (await pressed(ctx, interaction))) return;
        const work = interaction.isChatInputCommand()
          ? slashReply(ctx, interaction)
          : interaction.isButton()
            ? buttonReply(ctx, interaction)
            : modalReply(ctx, interaction);
        await respond(ctx, interaction, work);
      },
      () => apologizeTo(interaction),
    );
  };
}
