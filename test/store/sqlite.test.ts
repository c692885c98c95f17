import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CardRow,
  MIGRATIONS,
  type NewSession,
  SCHEMA_VERSION,
  SqliteStore,
  StoreError,
} from '../../src/store/index.js';
import { tempDir } from '../quiz/helpers.js';

const T0 = Date.UTC(2025, 0, 6, 9);

function session(extra: Partial<NewSession> = {}): NewSession {
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

const planned = [
  { questionId: 'q1', topic: 5 },
  { questionId: 'q2', topic: 5 },
];

function answer(idx: number, user: string, at: number, correct = true) {
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

function card(user: string, id: string, due: number): CardRow {
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

describe('SqliteStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let store: SqliteStore;
  beforeEach(() => {
    tmp = tempDir('llm-tutor-store-');
    path = join(tmp.dir, 'nested', 'folder', 't.db');
    store = new SqliteStore(path);
  });
  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('creates the folder, uses WAL with synchronous=FULL and applies every migration', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    const tables = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'quiz_answers',
        'quiz_questions',
        'quiz_scores',
        'quiz_sessions',
        'review_cards',
        'review_log',
      ]),
    );
  });

  it('reopening keeps the data and does not re-run migrations', async () => {
    const r = await store.createSession(session(), planned);
    expect(r.ok).toBe(true);
    await store.close();
    store = new SqliteStore(path);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect((await store.getSession(1))?.status).toBe('running');
  });

  it('upgrades an older database step by step and refuses a newer one', async () => {
    await store.close();
    const p2 = join(tmp.dir, 'old.db');
    const extra = {
      version: 2,
      name: 'test column',
      sql: 'ALTER TABLE quiz_sessions ADD note TEXT',
    };
    const old = new SqliteStore(p2, { migrations: MIGRATIONS });
    await old.close();
    const upgraded = new SqliteStore(p2, { migrations: [...MIGRATIONS, extra] });
    expect(upgraded.schemaVersion).toBe(2);
    const cols = upgraded.db.prepare('PRAGMA table_info(quiz_sessions)').all() as {
      name: string;
    }[];
    expect(cols.map((c) => c.name)).toContain('note');
    await upgraded.close();
    expect(() => new SqliteStore(p2)).toThrow(StoreError);
    expect(() => new SqliteStore(p2)).toThrow(/newer than this program/);
    store = new SqliteStore(path);
  });

  it('allows one running quiz per channel (a unique index decides)', async () => {
    const a = await store.createSession(session(), planned);
    const b = await store.createSession(session({ startedBy: 'test:bob' }), planned);
    expect(a.ok).toBe(true);
    expect(b).toMatchObject({ ok: false, running: { id: 1, startedBy: 'test:alice' } });
    // another channel is fine; the same channel again after the first ends
    expect((await store.createSession(session({ channelKey: 'test:c2' }), planned)).ok).toBe(true);
    expect(await store.finishSession(1, 'finished', T0 + 1)).toBe(true);
    expect(await store.finishSession(1, 'finished', T0 + 2)).toBe(false);
    expect((await store.createSession(session(), planned)).ok).toBe(true);
    // straight SQL cannot get around it either
    expect(() =>
      store.db
        .prepare(
          "UPDATE quiz_sessions SET status = 'running' WHERE channel_key = 'test:c1' AND status = 'finished'",
        )
        .run(),
    ).toThrow(/UNIQUE/);
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
    // the primary key rejects a duplicate even from plain SQL
    expect(() =>
      store.db
        .prepare("INSERT INTO quiz_answers VALUES (1, 0, 'u1', NULL, 'B', 0, 0, 5, ?)")
        .run(T0 + 5),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
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

  it('keeps scores equal to the sum of answers and rolls back a failed answer entirely', async () => {
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
    const [score] = await store.scoreboard(1);
    const sum = store.db
      .prepare('SELECT SUM(points) AS p, COUNT(*) AS n FROM quiz_answers WHERE user_key = ?')
      .get('u1') as { p: number; n: number };
    expect(score).toMatchObject({ points: 221, answered: 2, correct: 2 });
    expect(sum).toEqual({ p: 221, n: 2 });
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
    const log = {
      userKey: 'u1',
      questionId: 'q1',
      topic: 5,
      answer: 'A',
      correct: true,
      rating: 3,
      reviewedAt: T0,
    };
    expect(await store.saveReview(graded, 0, log)).toBe(true);
    expect(await store.saveReview(graded, 0, log)).toBe(false);
    const n = store.db.prepare('SELECT COUNT(*) FROM review_log').pluck().get();
    expect(n).toBe(1);
    expect(await store.cardCounts('u1', T0)).toEqual({
      due: 0,
      total: 1,
      nextDue: T0 + 86_400_000,
    });
    expect(await store.topicStats('u1')).toEqual([{ topic: 5, answered: 1, correct: 1 }]);
  });

  it('survives another connection reading while it writes (WAL)', async () => {
    await store.createSession(session(), planned);
    const reader = new Database(path, { readonly: true });
    try {
      const read = reader.prepare('SELECT COUNT(*) FROM quiz_sessions').pluck();
      expect(read.get()).toBe(1);
      await store.createSession(session({ channelKey: 'test:c9' }), planned);
      expect(read.get()).toBe(2);
    } finally {
      reader.close();
    }
  });

  it('opens an in-memory database too', async () => {
    const mem = new SqliteStore(':memory:');
    expect(mem.schemaVersion).toBe(SCHEMA_VERSION);
    expect((await mem.createSession(session(), planned)).ok).toBe(true);
    await mem.close();
    await mem.close(); // idempotent
    expect(mem.isOpen).toBe(false);
  });
});
