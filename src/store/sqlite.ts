/**
 * The SQLite store (better-sqlite3): one file, WAL journal, `synchronous=FULL`, versioned
 * migrations at open, prepared statements, a transaction for every multi-row write.
 *
 * Durability: better-sqlite3 is synchronous, so when a method's promise resolves its
 * transaction has been committed. With WAL, a commit is a write() of the WAL frames; the
 * OS keeps them even if the process is killed with SIGKILL the next instant, so
 * `synchronous=NORMAL` would already survive kill -9. We choose FULL, which also fsyncs the
 * WAL at each commit, so that a recorded answer survives a power cut or kernel crash too:
 * answers are human clicks (a few per second at most), and one fsync each is cheap.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration, SCHEMA_VERSION } from './migrations.js';
import {
  type AnswerRow,
  type AskedCount,
  type CardRow,
  type ChannelKind,
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
  type QuestionOutcome,
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

export interface SqliteStoreOptions {
  /** `FULL` (default) or `NORMAL`; see the note at the top of this file. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Migrations to apply (tests use this to check upgrades); default: all of them. */
  migrations?: readonly Migration[];
  /** How long to wait for another connection's write lock, ms (default 5000). */
  busyTimeoutMs?: number;
  /**
   * The database's clock for leases (default `Date.now`). A SQLite file lives on one host, so
   * every process sharing it shares this clock; tests on a manual clock pass theirs.
   */
  clock?: () => number;
}

export type Row = Record<string, unknown>;
export type Params = Record<string, string | number | null>;

export const num = (v: unknown): number => Number(v);
export const optNum = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);
export const optStr = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : String(v);

type Present<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** Only the fields that have a value: a NULL column becomes an absent key, not `undefined`. */
function present<T extends Record<string, unknown>>(fields: T): Present<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as Present<T>;
}

export function sessionOf(r: Row): SessionRow {
  return {
    id: num(r.id),
    channelKey: String(r.channel_key),
    platform: String(r.platform) as Platform, // written from a Platform (NewSession)
    channelId: String(r.channel_id),
    isDM: r.is_dm === 1,
    owner: String(r.owner),
    leaseUntil: num(r.lease_until),
    startedBy: String(r.started_by),
    lang: String(r.lang),
    topic: optNum(r.topic) ?? null,
    seconds: num(r.seconds),
    startedAt: num(r.started_at),
    questionCount: num(r.question_count),
    status: String(r.status) as SessionStatus,
    currentIndex: num(r.current_index),
    ...present({
      threadId: optStr(r.thread_id),
      startedByName: optStr(r.started_by_name),
      endedAt: optNum(r.ended_at),
      endedBy: optStr(r.ended_by),
      endPostedAt: optNum(r.end_posted_at),
    }),
  };
}

export function questionOf(r: Row): QuestionRow {
  return {
    sessionId: num(r.session_id),
    idx: num(r.idx),
    questionId: String(r.question_id),
    topic: num(r.topic),
    ...present({
      openedAt: optNum(r.opened_at),
      closesAt: optNum(r.closes_at),
      revealedAt: optNum(r.revealed_at),
      postedAt: optNum(r.posted_at),
      revealPostedAt: optNum(r.reveal_posted_at),
    }),
  };
}

export function answerOf(r: Row): AnswerRow {
  return {
    sessionId: num(r.session_id),
    idx: num(r.idx),
    userKey: String(r.user_key),
    answer: String(r.answer),
    correct: r.correct === 1,
    points: num(r.points),
    elapsedMs: num(r.elapsed_ms),
    answeredAt: num(r.answered_at),
    ...present({ userName: optStr(r.user_name) }),
  };
}

export function scoreOf(r: Row): ScoreRow {
  return {
    userKey: String(r.user_key),
    points: num(r.points),
    correct: num(r.correct),
    answered: num(r.answered),
    ...present({ userName: optStr(r.user_name), bestMs: optNum(r.best_ms) }),
  };
}

export function cardOf(r: Row): CardRow {
  return {
    userKey: String(r.user_key),
    questionId: String(r.question_id),
    topic: num(r.topic),
    due: num(r.due),
    stability: num(r.stability),
    difficulty: num(r.difficulty),
    elapsedDays: num(r.elapsed_days),
    scheduledDays: num(r.scheduled_days),
    learningSteps: num(r.learning_steps),
    reps: num(r.reps),
    lapses: num(r.lapses),
    state: num(r.state),
    addedAt: num(r.added_at),
    source: String(r.source),
    ...present({ lastReview: optNum(r.last_review) }),
  };
}

export function cardParams(c: CardRow): Params {
  return {
    user_key: c.userKey,
    question_id: c.questionId,
    topic: c.topic,
    due: c.due,
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: c.elapsedDays,
    scheduled_days: c.scheduledDays,
    learning_steps: c.learningSteps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    last_review: c.lastReview ?? null,
    added_at: c.addedAt,
    source: c.source,
  };
}

/** An answer's named parameters (both stores' statements use these names). */
export function answerParams(a: NewAnswer): Params {
  return {
    session_id: a.sessionId,
    idx: a.idx,
    user_key: a.userKey,
    user_name: a.userName ?? null,
    answer: a.answer,
    correct: a.correct ? 1 : 0,
    points: a.points,
    elapsed_ms: a.elapsedMs,
    answered_at: a.answeredAt,
  };
}

/** A logged question's named parameters (both stores' statements use these names). */
export function loggedParams(q: NewLoggedQuestion): Params {
  return {
    asked_at: q.askedAt,
    platform: q.platform,
    channel_kind: q.channelKind,
    user_hash: q.userHash,
    text: q.text,
    lang: q.lang,
    outcome: q.outcome,
    topic: q.topic,
    section: q.section,
    confidence: q.confidence,
  };
}

/** A rating's named parameters (both stores' statements use these names). */
export function ratingParams(r: NewRating): Params {
  return {
    question_id: r.questionId,
    user_hash: r.userHash,
    good: r.good ? 1 : 0,
    reason: r.reason ?? null,
    rated_at: r.ratedAt,
  };
}

export function loggedOf(r: Row): LoggedQuestion {
  return {
    id: num(r.id),
    askedAt: num(r.asked_at),
    platform: String(r.platform) as Platform, // written from a Platform
    channelKind: String(r.channel_kind) as ChannelKind, // a CHECK constraint keeps it one
    userHash: String(r.user_hash),
    text: String(r.text),
    lang: String(r.lang),
    outcome: String(r.outcome) as QuestionOutcome, // a CHECK constraint keeps it one
    topic: optNum(r.topic) ?? null,
    section: optStr(r.section) ?? null,
    confidence: num(r.confidence),
    ...present({ pickedTopic: optNum(r.picked_topic), pickedAt: optNum(r.picked_at) }),
  };
}

export function ratingOf(r: Row): RatingRow {
  return {
    questionId: num(r.question_id),
    userHash: String(r.user_hash),
    good: r.good === 1,
    ratedAt: num(r.rated_at),
    ...present({ reason: optStr(r.reason) }),
  };
}

export function isConstraint(err: unknown, code: string): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    (err as { code: unknown }).code === code
  );
}

/** Apply the migrations newer than the database's `user_version`, each in a transaction. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS) {
  const current = Number(db.pragma('user_version', { simple: true }));
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new StoreError(
      `the database has schema version ${current}, newer than this program knows (${latest}); upgrade llm-tutor`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from: current, to: Math.max(current, latest) };
}

/** Every statement the store runs, by name (prepared once when the store opens). */
const SQL = {
  askedCounts: `SELECT q.question_id AS question_id, COUNT(*) AS times
    FROM quiz_questions q JOIN quiz_sessions s ON s.id = q.session_id
    WHERE s.channel_key = ? AND q.opened_at IS NOT NULL
      AND q.question_id IN (SELECT value FROM json_each(?))
    GROUP BY q.question_id`,
  insertSession: `INSERT INTO quiz_sessions
      (channel_key, platform, channel_id, thread_id, is_dm, owner, lease_until, started_by,
       started_by_name, lang, topic, question_count, seconds, started_at)
      VALUES (@channel_key, @platform, @channel_id, @thread_id, @is_dm, @owner, @lease_until,
       @started_by, @started_by_name, @lang, @topic, @question_count, @seconds, @started_at)`,
  insertQuestion: `INSERT INTO quiz_questions (session_id, idx, question_id, topic)
      VALUES (?, ?, ?, ?)`,
  getSession: 'SELECT * FROM quiz_sessions WHERE id = ?',
  runningSession: "SELECT * FROM quiz_sessions WHERE channel_key = ? AND status = 'running'",
  runningAll: "SELECT * FROM quiz_sessions WHERE status = 'running' ORDER BY id",
  runningOwned: "SELECT * FROM quiz_sessions WHERE status = 'running' AND owner = ? ORDER BY id",
  renewLeases: `UPDATE quiz_sessions SET lease_until = @until
      WHERE (status = 'running' OR end_posted_at IS NULL) AND owner = @owner RETURNING id`,
  claimExpired: `UPDATE quiz_sessions SET owner = @owner, lease_until = @until
      WHERE id IN (SELECT id FROM quiz_sessions WHERE (status = 'running' OR end_posted_at IS NULL) AND lease_until <= @now
          AND (@platforms IS NULL OR platform IN (SELECT value FROM json_each(@platforms)))
          ORDER BY id LIMIT @limit)
        AND (status = 'running' OR end_posted_at IS NULL) AND lease_until <= @now
      RETURNING *`,
  releaseLeases: `UPDATE quiz_sessions SET lease_until = 0
      WHERE (status = 'running' OR end_posted_at IS NULL) AND owner = ?`,
  markQuestionPosted: `UPDATE quiz_questions SET posted_at = @at
      WHERE session_id = @session_id AND idx = @idx AND opened_at IS NOT NULL AND posted_at IS NULL`,
  markRevealPosted: `UPDATE quiz_questions SET reveal_posted_at = @at
      WHERE session_id = @session_id AND idx = @idx AND revealed_at IS NOT NULL
        AND reveal_posted_at IS NULL`,
  markEndPosted: `UPDATE quiz_sessions SET end_posted_at = @at
      WHERE id = @session_id AND status <> 'running' AND end_posted_at IS NULL`,
  setCurrent: "UPDATE quiz_sessions SET current_index = ? WHERE id = ? AND status = 'running'",
  openQuestion: `UPDATE quiz_questions SET opened_at = ?, closes_at = ?
      WHERE session_id = ? AND idx = ? AND opened_at IS NULL`,
  getQuestion: 'SELECT * FROM quiz_questions WHERE session_id = ? AND idx = ?',
  questions: 'SELECT * FROM quiz_questions WHERE session_id = ? ORDER BY idx',
  insertAnswer: `INSERT INTO quiz_answers
      (session_id, idx, user_key, user_name, answer, correct, points, elapsed_ms, answered_at)
      SELECT @session_id, @idx, @user_key, @user_name, @answer, @correct, @points, @elapsed_ms,
        @answered_at
      WHERE EXISTS (
        SELECT 1 FROM quiz_questions q JOIN quiz_sessions s ON s.id = q.session_id
        WHERE q.session_id = @session_id AND q.idx = @idx AND s.status = 'running'
          AND q.opened_at IS NOT NULL AND q.revealed_at IS NULL
          AND @answered_at <= q.closes_at)`,
  addScore: `INSERT INTO quiz_scores
      (session_id, user_key, user_name, points, correct, answered, best_ms)
      VALUES (@session_id, @user_key, @user_name, @points, @correct, 1,
        CASE WHEN @correct = 1 THEN @elapsed_ms END)
      ON CONFLICT (session_id, user_key) DO UPDATE SET
        points = points + excluded.points,
        correct = correct + excluded.correct,
        answered = answered + 1,
        user_name = COALESCE(excluded.user_name, user_name),
        best_ms = CASE
          WHEN excluded.best_ms IS NULL THEN best_ms
          WHEN best_ms IS NULL THEN excluded.best_ms
          ELSE MIN(best_ms, excluded.best_ms) END`,
  getAnswer: 'SELECT * FROM quiz_answers WHERE session_id = ? AND idx = ? AND user_key = ?',
  answers:
    'SELECT * FROM quiz_answers WHERE session_id = ? AND idx = ? ORDER BY elapsed_ms, user_key',
  players:
    'SELECT DISTINCT user_key FROM quiz_answers WHERE session_id = ? AND idx < ? ORDER BY user_key',
  reveal: `UPDATE quiz_questions SET revealed_at = ?
      WHERE session_id = ? AND idx = ? AND revealed_at IS NULL`,
  finish: `UPDATE quiz_sessions SET status = @status, ended_at = @at, ended_by = @by,
        owner = COALESCE(@owner, owner),
        lease_until = CASE WHEN @owner IS NULL THEN lease_until ELSE @until END
      WHERE id = @session_id AND status = 'running'`,
  scoreboard: `SELECT * FROM quiz_scores WHERE session_id = ?
      ORDER BY points DESC, correct DESC, best_ms ASC NULLS LAST, user_key`,
  leaderboard: `SELECT a.user_key AS user_key, MAX(a.user_name) AS user_name,
        SUM(a.points) AS points, SUM(a.correct) AS correct, COUNT(*) AS answered,
        MIN(CASE WHEN a.correct = 1 THEN a.elapsed_ms END) AS best_ms,
        COUNT(DISTINCT a.session_id) AS quizzes
      FROM quiz_answers a JOIN quiz_sessions s ON s.id = a.session_id
      WHERE s.channel_key = ? AND a.answered_at >= ?
      GROUP BY a.user_key
      ORDER BY points DESC, correct DESC, answered ASC, user_key
      LIMIT ?`,
  topicStats: `SELECT topic, SUM(n) AS answered, SUM(ok) AS correct FROM (
        SELECT q.topic AS topic, 1 AS n, a.correct AS ok
          FROM quiz_answers a JOIN quiz_questions q ON q.session_id = a.session_id AND q.idx = a.idx
          WHERE a.user_key = ?
        UNION ALL
        SELECT topic, 1, correct FROM review_log WHERE user_key = ?)
      GROUP BY topic ORDER BY topic`,
  getCard: 'SELECT * FROM review_cards WHERE user_key = ? AND question_id = ?',
  dropCard: 'DELETE FROM review_cards WHERE user_key = ? AND question_id = ?',
  dueCards: `SELECT * FROM review_cards WHERE user_key = ? AND due <= ?
      ORDER BY due, question_id LIMIT ?`,
  cardCounts: `SELECT COUNT(*) AS total,
        COALESCE(SUM(CASE WHEN due <= @now THEN 1 ELSE 0 END), 0) AS due,
        MIN(CASE WHEN due > @now THEN due END) AS next_due
      FROM review_cards WHERE user_key = @user_key`,
  addCard: `INSERT INTO review_cards
      (user_key, question_id, topic, due, stability, difficulty, elapsed_days, scheduled_days,
       learning_steps, reps, lapses, state, last_review, added_at, source)
      VALUES (@user_key, @question_id, @topic, @due, @stability, @difficulty, @elapsed_days,
       @scheduled_days, @learning_steps, @reps, @lapses, @state, @last_review, @added_at, @source)
      ON CONFLICT (user_key, question_id) DO UPDATE SET due = MIN(due, excluded.due)`,
  updateCard: `UPDATE review_cards SET due = @due, stability = @stability,
        difficulty = @difficulty, elapsed_days = @elapsed_days, scheduled_days = @scheduled_days,
        learning_steps = @learning_steps, reps = @reps, lapses = @lapses, state = @state,
        last_review = @last_review
      WHERE user_key = @user_key AND question_id = @question_id AND reps = @expected_reps`,
  claimEvent: `INSERT INTO event_claims (key, claimed_at, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at,
        expires_at = excluded.expires_at
      WHERE event_claims.expires_at <= excluded.claimed_at`,
  sweepClaims: 'DELETE FROM event_claims WHERE expires_at <= ?',
  insertLog: `INSERT INTO review_log
      (user_key, question_id, topic, answer, correct, rating, reviewed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`,
  saltInsert: `INSERT INTO install_meta (name, value) VALUES ('salt', ?)
      ON CONFLICT (name) DO NOTHING`,
  saltGet: "SELECT value FROM install_meta WHERE name = 'salt'",
  logQuestion: `INSERT INTO question_log
      (asked_at, platform, channel_kind, user_hash, text, lang, outcome, topic, section, confidence)
      VALUES (@asked_at, @platform, @channel_kind, @user_hash, @text, @lang, @outcome, @topic,
       @section, @confidence)`,
  loggedQuestion: 'SELECT * FROM question_log WHERE id = ?',
  recordPick: `UPDATE question_log SET picked_topic = ?, picked_at = ?
      WHERE id = ? AND outcome = 'clarify' AND picked_topic IS NULL`,
  rate: `INSERT INTO answer_ratings (question_id, user_hash, good, reason, rated_at)
      SELECT @question_id, @user_hash, @good, @reason, @rated_at
      WHERE EXISTS (SELECT 1 FROM question_log WHERE id = @question_id AND outcome = 'answer')`,
  questionsSince: 'SELECT * FROM question_log WHERE asked_at >= ? ORDER BY asked_at, id',
  ratingsSince: `SELECT * FROM answer_ratings WHERE rated_at >= ?
      ORDER BY rated_at, question_id, user_hash`,
  forgetRatingsOfQuestions: `DELETE FROM answer_ratings
      WHERE question_id IN (SELECT id FROM question_log WHERE user_hash = ?)`,
  forgetRatings: 'DELETE FROM answer_ratings WHERE user_hash = ?',
  forgetQuestions: 'DELETE FROM question_log WHERE user_hash = ?',
  forgetAnswers: 'DELETE FROM quiz_answers WHERE user_key = ?',
  forgetScores: 'DELETE FROM quiz_scores WHERE user_key = ?',
  forgetCards: 'DELETE FROM review_cards WHERE user_key = ?',
  forgetReviewLog: 'DELETE FROM review_log WHERE user_key = ?',
  forgetQuizSessions: `UPDATE quiz_sessions SET
      started_by = CASE WHEN started_by = @user_key THEN @forgotten ELSE started_by END,
      started_by_name = CASE WHEN started_by = @user_key THEN NULL ELSE started_by_name END,
      ended_by = CASE WHEN ended_by = @user_key THEN NULL ELSE ended_by END
      WHERE started_by = @user_key OR ended_by = @user_key`,
  pruneRatings: `DELETE FROM answer_ratings WHERE rated_at < ?
      OR question_id IN (SELECT id FROM question_log WHERE asked_at < ?)`,
  pruneQuestions: 'DELETE FROM question_log WHERE asked_at < ?',
} as const;

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly stmt: ReturnType<SqliteStore['prepare']>;
  private readonly now: () => number;
  private closed = false;
  /** When expired event claims were last deleted (ms). */
  private sweptAt = Number.NEGATIVE_INFINITY;

  /** Open (creating if needed) the database at `path`, or `:memory:`. */
  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    this.now = options.clock ?? Date.now;
    this.db = new Database(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      this.db.pragma('foreign_keys = ON');
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      migrate(this.db, options.migrations ?? MIGRATIONS);
      this.stmt = this.prepare();
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** The schema version of the open database (`PRAGMA user_version`). */
  get schemaVersion(): number {
    return Number(this.db.pragma('user_version', { simple: true }));
  }

  static get latestSchemaVersion(): number {
    return SCHEMA_VERSION;
  }

  private prepare(): Record<keyof typeof SQL, Database.Statement> {
    const db = this.db;
    const prepared = Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)] as const);
    return Object.fromEntries(prepared) as Record<keyof typeof SQL, Database.Statement>;
  }

  async createSession(
    session: NewSession,
    questions: readonly PlannedQuestion[],
  ): Promise<{ ok: true; session: SessionRow } | { ok: false; running?: SessionRow }> {
    if (questions.length === 0) throw new StoreError('a quiz needs at least one question');
    checkLease(session.owner, session.leaseMs);
    const create = this.db.transaction(() => {
      const info = this.stmt.insertSession.run({
        channel_key: session.channelKey,
        platform: session.platform,
        channel_id: session.channelId,
        thread_id: session.threadId ?? null,
        is_dm: session.isDM ? 1 : 0,
        owner: session.owner,
        lease_until: this.now() + session.leaseMs,
        started_by: session.startedBy,
        started_by_name: session.startedByName ?? null,
        lang: session.lang,
        topic: session.topic,
        question_count: questions.length,
        seconds: session.seconds,
        started_at: session.startedAt,
      } satisfies Params);
      const id = Number(info.lastInsertRowid);
      questions.forEach((q, i) => {
        this.stmt.insertQuestion.run(id, i, q.questionId, q.topic);
      });
      return id;
    });
    try {
      const id = create();
      return { ok: true, session: sessionOf(this.stmt.getSession.get(id) as Row) };
    } catch (err) {
      if (isConstraint(err, 'SQLITE_CONSTRAINT_UNIQUE')) {
        const running = await this.runningSession(session.channelKey);
        return running ? { ok: false, running } : { ok: false };
      }
      throw err;
    }
  }

  async getSession(id: number): Promise<SessionRow | undefined> {
    const r = this.stmt.getSession.get(id) as Row | undefined;
    return r ? sessionOf(r) : undefined;
  }

  async runningSession(channelKey: string): Promise<SessionRow | undefined> {
    const r = this.stmt.runningSession.get(channelKey) as Row | undefined;
    return r ? sessionOf(r) : undefined;
  }

  async runningSessions(owner?: string): Promise<SessionRow[]> {
    const rows = (
      owner === undefined ? this.stmt.runningAll.all() : this.stmt.runningOwned.all(owner)
    ) as Row[];
    return rows.map(sessionOf);
  }

  async clock(): Promise<number> {
    return this.now();
  }

  async renewLeases(owner: string, leaseMs: number): Promise<number[]> {
    checkLease(owner, leaseMs);
    const rows = this.stmt.renewLeases.all({ owner, until: this.now() + leaseMs }) as Row[];
    return rows.map((r) => num(r.id)).sort((a, b) => a - b);
  }

  async claimExpired(
    owner: string,
    leaseMs: number,
    limit: number,
    platforms?: readonly Platform[],
  ): Promise<SessionRow[]> {
    checkLease(owner, leaseMs, limit);
    const now = this.now();
    const rows = this.stmt.claimExpired.all({
      owner,
      now,
      until: now + leaseMs,
      limit,
      platforms: platforms ? JSON.stringify(platforms) : null,
    }) as Row[];
    return rows.map(sessionOf).sort((a, b) => a.id - b.id);
  }

  async releaseLeases(owner: string): Promise<number> {
    return this.stmt.releaseLeases.run(owner).changes;
  }

  async openQuestion(
    sessionId: number,
    idx: number,
    openedAt: number,
    closesAt: number,
  ): Promise<boolean> {
    const open = this.db.transaction(() => {
      if (this.stmt.setCurrent.run(idx, sessionId).changes === 0) return false;
      // opened already (or no such question): undo the current-index change
      if (this.stmt.openQuestion.run(openedAt, closesAt, sessionId, idx).changes === 0) {
        throw new RollBack();
      }
      return true;
    });
    try {
      return open();
    } catch (err) {
      if (err instanceof RollBack) return false;
      throw err;
    }
  }

  async getQuestion(sessionId: number, idx: number): Promise<QuestionRow | undefined> {
    const r = this.stmt.getQuestion.get(sessionId, idx) as Row | undefined;
    return r ? questionOf(r) : undefined;
  }

  async questions(sessionId: number): Promise<QuestionRow[]> {
    return (this.stmt.questions.all(sessionId) as Row[]).map(questionOf);
  }

  async recordAnswer(answer: NewAnswer, reviewCard?: CardRow): Promise<RecordOutcome> {
    const params = answerParams(answer);
    const record = this.db.transaction((): RecordOutcome => {
      if (this.stmt.insertAnswer.run(params).changes === 0) return 'closed';
      this.stmt.addScore.run(params);
      if (reviewCard) this.stmt.addCard.run(cardParams(reviewCard));
      return 'recorded';
    });
    try {
      return record();
    } catch (err) {
      if (isConstraint(err, 'SQLITE_CONSTRAINT_PRIMARYKEY')) return 'duplicate';
      throw err;
    }
  }

  async answer(sessionId: number, idx: number, userKey: string): Promise<AnswerRow | undefined> {
    const r = this.stmt.getAnswer.get(sessionId, idx, userKey) as Row | undefined;
    return r ? answerOf(r) : undefined;
  }

  async answers(sessionId: number, idx: number): Promise<AnswerRow[]> {
    return (this.stmt.answers.all(sessionId, idx) as Row[]).map(answerOf);
  }

  async players(sessionId: number, beforeIdx: number): Promise<string[]> {
    return (this.stmt.players.all(sessionId, beforeIdx) as Row[]).map((r) => String(r.user_key));
  }

  async revealQuestion(sessionId: number, idx: number, at: number): Promise<boolean> {
    return this.stmt.reveal.run(at, sessionId, idx).changes > 0;
  }

  async markPosted(sessionId: number, post: QuizPost, at: number): Promise<boolean> {
    if (post.kind === 'end')
      return this.stmt.markEndPosted.run({ session_id: sessionId, at }).changes > 0;
    const stmt =
      post.kind === 'question' ? this.stmt.markQuestionPosted : this.stmt.markRevealPosted;
    return stmt.run({ session_id: sessionId, idx: post.idx, at }).changes > 0;
  }

  async finishSession(
    sessionId: number,
    status: Exclude<SessionStatus, 'running'>,
    at: number,
    by?: string,
    owner?: { name: string; leaseMs: number },
  ): Promise<boolean> {
    if (owner) checkLease(owner.name, owner.leaseMs);
    return (
      this.stmt.finish.run({
        session_id: sessionId,
        status,
        at,
        by: by ?? null,
        owner: owner?.name ?? null,
        until: owner ? this.now() + owner.leaseMs : null,
      }).changes > 0
    );
  }

  async scoreboard(sessionId: number): Promise<ScoreRow[]> {
    return (this.stmt.scoreboard.all(sessionId) as Row[]).map(scoreOf);
  }

  async leaderboard(channelKey: string, since: number, limit: number): Promise<LeaderRow[]> {
    return (this.stmt.leaderboard.all(channelKey, since, limit) as Row[]).map((r) => ({
      ...scoreOf(r),
      quizzes: num(r.quizzes),
    }));
  }

  async topicStats(userKey: string): Promise<TopicStatRow[]> {
    return (this.stmt.topicStats.all(userKey, userKey) as Row[]).map((r) => ({
      topic: num(r.topic),
      answered: num(r.answered),
      correct: num(r.correct),
    }));
  }

  async askedCounts(channelKey: string, questionIds: readonly string[]): Promise<AskedCount[]> {
    if (questionIds.length === 0) return [];
    // the ids as one JSON array parameter: no statement-size limit, no spread of a long list
    const rows = this.stmt.askedCounts.all(channelKey, JSON.stringify(questionIds)) as Row[];
    return rows.map((r) => ({ questionId: String(r.question_id), times: num(r.times) }));
  }

  async getCard(userKey: string, questionId: string): Promise<CardRow | undefined> {
    const r = this.stmt.getCard.get(userKey, questionId) as Row | undefined;
    return r ? cardOf(r) : undefined;
  }

  async dueCards(userKey: string, now: number, limit: number): Promise<CardRow[]> {
    return (this.stmt.dueCards.all(userKey, now, limit) as Row[]).map(cardOf);
  }

  async cardCounts(
    userKey: string,
    now: number,
  ): Promise<{ due: number; total: number; nextDue?: number }> {
    const r = this.stmt.cardCounts.get({ user_key: userKey, now }) as Row;
    const next = optNum(r.next_due);
    return {
      due: num(r.due),
      total: num(r.total),
      ...(next !== undefined ? { nextDue: next } : {}),
    };
  }

  async addCard(card: CardRow): Promise<void> {
    this.stmt.addCard.run(cardParams(card));
  }

  async dropCard(userKey: string, questionId: string): Promise<void> {
    this.stmt.dropCard.run(userKey, questionId);
  }

  async saveReview(card: CardRow, expectedReps: number, log: ReviewLogRow): Promise<boolean> {
    return this.db.transaction(() => {
      const changed = this.stmt.updateCard.run({
        ...cardParams(card),
        expected_reps: expectedReps,
      }).changes;
      if (changed === 0) return false;
      this.stmt.insertLog.run(
        log.userKey,
        log.questionId,
        log.topic,
        log.answer,
        log.correct ? 1 : 0,
        log.rating,
        log.reviewedAt,
      );
      return true;
    })();
  }

  async claimEvent(key: string, now: number, ttlMs: number): Promise<boolean> {
    checkClaim(key, ttlMs);
    if (claimSweepDue(this.sweptAt, now)) {
      this.stmt.sweepClaims.run(now);
      this.sweptAt = now;
    }
    return this.stmt.claimEvent.run(key, now, now + ttlMs).changes > 0;
  }

  async installSalt(candidate: string): Promise<string> {
    this.stmt.saltInsert.run(candidate);
    return String((this.stmt.saltGet.get() as Row).value);
  }

  async logQuestion(q: NewLoggedQuestion): Promise<number> {
    const info = this.stmt.logQuestion.run(loggedParams(q));
    return Number(info.lastInsertRowid);
  }

  async loggedQuestion(id: number): Promise<LoggedQuestion | undefined> {
    const r = this.stmt.loggedQuestion.get(id) as Row | undefined;
    return r ? loggedOf(r) : undefined;
  }

  async recordPick(questionId: number, topic: number, at: number): Promise<boolean> {
    return this.stmt.recordPick.run(topic, at, questionId).changes > 0;
  }

  async rate(rating: NewRating): Promise<RateOutcome> {
    try {
      const changes = this.stmt.rate.run(ratingParams(rating)).changes;
      return changes === 0 ? 'missing' : 'recorded';
    } catch (err) {
      if (isConstraint(err, 'SQLITE_CONSTRAINT_PRIMARYKEY')) return 'duplicate';
      throw err;
    }
  }

  async questionsSince(since: number): Promise<LoggedQuestion[]> {
    return (this.stmt.questionsSince.all(since) as Row[]).map(loggedOf);
  }

  async ratingsSince(since: number): Promise<RatingRow[]> {
    return (this.stmt.ratingsSince.all(since) as Row[]).map(ratingOf);
  }

  async forgetUser(userHash: string, userKey: string): Promise<ForgetCounts> {
    return this.db.transaction((): ForgetCounts => {
      const ratings =
        this.stmt.forgetRatingsOfQuestions.run(userHash).changes +
        this.stmt.forgetRatings.run(userHash).changes;
      return {
        questions: this.stmt.forgetQuestions.run(userHash).changes,
        ratings,
        quizAnswers: this.stmt.forgetAnswers.run(userKey).changes,
        scores: this.stmt.forgetScores.run(userKey).changes,
        reviewCards: this.stmt.forgetCards.run(userKey).changes,
        reviewLogs: this.stmt.forgetReviewLog.run(userKey).changes,
        quizSessions: this.stmt.forgetQuizSessions.run({
          user_key: userKey,
          forgotten: FORGOTTEN_USER_KEY,
        }).changes,
      };
    })();
  }

  async pruneLog(before: number): Promise<PruneCounts> {
    return this.db.transaction(
      (): PruneCounts => ({
        ratings: this.stmt.pruneRatings.run(before, before).changes,
        questions: this.stmt.pruneQuestions.run(before).changes,
      }),
    )();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  get isOpen(): boolean {
    return !this.closed && this.db.open;
  }
}

/** Thrown inside a transaction to roll it back; never escapes. */
export class RollBack extends Error {}

/** Open the store at `path` (its folder is created), or `:memory:`. */
export function openStore(path: string, options?: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(path, options);
}
