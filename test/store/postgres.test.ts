/**
 * What the PostgreSQL store does beyond the `Store` contract (`contract.test.ts`): versioned
 * migrations under an advisory lock (several instances opening an empty database at once),
 * only the owner's rights, numbers read back as numbers, rules the database enforces against
 * straight SQL and racing instances, and a clear message — never the password — when it
 * cannot be opened. Runs on the throw-away cluster of `test/setup/postgres.ts`.
 */
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATION_LOCK, openPgStore, type PgStore } from '../../src/store/postgres.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../src/store/postgres-sql.js';
import { StoreError } from '../../src/store/types.js';
import { freshDatabase, pgServer, pgUrl } from '../setup/pg-db.js';
import { answer, card, planned, session, T0 } from './contract.js';

const tables = async (store: PgStore) =>
  (
    await store.pool.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
  ).rows.map((r) => r.tablename as string);

/** The error `openPgStore(url)` fails with (it must fail). */
async function openError(url: string): Promise<StoreError> {
  const err = await openPgStore(url, { connectTimeoutMs: 5000 }).then(
    (s) => s.close().then(() => new Error('opened')),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe.skipIf(!pgServer)('PgStore', () => {
  const opened: PgStore[] = [];
  const open = async (url: string, migrations = PG_MIGRATIONS) => {
    const store = await openPgStore(url, { migrations });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('applies every migration as the owner, a role that is not a superuser', async () => {
    const store = await open(await freshDatabase());
    expect(await store.schemaVersion()).toBe(PG_SCHEMA_VERSION);
    expect(await tables(store)).toEqual([
      'answer_ratings',
      'event_claims',
      'install_meta',
      'question_log',
      'quiz_answers',
      'quiz_questions',
      'quiz_scores',
      'quiz_sessions',
      'review_cards',
      'review_log',
      'schema_migrations',
    ]);
    const role = await store.pool.query(
      'SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user',
    );
    expect(role.rows[0]).toEqual({ rolsuper: false, rolcreatedb: false });
  });

  it('four instances opening an empty database at once migrate it once', async () => {
    const url = await freshDatabase();
    const stores = await Promise.all([1, 2, 3, 4].map(() => open(url)));
    const rows = await stores[0]!.pool.query('SELECT version FROM schema_migrations ORDER BY 1');
    expect(rows.rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    // all four work on the same tables
    const created = await Promise.all(stores.map((s) => s.createSession(session(), planned)));
    expect(created.filter((c) => c.ok)).toHaveLength(1);
    // the migration lock is free again
    const lock = await stores[1]!.pool.query('SELECT pg_try_advisory_lock($1) AS got', [
      MIGRATION_LOCK,
    ]);
    expect(lock.rows[0].got).toBe(true);
  });

  it('upgrades step by step, does not re-run migrations, and refuses a newer database', async () => {
    const url = await freshDatabase();
    const first = await open(url, PG_MIGRATIONS.slice(0, -1));
    expect(await first.schemaVersion()).toBe(PG_SCHEMA_VERSION - 1);
    expect(await tables(first)).toEqual(expect.arrayContaining(['event_claims', 'question_log']));
    // a quiz that ran before post marks existed: its posts count as made
    await first.createSession(session({ leaseMs: 1 }), planned);
    await first.openQuestion(1, 0, T0, T0 + 30_000);
    await first.revealQuestion(1, 0, T0 + 1);
    await first.finishSession(1, 'finished', T0 + 2);
    await first.createSession(session({ channelKey: 'test:c2' }), planned);
    const extra = {
      version: PG_SCHEMA_VERSION + 1,
      name: 'test column',
      sql: 'ALTER TABLE quiz_sessions ADD note TEXT',
    };
    const upgraded = await open(url, [...PG_MIGRATIONS, extra]);
    expect(await upgraded.schemaVersion()).toBe(PG_SCHEMA_VERSION + 1);
    expect(await upgraded.getSession(1)).toMatchObject({ status: 'finished', endPostedAt: T0 + 2 });
    expect(await upgraded.getQuestion(1, 0)).toMatchObject({
      postedAt: T0,
      revealPostedAt: T0 + 1,
    });
    expect((await upgraded.getSession(2))?.status).toBe('running');
    expect((await upgraded.getSession(2))?.endPostedAt).toBeUndefined();
    expect(await upgraded.claimExpired('B', 1000, 5)).toEqual([]); // nothing owed
    const err = await openError(url);
    expect(err.message).toMatch(/newer than this program knows/);
  });

  it('reads times beyond 32 bits and fractional card state back exactly', async () => {
    const store = await open(await freshDatabase());
    const late = Date.UTC(2200, 0, 1);
    const c = { ...card('u1', 'q1', late), stability: Math.PI, difficulty: 1e-9 };
    await store.addCard(c);
    expect(await store.getCard('u1', 'q1')).toEqual(c);
    await store.createSession(session({ startedAt: late }), planned);
    expect((await store.getSession(1))?.startedAt).toBe(late);
  });

  it('straight SQL cannot get around the rules (unique indexes, checks)', async () => {
    const store = await open(await freshDatabase());
    await store.createSession(session(), planned);
    await expect(
      store.pool.query(
        `INSERT INTO quiz_sessions (channel_key, platform, channel_id, is_dm, owner, started_by,
          lang, question_count, seconds, started_at) VALUES ('test:c1', 'test', 'c1', 0, 'x', 'y',
          'en', 1, 30, 0)`,
      ),
    ).rejects.toThrow(/quiz_sessions_one_running/);
    await store.openQuestion(1, 0, T0, T0 + 30_000);
    expect(await store.recordAnswer(answer(0, 'u1', T0 + 10))).toBe('recorded');
    await expect(
      store.pool.query(
        `INSERT INTO quiz_answers (session_id, idx, user_key, answer, correct, points, elapsed_ms,
          answered_at) VALUES (1, 0, 'u1', 'B', 0, 0, 1, 1)`,
      ),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      store.pool.query("UPDATE quiz_sessions SET lang = 'fr' WHERE id = 1"),
    ).rejects.toThrow(/check constraint/);
  });

  it('answers racing a reveal from two instances: each counts once, none after the reveal', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([open(url), open(url)]);
    await a.createSession(session(), planned);
    await a.openQuestion(1, 0, T0, T0 + 30_000);
    const users = Array.from({ length: 40 }, (_, i) => `u${i}`);
    const outcomes = await Promise.all([
      ...users.map((u, i) => (i % 2 ? a : b).recordAnswer(answer(0, u, T0 + 100 + i))),
      // every user answers a second time through the other instance
      ...users.map((u, i) => (i % 2 ? b : a).recordAnswer(answer(0, u, T0 + 200 + i))),
      b.revealQuestion(1, 0, T0 + 150).then((won) => (won ? 'revealed' : 'lost')),
    ]);
    const recorded = outcomes.filter((o) => o === 'recorded').length;
    expect(outcomes.filter((o) => o === 'revealed')).toHaveLength(1);
    const stored = await a.answers(1, 0);
    expect(stored).toHaveLength(recorded);
    expect(new Set(stored.map((s) => s.userKey)).size).toBe(recorded);
    const board = await b.scoreboard(1);
    expect(board.reduce((n, s) => n + s.answered, 0)).toBe(recorded);
    // after the reveal has committed, nothing more is taken
    expect(await a.recordAnswer(answer(0, 'late', T0 + 300))).toBe('closed');
  });

  it('deletes expired event claims (at most once a minute per instance)', async () => {
    const store = await open(await freshDatabase());
    const count = async () =>
      Number((await store.pool.query('SELECT COUNT(*) AS n FROM event_claims')).rows[0].n);
    for (let i = 0; i < 5; i++) await store.claimEvent(`slack:Ev${i}`, T0, 1000);
    expect(await count()).toBe(5);
    await store.claimEvent('slack:new', T0 + 30_000, 1000); // no sweep yet
    expect(await count()).toBe(6);
    await store.claimEvent('slack:newer', T0 + 60_000, 1000);
    expect(await count()).toBe(1);
  });
});

describe.skipIf(!pgServer)('openPgStore: a database it cannot use is explained', () => {
  const s = pgServer!;
  let url: string;
  beforeAll(async () => {
    url = await freshDatabase();
  });

  it('a server that is not there: says where, and that it must be started', async () => {
    const err = await openError(`postgres://${s.role}:s3cret-pw@127.0.0.1:1/${'db'}`);
    expect(err.message).toMatch(/127\.0\.0\.1:1 refused the connection: start it/);
    expect(err.message).not.toContain('s3cret-pw');
  });

  it('a wrong password: names the user, never the password', async () => {
    const name = new URL(url).pathname.slice(1);
    const err = await openError(pgUrl(s, name, 'wrong-Passw0rd'));
    expect(err.message).toMatch(new RegExp(`refused user "${s.role}".*fix the user and password`));
    expect(err.message).not.toContain('wrong-Passw0rd');
    expect(err.message).not.toContain(s.password);
  });

  it('a database that does not exist: says how to create it', async () => {
    const err = await openError(pgUrl(s, 'no_such_db'));
    expect(err.message).toMatch(/database "no_such_db" does not exist.*createdb -O/);
    expect(err.message).not.toContain(s.password);
  });

  it('a role that may not create tables: says to make it the owner', async () => {
    const admin = new pg.Client({
      host: s.socketDir,
      port: s.port,
      user: s.superuser,
      database: 'postgres',
    });
    await admin.connect();
    const name = `t_${process.pid}_noowner`;
    await admin.query(`CREATE DATABASE ${name}`); // owned by the superuser
    await admin.end();
    const err = await openError(pgUrl(s, name));
    expect(err.message).toMatch(/may not create tables.*ALTER DATABASE .* OWNER TO/);
  });

  it('a malformed URL or one without a database: says what to write', async () => {
    for (const bad of [
      'postgres://u:pw@host:port/db',
      'postgres://u:pw@[bad/db',
      'postgres://u:pw@h',
    ]) {
      const err = await openError(bad);
      expect(err.message).toMatch(/postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/);
      expect(err.message).not.toContain('pw');
    }
  });
});
