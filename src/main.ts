/**
 * Start-up: read the environment (.env), validate it, build the core, start every
 * configured platform — or the terminal chat when none is — and shut down cleanly on
 * SIGINT/SIGTERM.
 */
import { pathToFileURL } from 'node:url';
import dotenv from 'dotenv';
import { exitQuietlyOnClosedStdout, langFromEnv, runConsoleChat } from './adapters/console/chat.js';
import type { RunningAdapter } from './adapters/types.js';
import { type Config, parseConfig, platformsOf } from './core/config.js';
import { createRouter } from './core/index.js';
import { createLogger, type Logger } from './core/log.js';
import { KnowledgeError } from './knowledge/index.js';

/** Read and validate the configuration, or explain what is wrong and exit. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  dotenv.config({ quiet: true });
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    process.stderr.write(
      `llm-tutor cannot start:\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}\n`,
    );
    process.exit(2);
  }
  return parsed.config;
}

function buildRouter(logger: Logger) {
  try {
    return createRouter({ logger });
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
  const router = buildRouter(logger);
  if (interactive) {
    const lang = langFromEnv();
    await runConsoleChat({ router, ...(lang ? { lang } : {}) });
    return;
  }
  const running: RunningAdapter[] = [];
  const stopAll = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await Promise.allSettled(running.map((r) => r.stop()));
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', () => void stopAll('SIGINT'));
  process.once('SIGTERM', () => void stopAll('SIGTERM'));
  logger.info({ platforms }, 'llm-tutor started');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  exitQuietlyOnClosedStdout();
  start().catch((err: unknown) => {
    process.stderr.write(`llm-tutor: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
