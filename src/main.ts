/**
 * Start-up: read the environment (.env), validate it, build the core, start every
 * configured platform — or the terminal chat when none is — and shut down cleanly on
 * SIGINT/SIGTERM. With `DISCORD_SHARDS`, this process is discord.js's sharding manager and
 * forks itself once per shard (see adapters/discord/shards.ts). The platform adapters are
 * imported only when configured: discord.js and Bolt take ~1 s of CPU to load, which the
 * terminal chat's first prompt does not wait for.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { exitQuietlyOnClosedStdout, langFromEnv, runConsoleChat } from './adapters/console/chat.js';
import { shardOfProcess } from './adapters/discord/shard-env.js';
import type { RunningAdapter } from './adapters/types.js';
import { loadConfig, openConfiguredStore } from './compose.js';
import { type Config, platformsOf } from './core/config.js';
import {
  assembleRouter,
  createQuiz,
  Messenger,
  type QuizFeature,
  WorkerPool,
  watchEventLoop,
} from './core/index.js';
import { createLogger, type Logger } from './core/log.js';
import { KnowledgeError, knowledgeBase } from './knowledge/index.js';
import { BankError, instanceName } from './quiz/index.js';
import type { Platform, Store } from './store/index.js';

export { loadConfig };

interface Core {
  store: Store;
  router: ReturnType<typeof assembleRouter>;
  quiz: QuizFeature;
  /** Stops the question log's daily pruning (`LLM_TUTOR_KEEP_DAYS`). */
  stopPruning?: () => void;
}

/**
 * The store, the router and the quiz feature. This process's quiz-lease name is
 * `LLM_TUTOR_INSTANCE` or a fresh `host:pid:random`; a Discord shard adds its shard ids. It
 * takes over only the quizzes of the platforms it posts to (`platforms`).
 */
async function buildCore(
  config: Config,
  logger: Logger,
  platforms: readonly Platform[],
  suffix?: string,
): Promise<Core> {
  const store = await openConfiguredStore(config);
  const base = config.LLM_TUTOR_INSTANCE ?? instanceName();
  try {
    const messenger = new Messenger();
    const quiz = createQuiz({
      store,
      messenger,
      knowledge: knowledgeBase(),
      logger,
      owner: suffix ? `${base}:${suffix}` : base,
      lease: { leaseMs: config.LLM_TUTOR_QUIZ_LEASE_MS, tickMs: config.LLM_TUTOR_QUIZ_TICK_MS },
      platforms,
    });
    try {
      quiz.service(); // validate the quiz bank at start-up
    } catch (err) {
      if (!(err instanceof BankError)) throw err;
      process.stderr.write(`Quizzes are disabled: ${err.message}\n`);
    }
    // Discord and Slack run /chunk and /tokens in this pool of worker threads.
    const jobs = new WorkerPool({ logger });
    const keepDays = config.LLM_TUTOR_KEEP_DAYS;
    const router = assembleRouter({ logger, messenger, quiz, jobs, keepDays });
    // the question log keeps LLM_TUTOR_KEEP_DAYS days: pruned now and daily (an unref'd timer)
    return { store, router, quiz, stopPruning: router.feedback?.startPruning() };
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`The knowledge base is broken: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

async function closeCore(core: Core | undefined): Promise<void> {
  if (!core) return;
  core.stopPruning?.();
  await core.router.jobs.close();
  await core.quiz.close();
  await core.store.close();
}

/** The terminal chat: no platform is configured. */
async function runInteractive(config: Config, logger: Logger): Promise<void> {
  const core = await buildCore(config, logger, ['console']);
  const lang = langFromEnv();
  // the chat registers its outbox first, so recovered scoreboards are printed
  const chat = runConsoleChat({
    router: core.router,
    settle: () => core.quiz.settle(),
    ...(lang ? { lang } : {}),
  });
  await recover(core.quiz, logger);
  await chat;
  core.stopPruning?.();
  await core.quiz.close();
  await core.store.close();
}

/**
 * What this process runs. A shard process (forked by the sharding manager) runs its Discord
 * shard only; with `DISCORD_SHARDS` set, this process is the manager (and runs Slack, if
 * configured, itself).
 */
function roleOf(config: Config) {
  const shard = shardOfProcess();
  const platforms = shard ? { discord: true, slack: false } : platformsOf(config);
  const manager = !shard && platforms.discord && config.DISCORD_SHARDS !== undefined;
  return { shard, platforms, manager };
}

export async function start(): Promise<void> {
  const config = loadConfig();
  const { shard, platforms, manager } = roleOf(config);
  if (!platforms.discord && !platforms.slack) {
    await runInteractive(config, createLogger({ level: 'warn' }));
    return;
  }
  const root = createLogger({ level: config.LOG_LEVEL });
  const logger = shard ? root.child({ shard: shard.ids }) : root;
  // the manager alone needs no store or router unless it runs Slack (its shards run Discord)
  const posts: Platform[] = [];
  if (platforms.discord && !manager) posts.push('discord');
  if (platforms.slack) posts.push('slack');
  const suffix = shard && `shard-${shard.ids.join('+')}`;
  const core = posts.length ? await buildCore(config, logger, posts, suffix) : undefined;
  const running: RunningAdapter[] = [];
  // How long messages keep the event loop from others: logged at debug level every minute.
  const loop = watchEventLoop({ logger });
  let stopping = false;
  const stopAll = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    await Promise.allSettled(running.map((r) => r.stop()));
    loop.stop();
    await closeCore(core);
    logger.flush();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll('SIGINT'));
  process.once('SIGTERM', () => void stopAll('SIGTERM'));
  // a shard whose manager is gone stops too
  if (shard) process.once('disconnect', () => void stopAll('sharding manager gone'));
  // the adapters catch their own errors; this is the last line of defence, never a crash
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  // load the topic model before connecting: no user's first question waits for it
  core?.router.warm();
  try {
    if (manager) {
      const file = fileURLToPath(import.meta.url);
      const onGiveUp = (reason: string) => void stopAll(reason, 1);
      const { startDiscordShards } = await import('./adapters/discord/shards.js');
      running.push(await startDiscordShards({ config, logger, file, onGiveUp }));
    } else if (platforms.discord && core) {
      const shards = shard ? { shards: shard } : {};
      // the store's event claims: a redelivered event is answered once across instances
      const claims = core.store;
      const { startDiscord } = await import('./adapters/discord/index.js');
      running.push(await startDiscord({ router: core.router, config, logger, claims, ...shards }));
    }
    if (platforms.slack && core) {
      const { startSlack } = await import('./adapters/slack/index.js');
      running.push(await startSlack({ router: core.router, config, logger, claims: core.store }));
    }
  } catch (err) {
    logger.error({ err }, 'a platform failed to start');
    process.stderr.write(`llm-tutor could not start: ${(err as Error).message}\n`);
    await stopAll('start-up failed', 1);
    return;
  }
  if (core) await recover(core.quiz, logger);
  logger.info({ platforms, ...(shard ? { shard: shard.ids } : {}) }, 'llm-tutor started');
}

/**
 * Join the instances sharing the store (adapters are up): take over the quizzes whose lease
 * has expired, this process's before a restart included, and keep renewing and sweeping.
 */
async function recover(quiz: QuizFeature, logger: Logger): Promise<void> {
  try {
    const taken = await quiz.recover();
    const owner = quiz.service().owner;
    logger.info({ owner, quizzes: taken.map((q) => q.id) }, 'quiz leases: sweeping');
  } catch (err) {
    if (!(err instanceof BankError)) logger.error({ err }, 'quiz recovery failed');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  exitQuietlyOnClosedStdout();
  start().catch((err: unknown) => {
    process.stderr.write(`llm-tutor: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
