/** Shared set-up for the Discord e2e tests: a fake Discord, a config and a log recorder. */
import { Writable } from 'node:stream';
import type { DiscordAdapterOptions } from '../../../src/adapters/discord/adapter.js';
import { startDiscord } from '../../../src/adapters/discord/index.js';
import type { RunningAdapter } from '../../../src/adapters/types.js';
import { createRouter } from '../../../src/compose.js';
import { type Config, parseConfig } from '../../../src/core/config.js';
import type { Router } from '../../../src/core/index.js';
import { createLogger, type Logger } from '../../../src/core/log.js';
import { FAKE_IDS, FAKE_TOKEN, FakeDiscord, type FakeDiscordOptions } from '../../fakes/discord.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose JSON lines are kept in memory for assertions. */
export function recordingLogger(): { logger: Logger; lines: LogLine[]; text: () => string } {
  const lines: LogLine[] = [];
  let raw = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString('utf8');
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  const logger = createLogger({ level: 'debug', pretty: false, destination });
  return { logger, lines, text: () => raw };
}

export function fakeConfig(fake: FakeDiscord, overrides: Record<string, string> = {}): Config {
  const parsed = parseConfig({
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_APPLICATION_ID: FAKE_IDS.application,
    DISCORD_API_URL: fake.apiUrl,
    LOG_LEVEL: 'debug',
    // tests send one user's messages faster than a person; the limits have their own tests
    LLM_TUTOR_QUESTIONS_PER_MINUTE: '0',
    LLM_TUTOR_RATINGS_PER_MINUTE: '0',
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

export interface Harness {
  fake: FakeDiscord;
  bot: RunningAdapter;
  router: Router;
  logs: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

/** Start a fake Discord and the real adapter against it. */
export async function startHarness(
  options: {
    fake?: FakeDiscordOptions;
    /** Share a log recorder with a router built by the test. */
    logs?: ReturnType<typeof recordingLogger>;
    router?: Router;
    adapter?: Partial<Omit<DiscordAdapterOptions, 'router' | 'config' | 'logger'>>;
  } = {},
): Promise<Harness> {
  const fake = await new FakeDiscord(options.fake).start();
  const logs = options.logs ?? recordingLogger();
  const router = options.router ?? createRouter({ logger: logs.logger });
  const bot = await startDiscord({
    router,
    config: fakeConfig(fake),
    logger: logs.logger,
    ...options.adapter,
  });
  return {
    fake,
    bot,
    router,
    logs,
    async close() {
      await bot.stop();
      await fake.stop();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
