/** Start the real Slack adapter (Bolt) against the fake, with test commands and captured logs. */
import { Writable } from 'node:stream';
import { z } from 'zod';
import {
  type RunningSlack,
  type SlackAdapterOptions,
  startSlack,
} from '../../../src/adapters/slack/index.js';
import { createRouter } from '../../../src/compose.js';
import { defineCommand, option } from '../../../src/core/command.js';
import { parseConfig } from '../../../src/core/config.js';
import { defaultCommands, type Router } from '../../../src/core/index.js';
import { createLogger, type Logger } from '../../../src/core/log.js';
import type { Incoming, Reply } from '../../../src/core/types.js';
import { FakeSlack, type FakeSlackOptions } from '../../fakes/slack.js';

/** Commands only the tests have: a crash, a slow one, one that reads an attached file, a huge one. */
export const testCommands = [
  defineCommand({
    name: 'boom',
    description: { en: 'Always fails', zh: '总是失败' },
    schema: z.object({}),
    run: () => {
      throw new Error('boom from a command');
    },
  }),
  defineCommand({
    name: 'slow',
    description: { en: 'Takes a while', zh: '比较慢' },
    schema: z.object({ ms: option(z.coerce.number().int().default(400), 'delay', '延迟') }),
    positional: ['ms'],
    run: async (args, ctx): Promise<Reply> => {
      await new Promise((r) => setTimeout(r, args.ms));
      return { kind: 'info', lang: ctx.lang, paragraphs: [`done after ${args.ms} ms`] };
    },
  }),
  defineCommand({
    name: 'wc',
    description: { en: 'Count an attached file', zh: '统计附件' },
    schema: z.object({ file: option(z.string().optional(), 'a text file', '文本文件') }),
    run: (_args, ctx): Reply => {
      const files = ctx.incoming.files ?? [];
      return {
        kind: 'info',
        lang: ctx.lang,
        paragraphs: files.length
          ? files.map(
              (f) => `${f.name}: ${f.text.length} chars, first line ${f.text.split('\n')[0]}`,
            )
          : ['no file attached'],
      };
    },
  }),
  defineCommand({
    name: 'export',
    description: { en: 'A short reply with a file', zh: '带文件的回复' },
    schema: z.object({
      private: option(z.enum(['true', 'false']).default('false'), 'ephemeral', '仅自己可见'),
    }),
    run: (args, ctx): Reply => ({
      kind: 'info',
      lang: ctx.lang,
      ephemeral: args.private === 'true',
      paragraphs: ['chunks ready'],
      files: [{ name: 'chunks.jsonl', content: '{"i":0,"text":"第一块"}\n{"i":1}\n' }],
    }),
  }),
  defineCommand({
    name: 'huge',
    description: { en: 'A reply far beyond one message', zh: '超长回复' },
    schema: z.object({}),
    run: (_args, ctx): Reply => ({
      kind: 'answer',
      lang: ctx.lang,
      title: `A very long title ${'x'.repeat(200)}`,
      paragraphs: Array.from(
        { length: 120 },
        (_, i) => `Paragraph ${i + 1}. ${'Lorem ipsum dolor sit amet & <b> more. '.repeat(13)}`,
      ),
      fields: Array.from({ length: 23 }, (_, i) => ({
        name: `field ${i + 1}`,
        value: `v${i + 1}`,
      })),
      code: {
        text: Array.from({ length: 300 }, (_, i) => `line ${i + 1} ${'='.repeat(30)}`).join('\n'),
      },
      choices: Array.from({ length: 30 }, (_, i) => ({
        label: `Topic ${i + 1}`,
        action: `/topic ${(i % 10) + 1}`,
      })),
      hints: Array.from({ length: 12 }, (_, i) => `hint ${i + 1}`),
      files: [{ name: 'huge.jsonl', content: '{"a":1}\n'.repeat(2000) }],
    }),
  }),
];

/** A router whose handle() throws for one input, to prove the adapter's own safety net. */
export function explodingRouter(base: Router): Router {
  const handle = base.handle.bind(base);
  return Object.assign(Object.create(base) as Router, {
    handle: async (incoming: Incoming): Promise<Reply> => {
      if (incoming.text.includes('explode')) throw new Error('kaboom in the router');
      return handle(incoming);
    },
  });
}

export interface Pair {
  fake: FakeSlack;
  slack: RunningSlack;
  router: Router;
  /** Captured log records (pino JSON lines). */
  logs: Record<string, unknown>[];
  /** The raw log text (to check that no token is ever logged). */
  logText: () => string;
  close(): Promise<void>;
}

export async function startPair(
  options: {
    socket?: boolean;
    fake?: FakeSlackOptions;
    adapter?: Partial<SlackAdapterOptions>;
    wrap?: (r: Router) => Router;
    /** Build the router instead (e.g. with a quiz on a hand-driven clock). */
    router?: (logger: Logger) => Router;
    /** Environment overrides (e.g. a wrong token). */
    env?: Record<string, string>;
  } = {},
): Promise<Pair> {
  const fake = await new FakeSlack(options.fake).start();
  let raw = '';
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString('utf8');
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger({ level: 'debug', pretty: false, destination });
  const base = options.router
    ? options.router(logger)
    : createRouter({ logger, commands: [...defaultCommands, ...testCommands] });
  const router = options.wrap ? options.wrap(base) : base;
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: fake.signingSecret,
    ...(options.socket ? { SLACK_APP_TOKEN: fake.appToken } : {}),
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    // tests send one user's messages faster than a person; the limits have their own tests
    LLM_TUTOR_QUESTIONS_PER_MINUTE: '0',
    LLM_TUTOR_RATINGS_PER_MINUTE: '0',
    ...options.env,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  let slack: RunningSlack;
  try {
    slack = await startSlack({
      router,
      config: parsed.config,
      logger,
      host: '127.0.0.1',
      ...options.adapter,
    });
  } catch (err) {
    await fake.stop();
    throw err;
  }
  if (slack.port !== undefined) fake.appUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  return {
    fake,
    slack,
    router,
    logs,
    logText: () => raw,
    async close() {
      await slack.stop();
      await fake.stop();
    },
  };
}
