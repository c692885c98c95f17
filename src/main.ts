/**
 * Start-up: read the environment (.env), validate it, build the core, start every
 * configured platform — or the terminal chat when none is — and shut down cleanly on
 * SIGINT/SIGTERM.
 */
import { pathToFileURL } from 'node:url';
import { exitQuietlyOnClosedStdout, langFromEnv, runConsoleChat } from './adapters/console/chat.js';
import { startDiscord } from './adapters/discord/index.js';
import { startSlack } from './adapters/slack/index.js';
import type { RunningAdapter } from './adapters/types.js';
import { loadConfig, openConfiguredStore } from './compose.js';
import { platformsOf } from './core/config.js';
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
import { BankError } from './quiz/index.js';
import type { Store } from './store/index.js';

export { loadConfig };

function buildRouter(logger: Logger, store: Store, keepDays: number) {
  try {
    const messenger = new Messenger();
    const quiz = createQuiz({ store, messenger, knowledge: knowledgeBase(), logger });
    try {
      quiz.service(); // validate the quiz bank at start-up
    } catch (err) {
      if (!(err instanceof BankError)) throw err;
      process.stderr.write(`Quizzes are disabled: ${err.message}\n`);
    }
    // Discord and Slack run /chunk and /tokens in this pool of worker threads.
    const jobs = new WorkerPool({ logger });
    return { router: assembleRouter({ logger, messenger, quiz, jobs, keepDays }), quiz };
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`The knowledge base is broken: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

export async function start(): Promise<void> {
  const config = loadConfig();
  const platforms = platformsOf(config);
  const interactive = !platforms.discord && !platforms.slack;
  const logger = createLogger({ level: interactive ? 'warn' : config.LOG_LEVEL });
  const store = openConfiguredStore(config);
  const { router, quiz } = buildRouter(logger, store, config.LLM_TUTOR_KEEP_DAYS);
  // the question log keeps LLM_TUTOR_KEEP_DAYS days: pruned now and daily (an unref'd timer)
  const stopPruning = router.feedback?.startPruning();
  if (interactive) {
    const lang = langFromEnv();
    // the chat registers its outbox first, so recovered scoreboards are printed
    const chat = runConsoleChat({ router, ...(lang ? { lang } : {}) });
    await recover(quiz, logger);
    await chat;
    stopPruning?.();
    await quiz.close();
    await store.close();
    return;
  }
  const running: RunningAdapter[] = [];
  // How long messages keep the event loop from others: logged at debug level every minute.
  const loop = watchEventLoop({ logger });
  const stopAll = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await Promise.allSettled(running.map((r) => r.stop()));
    loop.stop();
    stopPruning?.();
    await router.jobs.close();
    await quiz.close();
    await store.close();
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', () => void stopAll('SIGINT'));
  process.once('SIGTERM', () => void stopAll('SIGTERM'));
  // the adapters catch their own errors; this is the last line of defence, never a crash
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  // load the topic model before connecting: no user's first question waits for it
  router.warm();
  try {
    if (platforms.discord) running.push(await startDiscord({ router, config, logger }));
    if (platforms.slack) running.push(await startSlack({ router, config, logger }));
  } catch (err) {
    logger.error({ err }, 'a platform failed to start');
    process.stderr.write(`llm-tutor could not start: ${(err as Error).message}\n`);
    await Promise.allSettled(running.map((r) => r.stop()));
    loop.stop();
    await router.jobs.close();
    await quiz.close();
    await store.close();
    process.exit(1);
  }
  await recover(quiz, logger);
  logger.info({ platforms }, 'llm-tutor started');
}

/** Close the quizzes a restart interrupted and post their scoreboards (adapters are up). */
async function recover(quiz: QuizFeature, logger: Logger): Promise<void> {
  try {
    const closed = await quiz.recover();
    if (closed.length)
      logger.info({ quizzes: closed.map((q) => q.id) }, 'closed interrupted quizzes');
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
