/**
 * The Discord gateway bot: slash commands, buttons, @mentions, DMs and threads, each
 * turned into an `Incoming`, answered by the router and rendered within Discord's limits.
 * The listeners are in `interactions.ts` and `messages.ts`; what every platform shares
 * (dedupe, file intake, language, privacy, draining) is in `../kit`.
 *
 * @example
 * const discord = await startDiscord({ router, config, logger });
 * // … later
 * await discord.stop();
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/log.js';
import { eventDedupe, InFlight, MAX_FILE_BYTES, rateLimiterOf } from '../kit/index.js';
import type { AdapterOptions, RunningAdapter } from '../types.js';
import { ActionIds } from './actions.js';
import { discordApiBase } from './commands.js';
import type { DiscordContext } from './context.js';
import { errorInfo, isGone } from './errors.js';
import { onInteraction } from './interactions.js';
import { onMessage } from './messages.js';
import { discordOutbox } from './send.js';
import type { ShardAssignment } from './shard-env.js';

export interface DiscordAdapterOptions extends AdapterOptions {
  /** Defer an interaction when the answer takes longer than this (default 2000 ms). */
  deferAfterMs?: number;
  /** Largest attachment read for a `file` option (default 2 MB). */
  maxFileBytes?: number;
  /** Give up starting when the gateway is not ready after this long (default 30 s). */
  readyTimeoutMs?: number;
  /** How long stop() waits for answers in flight (default 5 s). */
  drainMs?: number;
  /** The shards this process runs, as a `ShardingManager` assigns them (default: all, one). */
  shards?: ShardAssignment;
}

function createClient(config: Config, shards: ShardAssignment | undefined): Client {
  const api = discordApiBase(config);
  return new Client({
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
    ...(shards ? { shards: shards.ids, shardCount: shards.count } : {}),
  });
}

function logClientEvents(client: Client, log: Logger): void {
  client.on(Events.Error, (err) => log.error({ err: errorInfo(err) }, 'discord client error'));
  client.on(Events.Warn, (warning) => log.warn({ warning }, 'discord client warning'));
  client.on(Events.ShardError, (err, shard) =>
    log.warn({ err: errorInfo(err), shard }, 'discord gateway error'),
  );
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord reconnecting'));
}

/** Log in and wait for the gateway to be ready, or fail with a clear error. */
async function login(client: Client, token: string, readyTimeoutMs: number): Promise<void> {
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
    await client.login(token);
    await ready;
  } catch (err) {
    await client.destroy().catch(() => {});
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Discord login failed: ${reason}`);
  } finally {
    clearTimeout(readyTimer);
  }
}

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
  const client = createClient(config, opts.shards);
  let stopping = false;
  const ctx: DiscordContext = {
    router,
    log,
    actions: new ActionIds(),
    flight: new InFlight({
      logger: log,
      name: 'discord',
      describe: errorInfo,
      canApologize: (err) => !isGone(err),
    }),
    dedupe: eventDedupe(
      opts.claims,
      {
        platform: 'discord',
        onError: (err) =>
          log.warn({ err }, 'event claim failed: deduplicating in this process only'),
      },
      { max: 5000, ttlMs: Number.POSITIVE_INFINITY },
    ),
    deferAfterMs: opts.deferAfterMs ?? 2000,
    maxFileBytes: opts.maxFileBytes ?? MAX_FILE_BYTES,
    limits: opts.limits ?? rateLimiterOf(config),
    stopping: () => stopping,
  };
  client.on(Events.InteractionCreate, onInteraction(ctx));
  client.on(Events.MessageCreate, onMessage(ctx, client));
  logClientEvents(client, log);
  await login(client, config.DISCORD_TOKEN, opts.readyTimeoutMs ?? 30_000);
  const unregister = router.messenger.register('discord', discordOutbox(client, ctx.actions));
  const shards = opts.shards ?? { ids: [0], count: 1 };
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, shards }, 'discord ready');

  return {
    name: 'discord',
    async stop() {
      if (stopping) return;
      stopping = true;
      unregister();
      await ctx.flight.drain(opts.drainMs ?? 5000);
      await client.destroy();
      log.info('discord stopped');
    },
  };
}
