/**
 * The Discord gateway bot: slash commands, buttons, @mentions, DMs and threads, each
 * turned into an `Incoming`, answered by the router and rendered within Discord's limits.
 *
 * Acknowledging interactions (3 s rule): the answer is raced against `deferAfterMs`
 * (2 s). A fast answer is the interaction's reply (ephemeral for user errors). A slow one
 * is deferred publicly, then the placeholder is edited into the answer; when the answer
 * turns out to be private (a user error), the public placeholder is deleted and the
 * answer is sent as an ephemeral follow-up, so nothing private shows in the channel.
 *
 * @example
 * const discord = await startDiscord({ router, config, logger });
 * // … later
 * await discord.stop();
 */
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type Message,
  type MessageCreateOptions,
  MessageFlags,
  Partials,
  RESTJSONErrorCodes,
  type RepliableInteraction,
} from 'discord.js';
import { userError } from '../../core/errors.js';
import { APOLOGY } from '../../core/router.js';
import type { Destination, Incoming, Lang, Outbox, Reply } from '../../core/types.js';
import type { AdapterOptions, RunningAdapter } from '../types.js';
import { ActionIds } from './actions.js';
import { discordApiBase } from './commands.js';
import {
  commandLine,
  downloadErrorReply,
  downloadText,
  interactionBase,
  langOfLocale,
  MAX_FILE_BYTES,
  messageIncoming,
  slashOptions,
  wantsFile,
} from './incoming.js';
import { type DiscordMessage, renderDiscordReply } from './render.js';

export interface DiscordAdapterOptions extends AdapterOptions {
  /** Defer an interaction when the answer takes longer than this (default 2000 ms). */
  deferAfterMs?: number;
  /** Largest attachment read for a `file` option (default 2 MB). */
  maxFileBytes?: number;
  /** Give up starting when the gateway is not ready after this long (default 30 s). */
  readyTimeoutMs?: number;
  /** How long stop() waits for answers in flight (default 5 s). */
  drainMs?: number;
}

function apologyText(lang: Lang | undefined): string {
  return lang ? APOLOGY[lang] : `${APOLOGY.en}\n${APOLOGY.zh}`;
}

const NO_PINGS = { parse: [] as [] };

/** A bounded set of recently seen ids: duplicate gateway events are answered once. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}
  /** False when the id was seen already. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}

function filesOf(m: DiscordMessage) {
  return m.files.map((f) => ({ attachment: f.data, name: f.name }));
}

function replyOptions(m: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    embeds: m.embeds,
    components: m.components,
    files: filesOf(m),
    allowedMentions: NO_PINGS,
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

function editOptions(m: DiscordMessage): InteractionEditReplyOptions {
  return {
    content: '',
    embeds: m.embeds,
    components: m.components,
    files: filesOf(m),
    allowedMentions: NO_PINGS,
  };
}

function messageOptions(m: DiscordMessage): MessageCreateOptions {
  return {
    embeds: m.embeds,
    components: m.components,
    files: filesOf(m),
    allowedMentions: NO_PINGS,
  };
}

/** Interaction and webhook tokens in a URL path, replaced before logging. */
export function redactTokens(url: string): string {
  return url
    .replace(/(\/interactions\/\d+\/)[^/?]+/g, '$1[token]')
    .replace(/(\/webhooks\/\d+\/)[^/?]+/g, '$1[token]');
}

/** What is worth logging about an error: no request bodies, no tokens. */
export function errorInfo(err: unknown): Record<string, unknown> {
  if (err instanceof DiscordAPIError) {
    return {
      name: err.name,
      message: err.message,
      code: err.code,
      status: err.status,
      method: err.method,
      url: redactTokens(err.url),
    };
  }
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack };
  }
  return { message: String(err) };
}

/** The interaction can no longer be answered (late or already answered elsewhere). */
const isGone = (err: unknown) =>
  err instanceof DiscordAPIError &&
  (err.code === RESTJSONErrorCodes.UnknownInteraction ||
    err.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged);

const isPrivate = (reply: Reply) => reply.kind === 'error' || reply.ephemeral === true;

/**
 * Start the Discord bot: logs in, waits for the gateway to be ready, registers the
 * 'discord' outbox, and answers slash commands, buttons, @mentions, DMs and messages
 * in threads the bot has joined. `stop()` drains answers in flight and closes the client.
 */
export async function startDiscord(opts: DiscordAdapterOptions): Promise<RunningAdapter> {
  const { router, config } = opts;
  if (!config.DISCORD_TOKEN) {
    throw new Error('DISCORD_TOKEN is required to start the Discord bot (see .env.example).');
  }
  const log = opts.logger.child({ platform: 'discord' });
  const deferAfterMs = opts.deferAfterMs ?? 2000;
  const maxFileBytes = opts.maxFileBytes ?? MAX_FILE_BYTES;
  const api = discordApiBase(config);
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: true },
    failIfNotExists: false,
    ...(api ? { rest: { api } } : {}),
  });
  const actions = new ActionIds();
  const seen = new RecentIds(5000);
  const inflight = new Set<Promise<void>>();
  let stopping = false;

  /** Run a listener body; an error is logged with context and answered with an apology. */
  const guard = (
    event: string,
    context: Record<string, unknown>,
    body: () => Promise<void>,
    apologize: () => Promise<unknown>,
  ) => {
    const run = (async () => {
      try {
        await body();
      } catch (err) {
        log.error({ err: errorInfo(err), event, ...context }, 'discord listener failed');
        if (isGone(err)) return; // nobody to apologize to
        try {
          await apologize();
        } catch (err2) {
          log.error({ err: errorInfo(err2), event, ...context }, 'discord apology failed');
        }
      }
    })().catch(() => {}); // even a failing logger must not become an unhandled rejection
    inflight.add(run);
    void run.finally(() => inflight.delete(run));
  };

  // ---- interactions --------------------------------------------------------------

  async function sendInteractionReply(
    interaction: RepliableInteraction,
    reply: Reply,
    deferred: boolean,
  ): Promise<void> {
    const priv = isPrivate(reply);
    const [first, ...rest] = renderDiscordReply(reply, { actions });
    if (!first) return;
    if (!deferred) {
      await interaction.reply(replyOptions(first, priv));
    } else if (priv) {
      try {
        await interaction.deleteReply();
      } catch (err) {
        log.warn(
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
  async function respond(interaction: RepliableInteraction, work: Promise<Reply>): Promise<void> {
    work.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
    const LATE = Symbol('late');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), deferAfterMs);
    });
    const first = await Promise.race([work, late]).finally(() => clearTimeout(timer));
    if (first !== LATE) {
      await sendInteractionReply(interaction, first, false);
      return;
    }
    await interaction.deferReply();
    await sendInteractionReply(interaction, await work, true);
  }

  async function slashReply(interaction: ChatInputCommandInteraction): Promise<Reply> {
    const base = interactionBase(interaction);
    const { options, file } = slashOptions(interaction.options.data);
    const incoming: Incoming = {
      ...base,
      text: commandLine(interaction.commandName, options),
      command: { name: interaction.commandName, options },
    };
    if (file) {
      const got = await downloadText(file, maxFileBytes);
      if (!got.ok) return downloadErrorReply(got, base.lang ?? 'en', maxFileBytes);
      incoming.files = [{ name: got.name, text: got.text }];
    }
    return router.handle(incoming);
  }

  async function buttonReply(interaction: ButtonInteraction): Promise<Reply> {
    const lang = langOfLocale(interaction.locale) ?? 'en';
    const found = actions.actionOf(interaction.customId);
    if (!found.ok) {
      return userError(lang, {
        en: 'This button has expired. Please ask again.',
        zh: '这个按钮已过期,请重新提问。',
      });
    }
    return router.handle({ ...interactionBase(interaction), text: found.action });
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

  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (stopping || !seen.add(`i:${interaction.id}`)) return;
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const context = {
      interaction: interaction.id,
      command: interaction.isChatInputCommand() ? interaction.commandName : undefined,
      customId: interaction.isButton() ? interaction.customId : undefined,
      user: interaction.user.id,
      channel: interaction.channelId,
    };
    guard(
      'interactionCreate',
      context,
      () =>
        respond(
          interaction,
          interaction.isChatInputCommand() ? slashReply(interaction) : buttonReply(interaction),
        ),
      () => apologizeTo(interaction),
    );
  });

  // ---- messages ------------------------------------------------------------------

  async function sendToChannel(message: Message, reply: Reply): Promise<void> {
    const [first, ...rest] = renderDiscordReply(reply, { actions });
    if (!first) return;
    await message.reply(messageOptions(first));
    for (const m of rest) {
      if (message.channel.isSendable()) await message.channel.send(messageOptions(m));
    }
  }

  async function answerMessage(message: Message, botId: string): Promise<void> {
    const incoming = messageIncoming(message, botId);
    const attachment = message.attachments.first();
    if (attachment && wantsFile(router, incoming.text)) {
      const got = await downloadText(attachment, maxFileBytes);
      if (!got.ok) {
        const lang: Lang = /\p{Script=Han}/u.test(incoming.text) ? 'zh' : 'en';
        await sendToChannel(message, downloadErrorReply(got, lang, maxFileBytes));
        return;
      }
      incoming.files = [{ name: got.name, text: got.text }];
    }
    await sendToChannel(message, await router.handle(incoming));
  }

  client.on(Events.MessageCreate, (message: Message) => {
    const me = client.user;
    if (stopping || !me || message.author.bot || message.system) return;
    const channel = message.channel;
    const addressed =
      !message.inGuild() ||
      message.mentions.users.has(me.id) ||
      (channel.isThread() && channel.joined);
    if (!addressed || !seen.add(`m:${message.id}`)) return;
    guard(
      'messageCreate',
      { message: message.id, channel: message.channelId, user: message.author.id },
      () => answerMessage(message, me.id),
      async () => {
        const content = apologyText(undefined);
        await message.reply({ content, allowedMentions: NO_PINGS });
      },
    );
  });

  client.on(Events.Error, (err) => log.error({ err: errorInfo(err) }, 'discord client error'));
  client.on(Events.Warn, (warning) => log.warn({ warning }, 'discord client warning'));
  client.on(Events.ShardError, (err, shard) =>
    log.warn({ err: errorInfo(err), shard }, 'discord gateway error'),
  );
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord reconnecting'));

  // ---- outbox and start ----------------------------------------------------------

  const outbox: Outbox = {
    async post(to: Destination, reply: Reply): Promise<void> {
      const id = to.threadId ?? to.channelId;
      const channel = await client.channels.fetch(id);
      if (!channel?.isSendable()) throw new Error(`cannot post to Discord channel ${id}`);
      for (const m of renderDiscordReply(reply, { actions })) {
        await channel.send(messageOptions(m));
      }
    },
  };

  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  let readyTimer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    readyTimer = setTimeout(
      () => reject(new Error(`Discord gateway not ready after ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
  });
  ready.catch(() => {});
  try {
    await client.login(config.DISCORD_TOKEN);
    await ready;
  } catch (err) {
    await client.destroy().catch(() => {});
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Discord login failed: ${reason}`);
  } finally {
    clearTimeout(readyTimer);
  }
  const unregister = router.messenger.register('discord', outbox);
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord ready');

  return {
    name: 'discord',
    async stop() {
      if (stopping) return;
      stopping = true;
      unregister();
      let drainTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inflight]),
        new Promise<void>((resolve) => {
          drainTimer = setTimeout(resolve, opts.drainMs ?? 5000);
        }),
      ]);
      clearTimeout(drainTimer);
      await client.destroy();
      log.info('discord stopped');
    },
  };
}
