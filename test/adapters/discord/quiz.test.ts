/**
 * A whole channel quiz on Discord, end to end: the real discord.js client (through the adapter)
 * against the fake Discord, a router whose quiz runs on a hand-driven clock. Questions, reveals
 * and scoreboards are channel posts (the 'discord' outbox); answers are button clicks whose
 * acknowledgements are ephemeral. The fake answers 400 for anything over Discord's limits.
 */
import { type APIUser, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/compose.js';
import type { Router } from '../../../src/core/index.js';
import {
  answerChoices,
  type BankQuestion,
  correctAnswer,
  defaultBank,
  ManualScheduler,
} from '../../../src/quiz/index.js';
import {
  buttonsOf,
  EVERYONE_PERMISSIONS,
  FAKE_IDS,
  fakeUser,
  type SentMessage,
  textOf,
} from '../../fakes/discord.js';
import { type Harness, recordingLogger, startHarness } from './helpers.js';

const PAUSE_MS = 500;
const scheduler = new ManualScheduler();
const ADA = fakeUser('666666666666666601', 'Ada');
const BOB = fakeUser('666666666666666602', 'Bob');
const CY = fakeUser('666666666666666603', 'Cy');
const MO = fakeUser('666666666666666604', 'Mo');
const MANAGE_MESSAGES = String(BigInt(EVERYONE_PERMISSIONS) | PermissionFlagsBits.ManageMessages);
const ADMINISTRATOR = String(PermissionFlagsBits.Administrator);

let h: Harness;
let router: Router;

beforeAll(async () => {
  const logs = recordingLogger();
  // random: () => 0 picks the bank's questions in order, so question 1 and 2 are known kinds.
  router = createRouter({
    logger: logs.logger,
    quiz: { scheduler, pauseMs: PAUSE_MS, random: () => 0 },
  });
  h = await startHarness({ logs, router });
});

afterAll(async () => {
  await h?.close();
});

/** Text as shown, without the markdown escapes of the embed description. */
const plain = (m: SentMessage) => textOf(m).replace(/\\(.)/g, '$1');
const title = (m: SentMessage) => m.embeds[0]?.title ?? '';
/** Messages the bot posted into the guild channel (outbox), not interaction replies. */
const posts = () => h.fake.messages.filter((m) => m.via === 'channel');

/** The one message answering an interaction. */
async function answerTo(interactionId: string): Promise<SentMessage> {
  return h.fake.waitFor(() => h.fake.messages.find((m) => m.interactionId === interactionId));
}

async function slash(
  options: Record<string, string | number>,
  user: APIUser,
  extra: { name?: string; permissions?: string } = {},
): Promise<SentMessage> {
  const i = h.fake.injectSlash({
    name: extra.name ?? 'quiz',
    options,
    user,
    ...(extra.permissions ? { permissions: extra.permissions } : {}),
  });
  return answerTo(i.id);
}

async function click(message: SentMessage, label: string, user: APIUser): Promise<SentMessage> {
  const button = buttonsOf(message).find((b) => b.label === label);
  expect(button, `a button labelled ${label}`).toBeDefined();
  const i = h.fake.injectButton({ customId: button!.custom_id, message, user });
  return answerTo(i.id);
}

/** Run the clock forward and return what the quiz posted meanwhile. */
async function advance(ms: number): Promise<SentMessage[]> {
  const before = posts().length;
  await scheduler.advance(ms);
  return posts().slice(before);
}

/** The bank question a posted question message shows. */
function questionIn(message: SentMessage): BankQuestion {
  const text = plain(message);
  const q = defaultBank().questions.find((x) => text.includes(x.text.en.question));
  expect(q, 'the posted question is from the bank').toBeDefined();
  return q!;
}

function expectWithinLimits(message: SentMessage): void {
  expect(message.allowedMentions).toEqual({ parse: [] });
  for (const row of message.components as { components: unknown[] }[]) {
    expect(row.components.length).toBeLessThanOrEqual(5);
  }
  for (const b of buttonsOf(message)) {
    expect(b.label.length).toBeGreaterThan(0);
    expect(b.label.length).toBeLessThanOrEqual(80);
    expect(b.custom_id.length).toBeLessThanOrEqual(100);
  }
}

describe('a channel quiz on Discord', () => {
  it('plays /quiz topic=5 count=2 seconds=10: buttons, private acks, timer, reveal, scoreboard', async () => {
    // ---- start: the reply to the slash command, then question 1 in the channel
    const start = await slash({ topic: '5', count: 2, seconds: 10 }, h.fake.user);
    expect(start.via).toBe('callback');
    expect(start.ephemeral).toBe(false);
    expect(title(start)).toMatch(/^Quiz: 5\. /);
    expect(plain(start)).toMatch(/Learner started a quiz: 2 questions, 10 s each/);
    expect(posts()).toHaveLength(0);

    const [q1, ...more1] = await advance(0);
    expect(more1).toEqual([]);
    expect(q1!.channelId).toBe(FAKE_IDS.channel);
    expect(title(q1!)).toMatch(/^Quiz · question 1\/2 · 5\. /);
    const question1 = questionIn(q1!);
    const options1 = answerChoices(question1, 'en');
    // one button per option, in order, labelled like the options
    expect(buttonsOf(q1!).map((b) => b.label)).toEqual(options1.map((o) => o.label));
    expect(options1.length).toBeGreaterThanOrEqual(2);
    expectWithinLimits(q1!);
    const right = options1.find((o) => o.value === correctAnswer(question1))!;
    const wrong = options1.find((o) => o.value !== correctAnswer(question1))!;

    // ---- two people answer: each gets a private ack that gives nothing away
    const adaAck = await click(q1!, right.label, ADA);
    const bobAck = await click(q1!, wrong.label, BOB);
    for (const [ack, label] of [
      [adaAck, right.label],
      [bobAck, wrong.label],
    ] as const) {
      expect(ack.via).toBe('callback');
      expect(ack.ephemeral).toBe(true);
      expect(plain(ack)).toContain(`Got it: ${label} for question 1/2`);
      expect(plain(ack)).not.toMatch(/correct|wrong|right/i);
    }
    // a second click by the same person: private, and it does not count
    const again = await click(q1!, right.label, BOB);
    expect(again.ephemeral).toBe(true);
    expect(plain(again)).toContain(
      `You already answered question 1 (${wrong.label}); only your first answer counts.`,
    );
    expect(posts()).toHaveLength(1); // clicks post nothing in the channel

    // ---- time is up: the reveal, then question 2 after the pause
    const [reveal1, ...more2] = await advance(10_000);
    expect(more2).toEqual([]);
    expect(title(reveal1!)).toBe('Question 1/2 — the answer');
    expect(plain(reveal1!)).toContain(`Correct answer: ${right.label}`);
    expect(plain(reveal1!)).toContain('Right (1 of 2): Ada');
    expect(plain(reveal1!)).toMatch(/Fastest: Ada \(0\.0 s, \+1\.50\)/);
    expect(buttonsOf(reveal1!)).toEqual([]);

    const [q2] = await advance(PAUSE_MS);
    expect(title(q2!)).toMatch(/^Quiz · question 2\/2 · 5\. /);
    const question2 = questionIn(q2!);
    expect(buttonsOf(q2!).map((b) => b.label)).toEqual(
      answerChoices(question2, 'en').map((o) => o.label),
    );
    expectWithinLimits(q2!);

    // ---- nobody answers question 2: time up, reveal, then the final scoreboard
    const [reveal2, board, ...more3] = await advance(10_000);
    expect(more3).toEqual([]);
    expect(title(reveal2!)).toBe('Question 2/2 — the answer');
    expect(plain(reveal2!)).toContain('Nobody answered.');
    expect(title(board!)).toBe('Quiz over — scoreboard');
    expect(plain(board!)).toContain('Winner: Ada with 1.50 points.');
    // the table: Ada 1.50 (1 of 1 right), Bob 0.00 (0 of 1) — Bob's second click did not count
    expect(plain(board!)).toMatch(/1\s+Ada\s+1\.50\s+1\/1/);
    expect(plain(board!)).toMatch(/2\s+Bob\s+0\.00\s+0\/1/);
    expect(scheduler.size).toBe(0); // no timer left behind

    // ---- /leaderboard shows the points
    const board2 = await slash({}, CY, { name: 'leaderboard' });
    expect(board2.ephemeral).toBe(false);
    expect(title(board2)).toBe('Leaderboard — this channel, last 7 days');
    expect(plain(board2)).toMatch(/1\s+Ada\s+1\.50\s+1\/1\s+100 %\s+1/);
    expect(plain(board2)).toMatch(/2\s+Bob\s+0\.00\s+0\/1\s+0 %\s+1/);

    // ---- a stale button after the quiz: a clear private reply
    const stale = await click(q1!, right.label, CY);
    expect(stale.ephemeral).toBe(true);
    expect(plain(stale)).toContain('Question 1 is closed — answers are no longer accepted.');
    expect(plain(stale)).toContain('start a new quiz with /quiz if this one is over');
    const staleOwn = await click(q2!, buttonsOf(q2!)[0]!.label, ADA);
    expect(staleOwn.ephemeral).toBe(true);
    expect(plain(staleOwn)).toContain('Question 2 is closed');

    expect(h.fake.failures).toEqual([]);
    expect(h.logs.lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('one quiz per channel: a second /quiz is refused privately while one runs', async () => {
    const start = await slash({ topic: '1', count: 1, seconds: 10 }, ADA);
    expect(start.ephemeral).toBe(false);
    const [q] = await advance(0);
    expect(buttonsOf(q!).length).toBeGreaterThan(0);
    const second = await slash({ topic: '5' }, BOB);
    expect(second.ephemeral).toBe(true);
    expect(plain(second)).toMatch(
      /A quiz is already running in this channel \(started by Ada, question 1 of 1\)/,
    );
    const [, end] = await advance(10_000);
    expect(title(end!)).toBe('Quiz over — scoreboard');
    expect(plain(end!)).toContain('Nobody scored.');
  });
});

describe('who may stop a quiz on Discord', () => {
  async function running(starter: APIUser): Promise<void> {
    const start = await slash({ topic: '1', count: 3, seconds: 10 }, starter);
    expect(start.ephemeral).toBe(false);
    const [q] = await advance(0);
    expect(title(q!)).toMatch(/question 1\/3/);
  }

  it('a member without Manage Messages cannot stop it; one with Manage Messages can', async () => {
    await running(ADA);
    const denied = await slash({ topic: 'stop' }, BOB);
    expect(denied.ephemeral).toBe(true);
    expect(plain(denied)).toContain('Only Ada, who started this quiz, or a moderator can stop it.');
    expect(await advance(0)).toEqual([]); // still running, nothing posted

    const stopped = await slash({ topic: 'stop' }, MO, { permissions: MANAGE_MESSAGES });
    expect(stopped.ephemeral).toBe(false);
    expect(plain(stopped)).toContain('Stopping the quiz — the scoreboard follows.');
    const [reveal, end] = await advance(0);
    expect(title(reveal!)).toBe('Question 1/3 — the answer');
    expect(title(end!)).toBe('Quiz stopped — scoreboard');
    expect(plain(end!)).toMatch(/after 1 of 3 questions/);
  });

  it('Administrator implies it; the starter may always stop their own quiz', async () => {
    await running(BOB);
    const denied = await slash({ topic: 'stop' }, CY);
    expect(plain(denied)).toContain('Only Bob, who started this quiz');
    const admin = await slash({ topic: 'stop' }, MO, { permissions: ADMINISTRATOR });
    expect(plain(admin)).toContain('Stopping the quiz');
    expect(title((await advance(0))[1]!)).toBe('Quiz stopped — scoreboard');

    await running(BOB);
    const own = await slash({ topic: 'stop' }, BOB);
    expect(plain(own)).toContain('Stopping the quiz');
    expect(title((await advance(0))[1]!)).toBe('Quiz stopped — scoreboard');
  });

  it('by @mention: another member cannot stop it; the guild owner (every permission) can', async () => {
    await running(ADA);
    const ask = (author: APIUser) => {
      const m = h.fake.injectMessage({
        content: `<@${FAKE_IDS.bot}> /quiz stop`,
        author,
      });
      return h.fake.waitFor(() => h.fake.messages.find((x) => x.referenceId === m.id));
    };
    const denied = await ask(CY);
    expect(plain(denied)).toContain('Only Ada, who started this quiz, or a moderator can stop it.');
    expect(await advance(0)).toEqual([]);
    const owner = await ask(h.fake.user);
    expect(plain(owner)).toContain('Stopping the quiz');
    expect(title((await advance(0))[1]!)).toBe('Quiz stopped — scoreboard');
    expect(h.fake.failures).toEqual([]);
  });
});

describe('typed answers on Discord', () => {
  /** A message typed in the guild channel; with `mention`, addressed to the bot. */
  const say = (content: string, author: APIUser, mention = false) =>
    h.fake.injectMessage({ content: mention ? `<@${FAKE_IDS.bot}> ${content}` : content, author });
  const replyTo = (m: { id: string }) =>
    // generous: /tokens starts the worker pool, slow on a busy machine
    h.fake.waitFor(() => h.fake.messages.find((x) => x.referenceId === m.id), 15_000);
  const repliedTo = (m: { id: string }) => h.fake.messages.some((x) => x.referenceId === m.id);

  /** An answer as someone would type it: `b`, `yes`, `120 GB`. */
  function typed(q: BankQuestion, right: boolean): string {
    if (q.type === 'choice')
      return (right ? correctAnswer(q) : correctAnswer(q) === 'A' ? 'B' : 'A').toLowerCase();
    if (q.type === 'truefalse') return (correctAnswer(q) === 'true') === right ? 'yes' : 'no';
    return `${right ? Number(q.answer) : Number(q.answer) * 10} ${q.unit ?? ''}`.trim();
  }

  it("takes an answer typed after other people's messages and a command, without a mention", async () => {
    const start = await slash({ topic: '5', count: 1, seconds: 10 }, ADA);
    expect(start.ephemeral).toBe(false);
    const [q] = await advance(0);
    const question = questionIn(q!);
    // someone else talks, and a command is answered, in between
    const chat = say('anyone up for lunch after this?', BOB);
    const tokens = say('/tokens hello world', CY, true);
    expect(title(await replyTo(tokens))).toMatch(/token/i);
    const mine = say(typed(question, true), ADA);
    expect(plain(await replyTo(mine))).toMatch(/^Got it: .* for question 1\/1\./m);
    const bobs = say(typed(question, false), BOB, true);
    expect(plain(await replyTo(bobs))).toMatch(/Got it: .* for question 1\/1\./);
    const [reveal, board] = await advance(10_000 + PAUSE_MS);
    expect(title(reveal!)).toBe('Question 1/1 — the answer');
    expect(plain(reveal!)).toMatch(/Ada/);
    expect(plain(board!)).toMatch(/Winner: Ada/);
    // the overheard chat got nothing; a letter after the quiz, without a mention, nothing either
    const late = say('b', ADA);
    const probe = say('ok', ADA, true);
    expect(plain(await replyTo(probe))).toBe('No quiz question is open — /quiz to start one.');
    expect(repliedTo(chat)).toBe(false);
    expect(repliedTo(late)).toBe(false);
    expect(h.fake.failures).toEqual([]);
  });
});
