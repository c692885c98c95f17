import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig, platformsOf } from '../../src/core/config.js';
import { createLogger } from '../../src/core/log.js';
import { destinationOf, Messenger } from '../../src/core/messenger.js';
import { msg } from './helpers.js';

describe('configuration', () => {
  it('needs nothing: the terminal chat runs with an empty environment', () => {
    const r = parseConfig({});
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config).toMatchObject({
        PORT: 3000,
        LOG_LEVEL: 'info',
        LLM_TUTOR_DB: './data/llm-tutor.db',
      });
      expect(platformsOf(r.config)).toEqual({ discord: false, slack: false });
    }
  });

  it('reads the instance name and the quiz lease timing, and refuses what cannot work', () => {
    const ok = parseConfig({
      LLM_TUTOR_INSTANCE: 'pod-7:tutor',
      LLM_TUTOR_QUIZ_LEASE_MS: '3000',
      LLM_TUTOR_QUIZ_TICK_MS: '1000',
    });
    expect(ok.ok && ok.config).toMatchObject({
      LLM_TUTOR_INSTANCE: 'pod-7:tutor',
      LLM_TUTOR_QUIZ_LEASE_MS: 3000,
      LLM_TUTOR_QUIZ_TICK_MS: 1000,
    });
    const defaults = parseConfig({ LLM_TUTOR_INSTANCE: ' ' });
    expect(defaults.ok && defaults.config).toMatchObject({
      LLM_TUTOR_QUIZ_LEASE_MS: 15_000,
      LLM_TUTOR_QUIZ_TICK_MS: 5000,
    });
    expect(defaults.ok && defaults.config.LLM_TUTOR_INSTANCE).toBeUndefined();
    const errors = (env: NodeJS.ProcessEnv) => {
      const r = parseConfig(env);
      return r.ok ? [] : r.errors;
    };
    expect(errors({ LLM_TUTOR_INSTANCE: 'two words' })[0]).toMatch(
      /^LLM_TUTOR_INSTANCE must be 1–120 letters/,
    );
    expect(errors({ LLM_TUTOR_QUIZ_LEASE_MS: '1.5s' })[0]).toMatch(
      /^LLM_TUTOR_QUIZ_LEASE_MS .*whole number/,
    );
    expect(errors({ LLM_TUTOR_QUIZ_TICK_MS: '0' })[0]).toMatch(/TICK_MS must be above 0/);
    expect(errors({ LLM_TUTOR_QUIZ_LEASE_MS: '6000', LLM_TUTOR_QUIZ_TICK_MS: '3000' })).toEqual([
      expect.stringMatching(/LLM_TUTOR_QUIZ_TICK_MS: the lease tick .* below half the lease/),
    ]);
    expect(errors({ LLM_TUTOR_QUIZ_LEASE_MS: '100', LLM_TUTOR_QUIZ_TICK_MS: '20' })[0]).toMatch(
      /from 150 to/,
    );
  });

  it('reads the question log and rate limit settings, with defaults', () => {
    const r = parseConfig({ LLM_TUTOR_KEEP_DAYS: '0', LLM_TUTOR_RATINGS_PER_MINUTE: ' 5 ' });
    expect(r.ok && r.config).toMatchObject({
      LLM_TUTOR_KEEP_DAYS: 0,
      LLM_TUTOR_QUESTIONS_PER_MINUTE: 10,
      LLM_TUTOR_RATINGS_PER_MINUTE: 5,
    });
    expect(parseConfig({}).ok && (parseConfig({}) as { config: object }).config).toMatchObject({
      LLM_TUTOR_KEEP_DAYS: 30,
    });
  });

  it.each([
    [{ LLM_TUTOR_KEEP_DAYS: 'thirty' }, 'LLM_TUTOR_KEEP_DAYS must be a whole number'],
    [{ LLM_TUTOR_KEEP_DAYS: '-1' }, 'LLM_TUTOR_KEEP_DAYS must be at least 0'],
    [{ LLM_TUTOR_KEEP_DAYS: '2.5' }, 'LLM_TUTOR_KEEP_DAYS must be a whole number'],
    [{ LLM_TUTOR_QUESTIONS_PER_MINUTE: '1e9' }, 'LLM_TUTOR_QUESTIONS_PER_MINUTE must be at most'],
  ])('refuses a bad log or limit setting %o', (env, message) => {
    const r = parseConfig(env);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(message);
  });

  it('treats empty variables (KEY= in .env) as unset', () => {
    const r = parseConfig({ DISCORD_TOKEN: '', SLACK_BOT_TOKEN: ' ', PORT: '' });
    expect(r.ok).toBe(true);
  });

  it('turns on the platforms whose tokens are set', () => {
    const r = parseConfig({
      DISCORD_TOKEN: 'x'.repeat(40),
      SLACK_BOT_TOKEN: 'xoxb-123',
      SLACK_APP_TOKEN: 'xapp-1',
      PORT: '8080',
    });
    expect(r.ok && platformsOf(r.config)).toEqual({ discord: true, slack: true });
    expect(r.ok && r.config.PORT).toBe(8080);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set'],
    [{ SLACK_SIGNING_SECRET: 'secret-123' }, 'SLACK_BOT_TOKEN is required'],
    [
      { SLACK_BOT_TOKEN: 'abc', SLACK_SIGNING_SECRET: 'secret-123' },
      'SLACK_BOT_TOKEN must start with xoxb-',
    ],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DISCORD_API_URL: 'localhost:3000' }, 'DISCORD_API_URL must be an http(s) URL'],
    [
      { DISCORD_APPLICATION_ID: 'my-app' },
      'DISCORD_APPLICATION_ID must be the numeric application id',
    ],
    ...['abc', '0', '-2', '1.5', '1e3', '1025', 'auto2'].map(
      (v): [Record<string, string>, string] => [
        { DISCORD_TOKEN: 'x'.repeat(30), DISCORD_SHARDS: v },
        'DISCORD_SHARDS must be auto or a whole number of shards from 1 to 1024',
      ],
    ),
    [{ DISCORD_SHARDS: '2' }, 'DISCORD_SHARDS is set but DISCORD_TOKEN is not'],
  ])('names the variable and what to do: %j', (env, expected) => {
    const r = parseConfig(env);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.join('\n')).toContain(expected);
      expect(r.errors.join('\n')).toContain('.env.example');
    }
  });

  it('DISCORD_SHARDS: unset is one process; auto or a number of shards', () => {
    const token = { DISCORD_TOKEN: 'x'.repeat(30) };
    const shards = (v?: string) => {
      const r = parseConfig({ ...token, ...(v === undefined ? {} : { DISCORD_SHARDS: v }) });
      return r.ok ? r.config.DISCORD_SHARDS : r.errors;
    };
    expect(shards()).toBeUndefined();
    expect(shards('')).toBeUndefined();
    expect(shards('auto')).toBe('auto');
    expect(shards(' AUTO ')).toBe('auto');
    expect(shards('2')).toBe(2);
    expect(shards('1024')).toBe(1024);
  });

  it('never echoes a secret in an error', () => {
    const r = parseConfig({ SLACK_BOT_TOKEN: 'not-a-real-secret-value' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).not.toContain('not-a-real-secret-value');
  });
});

describe('logging', () => {
  it('redacts tokens wherever they appear', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const logger = createLogger({ level: 'info', pretty: false, destination: out });
    logger.info({ config: { DISCORD_TOKEN: 'secret-1', PORT: 3000 }, token: 'secret-2' }, 'hello');
    logger.info({ req: { authorization: 'Bot secret-3' } }, 'request');
    expect(text).toContain('hello');
    expect(text).toContain('3000');
    expect(text).not.toMatch(/secret-\d/);
  });
});

describe('messenger', () => {
  it('delivers to the outbox registered for the platform, and fails loudly without one', async () => {
    const messenger = new Messenger();
    const got: string[] = [];
    const off = messenger.register('test', {
      post: async (to, reply) => {
        got.push(`${to.channelId}:${reply.paragraphs[0]}`);
      },
    });
    const to = destinationOf(msg('hi'));
    await messenger.post(to, { kind: 'info', lang: 'en', paragraphs: ['one'] });
    expect(got).toEqual(['c1:one']);
    off();
    await expect(messenger.post(to, { kind: 'info', lang: 'en', paragraphs: [] })).rejects.toThrow(
      'no outbox registered for test',
    );
  });
});
