/**
 * Discord sharding: `npm start` with `DISCORD_SHARDS` as a process tree (discord.js's
 * ShardingManager forking the built main.js once per shard) against a stand-in that serves
 * two shards and routes each guild's events to `(guild_id >> 22) % 2`. Each message is
 * answered once, by the shard process of its guild; both shards share one SQLite file; a
 * killed shard is respawned and closes only its own interrupted quiz; SIGTERM stops all.
 */
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Shard } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CRASH_LOOP,
  fetchGatewayBot,
  IDENTIFY_INTERVAL_MS,
  shardOfProcess,
  shardPlan,
  watchShard,
} from '../../../src/adapters/discord/shards.js';
import {
  buttonsOf,
  FAKE_IDS,
  FAKE_TOKEN,
  FakeDiscord,
  type SentMessage,
  shardOfGuild,
  textOf,
} from '../../fakes/discord.js';
import { recordingLogger } from './helpers.js';

const dist = (f: string) => fileURLToPath(new URL(`../../../dist/${f}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'llm-tutor-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line {
  msg: string;
  shard?: number | number[];
  pid?: number;
  [key: string]: unknown;
}

/** `node dist/main.js` with its (and its shards') JSON log lines collected. */
function startBot(env: Record<string, string>) {
  const child = spawn(process.execPath, [dist('main.js')], {
    env: { PATH: process.env.PATH, HOME: dir, LANG: 'C', LOG_LEVEL: 'debug', ...env },
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let rest = '';
  let raw = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    raw += chunk.toString();
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as Line);
      } catch {
        // a plain stderr line (e.g. "llm-tutor could not start: …")
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { child, lines, exited, raw: () => raw };
}

/** Log lines of one shard process (they carry `shard: [id]`). */
const ofShard = (lines: Line[], id: number) =>
  lines.filter((l) => Array.isArray(l.shard) && l.shard.length === 1 && l.shard[0] === id);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('shard settings', () => {
  it('a shard process knows its shard from the manager; any other process has none', () => {
    const env = { SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' };
    expect(shardOfProcess(env)).toEqual({ ids: [1], count: 2 });
    expect(shardOfProcess({ ...env, SHARDS: '[0,1]' })).toEqual({ ids: [0, 1], count: 2 });
    expect(shardOfProcess({})).toBeUndefined();
    expect(shardOfProcess({ ...env, SHARDING_MANAGER: undefined })).toBeUndefined();
    expect(shardOfProcess({ ...env, SHARDS: '2' })).toBeUndefined(); // id ≥ count
    expect(shardOfProcess({ ...env, SHARDS: 'one' })).toBeUndefined();
  });

  it('auto takes the recommended count; starts are spaced by the identify concurrency', () => {
    expect(shardPlan('auto', { shards: 3, maxConcurrency: 1 })).toEqual({
      count: 3,
      spawnDelayMs: IDENTIFY_INTERVAL_MS,
    });
    expect(shardPlan(2, { shards: 3, maxConcurrency: 16 })).toEqual({
      count: 2,
      spawnDelayMs: Math.ceil(IDENTIFY_INTERVAL_MS / 16),
    });
  });

  it('asks /gateway/bot as the bot; a refused token or an unreachable API is explained', async () => {
    const fake = await new FakeDiscord({ shards: 2, maxConcurrency: 16 }).start();
    try {
      const config = { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl };
      expect(await fetchGatewayBot(config)).toEqual({ shards: 2, maxConcurrency: 16 });
      const refused = fetchGatewayBot({ ...config, DISCORD_TOKEN: `${FAKE_TOKEN}-wrong` });
      await expect(refused).rejects.toThrow(/Discord refused DISCORD_TOKEN \(401\)/);
    } finally {
      await fake.stop();
    }
    const gone = fetchGatewayBot({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl });
    await expect(gone).rejects.toThrow(/could not ask Discord for the shard count/);
  });

  it('a shard that keeps dying makes the manager give up; stopped shards are not deaths', () => {
    const logs = recordingLogger();
    const shard = Object.assign(new EventEmitter(), { id: 3, process: null }) as unknown as Shard;
    const state = { stopping: false };
    const reasons: string[] = [];
    watchShard(shard, logs.logger, state, (r) => reasons.push(r));
    const child = { pid: 42, exitCode: 1, signalCode: null };
    for (let i = 0; i < CRASH_LOOP.deaths; i++) shard.emit('death', child);
    expect(reasons).toEqual([]);
    expect(logs.lines.filter((l) => l.msg === 'discord shard died; respawning it')).toHaveLength(
      CRASH_LOOP.deaths,
    );
    shard.emit('death', child);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/Discord shard 3 died 6 times within 60 s/);
    state.stopping = true;
    shard.emit('death', child);
    expect(reasons).toHaveLength(1);
    expect(logs.lines.at(-1)?.msg).toBe('discord shard stopped');
    // a failed respawn is logged, never thrown
    expect(() => shard.emit('error', new Error('spawn failed'))).not.toThrow();
    expect(logs.lines.at(-1)?.msg).toBe('discord shard could not be respawned');
  });

  it('the stand-in routes a guild to (id >> 22) % count: the two guilds are on shards 0 and 1', () => {
    expect(shardOfGuild(FAKE_IDS.guild, 2)).toBe(0);
    expect(shardOfGuild(FAKE_IDS.guild2, 2)).toBe(1);
  });
});

describe.runIf(existsSync(dist('main.js')))('npm start with DISCORD_SHARDS', () => {
  it('a bad DISCORD_SHARDS stops the bot with a message naming it and the allowed forms', () => {
    // every bad form is in test/core/config.test.ts; here, that the process stops on one
    for (const value of ['abc', '0']) {
      const r = spawnSync(process.execPath, [dist('main.js')], {
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          DISCORD_TOKEN: FAKE_TOKEN,
          DISCORD_SHARDS: value,
        },
        encoding: 'utf8',
        cwd: dir,
      });
      expect(r.status, value).toBe(2);
      expect(r.stderr).toContain('DISCORD_SHARDS must be auto or a whole number of shards');
    }
    const r = spawnSync(process.execPath, [dist('main.js')], {
      env: { PATH: process.env.PATH, HOME: dir, DISCORD_SHARDS: '2' },
      encoding: 'utf8',
      cwd: dir,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('DISCORD_SHARDS is set but DISCORD_TOKEN is not');
  }, 120_000);

  it('fewer shards than Discord requires: a warning, then a clear failure and exit 1', async () => {
    const fake = await new FakeDiscord({ shards: 2, maxConcurrency: 16 }).start();
    try {
      const bot = startBot({
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_SHARDS: '1',
        LLM_TUTOR_DB: join(dir, 'few.db'),
      });
      expect(await bot.exited).toBe(1);
      expect(bot.lines.some((l) => l.msg === 'fewer shards than Discord recommends')).toBe(true);
      expect(bot.raw()).toContain('llm-tutor could not start: Discord shards did not start');
      expect(bot.raw()).toContain('Sharding is required');
      expect(bot.raw()).not.toContain(FAKE_TOKEN);
    } finally {
      await fake.stop();
    }
  }, 120_000);

  it('shards whose manager was killed stop by themselves, cleanly', async () => {
    const fake = await new FakeDiscord({ shards: 2, maxConcurrency: 16 }).start();
    const bot = startBot({
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_SHARDS: '2',
      LLM_TUTOR_DB: join(dir, 'orphans.db'),
    });
    try {
      const started = (id: number) =>
        ofShard(bot.lines, id).some((l) => l.msg === 'llm-tutor started');
      await fake.waitFor(() => started(0) && started(1), 90_000);
      const pids = bot.lines
        .filter((l) => l.msg === 'discord shard ready')
        .map((l) => l.pid as number);
      expect(pids).toHaveLength(2);
      bot.child.kill('SIGKILL');
      await bot.exited;
      await fake.waitFor(() => pids.every((pid) => !alive(pid)), 30_000);
      for (const id of [0, 1]) {
        const lines = ofShard(bot.lines, id);
        expect(lines.find((l) => l.msg === 'shutting down')?.reason).toBe('sharding manager gone');
        expect(lines.some((l) => l.msg === 'discord stopped')).toBe(true);
        expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
      }
      expect(fake.connections).toBe(0);
    } finally {
      await fake.stop();
    }
  }, 150_000);

  describe('two shards', () => {
    let fake: FakeDiscord;
    let bot: ReturnType<typeof startBot>;
    const wait = <T>(check: () => T | undefined | null | false, ms = 30_000) =>
      fake.waitFor(check, ms);
    const readyOf = (id: number) =>
      bot.lines.filter((l) => l.msg === 'discord shard ready' && l.shard === id);
    const startedOf = (id: number) =>
      ofShard(bot.lines, id).filter((l) => l.msg === 'llm-tutor started');

    beforeAll(async () => {
      fake = await new FakeDiscord({ shards: 2, maxConcurrency: 16 }).start();
      bot = startBot({
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_SHARDS: 'auto',
        LLM_TUTOR_DB: join(dir, 'shared.db'),
        // short leases, so a dead shard's quiz is taken over within seconds
        LLM_TUTOR_QUIZ_LEASE_MS: '2000',
        LLM_TUTOR_QUIZ_TICK_MS: '500',
      });
      await wait(() => startedOf(0).length && startedOf(1).length, 90_000);
      await wait(() => bot.lines.some((l) => l.msg === 'llm-tutor started' && !l.shard));
    }, 150_000);

    afterAll(async () => {
      if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
      await fake?.stop();
    });

    it('auto asks /gateway/bot, then each shard identifies as [id, 2] and gets its own guild', () => {
      expect(fake.requests.filter((r) => r.path === '/gateway/bot').length).toBeGreaterThan(0);
      const shards = fake.identifies.map((i) => i.shard);
      expect(shards).toEqual(
        expect.arrayContaining([
          [0, 2],
          [1, 2],
        ]),
      );
      expect(fake.identifies).toHaveLength(2);
      expect(readyOf(0)).toHaveLength(1);
      expect(readyOf(1)).toHaveLength(1);
      const ready = (id: number) => ofShard(bot.lines, id).find((l) => l.msg === 'discord ready');
      expect(ready(0)).toMatchObject({ guilds: 1, shards: { ids: [0], count: 2 } });
      expect(ready(1)).toMatchObject({ guilds: 1, shards: { ids: [1], count: 2 } });
      expect(bot.raw()).not.toContain(FAKE_TOKEN);
    });

    async function mentionIn(channelId: string, text: string): Promise<SentMessage> {
      const m = fake.injectMention(text, { channelId });
      return wait(() => fake.messages.find((s) => s.referenceId === m.id)).then((reply) => {
        const event = fake.dispatched.find((d) => d.id === m.id);
        const shard = shardOfGuild(fake.guildOfChannel(channelId)!, 2);
        expect(event?.shards).toEqual([shard]); // sent to that shard's connection only
        return reply;
      });
    }

    it('a mention in each guild is answered once, by the shard process of that guild', async () => {
      const [a, b] = await Promise.all([
        mentionIn(FAKE_IDS.channel, 'what is LoRA?'),
        mentionIn(FAKE_IDS.channel2, 'what is LoRA?'),
      ]);
      expect(a.channelId).toBe(FAKE_IDS.channel);
      expect(b.channelId).toBe(FAKE_IDS.channel2);
      for (const [reply, shard] of [
        [a, 0],
        [b, 1],
      ] as const) {
        const seen = bot.lines.filter(
          (l) => l.msg === 'discord event' && l.message === reply.referenceId,
        );
        expect(seen.map((l) => l.shard)).toEqual([[shard]]);
      }
    });

    it('a slash command works on both shards', async () => {
      const one = fake.injectSlash({ name: 'topic', options: { n: 3 } });
      const two = fake.injectSlash({
        name: 'topic',
        options: { n: 4 },
        channelId: FAKE_IDS.channel2,
      });
      const replyTo = (id: string) => wait(() => fake.messages.find((m) => m.interactionId === id));
      expect((await replyTo(one.id)).embeds[0]?.title).toMatch(/^3\. /);
      expect((await replyTo(two.id)).embeds[0]?.title).toMatch(/^4\. /);
      expect(fake.dispatched.find((d) => d.id === one.id)?.shards).toEqual([0]);
      expect(fake.dispatched.find((d) => d.id === two.id)?.shards).toEqual([1]);
    });

    /** Start a quiz in a channel and answer its first question; both shards write one file. */
    async function quizIn(channelId: string): Promise<SentMessage> {
      const start = fake.injectSlash({
        name: 'quiz',
        options: { count: 2, seconds: 120 },
        channelId,
      });
      await wait(() => fake.messages.find((m) => m.interactionId === start.id));
      const question = await wait(() =>
        fake.messages.find(
          (m) =>
            m.channelId === channelId && /^Quiz · question 1\/2/.test(m.embeds[0]?.title ?? ''),
        ),
      );
      // a choice or true/false question has buttons; a numeric one takes a typed number
      const button = buttonsOf(question)[0];
      if (button) {
        const click = fake.injectButton({ customId: button.custom_id, message: question });
        const ack = await wait(() => fake.messages.find((m) => m.interactionId === click.id));
        expect(textOf(ack)).toContain('Got it');
      } else {
        const typed = fake.injectMessage({ content: `<@${FAKE_IDS.bot}> 1`, channelId });
        const ack = await wait(() => fake.messages.find((m) => m.referenceId === typed.id));
        expect(textOf(ack)).toContain('Got it');
      }
      return question;
    }

    it('a quiz runs in each guild at once, both shard processes writing one SQLite file', async () => {
      await Promise.all([quizIn(FAKE_IDS.channel), quizIn(FAKE_IDS.channel2)]);
      expect(bot.lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    }, 60_000);

    it('a killed shard is respawned, its quiz lives on through its lease, and it answers again', async () => {
      const pid = readyOf(1)[0]!.pid as number;
      expect(alive(pid)).toBe(true);
      process.kill(pid, 'SIGKILL');
      await wait(() =>
        bot.lines.some((l) => l.msg === 'discord shard died; respawning it' && l.shard === 1),
      );
      await wait(() => readyOf(1).length === 2 && startedOf(1).length === 2, 90_000);
      expect(readyOf(1)[1]!.pid).not.toBe(pid);
      expect(fake.identifies.filter((i) => i.shard?.[0] === 1)).toHaveLength(2);
      expect(readyOf(0)).toHaveLength(1); // shard 0 was not touched
      // the dead shard's quiz is not closed: its lease expires and a live shard takes it over
      // (the takeover itself is tested in test/quiz/lease.test.ts and the Slack instances test)
      await wait(() => bot.lines.some((l) => l.msg === 'quiz leases: took over'), 30_000);
      for (const channelId of [FAKE_IDS.channel, FAKE_IDS.channel2]) {
        const stop = fake.injectSlash({ name: 'quiz', options: { topic: 'stop' }, channelId });
        const stopped = await wait(() => fake.messages.find((m) => m.interactionId === stop.id));
        expect(JSON.stringify(stopped)).toContain('Stopping the quiz');
        await wait(() =>
          fake.messages.find(
            (m) => m.channelId === channelId && m.embeds[0]?.title === 'Quiz stopped — scoreboard',
          ),
        );
      }
      expect(fake.messages.some((m) => /interrupted/.test(m.embeds[0]?.title ?? ''))).toBe(false);

      const again = await mentionIn(FAKE_IDS.channel2, 'what is a token?');
      const seen = bot.lines.filter(
        (l) => l.msg === 'discord event' && l.message === again.referenceId,
      );
      expect(seen.map((l) => l.shard)).toEqual([[1]]);
    }, 120_000);

    it('every message so far was answered exactly once', () => {
      const mentions = fake.dispatched.filter((d) => d.event === 'MESSAGE_CREATE').map((d) => d.id);
      for (const id of mentions) {
        expect(
          fake.messages.filter((m) => m.referenceId === id),
          `replies to ${id}`,
        ).toHaveLength(1);
      }
    });

    it('SIGTERM stops every shard cleanly and the manager exits 0', async () => {
      const pids = bot.lines
        .filter((l) => l.msg === 'discord shard ready')
        .map((l) => l.pid as number);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(pids.filter(alive)).toEqual([]);
      const stopped = bot.lines
        .filter((l) => l.msg === 'discord shard stopped')
        .map((l) => l.shard);
      expect(stopped.sort()).toEqual([0, 1]);
      for (const id of [0, 1]) {
        expect(ofShard(bot.lines, id).some((l) => l.msg === 'discord stopped')).toBe(true);
      }
    }, 60_000);
  });
});
