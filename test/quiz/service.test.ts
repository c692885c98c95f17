import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DAY_MS,
  ManualScheduler,
  type QuizEvent,
  QuizService,
  ReviewService,
  sample,
} from '../../src/quiz/index.js';
import { SqliteStore } from '../../src/store/index.js';
import {
  alice,
  bob,
  carol,
  channel,
  dm,
  firstFirst,
  fixtureBank,
  type Rig,
  rig,
  tempDir,
} from './helpers.js';

const of = <T extends QuizEvent['type']>(events: QuizEvent[], type: T) =>
  events.filter((e): e is Extract<QuizEvent, { type: T }> => e.type === type);

let r: Rig;
afterEach(async () => {
  await r?.cleanup();
});

async function startTopic5(place = channel, count = 3, seconds = 30) {
  const started = await r.service.start({
    place,
    starter: alice,
    lang: 'en',
    topic: 5,
    count,
    seconds,
  });
  if (started.status !== 'started') throw new Error(`not started: ${started.status}`);
  await r.scheduler.runDue(); // the first question is posted right after the start reply
  return started.session;
}

describe('channel quiz', () => {
  it('plays a full quiz: time-up reveal, early reveal once all players answered, scoreboard', async () => {
    r = rig();
    const s = await startTopic5();
    const q1 = of(r.events, 'question');
    expect(q1).toHaveLength(1);
    expect(q1[0]).toMatchObject({ index: 0, question: { id: 'f5-bytes-per-param' } });

    await r.scheduler.advance(2000);
    const a1 = await r.service.answer({ place: channel, player: alice, value: 'C' });
    await r.scheduler.advance(3000);
    const b1 = await r.service.answer({ place: channel, player: bob, value: 'a' });
    expect(a1).toMatchObject({ status: 'recorded', value: 'C', index: 0 });
    expect(b1).toMatchObject({ status: 'recorded', value: 'A' });
    // nobody had joined before question 1, so it runs its full 30 s
    await r.scheduler.advance(24_999);
    expect(of(r.events, 'reveal')).toHaveLength(0);
    await r.scheduler.advance(1);
    const [rev1] = of(r.events, 'reveal');
    expect(rev1).toMatchObject({ index: 0, nextInMs: 2000 });
    expect(rev1!.right.map((a) => a.userKey)).toEqual([alice.key]);
    expect(rev1!.answers).toHaveLength(2);

    // question 2 after the pause; both joined players answer → revealed at once
    await r.scheduler.advance(2000);
    expect(of(r.events, 'question')).toHaveLength(2);
    await r.service.answer({ place: channel, player: alice, value: 'false' });
    await r.service.answer({ place: channel, player: bob, value: '对' });
    await r.scheduler.runDue();
    expect(of(r.events, 'reveal')).toHaveLength(2);

    // question 3: only Alice answers; Bob joined, so it waits for the time
    await r.scheduler.advance(2000);
    await r.scheduler.advance(6000);
    await r.service.answer({ place: channel, player: alice, value: '2' });
    await r.scheduler.runDue();
    expect(of(r.events, 'reveal')).toHaveLength(2);
    await r.scheduler.advance(24_000);
    expect(of(r.events, 'reveal')).toHaveLength(3);
    const [end] = of(r.events, 'end');
    expect(end).toMatchObject({ reason: 'completed', asked: 3, session: { id: s.id } });
    // Alice: 2 s of 30 → 1 + 0.5·28/30 = 1.47; 0 s → 1.50; 6 s → 1 + 0.5·24/30 = 1.40
    expect(end!.scoreboard).toEqual([
      {
        userKey: alice.key,
        userName: 'Alice',
        points: 147 + 150 + 140,
        correct: 3,
        answered: 3,
        bestMs: 0,
      },
      { userKey: bob.key, userName: 'Bob', points: 0, correct: 0, answered: 2 },
    ]);
    expect((await r.store.getSession(s.id))?.status).toBe('finished');
    expect(r.service.armed(s.id)).toBe(false); // no timer left for this quiz
    // Bob's two misses are in his review queue, due when each question closed
    const bobCards = await r.store.dueCards(bob.key, r.scheduler.now(), 10);
    expect(bobCards.map((c) => c.questionId).sort()).toEqual([
      'f5-batch-weights',
      'f5-bytes-per-param',
    ]);
    expect(await r.store.dueCards(alice.key, r.scheduler.now(), 10)).toEqual([]);
  });

  it('in a DM the starter has joined from the start: each answer reveals at once', async () => {
    r = rig({ pauseMs: 1000 });
    await startTopic5(dm, 2);
    await r.service.answer({ place: dm, player: alice, value: 'B' });
    await r.scheduler.runDue();
    expect(of(r.events, 'reveal')).toHaveLength(1);
    expect(of(r.events, 'reveal')[0]!.right).toEqual([]);
    await r.scheduler.advance(1000);
    await r.service.answer({ place: dm, player: alice, value: 'false' });
    await r.scheduler.runDue();
    expect(of(r.events, 'end')).toHaveLength(1);
    expect(of(r.events, 'end')[0]!.scoreboard[0]).toMatchObject({ points: 150, correct: 1 });
  });

  it('reveals with nobody answering when time is up, and goes on', async () => {
    r = rig();
    await startTopic5(channel, 2, 10);
    await r.scheduler.advance(10_000);
    const [rev] = of(r.events, 'reveal');
    expect(rev).toMatchObject({ answers: [], right: [] });
    await r.scheduler.advance(2000 + 10_000);
    expect(of(r.events, 'end')[0]).toMatchObject({ reason: 'completed', scoreboard: [] });
  });

  it('counts only the first answer; a second click is acknowledged and ignored', async () => {
    r = rig();
    const s = await startTopic5();
    const first = await r.service.answer({ place: channel, player: bob, value: 'A' });
    const again = await r.service.answer({ place: channel, player: bob, value: 'C' });
    const button = await r.service.answer({
      place: channel,
      player: bob,
      value: 'C',
      ref: { sessionId: s.id, index: 0 },
    });
    expect(first.status).toBe('recorded');
    expect(again).toMatchObject({ status: 'duplicate', first: 'A' });
    expect(button).toMatchObject({ status: 'duplicate', first: 'A' });
    expect(await r.store.answers(s.id, 0)).toHaveLength(1);
    expect(await r.store.scoreboard(s.id)).toEqual([
      { userKey: bob.key, userName: 'Bob', points: 0, correct: 0, answered: 1 },
    ]);
  });

  it('rejects answers to closed questions: late, stale buttons, a player who never joined', async () => {
    r = rig();
    const s = await startTopic5();
    await r.service.answer({ place: channel, player: alice, value: 'C' });
    // a late answer: the deadline passed but the timer has not fired yet
    r.scheduler.set(r.scheduler.now() + 30_001);
    const late = await r.service.answer({ place: channel, player: bob, value: 'C' });
    expect(late).toMatchObject({ status: 'closed', index: 0 });
    await r.scheduler.advance(0);
    await r.scheduler.advance(2000); // question 2 opens
    // Carol never joined and clicks question 1's button
    const stale = await r.service.answer({
      place: channel,
      player: carol,
      value: 'C',
      ref: { sessionId: s.id, index: 0 },
    });
    expect(stale).toMatchObject({ status: 'closed', index: 0, openIndex: 1 });
    expect(stale).not.toHaveProperty('answered');
    // Alice clicks her old button again
    const mine = await r.service.answer({
      place: channel,
      player: alice,
      value: 'A',
      ref: { sessionId: s.id, index: 0 },
    });
    expect(mine).toMatchObject({ status: 'closed', answered: 'C' });
    // a button of a question not asked yet, and of one that does not exist
    for (const index of [2, 99]) {
      const early = await r.service.answer({
        place: channel,
        player: carol,
        value: 'A',
        ref: { sessionId: s.id, index },
      });
      expect(early.status).toBe('closed');
    }
    // a button from another channel's quiz
    const elsewhere = await r.service.answer({
      place: { ...channel, channelId: 'other' },
      player: carol,
      value: 'A',
      ref: { sessionId: s.id, index: 1 },
    });
    expect(elsewhere.status).toBe('no-quiz');
    const rows = r.store.db.prepare('SELECT user_key FROM quiz_answers').pluck().all();
    expect(rows).toEqual([alice.key]);
    expect(await r.store.scoreboard(s.id)).toHaveLength(1);
  });

  it('rejects an answer that is not an option, then accepts a valid one', async () => {
    r = rig();
    await startTopic5();
    for (const value of ['E', '5', 'maybe', '']) {
      expect((await r.service.answer({ place: channel, player: bob, value })).status).toBe(
        'invalid',
      );
    }
    expect((await r.service.answer({ place: channel, player: bob, value: 'c' })).status).toBe(
      'recorded',
    );
  });

  it('accepts a numeric answer within the tolerance', async () => {
    r = rig({ pauseMs: 0 });
    await startTopic5(dm, 4, 10);
    for (const value of ['C', 'false', 'B']) {
      await r.service.answer({ place: dm, player: alice, value });
      await r.scheduler.runDue();
      await r.scheduler.runDue();
    }
    const q = of(r.events, 'question').at(-1)!;
    expect(q.question.type).toBe('numeric');
    expect(await r.service.answer({ place: dm, player: alice, value: '≈ 124 GB' })).toMatchObject({
      status: 'recorded',
      value: '124',
    });
    await r.scheduler.runDue();
    const rev = of(r.events, 'reveal').at(-1)!;
    expect(rev.right).toHaveLength(1);
    expect(of(r.events, 'end')[0]!.scoreboard[0]).toMatchObject({ correct: 4, answered: 4 });
  });

  it('runs one quiz per channel; a second start says which one is running', async () => {
    r = rig();
    const s = await startTopic5();
    const again = await r.service.start({
      place: channel,
      starter: bob,
      lang: 'zh',
      topic: 1,
      count: 2,
      seconds: 20,
    });
    expect(again).toMatchObject({ status: 'busy', session: { id: s.id, starter: alice } });
    const other = await r.service.start({
      place: { ...channel, channelId: 'c2' },
      starter: bob,
      lang: 'zh',
      topic: 1,
      count: 2,
      seconds: 20,
    });
    expect(other.status).toBe('started');
    const threaded = await r.service.start({
      place: { ...channel, threadId: 't1' },
      starter: bob,
      lang: 'en',
      topic: 'all',
      count: 20,
      seconds: 120,
    });
    expect(threaded).toMatchObject({ status: 'started', available: 8, session: { count: 8 } });
  });

  it('validates topic, count and seconds itself too', async () => {
    r = rig();
    const base = {
      place: channel,
      starter: alice,
      lang: 'en' as const,
      topic: 5,
      count: 5,
      seconds: 30,
    };
    expect(await r.service.start({ ...base, topic: 7 })).toEqual({
      status: 'invalid',
      field: 'topic',
    });
    for (const count of [0, 21, 2.5]) {
      expect(await r.service.start({ ...base, count })).toEqual({
        status: 'invalid',
        field: 'count',
      });
    }
    for (const seconds of [9, 121]) {
      expect(await r.service.start({ ...base, seconds })).toEqual({
        status: 'invalid',
        field: 'seconds',
      });
    }
    expect(await r.store.runningSessions()).toEqual([]);
  });

  it('is stopped by the starter or a moderator only; stop reveals the open question and ends', async () => {
    r = rig();
    const s = await startTopic5();
    await r.service.answer({ place: channel, player: bob, value: 'C' });
    expect(await r.service.stop(channel, bob)).toMatchObject({ status: 'forbidden' });
    expect(await r.service.stop({ ...channel, channelId: 'nothing' }, alice)).toEqual({
      status: 'no-quiz',
    });
    expect(await r.service.stop(channel, alice)).toMatchObject({ status: 'stopping' });
    expect(await r.service.stop(channel, alice)).toEqual({ status: 'no-quiz' });
    await r.scheduler.runDue();
    expect(of(r.events, 'reveal')).toHaveLength(1);
    expect(of(r.events, 'reveal')[0]).not.toHaveProperty('nextInMs');
    expect(of(r.events, 'end')[0]).toMatchObject({ reason: 'stopped', by: alice, asked: 1 });
    expect(of(r.events, 'end')[0]!.scoreboard[0]).toMatchObject({ userKey: bob.key, correct: 1 });
    expect(r.service.armed(s.id)).toBe(false); // no timer left for this quiz
    await r.scheduler.advance(60_000);
    expect(of(r.events, 'question')).toHaveLength(1);
    expect((await r.store.getSession(s.id))?.status).toBe('stopped');
    expect((await r.service.answer({ place: channel, player: bob, value: 'C' })).status).toBe(
      'no-quiz',
    );
    // a moderator may stop someone else's quiz
    await startTopic5();
    expect(await r.service.stop(channel, bob, true)).toMatchObject({ status: 'stopping' });
  });

  it('keeps going when posting to the channel fails, and logs it', async () => {
    const tmp = tempDir();
    const store = new SqliteStore(join(tmp.dir, 'q.db'));
    const scheduler = new ManualScheduler();
    const errors: string[] = [];
    const service = new QuizService({
      store,
      bank: fixtureBank(),
      publish: async () => {
        throw new Error('outbox down');
      },
      scheduler,
      random: firstFirst,
      logger: { error: (_o: unknown, msg?: string) => void errors.push(msg ?? '') },
    });
    try {
      await service.start({
        place: dm,
        starter: alice,
        lang: 'en',
        topic: 1,
        count: 1,
        seconds: 10,
      });
      await scheduler.runDue();
      await service.answer({ place: dm, player: alice, value: 'B' });
      await scheduler.runDue();
      expect((await store.runningSessions()).length).toBe(0);
      expect(errors).toEqual(['quiz post failed', 'quiz post failed', 'quiz post failed']);
    } finally {
      service.close();
      await store.close();
      tmp.cleanup();
    }
  });
});

describe('restart', () => {
  /** The process dies (kill -9): timers gone, leases no longer renewed, database as it was. */
  function restartOn(path: string, at: number): Rig {
    r.service.close();
    r.store.db.close();
    return rig({ path, start: at });
  }

  it('takes its quiz back once the old lease expires, keeps the answers and carries it on', async () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'restart.db');
    r = rig({ path });
    const s = await startTopic5();
    await r.scheduler.advance(1000);
    await r.service.answer({ place: channel, player: bob, value: 'C' });
    // another live instance's quiz (a lease far in the future) is left alone
    await r.store.createSession(
      {
        channelKey: 'test:shard2',
        platform: 'test',
        channelId: 'shard2',
        isDM: false,
        owner: 'shard-2',
        leaseMs: 3_600_000,
        startedBy: carol.key,
        lang: 'en',
        topic: 1,
        seconds: 30,
        startedAt: r.scheduler.now(),
      },
      [{ questionId: 'f1-remedy', topic: 1 }],
    );
    const lease = (await r.store.getSession(s.id))?.leaseUntil ?? 0;
    const b = restartOn(path, r.scheduler.now());
    try {
      // a new process is a new instance: the old lease still holds, so nothing is taken yet
      expect(await b.service.recover()).toEqual([]);
      await b.scheduler.advance(lease - b.scheduler.now() - 1);
      expect(b.events).toEqual([]);
      // within one tick of the expiry the quiz is taken over; question 1 keeps its closing time
      await b.scheduler.advance(b.service.lease.tickMs);
      expect((await b.store.getSession(s.id))?.owner).toBe(b.service.owner);
      expect(b.service.armed(s.id)).toBe(true);
      expect(b.events).toEqual([]);
      await b.scheduler.advance(s.startedAt + 30_000 - b.scheduler.now());
      expect(b.events.map((e) => e.type)).toEqual(['reveal']);
      expect(of(b.events, 'reveal')[0]).toMatchObject({
        index: 0,
        right: [{ userKey: bob.key }],
        nextInMs: 2000,
      });
      await b.scheduler.advance(2000);
      expect(of(b.events, 'question').map((e) => e.index)).toEqual([1]);
      await b.scheduler.advance(60_000);
      await b.scheduler.advance(60_000);
      const end = of(b.events, 'end');
      expect(end).toHaveLength(1);
      expect(end[0]).toMatchObject({
        reason: 'completed',
        asked: 3,
        scoreboard: [{ userKey: bob.key, correct: 1, points: 148 }],
      });
      expect(of(b.events, 'reveal')).toHaveLength(3);
      expect((await b.store.getSession(s.id))?.status).toBe('finished');
      expect((await b.store.runningSessions()).map((x) => x.owner)).toEqual(['shard-2']);
    } finally {
      await b.cleanup();
      tmp.cleanup();
    }
  });

  it('closes a quiz left for longer than the stale limit: reveal, then an interrupted scoreboard', async () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'stale.db');
    r = rig({ path });
    const s = await startTopic5();
    await r.service.answer({ place: channel, player: bob, value: 'C' });
    const b = restartOn(path, r.scheduler.now() + DAY_MS);
    try {
      const taken = await b.service.recover();
      expect(taken.map((x) => x.id)).toEqual([s.id]);
      await b.scheduler.runDue();
      expect(b.events.map((e) => e.type)).toEqual(['reveal', 'end']);
      expect(of(b.events, 'reveal')[0]).not.toHaveProperty('nextInMs');
      expect(of(b.events, 'end')[0]).toMatchObject({
        reason: 'interrupted',
        asked: 1,
        scoreboard: [{ userKey: bob.key, correct: 1 }],
      });
      expect((await b.store.getSession(s.id))?.status).toBe('interrupted');
      expect(b.service.armed(s.id)).toBe(false);
      // the channel is free again
      const again = await b.service.start({
        place: channel,
        starter: alice,
        lang: 'en',
        topic: 1,
        count: 1,
        seconds: 10,
      });
      expect(again.status).toBe('started');
    } finally {
      await b.cleanup();
      tmp.cleanup();
    }
  });

  it('a graceful stop releases the leases: the next start takes the quiz over at once', async () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'release.db');
    r = rig({ path });
    const s = await startTopic5();
    r.service.close();
    await r.service.idle();
    expect(await r.service.release()).toBe(1);
    const b = restartOn(path, r.scheduler.now() + 5000);
    try {
      expect((await b.service.recover()).map((x) => x.id)).toEqual([s.id]);
      await b.scheduler.advance(25_000);
      expect(of(b.events, 'reveal').map((e) => e.index)).toEqual([0]);
    } finally {
      await b.cleanup();
      tmp.cleanup();
    }
  });
});

describe('leaderboard and stats', () => {
  it('sums points per channel over the week, the month and all time', async () => {
    r = rig({ pauseMs: 0 });
    const play = async (who: typeof alice, value: string) => {
      await startTopic5(dm, 1, 10);
      await r.service.answer({ place: dm, player: who, value });
      await r.scheduler.advance(10_000);
    };
    await play(alice, 'C'); // answered at once → 1.50
    await r.scheduler.advance(25 * DAY_MS);
    await play(alice, 'false'); // no repeats: the next question, a true/false one
    await r.scheduler.advance(8 * DAY_MS);
    await play(alice, 'A');
    const week = await r.service.leaderboard(dm, 'week');
    const month = await r.service.leaderboard(dm, 'month');
    const all = await r.service.leaderboard(dm, 'all');
    expect(week.map((x) => [x.points, x.answered])).toEqual([[0, 1]]);
    expect(month.map((x) => [x.points, x.answered])).toEqual([[150, 2]]);
    expect(all.map((x) => [x.points, x.answered, x.quizzes])).toEqual([[300, 3, 3]]);
    expect(await r.service.leaderboard(channel, 'all')).toEqual([]);
  });

  it('reports accuracy per topic and the weakest topic', async () => {
    r = rig({ pauseMs: 0 });
    const quiz = async (topic: number, answers: string[]) => {
      const st = await r.service.start({
        place: dm,
        starter: alice,
        lang: 'en',
        topic,
        count: answers.length,
        seconds: 10,
      });
      expect(st.status).toBe('started');
      await r.scheduler.runDue();
      for (const value of answers) {
        await r.service.answer({ place: dm, player: alice, value });
        await r.scheduler.runDue();
        await r.scheduler.runDue();
      }
    };
    await quiz(1, ['B', 'false', 'B']); // 2 of 3
    await quiz(5, ['A', 'true', 'B']); // 1 of 3
    const stats = await r.service.stats(alice.key);
    expect(stats.topics.map((t) => [t.topic, t.answered, t.correct])).toEqual([
      [1, 3, 2],
      [5, 3, 1],
    ]);
    expect(stats.weakest?.topic).toBe(5);
    expect(stats).toMatchObject({ answered: 6, correct: 3 });
    expect((await r.service.stats(bob.key)).weakest).toBeUndefined();
  });
});

describe('review (FSRS)', () => {
  it('queues missed questions, grades from the answer, and never grades twice', async () => {
    r = rig();
    const reviews = new ReviewService({
      store: r.store,
      bank: fixtureBank(),
      scheduler: r.scheduler,
      fuzz: false,
    });
    await startTopic5(channel, 1, 30);
    await r.service.answer({ place: channel, player: bob, value: 'A' });
    // not due before the question closes (no spoilers during the quiz)
    expect((await reviews.queue(bob.key)).due).toBe(0);
    await r.scheduler.advance(30_000);
    const queue = await reviews.queue(bob.key);
    expect(queue).toMatchObject({ due: 1, total: 1, question: { id: 'f5-bytes-per-param' } });

    expect(await reviews.grade(bob.key, 'f5-bytes-per-param', 'Z')).toMatchObject({
      status: 'invalid',
    });
    expect(await reviews.grade(bob.key, 'no-such-question', 'A')).toEqual({ status: 'unknown' });
    expect(await reviews.grade(alice.key, 'f5-bytes-per-param', 'C')).toEqual({
      status: 'unknown',
    });
    const wrong = await reviews.grade(bob.key, 'f5-bytes-per-param', 'B');
    expect(wrong).toMatchObject({ status: 'graded', correct: false });
    if (wrong.status !== 'graded') throw new Error('not graded');
    // Again → a short relearning step (minutes, not days)
    const gap = wrong.card.due - r.scheduler.now();
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThanOrEqual(10 * 60_000);
    expect(wrong.queue.due).toBe(0);
    expect(await reviews.grade(bob.key, 'f5-bytes-per-param', 'C')).toMatchObject({
      status: 'not-due',
    });
    await r.scheduler.advance(gap);
    const right = await reviews.grade(bob.key, 'f5-bytes-per-param', 'C');
    expect(right).toMatchObject({ status: 'graded', correct: true });
    if (right.status !== 'graded') throw new Error('not graded');
    expect(right.card.reps).toBe(2);
    expect(right.card.due).toBeGreaterThan(r.scheduler.now() + gap);
    const log = r.store.db.prepare('SELECT correct, rating FROM review_log ORDER BY id').all();
    expect(log).toEqual([
      { correct: 0, rating: 1 },
      { correct: 1, rating: 3 },
    ]);
  });

  it('grades a double click once', async () => {
    r = rig();
    const reviews = new ReviewService({
      store: r.store,
      bank: fixtureBank(),
      scheduler: r.scheduler,
    });
    await reviews.add(bob.key, 'f1-remedy');
    const results = await Promise.all([
      reviews.grade(bob.key, 'f1-remedy', 'A'),
      reviews.grade(bob.key, 'f1-remedy', 'A'),
    ]);
    // both read the card before either saved it: the reps check lets one win
    expect(results.map((x) => x.status).sort()).toEqual(['graded', 'raced']);
    expect(await reviews.grade(bob.key, 'f1-remedy', 'A')).toMatchObject({ status: 'not-due' });
    expect(r.store.db.prepare('SELECT COUNT(*) FROM review_log').pluck().get()).toBe(1);
  });
});

describe('sample', () => {
  it('picks distinct items', () => {
    const items = [1, 2, 3, 4, 5, 6];
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let n = 0; n <= 8; n++) {
      const picked = sample(items, n, random);
      expect(picked).toHaveLength(Math.min(n, items.length));
      expect(new Set(picked).size).toBe(picked.length);
    }
    expect(sample(items, 3, firstFirst)).toEqual([1, 2, 3]);
  });
});
