/**
 * Several instances, one truth: two bot processes (`dist/main.js`, Slack HTTP mode, the real
 * Bolt client) on one shared store, against the Slack stand-in on 127.0.0.1. A quiz started
 * on one takes a button answer through the other; kill -9 of the owner mid-question → the
 * other takes the quiz over, reveals the answer and posts the scoreboard, which counts it.
 *
 * Parameterized by store URL (`STORE_CASES`): a SQLite file shared by two processes is a real
 * multi-process setup; a PostgreSQL URL plugs in as another case. Short leases (1 s, ticks of
 * 200 ms) keep it fast; every wait is for a condition, never a fixed sleep.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredStore } from '../../../src/compose.js';
import { channelKeyOf, type Store } from '../../../src/store/index.js';
import { type Block, FakeSlack, type Outgoing, visibleText } from '../../fakes/slack.js';
import { tempDir } from '../../quiz/helpers.js';
import { freshDatabase, pgServer } from '../../setup/pg-db.js';

const dist = (f: string) => fileURLToPath(new URL(`../../../dist/${f}`, import.meta.url));

interface StoreCase {
  name: string;
  /** The LLM_TUTOR_DB both instances share. */
  url(dir: string): Promise<string>;
  /** False when this store is not available here (the suite is skipped). */
  available: boolean;
}

const STORE_CASES: StoreCase[] = [
  {
    name: 'one SQLite file',
    url: async (dir) => join(dir, 'data', 'shared.db'),
    available: true,
  },
  { name: 'PostgreSQL', url: () => freshDatabase('instances'), available: pgServer !== null },
];

// short enough that the kill -9 case is quick (a takeover within LEASE + TICK), long enough
// that a loaded machine (CI) does not delay a renewal past the lease: at 1 s, a busy runner
// made B take A's quiz over although A was alive, and the owner check below failed
const LEASE_MS = 3000;
const TICK_MS = 500;
const ADA = { id: 'U0ADA001', name: 'ada' };
const LEO = { id: 'U0LEO001', name: 'leo' };

interface Bot {
  name: string;
  child: ChildProcess;
  url: string;
  logs: () => string;
  exited: Promise<unknown>;
}

/** Start `dist/main.js` as instance `name` on PORT=0; resolves once it is up and sweeping. */
async function startBot(name: string, fake: FakeSlack, db: string, dir: string): Promise<Bot> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C',
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: fake.signingSecret,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    LLM_TUTOR_DB: db,
    LLM_TUTOR_INSTANCE: name,
    LLM_TUTOR_QUIZ_LEASE_MS: String(LEASE_MS),
    LLM_TUTOR_QUIZ_TICK_MS: String(TICK_MS),
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, [dist('main.js')], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  const collect = (c: Buffer) => {
    logs += c.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await fake.waitFor(() => {
    if (!logs.includes('llm-tutor started')) return undefined;
    const line = logs.split('\n').find((l) => l.includes('Slack adapter started'));
    return line ? (JSON.parse(line) as { port: number }).port : undefined;
  }, 90_000); // generous: a start on a busy machine has taken ~40 s
  return { name, child, url: `http://127.0.0.1:${port}/slack/events`, logs: () => logs, exited };
}

const header = (blocks: readonly Block[]) =>
  blocks.find((b) => b.type === 'header')?.text?.text ?? '';
const plain = (blocks: readonly Block[]) => visibleText(blocks).replace(/&amp;/g, '&');

describe.each(STORE_CASES)('two instances on $name', (storeCase) => {
  const tmp = tempDir('llm-tutor-instances-');
  const ready = existsSync(dist('main.js')) && storeCase.available;
  let db: string | undefined;
  let fake: FakeSlack;
  let a: Bot;
  let b: Bot;

  beforeAll(async () => {
    if (!ready) return;
    db = await storeCase.url(tmp.dir);
    fake = await new FakeSlack().start();
    a = await startBot('A', fake, db, tmp.dir);
    b = await startBot('B', fake, db, tmp.dir);
  }, 200_000);

  afterAll(async () => {
    for (const bot of [a, b]) {
      if (bot && bot.child.exitCode === null && bot.child.signalCode === null) {
        bot.child.kill('SIGTERM');
        await bot.exited;
      }
    }
    await fake?.stop();
    tmp.cleanup();
  }, 30_000);

  /** Posts into `channel` through the Web API. */
  const posts = (channel: string) =>
    fake.outgoing.filter((o) => o.via === 'chat.postMessage' && o.channel === channel);
  const titled = (channel: string, title: RegExp) =>
    posts(channel).filter((o) => title.test(header(o.blocks)));

  const hasButton = (o: Outgoing) =>
    o.blocks.some(
      (x) => x.type === 'actions' && (x.elements ?? []).some((e) => e.type === 'button'),
    );

  /**
   * Start a one-question quiz on `bot` in `base` (or, when the drawn question is numeric and so
   * has no buttons, stop it there and start again in `base-2`, `base-3`, …); resolves with the
   * posted question and the channel it is in.
   */
  async function quizOn(bot: Bot, base: string): Promise<{ question: Outgoing; channel: string }> {
    fake.appUrl = bot.url;
    for (let attempt = 1; attempt <= 10; attempt++) {
      const channel = attempt === 1 ? base : `${base}-${attempt}`;
      const command = (text: string) =>
        fake.slashCommand('/quiz', text, {
          user_id: LEO.id,
          user_name: LEO.name,
          channel_id: channel,
        });
      expect((await command('5 count=1 seconds=10')).status).toBe(200);
      const question = await fake.waitFor(
        () => titled(channel, /^Quiz · question 1\/1/)[0],
        10_000,
      );
      if (hasButton(question)) return { question, channel };
      await command('stop');
      await fake.waitFor(() => titled(channel, /scoreboard/)[0], 10_000);
    }
    throw new Error('ten numeric questions in a row');
  }

  /** Ada clicks the first button of `question` through `bot`; resolves with the private ack. */
  async function clickThrough(bot: Bot, question: Outgoing, channel: string): Promise<string> {
    const button = question.blocks
      .filter((x) => x.type === 'actions')
      .flatMap((x) => x.elements ?? [])
      .find((e) => e.type === 'button');
    expect(button?.value).toMatch(/^\/answer /);
    fake.appUrl = bot.url;
    const r = await fake.blockAction(button!.value ?? '', {
      actionId: button!.action_id ?? '',
      user: ADA.id,
      userName: ADA.name,
      channel,
    });
    expect(r.status).toBe(200);
    const ack = await fake.waitFor(
      () => fake.responses.find((x) => r.payload.response_url.endsWith(`/${x.id}`)),
      10_000,
    );
    return plain((ack.body as { blocks: Block[] }).blocks);
  }

  /** The quiz in `channel` ends "Quiz over", with one reveal, one scoreboard that counts Ada. */
  async function endedOnceWithAda(channel: string): Promise<void> {
    const board = await fake.waitFor(() => titled(channel, /^Quiz over — scoreboard$/)[0], 20_000);
    expect(plain(board.blocks)).toMatch(/ada\s+\d\.\d\d\s+[01]\/1/);
    expect(titled(channel, /^Question 1\/1 — the answer$/)).toHaveLength(1);
    expect(titled(channel, /scoreboard/)).toHaveLength(1);
  }

  /** Read the shared store as a third process would. */
  async function peek<T>(read: (store: Store) => Promise<T>): Promise<T> {
    const store = await configuredStore({ LLM_TUTOR_DB: db ?? '' });
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  }
  const runningIn = (channel: string) =>
    peek((s) => s.runningSession(channelKeyOf('slack', channel)));

  it.runIf(ready)(
    'a quiz started on A takes a button answer through B; A, the owner, reveals it once',
    async () => {
      const { question, channel } = await quizOn(a, 'C0SHARED1');
      const ack = await clickThrough(b, question, channel);
      expect(ack).toMatch(/Got it: .* for question 1\/1/);
      expect((await runningIn(channel))?.owner).toBe('A');
      await endedOnceWithAda(channel);
    },
    40_000,
  );

  it.runIf(ready)(
    'kill -9 of the owner mid-question: B takes over, reveals once and posts the scoreboard with the answer',
    async () => {
      const { question, channel } = await quizOn(a, 'C0SHARED2');
      expect(await clickThrough(b, question, channel)).toMatch(/Got it/);
      const running = await runningIn(channel);
      expect(running?.owner).toBe('A');
      a.child.kill('SIGKILL');
      await a.exited;
      await endedOnceWithAda(channel);
      expect(posts(channel).some((o) => /interrupted/i.test(plain(o.blocks)))).toBe(false);
      const row = await peek((s) => s.getSession(running?.id ?? 0));
      expect(row).toMatchObject({ owner: 'B', status: 'finished' });
    },
    40_000,
  );
});
