import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/compose.js';
import { createQuiz, Messenger, type Router } from '../../../src/core/index.js';
import type { Incoming, Reply } from '../../../src/core/types.js';
import { defaultMatcher, knowledgeBase } from '../../../src/knowledge/index.js';
import { BankError, ManualScheduler } from '../../../src/quiz/index.js';
import { SqliteStore } from '../../../src/store/index.js';
import { firstFirst, fixtureBank, tempDir } from '../../quiz/helpers.js';
import { textOf } from '../helpers.js';

interface Setup {
  router: Router;
  store: SqliteStore;
  scheduler: ManualScheduler;
  posts: Reply[];
  say(text: string, user?: string, extra?: Partial<Incoming>): Promise<Reply>;
  cleanup(): Promise<void>;
}

function setup(): Setup {
  const tmp = tempDir();
  const store = new SqliteStore(join(tmp.dir, 'router.db'));
  const scheduler = new ManualScheduler();
  const messenger = new Messenger();
  const posts: Reply[] = [];
  messenger.register('test', {
    post: async (_to, reply) => {
      posts.push(reply);
    },
  });
  const quiz = createQuiz({
    store,
    messenger,
    knowledge: knowledgeBase(),
    bank: fixtureBank(),
    scheduler,
    random: firstFirst,
    pauseMs: 1000,
    fuzz: false,
    isModerator: (i) => i.user.id === 'mod',
    logger: { error: () => {} },
  });
  const router = createRouter({
    messenger,
    quiz,
    matcher: defaultMatcher(),
    logger: { error: () => {} },
  });
  return {
    router,
    store,
    scheduler,
    posts,
    say: (text, user = 'alice', extra = {}) =>
      router.handle({
        platform: 'test',
        user: { id: user, name: user[0]!.toUpperCase() + user.slice(1) },
        channel: { id: 'c1', isDM: false },
        text,
        lang: 'en',
        ...extra,
      }),
    cleanup: async () => {
      await quiz.close();
      await store.close();
      tmp.cleanup();
    },
  };
}

let s: Setup;
beforeEach(() => {
  s = setup();
});
afterEach(async () => {
  await s.cleanup();
});

const last = (posts: Reply[]) => posts[posts.length - 1]!;

describe('/quiz bad input', () => {
  it.each([
    ['/quiz 11', /"topic" got "11".*one of: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, all, weak, stop/],
    ['/quiz banana', /"topic" got "banana"/],
    ['/quiz 5 count=0', /"count" got "0".*a whole number 1–20/],
    ['/quiz 5 count=21', /"count" got "21".*1–20/],
    ['/quiz 5 count=2.5', /"count" got "2.5"/],
    ['/quiz 5 seconds=9', /"seconds" got "9".*10–120/],
    ['/quiz 5 seconds=121', /"seconds" got "121".*10–120/],
    ['/quiz 5 seconds=abc', /"seconds" got "abc"/],
    ['/quiz 5 rounds=3', /unknown option "rounds"/],
    ['/quiz 5 level=4', /"level" got "4".*1, 2, 3/],
    ['/quiz 5 level=hard', /"level" got "hard"/],
    ['/quiz 5 kind=essay', /"kind" got "essay".*written, calc, mixed/],
  ])('%s → a short error naming the option', async (line, expected) => {
    const r = await s.say(line);
    expect(r.kind).toBe('error');
    expect(r.ephemeral).toBe(true);
    expect(textOf(r)).toMatch(expected);
    expect(await s.store.runningSessions()).toEqual([]);
  });

  it('says when a topic has no questions in the bank', async () => {
    const r = await s.say('/quiz 7');
    expect(r.kind).toBe('error');
    expect(textOf(r)).toMatch(/no questions for topic 7/);
  });

  it('says when a choice leaves nothing to ask: kind=calc, level, written-only topics', async () => {
    const calc = await s.say('/quiz 7 kind=calc');
    expect(calc.kind).toBe('error');
    expect(textOf(calc)).toMatch(
      /no calculation questions for topic 7: kind=calc works for topics 1, 4, 5.*kind=written or kind=mixed/,
    );
    const level = await s.say('/quiz 1 kind=calc level=3');
    expect(textOf(level)).toMatch(
      /no level-3 calculation questions for topic 1; its calculation questions are at level 1/,
    );
    const written = await s.say('/quiz 4');
    expect(textOf(written)).toMatch(
      /no written questions for topic 4, only calculation ones: use kind=calc/,
    );
    const zh = await s.say('/quiz 7 kind=calc lang=zh');
    expect(textOf(zh)).toMatch(/主题 7没有计算题/);
    expect(await s.store.runningSessions()).toEqual([]);
  });

  it('/quiz weak: a clear message without stats, then the weakest topics', async () => {
    const none = await s.say('/quiz weak');
    expect(none).toMatchObject({ kind: 'error', ephemeral: true });
    expect(textOf(none)).toMatch(/no quiz answers yet, so there is no weak topic/);
    // miss two questions of topic 5
    for (const value of ['A', 'true']) {
      await s.say('/quiz 5 count=1 seconds=10');
      await s.scheduler.runDue();
      await s.say(`/answer ${value}`);
      await s.scheduler.advance(10_000);
    }
    const weak = await s.say('/quiz weak count=2 seconds=10');
    expect(weak.kind).toBe('info');
    expect(weak.data).toMatchObject({ topic: [5], kind: 'written' });
    expect(textOf(weak)).toMatch(/Quiz: 5\./);
  });

  it('/quiz 5 kind=calc level=2 starts calculation questions, marked as such', async () => {
    const r = await s.say('/quiz 5 kind=calc level=2 count=2 seconds=10');
    expect(textOf(r)).toMatch(
      /2 questions \(calculation questions generated from \/vram, \/tokens and \/chunk, level 2\)/,
    );
    expect(r.data).toMatchObject({ kind: 'calc', level: 2 });
    await s.scheduler.runDue();
    const q = last(s.posts);
    expect(q.title).toMatch(/question 1\/2 · 5\. .* · calculated$/);
    expect(q.data).toMatchObject({ id: expect.stringMatching(/^gen:vram-/) });
  });

  it('explains that quizzes need a chat when run as a one-shot CLI command', async () => {
    const r = await s.say('/quiz 5', 'cli', { platform: 'cli' });
    expect(r.kind).toBe('error');
    expect(textOf(r)).toMatch(/terminal chat/);
  });

  it('/answer without a quiz, and with a malformed question reference', async () => {
    const r = await s.say('/answer B');
    expect(r).toMatchObject({ kind: 'error', ephemeral: true });
    expect(textOf(r)).toMatch(/No quiz is running here/);
    const bad = await s.say('/answer B q=abc');
    expect(bad.kind).toBe('error');
    expect(textOf(bad)).toMatch(/"q" got "abc"/);
    const stop = await s.say('/quiz stop');
    expect(textOf(stop)).toMatch(/No quiz is running here/);
  });
});

describe('/quiz in a channel', () => {
  it('plays through the router: start reply, questions and reveals posted, private acks', async () => {
    const start = await s.say('/quiz 5 count=2 seconds=10');
    expect(start.kind).toBe('info');
    expect(start.ephemeral).toBeFalsy();
    expect(textOf(start)).toMatch(/Alice started a quiz: 2 questions, 10 s each/);
    expect(textOf(start)).toMatch(/speed bonus of up to 0\.5/);
    expect(s.posts).toHaveLength(0); // posted after the start reply
    await s.scheduler.runDue();
    const q1 = last(s.posts);
    expect(q1.title).toMatch(/question 1\/2/);
    expect(q1.choices?.map((c) => c.action)).toEqual([
      '/answer A q=1.1',
      '/answer B q=1.1',
      '/answer C q=1.1',
      '/answer D q=1.1',
    ]);
    for (const c of q1.choices ?? []) {
      expect(c.action.length).toBeLessThanOrEqual(100);
      expect(c.label.length).toBeLessThanOrEqual(80);
    }
    // a click routes the action with the clicker as user
    const ack = await s.say(q1.choices![2]!.action, 'bob');
    expect(ack).toMatchObject({ kind: 'info', ephemeral: true });
    expect(textOf(ack)).toMatch(/Got it: C\. 16 for question 1\/2/);
    expect(textOf(ack)).not.toMatch(/right|wrong|correct/i);
    const twice = await s.say(q1.choices![0]!.action, 'bob');
    expect(twice.ephemeral).toBe(true);
    expect(textOf(twice)).toMatch(
      /already answered question 1 \(C\. 16\); only your first answer counts/,
    );
    const nonsense = await s.say('/answer Z', 'carol');
    expect(nonsense.kind).toBe('error');
    expect(textOf(nonsense)).toMatch(/"Z" is not an answer to question 1: choose A–D/);

    await s.scheduler.advance(10_000);
    const reveal = last(s.posts);
    expect(reveal.title).toMatch(/Question 1\/2 — the answer/);
    expect(textOf(reveal)).toMatch(/Correct answer: C\. 16/);
    expect(textOf(reveal)).toMatch(/Right \(1 of 1\): Bob/);
    expect(textOf(reveal)).toMatch(/Fastest: Bob \(0\.0 s, \+1\.50\)/);
    expect(reveal.hints).toEqual(['Read more: /topic 5 optimizer']);

    // the stale button of question 1, clicked by someone who never joined
    await s.scheduler.advance(1000);
    const stale = await s.say('/answer C q=1.1', 'dave');
    expect(stale).toMatchObject({ kind: 'error', ephemeral: true });
    expect(textOf(stale)).toMatch(/Question 1 is closed.*Question 2 is open now/);
    const q2 = last(s.posts);
    expect(q2.choices?.map((c) => c.label)).toEqual(['True', 'False']);
    await s.say(q2.choices![1]!.action, 'bob');
    await s.scheduler.runDue(); // Bob was the only player: revealed at once
    const end = last(s.posts);
    expect(end.title).toBe('Quiz over — scoreboard');
    expect(end.table?.rows).toEqual([['1', 'Bob', '3.00', '2/2', '0.0 s']]);
    expect(textOf(end)).toMatch(/Winner: Bob with 3\.00 points/);
    // nothing was recorded for Carol or Dave
    const users = s.store.db.prepare('SELECT DISTINCT user_key FROM quiz_answers').pluck().all();
    expect(users).toEqual(['test:bob']);
  });

  it('answers in Chinese when asked', async () => {
    const start = await s.say('/quiz 5 count=1 seconds=10 lang=zh');
    expect(textOf(start)).toMatch(/发起了测验:共 1 题,每题 10 秒/);
    expect(textOf(start)).toMatch(/计分:答对得 1 分/);
    await s.scheduler.runDue();
    expect(last(s.posts).title).toMatch(/测验 · 第 1\/1 题/);
    expect(last(s.posts).paragraphs[0]).toMatch(/混合精度 AdamW/);
    await s.scheduler.advance(10_000);
    expect(textOf(s.posts[s.posts.length - 2]!)).toMatch(/正确答案:C\. 16/);
    expect(last(s.posts).title).toBe('测验结束 — 计分板');
  });

  it('runs one quiz per channel and lets only the starter or a moderator stop it', async () => {
    await s.say('/quiz 5');
    await s.scheduler.runDue();
    const second = await s.say('/quiz 1', 'bob');
    expect(second.kind).toBe('error');
    expect(textOf(second)).toMatch(
      /A quiz is already running in this channel \(started by Alice, question 1 of 4\)/,
    );
    const elsewhere = await s.say('/quiz 1', 'bob', { channel: { id: 'c2', isDM: false } });
    expect(elsewhere.kind).toBe('info');
    const bobStop = await s.say('/quiz stop', 'bob');
    expect(textOf(bobStop)).toMatch(
      /Only Alice, who started this quiz, or a moderator can stop it/,
    );
    const modStop = await s.say('/quiz stop', 'mod');
    expect(modStop.kind).toBe('info');
    await s.scheduler.runDue();
    const end = last(s.posts);
    expect(end.title).toBe('Quiz stopped — scoreboard');
    expect(textOf(end)).toMatch(/Stopped by Mod after 1 of 4 questions/);
    expect(textOf(await s.say('/answer A'))).toMatch(/No quiz is running here/);
  });

  it('counts each person once when many answers arrive at the same moment', async () => {
    await s.say('/quiz 5 count=1 seconds=30');
    await s.scheduler.runDue();
    const users = Array.from({ length: 60 }, (_, i) => `u${i}`);
    const clicks = users.flatMap((u, i) =>
      [`/answer ${'ABCD'[i % 4]} q=1.1`, `/answer C q=1.1`, `/answer ${'DCBA'[i % 4]}`].map(
        (line) => ({ u, line }),
      ),
    );
    const replies = await Promise.all(clicks.map(({ u, line }) => s.say(line, u)));
    const recorded = replies.filter((r) => /^Got it/.test(r.paragraphs[0] ?? ''));
    const dupes = replies.filter((r) => /already answered/.test(r.paragraphs[0] ?? ''));
    expect(recorded).toHaveLength(60);
    expect(dupes).toHaveLength(120);
    expect(replies.every((r) => r.ephemeral)).toBe(true);
    const rows = s.store.db
      .prepare('SELECT COUNT(*) AS n, SUM(points) AS p, SUM(correct) AS c FROM quiz_answers')
      .get() as { n: number; p: number; c: number };
    expect(rows.n).toBe(60);
    expect(rows.c).toBe(15); // every fourth user's first click was C
    expect(rows.p).toBe(15 * 150);
    const board = await s.store.scoreboard(1);
    expect(board).toHaveLength(60);
    expect(board.reduce((n, b) => n + b.points, 0)).toBe(rows.p);
    expect(board.every((b) => b.answered === 1)).toBe(true);
    await s.scheduler.advance(30_000);
    expect(textOf(s.posts[s.posts.length - 2]!)).toMatch(/Right \(15 of 60\)/);
  });
});

describe('typed answers', () => {
  const hint = 'No quiz question is open — /quiz to start one.';

  it('counts a message that is only an answer to the open question, whatever came in between', async () => {
    await s.say('/quiz 5 count=4 seconds=10');
    await s.scheduler.runDue();
    expect(textOf(await s.say('/tokens hello world'))).toMatch(/token/i);
    expect((await s.say('how much memory does LoRA need?', 'bob')).kind).not.toBe('silent');
    const mine = await s.say('c.');
    expect(mine.ephemeral).toBe(true);
    expect(textOf(mine)).toMatch(/Got it: C\. .* for question 1\/4\./);
    expect(textOf(await s.say('C'))).toMatch(/You already answered question 1 \(C\. /);
    expect(textOf(await s.say('2)', 'bob', { overheard: true }))).toMatch(/Got it: B\. /);
    expect((await s.say('lunch after this?', 'carol', { overheard: true })).kind).toBe('silent');
    expect((await s.say('E', 'carol', { overheard: true })).kind).toBe('silent');
    expect(textOf(await s.say('E', 'carol'))).toMatch(
      /"E" is not an answer to question 1: choose A–D/,
    );
    await s.scheduler.advance(10_000); // the reveal; question 2 comes after the pause
    expect(textOf(await s.say('B')).trim()).toBe(hint);
    expect((await s.say('B', 'bob', { overheard: true })).kind).toBe('silent');
    await s.scheduler.advance(1000); // question 2: true or false
    expect(textOf(await s.say('错'))).toMatch(/已收到:第 2\/4 题你的答案是 错。/);
    expect(textOf(await s.say('No', 'bob', { overheard: true }))).toMatch(/Got it: False /);
    await s.scheduler.advance(1000); // both players answered: reveal, pause, question 3
    await s.scheduler.advance(10_000 + 1000); // question 3 runs out: question 4, a number in GB
    expect(textOf(await s.say('1,200 GB'))).toMatch(/Got it: 1200 GB for question 4\/4\./);
    expect(textOf(await s.say('120', 'bob', { overheard: true }))).toMatch(/Got it: 120 GB /);
    const board = await s.store.answers(1, 3);
    expect(board.map((a) => [a.userKey, a.answer])).toEqual([
      ['test:alice', '1200'],
      ['test:bob', '120'],
    ]);
  });

  it('with no question open: a hint to whoever addressed the bot, nothing to a channel', async () => {
    const zhHint = '现在没有进行中的测验题——发送 /quiz 开始一个。';
    expect(textOf(await s.say('好的')).trim()).toBe(zhHint);
    for (const text of ['B', 'b)', '3', '120 GB', 'ok', '👍', 'true']) {
      const r = await s.say(text);
      expect(textOf(r).trim(), text).toBe(hint);
      expect(r.kind).toBe('info');
      expect(textOf(await s.say(text, 'alice', { channel: { id: 'd1', isDM: true } })).trim()).toBe(
        hint,
      );
      expect((await s.say(text, 'alice', { overheard: true })).kind, text).toBe('silent');
    }
    // an overheard question, command or long text is not for the bot either
    for (const text of ['what is LoRA?', '/topics', '/quiz 5', 'x'.repeat(5000), '']) {
      const r = await s.say(text, 'bob', { overheard: true });
      expect(r.kind).toBe('silent');
      expect(r.paragraphs).toEqual([]);
    }
    expect(await s.store.runningSessions()).toEqual([]);
    // a question still gets its answer
    expect((await s.say('how much GPU memory does full fine-tuning need?')).kind).toBe('answer');
  });
});

describe('/leaderboard, /stats, /review', () => {
  async function playOne(answers: Record<string, string>) {
    await s.say('/quiz 5 count=1 seconds=10');
    await s.scheduler.runDue();
    for (const [user, value] of Object.entries(answers)) await s.say(`/answer ${value}`, user);
    await s.scheduler.advance(10_000);
  }

  it('ranks the channel', async () => {
    expect(textOf(await s.say('/leaderboard'))).toMatch(/No quiz answers here in this period yet/);
    await playOne({ alice: 'C', bob: 'A' });
    // no repeats: the second quiz asks topic 5's next question (true/false, answer false)
    await playOne({ bob: 'false', alice: 'false' });
    const r = await s.say('/leaderboard all');
    expect(r.title).toBe('Leaderboard — this channel, all time');
    expect(r.table?.rows.map((row) => row.slice(1))).toEqual([
      ['Alice', '3.00', '2/2', '100 %', '2'],
      ['Bob', '1.50', '1/2', '50 %', '2'],
    ]);
    const other = await s.say('/leaderboard', 'alice', { channel: { id: 'c9', isDM: false } });
    expect(other.table).toBeUndefined();
    const bad = await s.say('/leaderboard year');
    expect(bad.kind).toBe('error');
    expect(textOf(bad)).toMatch(/"period" got "year".*week, month, all/);
  });

  it('shows a person their accuracy per topic and the weakest topic, privately', async () => {
    expect(textOf(await s.say('/stats', 'bob'))).toMatch(/No answers yet/);
    await playOne({ bob: 'A' });
    await playOne({ bob: 'false' });
    const r = await s.say('/stats', 'bob');
    expect(r.ephemeral).toBe(true);
    expect(textOf(r)).toMatch(/You answered 2 questions, 1 right \(50 %\)/);
    expect(textOf(r)).toMatch(/Your weakest topic: 5\. .*\/topic 5.*\/quiz 5/);
    expect(textOf(r)).toMatch(/Review queue: 1 due now, 1 in all/);
    expect(r.hints).toEqual(['/topic 5']);
    const marked = r.table?.rows.filter((row) => row[0]!.includes('← weakest'));
    expect(marked?.map((row) => row[0])).toEqual([expect.stringMatching(/^5\. /)]);
  });

  it('reviews missed questions privately, graded from the answer', async () => {
    expect(textOf(await s.say('/review', 'bob'))).toMatch(/Your review queue is empty/);
    await playOne({ bob: 'A' });
    const card = await s.say('/review', 'bob');
    expect(card).toMatchObject({ kind: 'info', ephemeral: true });
    expect(card.title).toMatch(/Review · 1 due/);
    expect(card.choices?.[2]?.action).toBe('/review f5-bytes-per-param C');
    const graded = await s.say(card.choices![2]!.action, 'bob');
    expect(graded.ephemeral).toBe(true);
    expect(textOf(graded)).toMatch(/Right: C\. 16/);
    expect(textOf(graded)).toMatch(/Next review of this question: in \d+ (min|h|days?)/);
    expect(textOf(graded)).toMatch(/last due question/);
    const again = await s.say(card.choices![2]!.action, 'bob');
    expect(again.kind).toBe('error');
    expect(textOf(again)).toMatch(/not due yet/);
    expect(textOf(await s.say('/review', 'bob'))).toMatch(/Nothing to review right now/);
    expect(textOf(await s.say('/review f5-bytes-per-param C', 'alice'))).toMatch(
      /not in your review queue/,
    );
    expect(textOf(await s.say('/review f5-bytes-per-param', 'bob'))).toMatch(
      /Give your answer too/,
    );
  });
});

describe('/help and wiring', () => {
  it('/help quiz documents the scoring, in both languages', async () => {
    const en = await s.say('/help quiz');
    expect(textOf(en)).toMatch(/1 point plus a speed bonus of up to 0\.5/);
    expect(textOf(en)).toMatch(/count.*1–20/s);
    const zh = await s.say('/help quiz', 'alice', { lang: 'zh' });
    expect(textOf(zh)).toMatch(/计分:答对得 1 分/);
    const all = await s.say('/help');
    for (const name of ['/quiz', '/answer', '/leaderboard', '/stats', '/review']) {
      expect(textOf(all)).toContain(name);
    }
  });

  it('works with no store given (in-memory SQLite) through createRouter', async () => {
    const messenger = new Messenger();
    const posts: Reply[] = [];
    messenger.register('test', { post: async (_t, r) => void posts.push(r) });
    const scheduler = new ManualScheduler();
    const router = createRouter({
      messenger,
      quiz: { bank: fixtureBank(), scheduler, random: firstFirst },
      matcher: defaultMatcher(),
      logger: { error: () => {} },
    });
    const msg = (text: string): Incoming => ({
      platform: 'test',
      user: { id: 'x' },
      channel: { id: 'dm', isDM: true },
      text,
    });
    expect((await router.handle(msg('/quiz 1 count=1 seconds=10'))).kind).toBe('info');
    await scheduler.runDue();
    const ack = await router.handle(msg('/answer B'));
    expect(ack.paragraphs[0]).toMatch(/Got it/);
    await scheduler.runDue();
    expect(posts.map((p) => p.title)).toEqual([
      expect.stringMatching(/question 1\/1/),
      expect.stringMatching(/the answer/),
      'Quiz over — scoreboard',
    ]);
  });

  it('a broken quiz bank gives a clear reply, not a crash', async () => {
    const errors: string[] = [];
    const router = createRouter({
      quiz: {
        bank: () => {
          throw new BankError(['en/05.yaml: broken']);
        },
      },
      matcher: defaultMatcher(),
      logger: { error: (_o: unknown, m?: string) => void errors.push(m ?? '') },
    });
    const r = await router.handle({
      platform: 'test',
      user: { id: 'x' },
      channel: { id: 'c', isDM: false },
      text: '/quiz 5',
    });
    expect(r.kind).toBe('error');
    expect(textOf(r)).toMatch(/quiz bank failed to load/);
    expect(errors).toEqual(['quiz bank failed to load']);
  });
});
