/**
 * The `Store` contract: what every implementation must do, checked through the interface
 * only. `contract.test.ts` runs it against each implementation in its list; a new store
 * (PostgreSQL) plugs in by adding one line there. What a particular database does beyond the
 * contract (SQLite's pragmas, migrations, raw SQL) is tested in that store's own file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardRow, NewSession, Store } from '../../src/store/index.js';
import { tempDir } from '../quiz/helpers.js';

export interface StoreImplementation {
  name: string;
  /** A new, empty store; `dir` is a fresh temporary folder it may use. */
  open(dir: string): Store | Promise<Store>;
}

export const T0 = Date.UTC(2025, 0, 6, 9);

export function session(extra: Partial<NewSession> = {}): NewSession {
  return {
    channelKey: 'test:c1',
    platform: 'test',
    channelId: 'c1',
    isDM: false,
    owner: 'main',
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

/** Every `it` of the contract, run against one implementation. */
export function storeContract(impl: StoreImplementation): void {
  describe(`Store contract: ${impl.name}`, () => {
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

    it('knows nothing of sessions, answers or cards that do not exist', async () => {
      expect(await store.getSession(42)).toBeUndefined();
      expect(await store.answer(42, 0, 'u1')).toBeUndefined();
      expect(await store.getCard('u1', 'nope')).toBeUndefined();
      expect(await store.scoreboard(42)).toEqual([]);
      expect(await store.finishSession(42, 'finished', T0)).toBe(false);
      expect(await store.openQuestion(42, 0, T0, T0 + 1)).toBe(false);
      expect(await store.recordAnswer({ ...answer(0, 'u1', T0), sessionId: 42 })).toBe('closed');
    });
  });
}
