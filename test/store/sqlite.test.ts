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
import { answer, answerTwoQuestions, card, planned, reviewLog, session, T0 } from './contract.js';

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
