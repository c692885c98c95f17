/**
 * The PostgreSQL store (node-postgres, a `Pool`): the same tables and rules as the SQLite
 * store, shared by every instance of the bot. `openPgStore(url)` connects with the URL's
 * credentials and applies the versioned migrations (`postgres-sql.ts`) under an advisory lock,
 * so several instances starting at once on an empty database are safe; it needs only the
 * rights of the database's owner (no superuser, no extension).
 *
 * The database keeps the rules, as in SQLite: unique indexes (one running quiz per channel,
 * one answer per user and question, one claim per event), conditional updates that succeed for
 * one caller, and an answer recorded only while its question is open — the question and its
 * session are locked `FOR SHARE` inside the answer's transaction, so a reveal or a finish waits
 * for it, and an answer that waited for a reveal finds the question closed.
 *
 * Durability: a method resolves after its transaction has committed (PostgreSQL's
 * `synchronous_commit` default flushes the WAL first), so an acknowledged answer survives a
 * crash of the bot and of the database server.
 */
import pg from 'pg';
import { type PgTarget, parsePgUrl } from './db-url.js';
import type { Migration } from './migrations.js';
import {
  bind,
  PG_MIGRATIONS,
  PG_SCHEMA_VERSION,
  type PgStatement,
  type PgValue,
} from './postgres-sql.js';
import {
  answerOf,
  answerParams,
  cardOf,
  cardParams,
  isConstraint,
  loggedOf,
  loggedParams,
  num,
  optNum,
  type Params,
  questionOf,
  RollBack,
  type Row,
  ratingOf,
  ratingParams,
  scoreOf,
  sessionOf,
} from './sqlite.js';
import {
  type AnswerRow,
  type AskedCount,
  type CardRow,
  checkClaim,
  checkLease,
  claimSweepDue,
  FORGOTTEN_USER_KEY,
  type ForgetCounts,
  type LeaderRow,
  type LoggedQuestion,
  type NewAnswer,
  type NewLoggedQuestion,
  type NewRating,
  type NewSession,
  type PlannedQuestion,
  type Platform,
  type PruneCounts,
  type QuestionRow,
  type QuizPost,
  type RateOutcome,
  type RatingRow,
  type RecordOutcome,
  type ReviewLogRow,
  type ScoreRow,
  type SessionRow,
  type SessionStatus,
  type Store,
  StoreError,
  type TopicStatRow,
} from './types.js';

export interface PgStoreOptions {
  /** Migrations to apply (tests use this to check upgrades); default: all of them. */
  migrations?: readonly Migration[];
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Give up connecting after this many ms (default 10,000). */
  connectTimeoutMs?: number;
  /** An idle connection failed (e.g. the server restarted); default: one line on stderr. */
  onError?: (err: Error) => void;
}

type Query = (name: PgStatement, params?: Record<string, PgValue>) => Promise<pg.QueryResult<Row>>;

/** The advisory lock key that serializes migrations (per database): "llm-tutor" in ASCII. */
export const MIGRATION_LOCK = 0x6c6c6d2d7475;

/** Transactions that lost a deadlock or a serialization race are run again (this often). */
const TX_ATTEMPTS = 3;

export class PgStore implements Store {
  private closed = false;
  /** When expired event claims were last deleted by this process (ms). */
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly pool: pg.Pool,
    readonly target: PgTarget,
  ) {}

  static get latestSchemaVersion(): number {
    return PG_SCHEMA_VERSION;
  }

  /** The schema version of the database (the newest row of `schema_migrations`). */
  async schemaVersion(): Promise<number> {
    const r = await this.pool.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
    return num(r.rows[0]?.v);
  }

  private readonly query: Query = (name, params) => this.pool.query<Row>(bind(name, params));

  private async rows(name: PgStatement, params?: Record<string, PgValue>): Promise<Row[]> {
    return (await this.query(name, params)).rows;
  }

  private async changed(name: PgStatement, params: Record<string, PgValue>): Promise<boolean> {
    return ((await this.query(name, params)).rowCount ?? 0) > 0;
  }

  /** Run `fn` in a transaction on one connection; a deadlock or serialization failure retries. */
  private async tx<T>(fn: (query: Query) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const value = await fn((name, params) => client.query<Row>(bind(name, params)));
        await client.query('COMMIT');
        return value;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error; // the connection is gone: do not reuse it
        }
        const retry = isConstraint(err, '40P01') || isConstraint(err, '40001');
        if (!retry || attempt >= TX_ATTEMPTS) throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  async createSession(
    session: NewSession,
    questions: readonly PlannedQuestion[],
  ): Promise<{ ok: true; session: SessionRow } | { ok: false; running?: SessionRow }> {
    if (questions.length === 0) throw new StoreError('a quiz needs at least one question');
    checkLease(session.owner, session.leaseMs);
    // the common refusal without spending an id; the unique index decides races
    const running = await this.runningSession(session.channelKey);
    if (running) return { ok: false, running };
    try {
      const row = await this.tx(async (query) => {
        const created = (await query('insertSession', newSessionParams(session, questions.length)))
          .rows[0] as Row;
        await query('insertQuestions', {
          session_id: num(created.id),
          question_ids: questions.map((q) => q.questionId),
          topics: questions.map((q) => q.topic),
        });
        return created;
      });
      return { ok: true, session: sessionOf(row) };
    } catch (err) {
      if (!isConstraint(err, '23505')) throw err;
      const winner = await this.runningSession(session.channelKey);
      return winner ? { ok: false, running: winner } : { ok: false };
    }
  }

  async getSession(id: number): Promise<SessionRow | undefined> {
    const [r] = await this.rows('getSession', { id });
    return r ? sessionOf(r) : undefined;
  }

  async runningSession(channelKey: string): Promise<SessionRow | undefined> {
    const [r] = await this.rows('runningSession', { key: channelKey });
    return r ? sessionOf(r) : undefined;
  }

  async runningSessions(owner?: string): Promise<SessionRow[]> {
    const rows =
      owner === undefined
        ? await this.rows('runningAll')
        : await this.rows('runningOwned', { owner });
    return rows.map(sessionOf);
  }

  async clock(): Promise<number> {
    const [r] = await this.rows('clock');
    return num(r?.now);
  }

  async renewLeases(owner: string, leaseMs: number): Promise<number[]> {
    checkLease(owner, leaseMs);
    const rows = await this.rows('renewLeases', { owner, lease_ms: leaseMs });
    return rows.map((r) => num(r.id)).sort((a, b) => a - b);
  }

  async claimExpired(
    owner: string,
    leaseMs: number,
    limit: number,
    platforms?: readonly Platform[],
  ): Promise<SessionRow[]> {
    checkLease(owner, leaseMs, limit);
    const rows = await this.rows('claimExpired', {
      owner,
      lease_ms: leaseMs,
      limit,
      platforms: platforms ?? null,
    });
    return rows.map(sessionOf).sort((a, b) => a.id - b.id);
  }

  async releaseLeases(owner: string): Promise<number> {
    return (await this.query('releaseLeases', { owner })).rowCount ?? 0;
  }

  async openQuestion(
    sessionId: number,
    idx: number,
    openedAt: number,
    closesAt: number,
  ): Promise<boolean> {
    const p = { session_id: sessionId, idx, opened_at: openedAt, closes_at: closesAt };
    try {
      return await this.tx(async (query) => {
        if (((await query('setCurrent', p)).rowCount ?? 0) === 0) return false;
        // opened already (or no such question): undo the current-index change
        if (((await query('openQuestion', p)).rowCount ?? 0) === 0) throw new RollBack();
        return true;
      });
    } catch (err) {
      if (err instanceof RollBack) return false;
      throw err;
    }
  }

  async getQuestion(sessionId: number, idx: number): Promise<QuestionRow | undefined> {
    const [r] = await this.rows('getQuestion', { session_id: sessionId, idx });
    return r ? questionOf(r) : undefined;
  }

  async questions(sessionId: number): Promise<QuestionRow[]> {
    return (await this.rows('questions', { session_id: sessionId })).map(questionOf);
  }

  async recordAnswer(answer: NewAnswer, reviewCard?: CardRow): Promise<RecordOutcome> {
    const p = answerParams(answer);
    return this.tx(async (query): Promise<RecordOutcome> => {
      if (((await query('lockOpenQuestion', p)).rowCount ?? 0) === 0) return 'closed';
      if (((await query('insertAnswer', p)).rowCount ?? 0) === 0) return 'duplicate';
      await query('addScore', p);
      if (reviewCard) await query('addCard', cardParams(reviewCard));
      return 'recorded';
    });
  }

  async answer(sessionId: number, idx: number, userKey: string): Promise<AnswerRow | undefined> {
    const [r] = await this.rows('getAnswer', { session_id: sessionId, idx, user_key: userKey });
    return r ? answerOf(r) : undefined;
  }

  async answers(sessionId: number, idx: number): Promise<AnswerRow[]> {
    return (await this.rows('answers', { session_id: sessionId, idx })).map(answerOf);
  }

  async players(sessionId: number, beforeIdx: number): Promise<string[]> {
    const rows = await this.rows('players', { session_id: sessionId, idx: beforeIdx });
    return rows.map((r) => String(r.user_key));
  }

  async revealQuestion(sessionId: number, idx: number, at: number): Promise<boolean> {
    return this.changed('reveal', { session_id: sessionId, idx, at });
  }

  async markPosted(sessionId: number, post: QuizPost, at: number): Promise<boolean> {
    if (post.kind === 'end') return this.changed('markEndPosted', { session_id: sessionId, at });
    const name = post.kind === 'question' ? 'markQuestionPosted' : 'markRevealPosted';
    return this.changed(name, { session_id: sessionId, idx: post.idx, at });
  }

  async finishSession(
    sessionId: number,
    status: Exclude<SessionStatus, 'running'>,
    at: number,
    by?: string,
    owner?: { name: string; leaseMs: number },
  ): Promise<boolean> {
    if (owner) checkLease(owner.name, owner.leaseMs);
    return this.changed('finish', {
      session_id: sessionId,
      status,
      at,
      by: by ?? null,
      owner: owner?.name ?? null,
      lease_ms: owner?.leaseMs ?? 0,
    });
  }

  async scoreboard(sessionId: number): Promise<ScoreRow[]> {
    return (await this.rows('scoreboard', { session_id: sessionId })).map(scoreOf);
  }

  async leaderboard(channelKey: string, since: number, limit: number): Promise<LeaderRow[]> {
    const rows = await this.rows('leaderboard', { key: channelKey, since, limit });
    return rows.map((r) => ({ ...scoreOf(r), quizzes: num(r.quizzes) }));
  }

  async topicStats(userKey: string): Promise<TopicStatRow[]> {
    return (await this.rows('topicStats', { user_key: userKey })).map((r) => ({
      topic: num(r.topic),
      answered: num(r.answered),
      correct: num(r.correct),
    }));
  }

  async askedCounts(channelKey: string, questionIds: readonly string[]): Promise<AskedCount[]> {
    if (questionIds.length === 0) return [];
    const rows = await this.rows('askedCounts', { key: channelKey, ids: questionIds });
    return rows.map((r) => ({ questionId: String(r.question_id), times: num(r.times) }));
  }

  async getCard(userKey: string, questionId: string): Promise<CardRow | undefined> {
    const [r] = await this.rows('getCard', { user_key: userKey, question_id: questionId });
    return r ? cardOf(r) : undefined;
  }

  async dueCards(userKey: string, now: number, limit: number): Promise<CardRow[]> {
    return (await this.rows('dueCards', { user_key: userKey, now, limit })).map(cardOf);
  }

  async cardCounts(
    userKey: string,
    now: number,
  ): Promise<{ due: number; total: number; nextDue?: number }> {
    const [r = {}] = await this.rows('cardCounts', { user_key: userKey, now });
    const next = optNum(r.next_due);
    return {
      due: num(r.due),
      total: num(r.total),
      ...(next !== undefined ? { nextDue: next } : {}),
    };
  }

  async addCard(card: CardRow): Promise<void> {
    await this.query('addCard', cardParams(card));
  }

  async dropCard(userKey: string, questionId: string): Promise<void> {
    await this.query('dropCard', { user_key: userKey, question_id: questionId });
  }

  async saveReview(card: CardRow, expectedReps: number, log: ReviewLogRow): Promise<boolean> {
    return this.tx(async (query) => {
      const updated = await query('updateCard', {
        ...cardParams(card),
        expected_reps: expectedReps,
      });
      if ((updated.rowCount ?? 0) === 0) return false;
      await query('insertLog', {
        user_key: log.userKey,
        question_id: log.questionId,
        topic: log.topic,
        answer: log.answer,
        correct: log.correct ? 1 : 0,
        rating: log.rating,
        reviewed_at: log.reviewedAt,
      });
      return true;
    });
  }

  async claimEvent(key: string, now: number, ttlMs: number): Promise<boolean> {
    checkClaim(key, ttlMs);
    if (claimSweepDue(this.sweptAt, now)) {
      this.sweptAt = now; // before the await: concurrent claims do not all sweep
      await this.query('sweepClaims', { now });
    }
    return this.changed('claimEvent', { key, now, expires_at: now + ttlMs });
  }

  async installSalt(candidate: string): Promise<string> {
    await this.query('saltInsert', { value: candidate });
    // a statement of its own: it sees the salt a racing instance committed first
    const [r] = await this.rows('saltGet');
    if (!r) throw new StoreError('the installation salt was not stored');
    return String(r.value);
  }

  async logQuestion(q: NewLoggedQuestion): Promise<number> {
    const [r] = await this.rows('logQuestion', loggedParams(q));
    return num(r?.id);
  }

  async loggedQuestion(id: number): Promise<LoggedQuestion | undefined> {
    const [r] = await this.rows('loggedQuestion', { id });
    return r ? loggedOf(r) : undefined;
  }

  async recordPick(questionId: number, topic: number, at: number): Promise<boolean> {
    return this.changed('recordPick', { id: questionId, topic, at });
  }

  async rate(rating: NewRating): Promise<RateOutcome> {
    try {
      return (await this.changed('rate', ratingParams(rating))) ? 'recorded' : 'missing';
    } catch (err) {
      if (isConstraint(err, '23505')) return 'duplicate';
      // the question was forgotten or pruned between the check and the insert
      if (isConstraint(err, '23503')) return 'missing';
      throw err;
    }
  }

  async questionsSince(since: number): Promise<LoggedQuestion[]> {
    return (await this.rows('questionsSince', { since })).map(loggedOf);
  }

  async ratingsSince(since: number): Promise<RatingRow[]> {
    return (await this.rows('ratingsSince', { since })).map(ratingOf);
  }

  async forgetUser(userHash: string, userKey: string): Promise<ForgetCounts> {
    return this.tx(async (query): Promise<ForgetCounts> => {
      const count = async (name: PgStatement, params: Record<string, PgValue>) =>
        (await query(name, params)).rowCount ?? 0;
      const hash = { user_hash: userHash };
      const key = { user_key: userKey };
      const ratings =
        (await count('forgetRatingsOfQuestions', hash)) + (await count('forgetRatings', hash));
      return {
        questions: await count('forgetQuestions', hash),
        ratings,
        quizAnswers: await count('forgetAnswers', key),
        scores: await count('forgetScores', key),
        reviewCards: await count('forgetCards', key),
        reviewLogs: await count('forgetReviewLog', key),
        quizSessions: await count('forgetQuizSessions', { ...key, forgotten: FORGOTTEN_USER_KEY }),
      };
    });
  }

  async pruneLog(before: number): Promise<PruneCounts> {
    return this.tx(async (query): Promise<PruneCounts> => {
      const ratings = (await query('pruneRatings', { before })).rowCount ?? 0;
      const questions = (await query('pruneQuestions', { before })).rowCount ?? 0;
      return { questions, ratings };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  get isOpen(): boolean {
    return !this.closed;
  }
}

/** `insertSession`'s parameters. */
function newSessionParams(session: NewSession, questionCount: number): Params {
  return {
    channel_key: session.channelKey,
    platform: session.platform,
    channel_id: session.channelId,
    thread_id: session.threadId ?? null,
    is_dm: session.isDM ? 1 : 0,
    owner: session.owner,
    lease_ms: session.leaseMs,
    started_by: session.startedBy,
    started_by_name: session.startedByName ?? null,
    lang: session.lang,
    topic: session.topic,
    question_count: questionCount,
    seconds: session.seconds,
    started_at: session.startedAt,
  };
}

/**
 * Apply the migrations newer than the database's, each in its own transaction, holding the
 * advisory lock `MIGRATION_LOCK` on one connection throughout: an instance that starts while
 * another migrates waits, then finds the work done.
 */
export async function migratePg(
  client: pg.ClientBase,
  migrations: readonly Migration[] = PG_MIGRATIONS,
): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const r = await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
    const current = num(r.rows[0]?.v);
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > latest) {
      throw new StoreError(
        `the database has schema version ${current}, newer than this program knows (${latest}); upgrade llm-tutor`,
      );
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          m.version,
          m.name,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return { from: current, to: Math.max(current, latest) };
  } finally {
    // a broken connection has released the lock already (the caller discards it)
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
  }
}

/**
 * Connect to the database `url` names and migrate it. Every failure is a `StoreError` that
 * says what failed and how to fix it, and never contains the password.
 */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  const parsed = parsePgUrl(url);
  if (!parsed.ok) throw new StoreError(parsed.error);
  const { target } = parsed;
  const pool = new pg.Pool({
    connectionString: url.trim(),
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'llm-tutor',
  });
  pool.on(
    'error',
    options.onError ??
      ((err) =>
        process.stderr.write(`llm-tutor: a PostgreSQL connection failed: ${err.message}\n`)),
  );
  try {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await migratePg(client, options.migrations);
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw explainPgError(err, target);
  }
  return new PgStore(pool, target);
}

/** The codes PostgreSQL and Node give for the failures a person can fix, and how. */
function explanation(err: unknown, t: PgTarget): string | undefined {
  const code = (err as { code?: unknown }).code;
  const server = `the PostgreSQL server at ${t.host}:${t.port}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `${server} refused the connection: start it, or fix the host and port in the URL`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host "${t.host}" is unknown: fix the host in the URL`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${server} cannot be reached (${code}): check the host, port and network`;
    case 'ENOENT':
      return `there is no PostgreSQL socket in ${t.host}: start the server, or fix host= in the URL`;
    case '28P01':
    case '28000':
      return `${server} refused user "${t.user}" (${(err as Error).message}): fix the user and password in the URL`;
    case '3D000':
      return `database "${t.database}" does not exist on ${server}: create it (createdb -O ${t.user} ${t.database}) or fix its name in the URL`;
    case '42501':
      return `user "${t.user}" may not create tables in database "${t.database}" (${(err as Error).message}): make it the owner (ALTER DATABASE ${t.database} OWNER TO ${t.user})`;
    case '53300':
      return `${server} has no free connections: raise max_connections or lower the pool size`;
  }
  if (/timeout/i.test((err as Error).message ?? '')) {
    return `${server} did not answer in time: check that it is running and reachable`;
  }
  return undefined;
}

/** A `StoreError` for a failure to open the store (a StoreError already explains itself). */
export function explainPgError(err: unknown, target: PgTarget): StoreError {
  if (err instanceof StoreError) return err;
  const known = explanation(err, target);
  if (known) return new StoreError(known);
  const message = (err as Error).message || String(err);
  return new StoreError(
    `PostgreSQL at ${target.host}:${target.port}, database "${target.database}": ${message}`,
  );
}
