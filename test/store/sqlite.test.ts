import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  migrate,
  SCHEMA_VERSION,
  SqliteStore,
  StoreError,
} from '../../src/store/index.js';
import { tempDir } from '../quiz/helpers.js';
import {
  answer,
  answerTwoQuestions,
  card,
  logged,
  planned,
  reviewLog,
  session,
  T0,
} from './contract.js';

/** What SQLite does beyond the `Store` contract (`contract.test.ts`): its file, pragmas, migrations, and rules the database itself enforces. */
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
        'answer_ratings',
        'install_meta',
        'question_log',
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

  it('upgrading to leases makes a quiz that was running claimable at once', async () => {
    await store.close();
    const p2 = join(tmp.dir, 'v1.db');
    const v1 = new Database(p2);
    migrate(v1, MIGRATIONS.slice(0, 1));
    v1.prepare(
      `INSERT INTO quiz_sessions (channel_key, platform, channel_id, is_dm, owner, started_by,
          lang, question_count, seconds, started_at) VALUES ('test:c1', 'test', 'c1', 0, 'main',
          'test:alice', 'en', 1, 30, 1)`,
    ).run();
    v1.close();
    const v2 = new SqliteStore(p2);
    try {
      expect((await v2.getSession(1))?.leaseUntil).toBe(0);
      expect((await v2.claimExpired('new', 15_000, 5)).map((r) => [r.id, r.owner])).toEqual([
        [1, 'new'],
      ]);
    } finally {
      await v2.close();
    }
    store = new SqliteStore(path);
  });

  it('upgrading a database with leases and event claims (3) adds the question log (4) and post marks (5)', async () => {
    await store.close();
    const p3 = join(tmp.dir, 'v3.db');
    const v3 = new Database(p3);
    migrate(v3, MIGRATIONS.slice(0, 3));
    expect(v3.pragma('user_version', { simple: true })).toBe(3);
    // a quiz that ran before post marks existed: its posts count as made
    v3.prepare(
      `INSERT INTO quiz_sessions (channel_key, platform, channel_id, is_dm, owner, lease_until,
        started_by, lang, question_count, seconds, started_at, status, current_index, ended_at,
        ended_by) VALUES ('test:c1', 'test', 'c1', 0, 'A', 1, 'u1', 'en', 2, 30, ?, 'stopped', 0,
        ?, 'u1')`,
    ).run(T0, T0 + 2);
    v3.prepare(
      `INSERT INTO quiz_questions (session_id, idx, question_id, topic, opened_at, closes_at,
        revealed_at) VALUES (1, 0, 'q1', 5, ?, ?, ?), (1, 1, 'q2', 5, NULL, NULL, NULL)`,
    ).run(T0, T0 + 30_000, T0 + 1);
    v3.close();
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    const v4 = new SqliteStore(p3, { clock: () => T0 + 60_000 });
    try {
      expect(v4.schemaVersion).toBe(5);
      expect(await v4.getSession(1)).toMatchObject({ status: 'stopped', endPostedAt: T0 + 2 });
      expect(await v4.getQuestion(1, 0)).toMatchObject({ postedAt: T0, revealPostedAt: T0 + 1 });
      expect(await v4.claimExpired('B', 1000, 5)).toEqual([]); // nothing owed
      expect(await v4.claimEvent('slack:Ev1', 1, 1000)).toBe(true);
      const id = await v4.logQuestion(logged('h1', 1));
      expect(await v4.rate({ questionId: id, userHash: 'h2', good: true, ratedAt: 2 })).toBe(
        'recorded',
      );
    } finally {
      await v4.close();
    }
    store = new SqliteStore(path);
  });

  it('keeps lease times on the clock it is given (a SQLite file has one host clock)', async () => {
    await store.close();
    let now = 1_000_000;
    store = new SqliteStore(path, { clock: () => now });
    await store.createSession(session({ owner: 'A', leaseMs: 500 }), planned);
    expect((await store.getSession(1))?.leaseUntil).toBe(1_000_500);
    expect(await store.clock()).toBe(1_000_000);
    now = 1_000_499;
    expect(await store.claimExpired('B', 500, 1)).toEqual([]);
    now = 1_000_500; // held while clock() < leaseUntil
    expect((await store.claimExpired('B', 500, 1))[0]).toMatchObject({
      owner: 'B',
      leaseUntil: 1_001_000,
    });
  });

  it('upgrades an older database step by step and refuses a newer one', async () => {
    await store.close();
    const p2 = join(tmp.dir, 'old.db');
    const extra = {
      version: SCHEMA_VERSION + 1,
      name: 'test column',
      sql: 'ALTER TABLE quiz_sessions ADD note TEXT',
    };
    // a database of the first release: only migration 1 applied
    const old = new Database(p2);
    migrate(old, MIGRATIONS.slice(0, 1));
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.close();
    const upgraded = new SqliteStore(p2, { migrations: [...MIGRATIONS, extra] });
    expect(upgraded.schemaVersion).toBe(SCHEMA_VERSION + 1);
    const cols = upgraded.db.prepare('PRAGMA table_info(quiz_sessions)').all() as {
      name: string;
    }[];
    expect(cols.map((c) => c.name)).toContain('note');
    await upgraded.close();
    expect(() => new SqliteStore(p2)).toThrow(StoreError);
    expect(() => new SqliteStore(p2)).toThrow(/newer than this program/);
    store = new SqliteStore(path);
  });

  it('one running quiz per channel: a unique index decides, straight SQL cannot get around it', async () => {
    await store.createSession(session(), planned);
    expect(await store.finishSession(1, 'finished', T0 + 1)).toBe(true);
    expect((await store.createSession(session(), planned)).ok).toBe(true);
    expect(() =>
      store.db
        .prepare(
          "UPDATE quiz_sessions SET status = 'running' WHERE channel_key = 'test:c1' AND status = 'finished'",
        )
        .run(),
    ).toThrow(/UNIQUE/);
  });

  it('one answer per person: the primary key rejects a duplicate even from plain SQL', async () => {
    await store.createSession(session(), planned);
    expect(await store.openQuestion(1, 0, T0, T0 + 30_000)).toBe(true);
    expect(await store.recordAnswer(answer(0, 'u1', T0 + 1000))).toBe('recorded');
    expect(() =>
      store.db
        .prepare("INSERT INTO quiz_answers VALUES (1, 0, 'u1', NULL, 'B', 0, 0, 5, ?)")
        .run(T0 + 5),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('keeps scores equal to the sum of answers and rolls back a failed answer entirely', async () => {
    await answerTwoQuestions(store);
    const [score] = await store.scoreboard(1);
    const sum = store.db
      .prepare('SELECT SUM(points) AS p, COUNT(*) AS n FROM quiz_answers WHERE user_key = ?')
      .get('u1') as { p: number; n: number };
    expect(score).toMatchObject({ points: 221, answered: 2, correct: 2 });
    expect(sum).toEqual({ p: 221, n: 2 });
  });

  it('a review graded twice is logged once', async () => {
    await store.addCard(card('u1', 'q1', T0));
    const graded = { ...card('u1', 'q1', T0 + 86_400_000), reps: 1 };
    expect(await store.saveReview(graded, 0, reviewLog)).toBe(true);
    expect(await store.saveReview(graded, 0, reviewLog)).toBe(false);
    const n = store.db.prepare('SELECT COUNT(*) FROM review_log').pluck().get();
    expect(n).toBe(1);
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
