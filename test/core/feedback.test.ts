/**
 * The question log, /rate, /forget-me and /privacy through the router (src/core/feedback.ts,
 * src/core/commands/feedback.ts), over an in-memory store read back through its interface.
 */
import { describe, expect, it } from 'vitest';
import { createRouter, memoryStore } from '../../src/compose.js';
import { DAY_MS, FeedbackLog, LOG_TEXT_MAX } from '../../src/core/feedback.js';
import type { Incoming, Reply } from '../../src/core/types.js';
import type { Store } from '../../src/store/types.js';
import { AMBIGUOUS_CUE, CueMatcher } from '../helpers/ambiguous-matcher.js';
import { textOf } from './helpers.js';

const OFF_TOPIC = "what's the weather in Paris today";
const ON_TOPIC = 'how much GPU memory does full fine-tuning of a 7B model need?';

function rig(options: { keepDays?: number; now?: () => number } = {}) {
  const store: Store = memoryStore();
  const feedback = new FeedbackLog({
    store: () => store,
    keepDays: options.keepDays ?? 30,
    ...(options.now ? { now: options.now } : {}),
  });
  const router = createRouter({
    store,
    feedback,
    matcher: new CueMatcher(),
    logger: { error: () => {} },
  });
  const say = (text: string, extra: Partial<Incoming> = {}): Promise<Reply> =>
    router.handle({
      platform: 'console',
      user: { id: 'local' },
      channel: { id: 'terminal', isDM: true },
      text,
      ...extra,
    });
  return { store, feedback, router, say, logged: () => store.questionsSince(0) };
}

describe('the question log', () => {
  it('keeps each routed question with its outcome, topic, section and confidence', async () => {
    const { say, logged } = rig();
    await say(OFF_TOPIC);
    await say(`/ask ${ON_TOPIC}`);
    await say(AMBIGUOUS_CUE);
    const rows = await logged();
    expect(rows.map((r) => [r.text, r.outcome, r.topic, r.channelKind])).toEqual([
      [OFF_TOPIC, 'none', null, 'terminal'],
      [ON_TOPIC, 'answer', 5, 'terminal'],
      [AMBIGUOUS_CUE, 'clarify', 9, 'terminal'],
    ]);
    expect(rows[1]).toMatchObject({ section: 't5.formula', lang: 'en', platform: 'console' });
    expect(rows[1]!.confidence).toBeGreaterThan(0.5);
  });

  it('stores a salted HMAC of the user, the same for one user and never the id', async () => {
    const { say, logged, store } = rig();
    await say(ON_TOPIC, {
      platform: 'discord',
      user: { id: '123456789' },
      channel: { id: 'c', isDM: false },
    });
    await say(OFF_TOPIC, {
      platform: 'discord',
      user: { id: '123456789' },
      channel: { id: 'd', isDM: true },
    });
    await say(OFF_TOPIC, {
      platform: 'discord',
      user: { id: '987654321' },
      channel: { id: 'c', isDM: false },
    });
    const [a, b, c] = await logged();
    expect(a!.userHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a!.userHash).toBe(b!.userHash);
    expect(c!.userHash).not.toBe(a!.userHash);
    expect(JSON.stringify(await logged())).not.toContain('123456789');
    expect([a!.channelKind, b!.channelKind]).toEqual(['channel', 'dm']);
    // another installation (another salt) hashes the same user differently
    const other = rig();
    await other.say(ON_TOPIC, {
      platform: 'discord',
      user: { id: '123456789' },
      channel: { id: 'c', isDM: false },
    });
    expect((await other.logged())[0]!.userHash).not.toBe(a!.userHash);
    expect(await store.installSalt('ignored')).not.toBe('ignored');
  });

  it('does not log fragments, commands, empty messages or typed quiz answers', async () => {
    const { say, logged } = rig();
    for (const text of ['ok', 'B', '/topics', '/help rate', '   ', '👍']) await say(text);
    expect(await logged()).toEqual([]);
  });

  it(`truncates logged text at ${LOG_TEXT_MAX} characters`, async () => {
    const { say, logged } = rig();
    const long = `${ON_TOPIC} ${'word '.repeat(700)}`;
    await say(long);
    const [row] = await logged();
    expect(Array.from(row!.text)).toHaveLength(LOG_TEXT_MAX);
    expect(long.startsWith(row!.text)).toBe(true);
  });

  it('logs nothing with LLM_TUTOR_KEEP_DAYS=0, and /rate says ratings are off', async () => {
    const { say, logged } = rig({ keepDays: 0 });
    await say(ON_TOPIC);
    expect(await logged()).toEqual([]);
    expect(textOf(await say('/rate good'))).toMatch(/Ratings are off.*LLM_TUTOR_KEEP_DAYS=0/);
  });

  it('records the topic picked after a did-you-mean, once', async () => {
    const { say, logged } = rig();
    await say(AMBIGUOUS_CUE);
    await say('/topic 3 short');
    await say('/topic 9 short'); // a second pick is not the user's choice any more
    const [row] = await logged();
    expect(row).toMatchObject({ outcome: 'clarify', pickedTopic: 3 });
  });

  it('expires questions and ratings after keepDays, at start and on its daily timer', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { say, logged, feedback, store } = rig({ keepDays: 30, now: () => now });
    await say(ON_TOPIC);
    await say('/rate bad too long');
    now += 29 * DAY_MS;
    await say(OFF_TOPIC);
    expect(await feedback.prune()).toEqual({ questions: 0, ratings: 0 });
    now += 2 * DAY_MS; // the first question is 31 days old, the second 2
    expect(await feedback.prune()).toEqual({ questions: 1, ratings: 1 });
    expect((await logged()).map((r) => r.text)).toEqual([OFF_TOPIC]);
    expect(await store.ratingsSince(0)).toEqual([]);
    now += 40 * DAY_MS;
    const stop = feedback.startPruning(10);
    await new Promise((r) => setTimeout(r, 30));
    stop();
    expect(await logged()).toEqual([]);
  });
});

describe('logs', () => {
  it('a routing bug is logged without the text of the question', async () => {
    const logged: unknown[] = [];
    const router = createRouter({
      logger: { error: (obj: unknown) => void logged.push(obj) },
      matcher: {
        match: () => {
          throw new Error('boom');
        },
      },
    });
    const reply = await router.handle({
      platform: 'slack',
      user: { id: 'U1' },
      channel: { id: 'C1', isDM: true },
      text: 'my secret question about the merger',
    });
    expect(reply.kind).toBe('error');
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain('merger');
    expect(logged[0]).toMatchObject({ platform: 'slack', chars: 35 });
  });
});

describe('/rate', () => {
  it('rates the last answer of the chat: good, or bad with a one-line reason', async () => {
    const { say, store } = rig();
    await say(ON_TOPIC);
    const reply = await say('/rate bad wrong\nsection');
    expect(reply).toMatchObject({ kind: 'info', ephemeral: true });
    expect(textOf(reply)).toContain('👎 is recorded');
    expect(textOf(await say('/rate good'))).toContain('already rated');
    const [rating] = await store.ratingsSince(0);
    expect(rating).toMatchObject({ good: false, reason: 'wrong section' });
  });

  it('rates an answer named by its id (what the buttons send)', async () => {
    const { say, store, logged } = rig();
    await say(ON_TOPIC);
    const [q] = await logged();
    await say(OFF_TOPIC);
    expect(textOf(await say(`/rate good answer=${q!.id}`))).toContain('👍 is recorded');
    expect(await store.ratingsSince(0)).toMatchObject([{ questionId: q!.id, good: true }]);
  });

  it('says clearly when there is nothing to rate or the word is wrong', async () => {
    const { say } = rig();
    expect(textOf(await say('/rate good'))).toMatch(/no answer to rate yet: ask a question first/);
    await say(ON_TOPIC);
    const wrong = await say('/rate great');
    expect(wrong.kind).toBe('error');
    expect(textOf(wrong)).toMatch(/"verdict" got "great" \(expected one of: good, bad\)/);
    expect(textOf(await say('/rate'))).toMatch(/"verdict" is required/);
    expect(textOf(await say('/rate good answer=abc'))).toMatch(/"answer" got "abc"/);
    expect(textOf(await say('/rate good answer=999'))).toMatch(/no longer kept/);
  });

  it('puts 👍/👎 buttons under answers on Discord and Slack only, the 👎 asking for a reason', async () => {
    const { say, logged } = rig();
    const terminal = await say(ON_TOPIC);
    expect(terminal.choices).toBeUndefined();
    const discord = await say(ON_TOPIC, {
      platform: 'discord',
      user: { id: 'd1' },
      channel: { id: 'c', isDM: false },
    });
    const id = (await logged())[1]!.id;
    expect(discord.choices).toEqual([
      { label: '👍', action: `/rate good answer=${id}` },
      { label: '👎', action: `/rate bad answer=${id}`, askReason: true },
    ]);
    const declined = await say(OFF_TOPIC, {
      platform: 'slack',
      user: { id: 'U1' },
      channel: { id: 'C', isDM: false },
    });
    expect(declined.choices).toBeUndefined();
  });
});

describe('/forget-me and /privacy', () => {
  it('asks to confirm, then deletes the user’s questions and ratings and says what', async () => {
    const { say, store, logged } = rig();
    await say(ON_TOPIC);
    await say('/rate bad wrong section');
    await say(OFF_TOPIC, { user: { id: 'someone-else' } });
    const ask = await say('/forget-me');
    expect(textOf(ask)).toMatch(/Send \/forget-me confirm/);
    expect(ask.choices).toEqual([{ label: 'Delete my data', action: '/forget-me confirm' }]);
    expect(await logged()).toHaveLength(2);
    const done = await say('/forget-me confirm');
    expect(textOf(done).trim()).toBe('Deleted: 1 logged question, 1 rating.');
    expect(done.data).toMatchObject({ questions: 1, ratings: 1, quizAnswers: 0 });
    expect((await logged()).map((r) => r.text)).toEqual([OFF_TOPIC]);
    expect(await store.ratingsSince(0)).toEqual([]);
    expect(textOf(await say('/rate good'))).toMatch(/no answer to rate yet/);
    expect(textOf(await say('/forget-me confirm')).trim()).toBe('Deleted: nothing.');
    expect(textOf(await say('/forget-me now'))).toMatch(/"confirm" got "now"/);
  });

  it('/privacy says in two sentences what is kept and for how long', async () => {
    const { say } = rig({ keepDays: 14 });
    const text = textOf(await say('/privacy'));
    expect(text).toMatch(/14 days/);
    expect(text).toMatch(/\/forget-me/);
    const sentences = (s: string) => s.split(/(?<=[.。])\s*/).filter((x) => x.trim());
    expect(sentences(text)).toHaveLength(2);
    expect(
      sentences(textOf(await rig({ keepDays: 14 }).say('/privacy', { lang: 'zh' }))),
    ).toHaveLength(2);
    expect(textOf(await rig({ keepDays: 0 }).say('/privacy'))).toMatch(/keeps no log/);
  });
});
