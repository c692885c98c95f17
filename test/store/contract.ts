/**
 * The `Store` contract: what every implementation must do, checked through the interface
 * only. `contract.test.ts` runs it against each implementation in its list; a new store
 * (PostgreSQL) plugs in by adding one line there. What a particular database does beyond the
 * contract (SQLite's pragmas, migrations, raw SQL) is tested in that store's own file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CardRow,
  FORGOTTEN_USER_KEY,
  type NewLoggedQuestion,
  type NewSession,
  type Store,
} from '../../src/store/index.js';
import { tempDir } from '../quiz/helpers.js';

export interface StoreImplementation {
  name: string;
  /** A new, empty store; `dir` is a fresh temporary folder it may use. */
  open(dir: string): Store | Promise<Store>;
  /** Skip the suite (its database is not available here). */
  skip?: boolean;
  /**
   * Another connection to the store `open(dir)` made (another process would use one); absent
   * when the database cannot be shared (`:memory:`).
   */
  connect?(dir: string): Store | Promise<Store>;
}

export const T0 = Date.UTC(2025, 0, 6, 9);

export function session(extra: Partial<NewSession> = {}): NewSession {
  return {
    channelKey: 'test:c1',
    platform: 'test',
    channelId: 'c1',
    isDM: false,
    owner: 'main',
    leaseMs: 60_000,
    startedBy: 'test:alice',
    lang: 'en',
    topic: 5,
    seconds: 30,
    startedAt: T0,
    ...extra,
  };
}

export const planned = [
  { questionId: 'q1', topic: 5 },
  { questionId: 'q2', topic: 5 },
];

export function answer(idx: number, user: string, at: number, correct = true) {
  return {
    sessionId: 1,
    idx,
    userKey: user,
    answer: 'A',
    correct,
    points: correct ? 120 : 0,
    elapsedMs: at - T0,
    answeredAt: at,
  };
}

export function card(user: string, id: string, due: number): CardRow {
  return {
    userKey: user,
    questionId: id,
    topic: 5,
    due,
    stability: 0,
    difficulty: 0,
    elapsedDays: 0,
    scheduledDays: 0,
    learningSteps: 0,
    reps: 0,
    lapses: 0,
    state: 0,
    addedAt: due,
    source: 'test',
  };
}

/** The review log line of one graded answer (used by the contract and by store tests). */
export const reviewLog = {
  userKey: 'u1',
  questionId: 'q1',
  topic: 5,
  answer: 'A',
  correct: true,
  rating: 3,
  reviewedAt: T0,
};

/**
 * u1 answers question 1 (with a review card), answers it again (a duplicate, with another
 * card), then answers question 2 for 101 points: 221 points from two answers.
 */
export async function answerTwoQuestions(store: Store): Promise<void> {
  await store.createSession(session(), planned);
  await store.openQuestion(1, 0, T0, T0 + 30_000);
  await store.recordAnswer(answer(0, 'u1', T0 + 100), card('u1', 'q1', T0 + 30_000));
  // duplicate: neither the score nor a review card changes
  await store.recordAnswer(
    { ...answer(0, 'u1', T0 + 200, false), points: 0 },
    card('u1', 'other', T0),
  );
  await store.revealQuestion(1, 0, T0 + 1);
  await store.openQuestion(1, 1, T0 + 2, T0 + 30_000);
  await store.recordAnswer({ ...answer(1, 'u1', T0 + 300), points: 101 });
}

/** Resolves once the store's clock has passed `time` (polls; gives up after 5 s). */
export async function clockPast(store: Store, time: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await store.clock()) <= time) {
    if (Date.now() > deadline) throw new Error(`the store's clock did not pass ${time}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A logged question asked by `userHash` at `askedAt` (an answer to topic 5 by default). */
export function logged(
  userHash: string,
  askedAt: number,
  extra: Partial<NewLoggedQuestion> = {},
): NewLoggedQuestion {
  return {
    askedAt,
    platform: 'test',
    channelKind: 'channel',
    userHash,
    text: 'how much memory does full fine-tuning need',
    lang: 'en',
    outcome: 'answer',
    topic: 5,
    section: 't5.optimizer',
    confidence: 0.9,
    ...extra,
  };
}

const DAY = 86_400_000;

/** Every `it` of the contract, run against one implementation. */
export function storeContract(impl: StoreImplementation): void {
  describe.skipIf(impl.skip)(`Store contract: ${impl.name}`, () => {
    let tmp: ReturnType<typeof tempDir>;
    let store: Store;
    beforeEach(async () => {
      tmp = tempDir('llm-tutor-contract-');
      store = await impl.open(tmp.dir);
    });
    afterEach(async () => {
      await store.close();
      tmp.cleanup();
    });

    it('allows one running quiz per channel', async () => {
      const a = await store.createSession(session(), planned);
      const b = await store.createSession(session({ startedBy: 'test:bob' }), planned);
      expect(a.ok).toBe(true);
      expect(b).toMatchObject({ ok: false, running: { id: 1, startedBy: 'test:alice' } });
      // another channel is fine; the same channel again after the first ends
      expect((await store.createSession(session({ channelKey: 'test:c2' }), planned)).ok).toBe(
        true,
      );
      expect(await store.finishSession(1, 'finished', T0 + 1)).toBe(true);
      expect(await store.finishSession(1, 'finished', T0 + 2)).toBe(false);
      expect((await store.createSession(session(), planned)).ok).toBe(true);
    });

    it('accepts answers only while the question is open, and one per person', async () => {
      await store.createSession(session(), planned);
      // not yet opened
      expect(await store.recordAnswer(answer(0, 'u1', T0 + 10))).toBe('closed');
      expect(await store.openQuestion(1, 0, T0, T0 + 30_000)).toBe(true);
      expect(await store.openQuestion(1, 0, T0, T0 + 30_000)).toBe(false);
      expect((await store.getSession(1))?.currentIndex).toBe(0);
      expect(await store.recordAnswer(answer(0, 'u1', T0 + 1000))).toBe('recorded');
      expect(await store.recordAnswer(answer(0, 'u1', T0 + 2000, false))).toBe('duplicate');
      // past the deadline
      expect(await store.recordAnswer(answer(0, 'u2', T0 + 30_001))).toBe('closed');
      expect(await store.recordAnswer(answer(0, 'u3', T0 + 30_000))).toBe('recorded');
      expect(await store.revealQuestion(1, 0, T0 + 30_000)).toBe(true);
      expect(await store.revealQuestion(1, 0, T0 + 30_001)).toBe(false);
      expect(await store.recordAnswer(answer(0, 'u4', T0 + 5))).toBe('closed');
      const first = await store.answer(1, 0, 'u1');
      expect(first).toMatchObject({ answer: 'A', correct: true, points: 120 });
      expect(await store.scoreboard(1)).toEqual([
        { userKey: 'u1', points: 120, correct: 1, answered: 1, bestMs: 1000 },
        { userKey: 'u3', points: 120, correct: 1, answered: 1, bestMs: 30_000 },
      ]);
      // a stopped quiz takes no more answers
      await store.openQuestion(1, 1, T0 + 31_000, T0 + 61_000);
      await store.finishSession(1, 'stopped', T0 + 32_000, 'u1');
      expect(await store.recordAnswer(answer(1, 'u1', T0 + 33_000))).toBe('closed');
      expect(await store.openQuestion(1, 1, T0, T0)).toBe(false);
    });

    it('keeps scores equal to the sum of answers; a duplicate changes nothing', async () => {
      await answerTwoQuestions(store);
      const [score] = await store.scoreboard(1);
      expect(score).toMatchObject({ points: 221, answered: 2, correct: 2 });
      expect(await store.getCard('u1', 'other')).toBeUndefined();
      expect(await store.getCard('u1', 'q1')).toBeDefined();
    });

    it('ranks the leaderboard per channel and period', async () => {
      await store.createSession(session(), planned);
      await store.openQuestion(1, 0, T0, T0 + 30_000);
      await store.recordAnswer(answer(0, 'u1', T0 + 1000));
      await store.recordAnswer({ ...answer(0, 'u2', T0 + 2000), points: 140 });
      await store.createSession(session({ channelKey: 'test:elsewhere' }), planned);
      await store.openQuestion(2, 0, T0, T0 + 30_000);
      await store.recordAnswer({ ...answer(0, 'u3', T0 + 1000), sessionId: 2, points: 150 });
      const all = await store.leaderboard('test:c1', 0, 10);
      expect(all.map((r) => [r.userKey, r.points, r.quizzes])).toEqual([
        ['u2', 140, 1],
        ['u1', 120, 1],
      ]);
      expect(await store.leaderboard('test:c1', T0 + 1500, 10)).toHaveLength(1);
      expect(await store.leaderboard('test:c1', 0, 1)).toHaveLength(1);
      expect(await store.leaderboard('test:none', 0, 10)).toEqual([]);
    });

    it('grades a review card once even when asked twice (optimistic check on reps)', async () => {
      await store.addCard(card('u1', 'q1', T0));
      await store.addCard(card('u1', 'q1', T0 - 5000)); // brings due forward only
      expect((await store.getCard('u1', 'q1'))?.due).toBe(T0 - 5000);
      const graded = { ...card('u1', 'q1', T0 + 86_400_000), reps: 1 };
      expect(await store.saveReview(graded, 0, reviewLog)).toBe(true);
      expect(await store.saveReview(graded, 0, reviewLog)).toBe(false);
      expect(await store.cardCounts('u1', T0)).toEqual({
        due: 0,
        total: 1,
        nextDue: T0 + 86_400_000,
      });
      expect(await store.topicStats('u1')).toEqual([{ topic: 5, answered: 1, correct: 1 }]);
    });

    it('drops one card of one user, and nothing else', async () => {
      await store.addCard(card('u1', 'q1', T0));
      await store.addCard(card('u1', 'q2', T0));
      await store.addCard(card('u2', 'q1', T0));
      await store.dropCard('u1', 'q1');
      await store.dropCard('u1', 'nope');
      expect(await store.getCard('u1', 'q1')).toBeUndefined();
      expect((await store.dueCards('u1', T0, 10)).map((c) => c.questionId)).toEqual(['q2']);
      expect(await store.getCard('u2', 'q1')).toBeDefined();
    });

    it('claims an event for exactly one caller until the claim expires', async () => {
      const hour = 3_600_000;
      expect(await store.claimEvent('slack:Ev1', T0, hour)).toBe(true);
      expect(await store.claimEvent('slack:Ev1', T0 + 1000, hour)).toBe(false);
      expect(await store.claimEvent('slack:Ev2', T0 + 1000, hour)).toBe(true);
      expect(await store.claimEvent('discord:Ev1', T0 + 1000, hour)).toBe(true);
      expect(await store.claimEvent('slack:Ev1', T0 + hour - 1, hour)).toBe(false);
      // expired: claimable again, once
      expect(await store.claimEvent('slack:Ev1', T0 + hour, hour)).toBe(true);
      expect(await store.claimEvent('slack:Ev1', T0 + hour + 1, hour)).toBe(false);
      // later claims sweep the expired ones away; live ones stay
      expect(await store.claimEvent('slack:Ev3', T0 + hour + 60_000, hour)).toBe(true);
      expect(await store.claimEvent('slack:Ev1', T0 + hour + 60_000, hour)).toBe(false);
      expect(await store.claimEvent('slack:Ev2', T0 + hour + 60_000, hour)).toBe(true);
    });

    it('claims an event once among many racing callers', async () => {
      const tries = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.claimEvent('slack:EvRace', T0 + i, 60_000)),
      );
      expect(tries.filter(Boolean)).toHaveLength(1);
    });

    it('refuses an event claim without a key or with a bad ttl', async () => {
      await expect(store.claimEvent('', T0, 1000)).rejects.toThrow(/needs a key/);
      for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.claimEvent('slack:x', T0, ttl)).rejects.toThrow(/positive ttlMs/);
      }
    });

    it('counts how often each question was asked (opened) in a channel', async () => {
      await store.createSession(session(), planned);
      await store.openQuestion(1, 0, T0, T0 + 30_000);
      await store.finishSession(1, 'stopped', T0 + 1); // q2 was planned, never asked
      await store.createSession(session({ startedAt: T0 + 2 }), [
        { questionId: 'q1', topic: 5 },
        { questionId: 'gen:vram-states:llama-2-7b', topic: 5 },
      ]);
      await store.openQuestion(2, 0, T0 + 2, T0 + 30_000);
      await store.openQuestion(2, 1, T0 + 3, T0 + 30_000);
      await store.createSession(session({ channelKey: 'test:c2' }), planned);
      await store.openQuestion(3, 1, T0, T0 + 30_000);
      const ids = ['q1', 'q2', 'gen:vram-states:llama-2-7b', 'never'];
      const counts = await store.askedCounts('test:c1', ids);
      expect(counts.sort((a, b) => a.questionId.localeCompare(b.questionId))).toEqual([
        { questionId: 'gen:vram-states:llama-2-7b', times: 1 },
        { questionId: 'q1', times: 2 },
      ]);
      expect(await store.askedCounts('test:c2', ids)).toEqual([{ questionId: 'q2', times: 1 }]);
      expect(await store.askedCounts('test:none', ids)).toEqual([]);
      expect(await store.askedCounts('test:c1', [])).toEqual([]);
      // more ids than one statement takes
      const many = Array.from({ length: 1200 }, (_, i) => `x${i}`).concat('q1');
      expect(await store.askedCounts('test:c1', many)).toEqual([{ questionId: 'q1', times: 2 }]);
    });

    it('creates the installation salt once and keeps it', async () => {
      expect(await store.installSalt('first')).toBe('first');
      expect(await store.installSalt('second')).toBe('first');
    });

    it('logs questions and reads them back by id and by time', async () => {
      const a = await store.logQuestion(logged('h1', T0));
      const b = await store.logQuestion(
        logged('h2', T0 + 10, { outcome: 'none', topic: null, section: null, confidence: 0.7 }),
      );
      expect(b).toBeGreaterThan(a);
      expect(await store.loggedQuestion(a)).toEqual({ id: a, ...logged('h1', T0) });
      expect(await store.loggedQuestion(b)).toMatchObject({ outcome: 'none', topic: null });
      expect((await store.questionsSince(T0 + 1)).map((q) => q.id)).toEqual([b]);
      expect((await store.questionsSince(0)).map((q) => q.id)).toEqual([a, b]);
      expect(await store.loggedQuestion(999)).toBeUndefined();
    });

    it('records the first did-you-mean pick only, and only for a did-you-mean', async () => {
      const clarify = await store.logQuestion(logged('h1', T0, { outcome: 'clarify' }));
      const answered = await store.logQuestion(logged('h1', T0));
      expect(await store.recordPick(clarify, 3, T0 + 5)).toBe(true);
      expect(await store.recordPick(clarify, 4, T0 + 6)).toBe(false);
      expect(await store.recordPick(answered, 3, T0 + 5)).toBe(false);
      expect(await store.recordPick(999, 3, T0 + 5)).toBe(false);
      expect(await store.loggedQuestion(clarify)).toMatchObject({
        pickedTopic: 3,
        pickedAt: T0 + 5,
      });
    });

    it('takes one rating per user and answer; none for what is not a logged answer', async () => {
      const q = await store.logQuestion(logged('h1', T0));
      const declined = await store.logQuestion(logged('h1', T0, { outcome: 'none', topic: null }));
      const bad = {
        questionId: q,
        userHash: 'h2',
        good: false,
        reason: 'wrong section',
        ratedAt: T0 + 1,
      };
      expect(await store.rate(bad)).toBe('recorded');
      expect(await store.rate({ ...bad, good: true, ratedAt: T0 + 2 })).toBe('duplicate');
      expect(await store.rate({ questionId: q, userHash: 'h1', good: true, ratedAt: T0 + 3 })).toBe(
        'recorded',
      );
      expect(await store.rate({ ...bad, questionId: declined })).toBe('missing');
      expect(await store.rate({ ...bad, questionId: 999 })).toBe('missing');
      expect(await store.ratingsSince(0)).toEqual([
        bad,
        { questionId: q, userHash: 'h1', good: true, ratedAt: T0 + 3 },
      ]);
      expect(await store.ratingsSince(T0 + 2)).toHaveLength(1);
    });

    it('forgets one user: questions, ratings, quiz answers, scores, cards, review log', async () => {
      await answerTwoQuestions(store); // u1: two answers, one score row, one card
      await store.finishSession(1, 'stopped', T0 + 400, 'u1'); // alice's quiz, stopped by u1
      await store.createSession(
        session({ channelKey: 'test:c2', startedBy: 'u1', startedByName: 'Una' }),
        planned,
      );
      await store.saveReview({ ...card('u1', 'q1', T0 + DAY), reps: 1 }, 0, reviewLog);
      const mine = await store.logQuestion(logged('h1', T0));
      const theirs = await store.logQuestion(logged('h2', T0));
      await store.rate({ questionId: mine, userHash: 'h2', good: true, ratedAt: T0 });
      await store.rate({ questionId: theirs, userHash: 'h1', good: false, ratedAt: T0 });
      await store.rate({ questionId: theirs, userHash: 'h3', good: true, ratedAt: T0 });
      expect(await store.forgetUser('h1', 'u1')).toEqual({
        questions: 1,
        ratings: 2,
        quizAnswers: 2,
        scores: 1,
        reviewCards: 1,
        reviewLogs: 1,
        quizSessions: 2,
      });
      // the quizzes keep no trace of them: neither the one they stopped nor the one they started
      const [stopped, started] = [await store.getSession(1), await store.getSession(2)];
      expect(stopped).toMatchObject({ startedBy: 'test:alice', status: 'stopped' });
      expect(stopped?.endedBy).toBeUndefined();
      expect(started).toMatchObject({ startedBy: FORGOTTEN_USER_KEY, status: 'running' });
      expect(started?.startedByName).toBeUndefined();
      expect(await store.loggedQuestion(mine)).toBeUndefined();
      expect(await store.loggedQuestion(theirs)).toBeDefined();
      expect(await store.ratingsSince(0)).toEqual([
        { questionId: theirs, userHash: 'h3', good: true, ratedAt: T0 },
      ]);
      expect(await store.scoreboard(1)).toEqual([]);
      expect(await store.getCard('u1', 'q1')).toBeUndefined();
      expect(await store.topicStats('u1')).toEqual([]);
      // nothing left: a second request deletes nothing
      expect(Object.values(await store.forgetUser('h1', 'u1'))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    });

    it('prunes questions and ratings older than the cut-off', async () => {
      const old = await store.logQuestion(logged('h1', T0 - 31 * DAY));
      const recent = await store.logQuestion(logged('h1', T0 - DAY));
      await store.rate({ questionId: old, userHash: 'h2', good: true, ratedAt: T0 - 2 * DAY });
      await store.rate({ questionId: recent, userHash: 'h2', good: false, ratedAt: T0 - DAY });
      expect(await store.pruneLog(T0 - 30 * DAY)).toEqual({ questions: 1, ratings: 1 });
      expect((await store.questionsSince(0)).map((q) => q.id)).toEqual([recent]);
      expect(await store.ratingsSince(0)).toHaveLength(1);
      expect(await store.pruneLog(T0 - 30 * DAY)).toEqual({ questions: 0, ratings: 0 });
    });

    it('knows nothing of sessions, answers or cards that do not exist', async () => {
      expect(await store.getSession(42)).toBeUndefined();
      expect(await store.answer(42, 0, 'u1')).toBeUndefined();
      expect(await store.getCard('u1', 'nope')).toBeUndefined();
      expect(await store.scoreboard(42)).toEqual([]);
      expect(await store.finishSession(42, 'finished', T0)).toBe(false);
      expect(await store.openQuestion(42, 0, T0, T0 + 1)).toBe(false);
      expect(await store.recordAnswer({ ...answer(0, 'u1', T0), sessionId: 42 })).toBe('closed');
    });

    leaseContract(
      impl,
      () => store,
      () => tmp.dir,
    );
  });
}

/** The quiz-lease part of the contract (see `Store.renewLeases`, `claimExpired`, …). */
function leaseContract(impl: StoreImplementation, current: () => Store, dir: () => string): void {
  it('gives the creator a lease on the database clock; renewing extends its own only', async () => {
    const store = current();
    const before = await store.clock();
    const a = await store.createSession(session({ owner: 'A', leaseMs: 20_000 }), planned);
    const after = await store.clock();
    if (!a.ok) throw new Error('not created');
    expect(a.session.owner).toBe('A');
    expect(a.session.leaseUntil).toBeGreaterThanOrEqual(before + 20_000);
    expect(a.session.leaseUntil).toBeLessThanOrEqual(after + 20_000);
    await store.createSession(session({ channelKey: 'test:c2', owner: 'B' }), planned);
    await store.createSession(session({ channelKey: 'test:c3', owner: 'A' }), planned);
    await store.finishSession(3, 'finished', T0);
    await store.markPosted(3, { kind: 'end' }, T0); // its scoreboard posted: nothing owed
    const renewedAt = await store.clock();
    expect(await store.renewLeases('A', 90_000)).toEqual([1]);
    expect((await store.getSession(1))?.leaseUntil).toBeGreaterThanOrEqual(renewedAt + 90_000);
    expect((await store.getSession(2))?.leaseUntil).toBeLessThan(renewedAt + 90_000);
    expect(await store.renewLeases('nobody', 1000)).toEqual([]);
  });

  it('lets another instance claim a lease only once it has expired, with one winner', async () => {
    const store = current();
    await store.createSession(session({ owner: 'A', leaseMs: 60_000 }), planned);
    const short = await store.createSession(
      session({ channelKey: 'test:c2', owner: 'A', leaseMs: 1 }),
      planned,
    );
    if (!short.ok) throw new Error('not created');
    await clockPast(store, short.session.leaseUntil);
    const claimed = await store.claimExpired('B', 30_000, 10);
    expect(claimed.map((s) => [s.id, s.owner, s.status])).toEqual([[2, 'B', 'running']]);
    expect(claimed[0]?.leaseUntil).toBeGreaterThan(short.session.leaseUntil);
    expect(await store.claimExpired('C', 30_000, 10)).toEqual([]);
    // the old owner learns it lost the quiz: its renewal no longer includes it
    expect(await store.renewLeases('A', 60_000)).toEqual([1]);
    expect(await store.renewLeases('B', 60_000)).toEqual([2]);
    expect((await store.runningSessions('B')).map((s) => s.id)).toEqual([2]);
  });

  it('claims at most `limit`, never a finished quiz, and an owner its own late lease', async () => {
    const store = current();
    for (const c of ['test:c1', 'test:c2', 'test:c3']) {
      await store.createSession(session({ channelKey: c, owner: 'A', leaseMs: 1 }), planned);
    }
    await store.finishSession(2, 'stopped', T0);
    await store.markPosted(2, { kind: 'end' }, T0);
    await clockPast(store, (await store.getSession(3))?.leaseUntil ?? 0);
    expect((await store.claimExpired('A', 30_000, 1)).map((s) => [s.id, s.owner])).toEqual([
      [1, 'A'],
    ]);
    expect((await store.claimExpired('B', 30_000, 5)).map((s) => [s.id, s.owner])).toEqual([
      [3, 'B'],
    ]);
  });

  it('records each post once; an ended quiz whose scoreboard is owed keeps its lease and is claimable', async () => {
    const store = current();
    await store.createSession(session({ owner: 'A', leaseMs: 1 }), planned);
    expect(await store.markPosted(1, { kind: 'question', idx: 0 }, T0)).toBe(false); // not open
    await store.openQuestion(1, 0, T0, T0 + 30_000);
    expect(await store.markPosted(1, { kind: 'question', idx: 0 }, T0 + 5)).toBe(true);
    expect(await store.markPosted(1, { kind: 'question', idx: 0 }, T0 + 6)).toBe(false);
    expect(await store.markPosted(1, { kind: 'reveal', idx: 0 }, T0 + 7)).toBe(false); // not revealed
    await store.revealQuestion(1, 0, T0 + 10);
    expect(await store.getQuestion(1, 0)).toMatchObject({ postedAt: T0 + 5 });
    expect((await store.getQuestion(1, 0))?.revealPostedAt).toBeUndefined();
    expect(await store.markPosted(1, { kind: 'reveal', idx: 0 }, T0 + 11)).toBe(true);
    expect(await store.getQuestion(1, 0)).toMatchObject({ revealPostedAt: T0 + 11 });
    expect(await store.markPosted(1, { kind: 'end' }, T0 + 12)).toBe(false); // still running
    await store.finishSession(1, 'finished', T0 + 20);
    // the owner died before posting the scoreboard: renewed while it lives, then claimable
    expect(await store.renewLeases('A', 1)).toEqual([1]);
    await clockPast(store, (await store.getSession(1))?.leaseUntil ?? 0);
    const claimed = await store.claimExpired('B', 30_000, 5);
    expect(claimed.map((s) => [s.id, s.status, s.owner, s.endPostedAt])).toEqual([
      [1, 'finished', 'B', undefined],
    ]);
    expect(await store.markPosted(1, { kind: 'end' }, T0 + 30)).toBe(true);
    expect(await store.markPosted(1, { kind: 'end' }, T0 + 31)).toBe(false);
    expect(await store.renewLeases('B', 30_000)).toEqual([]); // nothing owed: not live
    expect(await store.releaseLeases('B')).toBe(0);
    expect(await store.markPosted(42, { kind: 'end' }, T0)).toBe(false);
  });

  it('hands an ended quiz to the instance that ends it, when asked, in the same statement', async () => {
    const store = current();
    await store.createSession(session({ owner: 'A', leaseMs: 60_000 }), planned);
    const before = await store.clock();
    expect(await store.finishSession(1, 'stopped', T0, 'u1', { name: 'B', leaseMs: 20_000 })).toBe(
      true,
    );
    const row = await store.getSession(1);
    expect(row).toMatchObject({ status: 'stopped', owner: 'B', endedBy: 'u1' });
    expect(row?.leaseUntil).toBeGreaterThanOrEqual(before + 20_000);
    expect(await store.renewLeases('A', 60_000)).toEqual([]); // the old owner drops it
    expect(await store.renewLeases('B', 60_000)).toEqual([1]); // its end is owed: B keeps it
    // a second end changes nothing, the owner neither
    expect(await store.finishSession(1, 'finished', T0, undefined, { name: 'C', leaseMs: 1 })).toBe(
      false,
    );
    expect((await store.getSession(1))?.owner).toBe('B');
    await store.createSession(session({ channelKey: 'test:c2', owner: 'A' }), planned);
    expect(await store.finishSession(2, 'finished', T0)).toBe(true);
    expect((await store.getSession(2))?.owner).toBe('A'); // no owner given: kept
    await expect(
      store.finishSession(2, 'stopped', T0, undefined, { name: '', leaseMs: 1 }),
    ).rejects.toThrow(/owner/);
  });

  it('claims only the platforms asked for: a Slack-only instance leaves a Discord quiz', async () => {
    const store = current();
    const on = (platform: 'discord' | 'slack', c: string) =>
      session({ channelKey: `${platform}:${c}`, platform, owner: 'A', leaseMs: 1 });
    await store.createSession(on('discord', 'd1'), planned);
    await store.createSession(on('slack', 's1'), planned);
    await store.createSession(on('slack', 's2'), planned);
    await clockPast(store, (await store.getSession(3))?.leaseUntil ?? 0);
    const slackOnly = await store.claimExpired('S', 30_000, 10, ['slack']);
    expect(slackOnly.map((s) => [s.id, s.platform, s.owner])).toEqual([
      [2, 'slack', 'S'],
      [3, 'slack', 'S'],
    ]);
    expect(await store.claimExpired('T', 30_000, 10, ['console'])).toEqual([]);
    expect(await store.claimExpired('E', 30_000, 10, [])).toEqual([]);
    expect(
      (await store.claimExpired('D', 30_000, 10, ['discord', 'slack'])).map((s) => s.id),
    ).toEqual([1]);
  });

  it('releases an owner’s leases so they can be claimed at once', async () => {
    const store = current();
    await store.createSession(session({ owner: 'A' }), planned);
    await store.createSession(session({ channelKey: 'test:c2', owner: 'B' }), planned);
    expect(await store.claimExpired('C', 30_000, 10)).toEqual([]);
    expect(await store.releaseLeases('A')).toBe(1);
    expect((await store.getSession(1))?.leaseUntil).toBe(0);
    expect((await store.claimExpired('C', 30_000, 10)).map((s) => [s.id, s.owner])).toEqual([
      [1, 'C'],
    ]);
    expect(await store.releaseLeases('A')).toBe(0);
  });

  it('rejects bad lease arguments with a message that says what was wrong', async () => {
    const store = current();
    await expect(store.createSession(session({ leaseMs: 0 }), planned)).rejects.toThrow(
      /lease must be a whole number of milliseconds/,
    );
    await expect(store.createSession(session({ owner: ' ' }), planned)).rejects.toThrow(
      /owner must be a non-empty/,
    );
    await expect(store.renewLeases('A', 1.5)).rejects.toThrow(/got 1.5/);
    await expect(store.renewLeases('A', Number.NaN)).rejects.toThrow(/got NaN/);
    await expect(store.claimExpired('A', 1000, 0)).rejects.toThrow(/claim limit/);
    await expect(store.claimExpired('', 1000, 1)).rejects.toThrow(/owner/);
    await expect(store.claimExpired('A', 86_400_001, 1)).rejects.toThrow(/from 1 to 86400000/);
    expect(await store.getSession(1)).toBeUndefined();
  });

  it.skipIf(!impl.connect)(
    'two connections racing for expired leases: one winner each',
    async () => {
      const store = current();
      const other = await impl.connect?.(dir());
      if (!other) throw new Error('no second connection');
      try {
        for (let i = 1; i <= 20; i++) {
          await store.createSession(
            session({ channelKey: `test:r${i}`, owner: 'A', leaseMs: 1 }),
            planned,
          );
        }
        await clockPast(store, (await store.getSession(20))?.leaseUntil ?? 0);
        const claims = await Promise.all([
          store.claimExpired('B', 30_000, 7),
          other.claimExpired('C', 30_000, 7),
          store.claimExpired('D', 30_000, 7),
          other.claimExpired('E', 30_000, 7),
        ]);
        const ids = claims.flatMap((rows) => rows.map((s) => s.id));
        expect(ids).toHaveLength(20);
        expect(new Set(ids).size).toBe(20);
        const owners = new Map((await other.runningSessions()).map((s) => [s.id, s.owner]));
        claims.forEach((rows, i) => {
          for (const s of rows) expect(owners.get(s.id)).toBe('BCDE'[i]);
        });
      } finally {
        await other.close();
      }
    },
  );
}
