/**
 * A whole channel quiz on Slack, end to end: the real Bolt app (HTTP mode, through the adapter)
 * against the fake Slack, a router whose quiz runs on a hand-driven clock. Questions, reveals
 * and scoreboards go through chat.postMessage (the 'slack' outbox); buttons are signed
 * `block_actions` whose value is the action; acknowledgements are ephemeral respond() calls.
 * The fake rejects anything over Block Kit's limits (`ok:false`), which would fail here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/compose.js';
import {
  answerChoices,
  type BankQuestion,
  correctAnswer,
  defaultBank,
  ManualScheduler,
} from '../../../src/quiz/index.js';
import { type Block, type Outgoing, visibleText } from '../../fakes/slack.js';
import { type Pair, startPair } from './helpers.js';

const PAUSE_MS = 500;
const scheduler = new ManualScheduler();

interface Person {
  id: string;
  name: string;
}
const LEO = { id: 'U0LEO001', name: 'leo' };
const ADA = { id: 'U0ADA001', name: 'ada' };
const BOB = { id: 'U0BOB001', name: 'bob' };
const CY = { id: 'U0CY0001', name: 'cy' };
const MO = { id: 'U0MOD001', name: 'mo' }; // workspace admin
const OWEN = { id: 'U0OWN001', name: 'owen' }; // workspace owner
const ADMIN_NO_SCOPE = { id: 'U0ADM002', name: 'ana' }; // admin, but users.info fails

let p: Pair;

beforeAll(async () => {
  p = await startPair({
    fake: { roles: { [MO.id]: 'admin', [OWEN.id]: 'owner', [ADMIN_NO_SCOPE.id]: 'admin' } },
    // random: () => 0 picks the bank's questions in order, so question 1 and 2 are known kinds.
    router: (logger) =>
      createRouter({ logger, quiz: { scheduler, pauseMs: PAUSE_MS, random: () => 0 } }),
  });
});

afterAll(async () => {
  await p?.close();
});

/** Visible text with Slack's escapes undone. */
const plain = (blocks: readonly Block[]) =>
  visibleText(blocks).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const header = (blocks: readonly Block[]) =>
  blocks.find((b) => b.type === 'header')?.text?.text ?? '';
const buttons = (blocks: readonly Block[]) =>
  blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => ({
      label: typeof e.text === 'string' ? e.text : (e.text?.text ?? ''),
      value: e.value ?? '',
      actionId: e.action_id ?? '',
    }));
/** Messages posted into channels through the Web API (the outbox). */
const posts = () => p.fake.outgoing.filter((o) => o.via === 'chat.postMessage');

interface Response {
  response_type?: string;
  replace_original?: unknown;
  text: string;
  blocks: Block[];
}

/** The (single) message sent to a response_url. */
async function responseTo(url: string): Promise<Response> {
  const call = await p.fake.waitFor(() => p.fake.responses.find((r) => url.endsWith(`/${r.id}`)));
  expect(call.status, call.error).toBe(200);
  return call.body as unknown as Response;
}

async function slash(command: string, text: string, who: Person): Promise<Response> {
  const r = await p.fake.slashCommand(command, text, { user_id: who.id, user_name: who.name });
  expect(r.status).toBe(200);
  expect(r.body).toBe(''); // an empty ack; the answer comes through respond()
  return responseTo(r.payload.response_url);
}

async function click(message: Outgoing, label: string, who: Person): Promise<Response> {
  const button = buttons(message.blocks).find((b) => b.label === label);
  expect(button, `a button labelled ${label}`).toBeDefined();
  const r = await p.fake.blockAction(button!.value, {
    actionId: button!.actionId,
    user: who.id,
    userName: who.name,
    channel: message.channel ?? 'C0CHANNEL',
  });
  expect(r.status).toBe(200);
  return responseTo(r.payload.response_url);
}

/** Run the clock forward and return what the quiz posted meanwhile. */
async function advance(ms: number): Promise<Outgoing[]> {
  const before = posts().length;
  await scheduler.advance(ms);
  const added = posts().slice(before);
  for (const m of added) expect(m.ok, plain(m.blocks)).toBe(true);
  return added;
}

/** The bank question a posted question message shows. */
function questionIn(message: Outgoing): BankQuestion {
  const text = plain(message.blocks);
  const q = defaultBank().questions.find((x) => text.includes(x.text.en.question));
  expect(q, 'the posted question is from the bank').toBeDefined();
  return q!;
}

function expectPrivate(r: Response): void {
  expect(r.response_type).toBe('ephemeral');
  expect(r.replace_original).toBe(false);
}

describe('a channel quiz on Slack', () => {
  it('plays /quiz topic=5 count=2 seconds=10: buttons, private acks, timer, reveal, scoreboard', async () => {
    // ---- start: the answer to the slash command, then question 1 in the channel
    const start = await slash('/quiz', 'topic=5 count=2 seconds=10', LEO);
    expect(start.response_type).toBe('in_channel');
    expect(header(start.blocks)).toMatch(/^Quiz: 5\. /);
    expect(plain(start.blocks)).toMatch(/leo started a quiz: 2 questions, 10 s each/);
    expect(posts()).toHaveLength(0);

    const [q1, ...more1] = await advance(0);
    expect(more1).toEqual([]);
    expect(q1!.channel).toBe('C0CHANNEL');
    expect(header(q1!.blocks)).toMatch(/^Quiz · question 1\/2 · 5\. /);
    expect(q1!.text).toMatch(/question 1\/2/); // the notification fallback
    const question1 = questionIn(q1!);
    const options1 = answerChoices(question1, 'en');
    const b1 = buttons(q1!.blocks);
    // one button per option, in order; the value is the action routed on click
    expect(b1.map((b) => b.label)).toEqual(options1.map((o) => o.label));
    expect(b1.map((b) => b.value)).toEqual(options1.map((o) => `/answer ${o.value} q=1.1`));
    expect(new Set(b1.map((b) => b.actionId)).size).toBe(b1.length);
    const right = options1.find((o) => o.value === correctAnswer(question1))!;
    const wrong = options1.find((o) => o.value !== correctAnswer(question1))!;

    // ---- two people answer: each gets a private ack that gives nothing away
    const adaAck = await click(q1!, right.label, ADA);
    const bobAck = await click(q1!, wrong.label, BOB);
    for (const [ack, label] of [
      [adaAck, right.label],
      [bobAck, wrong.label],
    ] as const) {
      expectPrivate(ack);
      expect(plain(ack.blocks)).toContain(`Got it: ${label} for question 1/2`);
      expect(plain(ack.blocks)).not.toMatch(/correct|wrong|right/i);
    }
    // a second click by the same person: private, and it does not count
    const again = await click(q1!, right.label, BOB);
    expectPrivate(again);
    expect(plain(again.blocks)).toContain(
      `You already answered question 1 (${wrong.label}); only your first answer counts.`,
    );
    expect(posts()).toHaveLength(1); // clicks post nothing in the channel
    // one users.info per person, cached: Bob's second click did not look him up again
    expect(p.fake.callsTo('users.info').filter((c) => c.args.user === BOB.id)).toHaveLength(1);

    // ---- time is up: the reveal, then question 2 after the pause
    const [reveal1, ...more2] = await advance(10_000);
    expect(more2).toEqual([]);
    expect(header(reveal1!.blocks)).toBe('Question 1/2 — the answer');
    expect(plain(reveal1!.blocks)).toContain(`Correct answer: ${right.label}`);
    expect(plain(reveal1!.blocks)).toContain('Right (1 of 2): ada');
    expect(plain(reveal1!.blocks)).toMatch(/Fastest: ada \(0\.0 s, \+1\.50\)/);
    expect(buttons(reveal1!.blocks)).toEqual([]);

    const [q2] = await advance(PAUSE_MS);
    expect(header(q2!.blocks)).toMatch(/^Quiz · question 2\/2 · 5\. /);
    const question2 = questionIn(q2!);
    expect(buttons(q2!.blocks).map((b) => b.label)).toEqual(
      answerChoices(question2, 'en').map((o) => o.label),
    );

    // ---- nobody answers question 2: time up, reveal, then the final scoreboard
    const [reveal2, board, ...more3] = await advance(10_000);
    expect(more3).toEqual([]);
    expect(header(reveal2!.blocks)).toBe('Question 2/2 — the answer');
    expect(plain(reveal2!.blocks)).toContain('Nobody answered.');
    expect(header(board!.blocks)).toBe('Quiz over — scoreboard');
    expect(plain(board!.blocks)).toContain('Winner: ada with 1.50 points.');
    // the table: ada 1.50 (1 of 1 right), bob 0.00 (0 of 1) — bob's second click did not count
    expect(plain(board!.blocks)).toMatch(/1\s+ada\s+1\.50\s+1\/1/);
    expect(plain(board!.blocks)).toMatch(/2\s+bob\s+0\.00\s+0\/1/);
    expect(scheduler.size).toBe(0); // no timer left behind

    // ---- /leaderboard shows the points
    const top = await slash('/leaderboard', '', CY);
    expect(top.response_type).toBe('in_channel');
    expect(header(top.blocks)).toBe('Leaderboard — this channel, last 7 days');
    expect(plain(top.blocks)).toMatch(/1\s+ada\s+1\.50\s+1\/1\s+100 %\s+1/);
    expect(plain(top.blocks)).toMatch(/2\s+bob\s+0\.00\s+0\/1\s+0 %\s+1/);

    // ---- a stale button after the quiz: a clear private reply
    const stale = await click(q1!, right.label, CY);
    expectPrivate(stale);
    expect(plain(stale.blocks)).toContain('Question 1 is closed — answers are no longer accepted.');
    expect(plain(stale.blocks)).toContain('start a new quiz with /quiz if this one is over');
    const staleOwn = await click(q2!, buttons(q2!.blocks)[0]!.label, ADA);
    expectPrivate(staleOwn);
    expect(plain(staleOwn.blocks)).toContain('Question 2 is closed');

    expect(p.fake.outgoing.every((o) => o.ok)).toBe(true);
    expect(p.logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it('one quiz per channel: a second /quiz is refused privately while one runs', async () => {
    const start = await slash('/quiz', '1 count=1 seconds=10', ADA);
    expect(start.response_type).toBe('in_channel');
    const [q] = await advance(0);
    expect(buttons(q!.blocks).length).toBeGreaterThan(0);
    const second = await slash('/quiz', '5', BOB);
    expectPrivate(second);
    expect(plain(second.blocks)).toMatch(
      /A quiz is already running in this channel \(started by ada, question 1 of 1\)/,
    );
    const [, end] = await advance(10_000);
    expect(header(end!.blocks)).toBe('Quiz over — scoreboard');
    expect(plain(end!.blocks)).toContain('Nobody scored.');
  });
});

describe('who may stop a quiz on Slack', () => {
  async function running(starter: Person): Promise<void> {
    const start = await slash('/quiz', '1 count=3 seconds=10', starter);
    expect(start.response_type).toBe('in_channel');
    const [q] = await advance(0);
    expect(header(q!.blocks)).toMatch(/question 1\/3/);
  }

  it('a member who is not an admin cannot stop it; a workspace admin can', async () => {
    await running(ADA);
    const denied = await slash('/quiz', 'stop', BOB);
    expectPrivate(denied);
    expect(plain(denied.blocks)).toContain(
      'Only ada, who started this quiz, or a moderator can stop it.',
    );
    expect(await advance(0)).toEqual([]); // still running, nothing posted

    const stopped = await slash('/quiz', 'stop', MO);
    expect(stopped.response_type).toBe('in_channel');
    expect(plain(stopped.blocks)).toContain('Stopping the quiz — the scoreboard follows.');
    const [reveal, end] = await advance(0);
    expect(header(reveal!.blocks)).toBe('Question 1/3 — the answer');
    expect(header(end!.blocks)).toBe('Quiz stopped — scoreboard');
    expect(plain(end!.blocks)).toMatch(/after 1 of 3 questions/);
  });

  it('an owner can; a slow users.info never delays the ack, and is asked once', async () => {
    await running(BOB);
    p.fake.latency.set('users.info', 800);
    try {
      const r = await p.fake.slashCommand('/quiz', 'stop', { user_id: OWEN.id, user_name: 'owen' });
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(400); // acked before users.info answered
      const stopped = await responseTo(r.payload.response_url);
      expect(plain(stopped.blocks)).toContain('Stopping the quiz');
    } finally {
      p.fake.latency.delete('users.info');
    }
    expect(header((await advance(0))[1]!.blocks)).toBe('Quiz stopped — scoreboard');
    expect(p.fake.callsTo('users.info').filter((c) => c.args.user === OWEN.id)).toHaveLength(1);
  });

  it('when users.info fails, nobody is taken for a moderator (the reply still comes)', async () => {
    await running(ADA);
    p.fake.override('users.info', () => ({ ok: false, error: 'missing_scope' }));
    try {
      const denied = await slash('/quiz', 'stop', ADMIN_NO_SCOPE);
      expectPrivate(denied);
      expect(plain(denied.blocks)).toContain('Only ada, who started this quiz');
    } finally {
      p.fake.restore('users.info');
    }
    expect(await advance(0)).toEqual([]);
    const own = await slash('/quiz', 'stop', ADA); // the starter always may
    expect(plain(own.blocks)).toContain('Stopping the quiz');
    expect(header((await advance(0))[1]!.blocks)).toBe('Quiz stopped — scoreboard');
    expect(p.fake.outgoing.every((o) => o.ok)).toBe(true);
  });
});

describe('typed answers on Slack', () => {
  /** A message in the channel: plain (`message.channels`), or a mention (`app_mention`). */
  const say = (text: string, who: Person, mention = false) =>
    p.fake.event(
      mention
        ? p.fake.mention(text, { user: who.id })
        : { ...p.fake.dm(text, { user: who.id }), channel_type: 'channel', channel: 'C0CHANNEL' },
    );
  const since = (from: number) => p.fake.outgoing.slice(from);
  const next = async (from: number) => {
    // generous: /tokens starts the worker pool, slow on a busy machine
    await p.fake.waitFor(() => p.fake.outgoing.length > from, 15_000);
    return p.fake.outgoing[from]!;
  };

  /** An answer as someone would type it: `b)`, `yes`, `120 GB`. */
  function typed(q: BankQuestion): string {
    if (q.type === 'choice') return `${correctAnswer(q).toLowerCase()})`;
    if (q.type === 'truefalse') return correctAnswer(q) === 'true' ? 'yes' : 'no';
    return `${Number(q.answer).toLocaleString('en-US')} ${q.unit ?? ''}`.trim();
  }

  it("takes an answer typed after other people's messages and a command, without a mention", async () => {
    await slash('/quiz', 'topic=5 count=1 seconds=10', LEO);
    const [q] = await advance(0);
    const question = questionIn(q!);
    // someone else talks (nothing is said to it), then a command is answered
    let from = p.fake.outgoing.length;
    await say('brb, coffee', BOB);
    await say('/tokens hello world', CY, true);
    const tokens = await next(from);
    expect(tokens.via).toBe('chat.postMessage');
    expect(plain(tokens.blocks)).toMatch(/token/i);
    from = p.fake.outgoing.length;
    await say(typed(question), ADA);
    const ack = await next(from);
    expect(ack).toMatchObject({ via: 'chat.postEphemeral', user: ADA.id, channel: 'C0CHANNEL' });
    expect(plain(ack.blocks)).toMatch(/Got it: .* for question 1\/1\./);
    const [reveal, board] = await advance(10_000 + PAUSE_MS);
    expect(header(reveal!.blocks)).toBe('Question 1/1 — the answer');
    // a channel message carries no display name: the player shows as their Slack id
    expect(plain(reveal!.blocks)).toContain(`Right (1 of 1): ${ADA.id}`);
    expect(plain(board!.blocks)).toContain(`Winner: ${ADA.id}`);
    // after the quiz: a letter in the channel gets nothing; in a DM, the one-line hint
    from = p.fake.outgoing.length;
    await say('b', ADA);
    await p.fake.event(p.fake.dm('b', { user: ADA.id }));
    const hint = await next(from);
    expect(hint.channel).toBe('D0DIRECT');
    expect(plain(hint.blocks)).toBe('No quiz question is open — /quiz to start one.');
    await new Promise((r) => setTimeout(r, 150));
    expect(since(from)).toHaveLength(1);
  });
});
