/**
 * Discord sharding with discord.js's `ShardingManager`. With `DISCORD_SHARDS=auto|N`, the
 * process `npm start` runs becomes the manager: it asks Discord (`GET /gateway/bot`) for the
 * recommended shard count and the identify concurrency, then forks one process per shard —
 * the same entry point again. Each child sees the manager's `SHARDS`/`SHARD_COUNT`
 * (`shardOfProcess`) and runs the normal Discord adapter for its shard only; Discord sends it
 * the events of the guilds with `(guild_id >> 22) % count === id` (DMs go to shard 0).
 *
 * A shard that dies is respawned by the manager (`respawn: true`); one that keeps dying
 * (more than 5 times in a minute) makes the manager give up rather than spend Discord's
 * daily session starts. `stop()` sends SIGTERM to every shard, which drains its answers and
 * closes its store, and waits for them to exit.
 *
 * @example
 * const shards = await startDiscordShards({ config, logger, file: fileURLToPath(import.meta.url) });
 * // … later
 * await shards.stop();
 */
import type { ChildProcess } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import {
  DiscordAPIError,
  type RESTGetAPIGatewayBotResult,
  Routes,
  type Shard,
  ShardingManager,
} from 'discord.js';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/log.js';
import type { RunningAdapter } from '../types.js';
import { withBotRest } from './commands.js';
import { errorInfo } from './errors.js';

export { type ShardAssignment, shardOfProcess } from './shard-env.js';

/** What `GET /gateway/bot` says about sharding. */
export interface GatewayBotInfo {
  /** Discord's recommended number of shards. */
  shards: number;
  /** How many shards may identify at once (in each 5 s window). */
  maxConcurrency: number;
}

/**
 * discord.js's own pause between two shard starts (`ShardingManager#spawn`): Discord allows
 * one IDENTIFY per 5 s per concurrency bucket.
 */
export const IDENTIFY_INTERVAL_MS = 5500;

/** A shard that dies more than this often within the window is not respawned again. */
export const CRASH_LOOP = { deaths: 5, windowMs: 60_000 } as const;

/** Ask Discord for the recommended shard count; a refusal is explained, naming the variable. */
export async function fetchGatewayBot(
  config: Pick<Config, 'DISCORD_API_URL' | 'DISCORD_TOKEN'>,
): Promise<GatewayBotInfo> {
  try {
    const info = (await withBotRest(config, (rest) =>
      rest.get(Routes.gatewayBot()),
    )) as RESTGetAPIGatewayBotResult;
    return {
      shards: Math.max(1, info.shards),
      maxConcurrency: Math.max(1, info.session_start_limit?.max_concurrency ?? 1),
    };
  } catch (err) {
    if (err instanceof DiscordAPIError && err.status === 401) {
      throw new Error('Discord refused DISCORD_TOKEN (401) when asked for the shard count');
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`could not ask Discord for the shard count (GET /gateway/bot): ${reason}`);
  }
}

/** How many shards to start, and the pause between two starts. */
export function shardPlan(
  setting: 'auto' | number,
  info: GatewayBotInfo,
): { count: number; spawnDelayMs: number } {
  return {
    count: setting === 'auto' ? info.shards : setting,
    spawnDelayMs: Math.ceil(IDENTIFY_INTERVAL_MS / info.maxConcurrency),
  };
}

export interface DiscordShardsOptions {
  config: Config;
  logger: Logger;
  /** The entry point each shard process runs (the built `main.js`). */
  file: string;
  /** Node flags for the shard processes (default: this process's, e.g. a TypeScript loader). */
  execArgv?: string[];
  /**
   * How long a shard process may take to become ready (default 60 s: starting Node and the
   * core, then the adapter's own 30 s for the gateway).
   */
  readyTimeoutMs?: number;
  /** How long stop() waits for a shard to exit after SIGTERM before killing it (default 10 s). */
  stopGraceMs?: number;
  /** Called when a shard keeps dying and the manager gives up (the caller stops). */
  onGiveUp?: (reason: string) => void;
}

export interface RunningShards extends RunningAdapter {
  readonly manager: ShardingManager;
}

/** SIGTERM a shard's process and wait for it to exit (SIGKILL after `graceMs`). */
function stopShard(shard: Shard, graceMs: number): Promise<void> {
  const child: ChildProcess | null = shard.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A shard process's pid and, once it exited, how. */
function exitOf(child: ChildProcess | Worker) {
  if (!('pid' in child)) return {};
  return { pid: child.pid, code: child.exitCode, signal: child.signalCode };
}

/** Log each shard's life, and give up on one that keeps dying. */
export function watchShard(
  shard: Shard,
  log: Logger,
  state: { stopping: boolean },
  onGiveUp: (reason: string) => void,
): void {
  const deaths: number[] = [];
  shard.on('spawn', (child: ChildProcess | Worker) =>
    log.info({ shard: shard.id, ...exitOf(child) }, 'discord shard spawned'),
  );
  shard.on('ready', () =>
    log.info({ shard: shard.id, pid: shard.process?.pid }, 'discord shard ready'),
  );
  shard.on('reconnecting', () => log.info({ shard: shard.id }, 'discord shard reconnecting'));
  shard.on('death', (child: ChildProcess | Worker) => {
    const how = { shard: shard.id, ...exitOf(child) };
    if (state.stopping) {
      log.info(how, 'discord shard stopped');
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length && now - (deaths[0] ?? now) > CRASH_LOOP.windowMs) deaths.shift();
    log.warn({ ...how, recentDeaths: deaths.length }, 'discord shard died; respawning it');
    if (deaths.length > CRASH_LOOP.deaths) {
      const reason = `Discord shard ${shard.id} died ${deaths.length} times within ${CRASH_LOOP.windowMs / 1000} s; see its log above`;
      log.error({ shard: shard.id }, reason);
      onGiveUp(reason);
    }
  });
  shard.on('error', (err: unknown) =>
    log.error({ shard: shard.id, err: errorInfo(err) }, 'discord shard could not be respawned'),
  );
}

/**
 * Start the Discord bot as shards, one process each, under discord.js's `ShardingManager`.
 * Resolves when every shard is ready; fails (after stopping what started) when one is not.
 */
export async function startDiscordShards(opts: DiscordShardsOptions): Promise<RunningShards> {
  const { config } = opts;
  const setting = config.DISCORD_SHARDS;
  if (!config.DISCORD_TOKEN || setting === undefined) {
    throw new Error('DISCORD_SHARDS and DISCORD_TOKEN are required to start Discord shards.');
  }
  const log = opts.logger.child({ platform: 'discord' });
  const info = await fetchGatewayBot(config);
  const { count, spawnDelayMs } = shardPlan(setting, info);
  if (count < info.shards) {
    log.warn({ shards: count, recommended: info.shards }, 'fewer shards than Discord recommends');
  }
  const manager = new ShardingManager(opts.file, {
    token: config.DISCORD_TOKEN,
    totalShards: count,
    mode: 'process',
    respawn: true,
    execArgv: opts.execArgv ?? process.execArgv,
  });
  const state = { stopping: false };
  const graceMs = opts.stopGraceMs ?? 10_000;
  const stop = async () => {
    if (state.stopping) return;
    state.stopping = true;
    manager.respawn = false;
    await Promise.all([...manager.shards.values()].map((s) => stopShard(s, graceMs)));
    log.info('discord shards stopped');
  };
  const giveUp = (reason: string) => {
    if (state.stopping) return;
    void stop().then(() => opts.onGiveUp?.(reason));
  };
  manager.on('shardCreate', (shard) => watchShard(shard, log, state, giveUp));
  log.info({ shards: count, recommended: info.shards, spawnDelayMs }, 'starting discord shards');
  try {
    const timeout = opts.readyTimeoutMs ?? 60_000;
    await manager.spawn({ amount: count, delay: spawnDelayMs, timeout });
  } catch (err) {
    await stop();
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Discord shards did not start: ${reason}`);
  }
  log.info({ shards: count }, 'discord shards ready');
  return { name: 'discord', manager, stop };
}
