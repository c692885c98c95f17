/**
 * What the quiz needs from persistence, and nothing more. `SqliteStore` implements it for
 * one process; a shared database (Postgres, …) can implement the same interface when the
 * bot runs as several processes (see docs/DESIGN.md, "Persistence and scaling out").
 *
 * Every method is async so that a networked backend fits; every write that touches several
 * rows is one transaction; every rule that protects a score (one answer per person and
 * question, answers only while a question is open, one running quiz per channel) is
 * enforced by the database itself, not only by the caller.
 *
 * Times are milliseconds since the epoch. Points are stored in hundredths (150 = 1.50).
 *
 * Quiz leases (several instances on one database): a running quiz has an `owner`, the
 * instance that runs its timers, and a `leaseUntil`. The owner renews the lease while the quiz
 * runs; once it has expired, any instance may claim the quiz (one winner, decided by a
 * conditional UPDATE in the database) and carry it on. Lease times — and only lease times —
 * are read from the database's clock (`clock()`: PostgreSQL's `clock_timestamp()`, SQLite's
 * host clock, which every process sharing the file shares), so instances whose clocks differ
 * still agree on when a lease has expired. Lease lengths are whole milliseconds ≥ 1.
 */

/** A store refused an operation or an argument; the message says what and how to fix it. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Longest lease a store accepts (one day): a lease is seconds long; longer is a mistake. */
export const MAX_LEASE_MS = 86_400_000;

/**
 * The arguments of the lease methods, checked the same way by every store: a non-empty owner,
 * a lease of 1…MAX_LEASE_MS whole milliseconds, a claim limit ≥ 1. Throws a `StoreError`.
 */
export function checkLease(owner: string, leaseMs: number, limit = 1): void {
  if (typeof owner !== 'string' || owner.trim() === '') {
    throw new StoreError('a quiz owner must be a non-empty instance name');
  }
  if (!Number.isInteger(leaseMs) || leaseMs < 1 || leaseMs > MAX_LEASE_MS) {
    throw new StoreError(
      `a quiz lease must be a whole number of milliseconds from 1 to ${MAX_LEASE_MS}, got ${String(leaseMs)}`,
    );
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new StoreError(`a claim limit must be a whole number ≥ 1, got ${String(limit)}`);
  }
}

/** How often a store deletes expired event claims (on a claim, at most once a minute). */
export const CLAIM_SWEEP_MS = 60_000;

/** Whether expired claims are due for deletion (the last sweep was `CLAIM_SWEEP_MS` ago). */
export function claimSweepDue(sweptAt: number, now: number): boolean {
  return now - sweptAt >= CLAIM_SWEEP_MS || now < sweptAt;
}

/** `claimEvent`'s arguments, or a `StoreError` that says what is wrong. */
export function checkClaim(key: string, ttlMs: number): void {
  if (key === '') throw new StoreError('an event claim needs a key (e.g. slack:Ev123)');
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new StoreError(`an event claim needs a positive ttlMs (got ${ttlMs})`);
  }
}

/**
 * Where a message can come from: the chat platforms, the terminal chat, `llm-tutor run`
 * and tests. The one `Platform` type (the core re-exports it); it is stored with each quiz.
 */
export const PLATFORMS = ['console', 'cli', 'discord', 'slack', 'test'] as const;
export type Platform = (typeof PLATFORMS)[number];

export type SessionStatus = 'running' | 'finished' | 'stopped' | 'interrupted';

export interface NewSession {
  /** `platform:channel[:thread]` — the unit of "one quiz at a time" and of leaderboards. */
  channelKey: string;
  platform: Platform;
  channelId: string;
  threadId?: string;
  isDM: boolean;
  /** The instance that runs the quiz's timers and holds its lease (see the note above). */
  owner: string;
  /** The creator's lease: it lasts this long (ms, `checkLease`) from the database's clock. */
  leaseMs: number;
  startedBy: string;
  startedByName?: string;
  lang: string;
  /** null = all topics. */
  topic: number | null;
  seconds: number;
  startedAt: number;
}

export interface SessionRow extends Omit<NewSession, 'leaseMs'> {
  id: number;
  /**
   * When the owner's lease ends, ms on the database's clock (`Store.clock`): the lease is held
   * while `clock() < leaseUntil`. 0 after `releaseLeases`.
   */
  leaseUntil: number;
  questionCount: number;
  status: SessionStatus;
  /** 0-based index of the question asked last; -1 before the first. */
  currentIndex: number;
  endedAt?: number;
  endedBy?: string;
  /** When the end (the scoreboard) was posted: unset while it is owed (see `markPosted`). */
  endPostedAt?: number;
}

export interface PlannedQuestion {
  questionId: string;
  topic: number;
}

export interface QuestionRow extends PlannedQuestion {
  sessionId: number;
  idx: number;
  openedAt?: number;
  closesAt?: number;
  revealedAt?: number;
  /** When the question was posted; unset while the post is owed (see `markPosted`). */
  postedAt?: number;
  /** When its reveal was posted; unset while owed. */
  revealPostedAt?: number;
}

/** Which post of a quiz `Store.markPosted` records. */
export type QuizPost = { kind: 'question' | 'reveal'; idx: number } | { kind: 'end' };

export interface NewAnswer {
  sessionId: number;
  idx: number;
  userKey: string;
  userName?: string;
  /** The normalized answer (`B`, `true`, `120`). */
  answer: string;
  correct: boolean;
  /** Hundredths of a point. */
  points: number;
  elapsedMs: number;
  answeredAt: number;
}

export type AnswerRow = NewAnswer;

/** `closed`: the question is not open (not yet asked, revealed, past its deadline, quiz over). */
export type RecordOutcome = 'recorded' | 'duplicate' | 'closed';

export interface ScoreRow {
  userKey: string;
  userName?: string;
  /** Hundredths of a point. */
  points: number;
  correct: number;
  answered: number;
  /** Fastest correct answer, ms. */
  bestMs?: number;
}

export interface LeaderRow extends ScoreRow {
  quizzes: number;
}

export interface TopicStatRow {
  topic: number;
  answered: number;
  correct: number;
}

export interface AskedCount {
  questionId: string;
  times: number;
}

/** A spaced-repetition card (the FSRS card state, stored as plain columns). */
export interface CardRow {
  userKey: string;
  questionId: string;
  topic: number;
  due: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview?: number;
  addedAt: number;
  source: string;
}

export interface ReviewLogRow {
  userKey: string;
  questionId: string;
  topic: number;
  answer: string;
  correct: boolean;
  rating: number;
  reviewedAt: number;
}

/** What the router did with a question: answered it, asked "did you mean", or declined it. */
export type QuestionOutcome = 'answer' | 'clarify' | 'none';
/** Where a question was asked. */
export type ChannelKind = 'dm' | 'channel' | 'terminal';

/** One routed question, as the question log keeps it (see `Store.logQuestion`). */
export interface NewLoggedQuestion {
  askedAt: number;
  platform: Platform;
  channelKind: ChannelKind;
  /** HMAC-SHA-256 of the user key with the installation's salt (never the user id itself). */
  userHash: string;
  /** The question, at most 2,000 characters (the caller truncates). */
  text: string;
  lang: string;
  outcome: QuestionOutcome;
  /** The chosen topic (answer, did-you-mean), null when declined. */
  topic: number | null;
  section: string | null;
  /** Calibrated probability that the outcome is right (see `MatchResult.confidence`). */
  confidence: number;
}

export interface LoggedQuestion extends NewLoggedQuestion {
  id: number;
  /** For a did-you-mean: the topic the user then picked. */
  pickedTopic?: number;
  pickedAt?: number;
}

/** A 👍 (`good`) or 👎 on an answered question. */
export interface NewRating {
  questionId: number;
  userHash: string;
  good: boolean;
  /** A 👎's optional one-line reason. */
  reason?: string;
  ratedAt: number;
}

export type RatingRow = NewRating;

/** `missing`: no answered question has that id (never logged, pruned or forgotten). */
export type RateOutcome = 'recorded' | 'duplicate' | 'missing';

/** What `Store.forgetUser` deleted, per kind. */
export interface ForgetCounts {
  questions: number;
  ratings: number;
  quizAnswers: number;
  scores: number;
  reviewCards: number;
  reviewLogs: number;
  /** Quizzes that named the user as their starter or stopper and no longer do. */
  quizSessions: number;
}

/**
 * The starter a forgotten user's quizzes keep (`started_by` cannot be empty): shown as
 * "(forgotten)"; only a moderator can stop such a quiz.
 */
export const FORGOTTEN_USER_KEY = 'forgotten:(forgotten)';

/** What `Store.pruneLog` deleted. */
export interface PruneCounts {
  questions: number;
  ratings: number;
}

export interface Store {
  /**
   * Create a running session and its planned questions in one transaction, owned by
   * `session.owner` with a lease until `clock() + session.leaseMs`. Fails with the
   * running session when the channel already has one (a unique index decides, so two
   * processes cannot both win). Rejects a bad owner or `leaseMs` (`checkLease`).
   */
  createSession(
    session: NewSession,
    questions: readonly PlannedQuestion[],
  ): Promise<{ ok: true; session: SessionRow } | { ok: false; running?: SessionRow }>;
  getSession(id: number): Promise<SessionRow | undefined>;
  runningSession(channelKey: string): Promise<SessionRow | undefined>;
  /** Running sessions, optionally only those of one owner process. */
  runningSessions(owner?: string): Promise<SessionRow[]>;
  /** The database's clock, ms since the epoch: what `leaseUntil` is compared with. */
  clock(): Promise<number>;
  /**
   * Renew `owner`'s leases: every running session whose owner is `owner` gets
   * `leaseUntil = clock() + leaseMs`, in one statement; returns their ids, ascending. A lease
   * that has expired but that no one has claimed yet is renewed too (the owner is still the
   * owner); a session another instance has claimed is not `owner`'s any more and is left
   * alone, so the caller learns from the result which quizzes it still runs. Atomic with
   * `claimExpired`: for each session one of the two wins (row lock / write lock), never both.
   * Rejects bad arguments (`checkLease`).
   */
  renewLeases(owner: string, leaseMs: number): Promise<number[]>;
  /**
   * Take over running sessions whose lease has expired (`leaseUntil <= clock()`): each gets
   * `owner = owner` and `leaseUntil = clock() + leaseMs`; returns them as updated, by id, at
   * most `limit` (≥ 1) of them. One conditional UPDATE that re-checks expiry on the row it
   * changes (PostgreSQL: `… WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) AND lease_until <=
   * now RETURNING *`), so when several instances claim at once each session goes to exactly
   * one of them. Claims `owner`'s own expired sessions too (its renewal was late). With
   * `platforms`, only sessions on those platforms (an instance takes over only quizzes it can
   * post to: a Slack-only instance leaves a Discord quiz to a Discord one). Rejects bad
   * arguments (`checkLease`).
   */
  claimExpired(
    owner: string,
    leaseMs: number,
    limit: number,
    platforms?: readonly Platform[],
  ): Promise<SessionRow[]>;
  /**
   * Give up `owner`'s leases (graceful shutdown): its running sessions get `leaseUntil = 0`,
   * so any instance may claim them at once; the owner column is kept. Returns how many.
   */
  releaseLeases(owner: string): Promise<number>;
  /** Open question `idx` (sets the session's current index). False if it was opened already. */
  openQuestion(
    sessionId: number,
    idx: number,
    openedAt: number,
    closesAt: number,
  ): Promise<boolean>;
  getQuestion(sessionId: number, idx: number): Promise<QuestionRow | undefined>;
  questions(sessionId: number): Promise<QuestionRow[]>;
  /**
   * Record an answer and add it to the quiz's scores, atomically. The database rejects a
   * second answer by the same user to the same question (`duplicate`) and any answer to a
   * question that is not open at `answeredAt` (`closed`). A missed question can enter the
   * user's review queue in the same transaction.
   */
  recordAnswer(answer: NewAnswer, reviewCard?: CardRow): Promise<RecordOutcome>;
  answer(sessionId: number, idx: number, userKey: string): Promise<AnswerRow | undefined>;
  answers(sessionId: number, idx: number): Promise<AnswerRow[]>;
  /** Users who answered any question of the session before question `beforeIdx`. */
  players(sessionId: number, beforeIdx: number): Promise<string[]>;
  /** Mark a question revealed. True for exactly one caller. */
  revealQuestion(sessionId: number, idx: number, at: number): Promise<boolean>;
  /**
   * Record that a quiz post (a question, a reveal, the end) was delivered — or that delivering
   * it was tried and failed for good. Until then the post is owed: an instance that takes the
   * quiz over posts it (an ended quiz whose end is owed keeps its lease and can be claimed).
   * True for exactly one caller; false when already marked (or no such question / no ended
   * session).
   */
  markPosted(sessionId: number, post: QuizPost, at: number): Promise<boolean>;
  /**
   * End a running session. True for exactly one caller. With `owner`, the session is handed to
   * that instance in the same statement (lease `leaseMs` from now on the store's clock): the
   * instance that ends a quiz posts its scoreboard, so it must hold the quiz until then (an
   * instance that stops another's quiz takes it; the old owner's renewal then drops it).
   */
  finishSession(
    sessionId: number,
    status: Exclude<SessionStatus, 'running'>,
    at: number,
    by?: string,
    owner?: { name: string; leaseMs: number },
  ): Promise<boolean>;
  /** The session's scores, best first. */
  scoreboard(sessionId: number): Promise<ScoreRow[]>;
  /** Points per user in a channel from answers given since `since`, best first. */
  leaderboard(channelKey: string, since: number, limit: number): Promise<LeaderRow[]>;
  /** A user's quiz and review answers per topic. */
  topicStats(userKey: string): Promise<TopicStatRow[]>;
  /**
   * How many times each of `questionIds` was asked (opened) in the quizzes of a channel: the
   * history behind "no repeats". Ids never asked there are left out; order is unspecified.
   */
  askedCounts(channelKey: string, questionIds: readonly string[]): Promise<AskedCount[]>;

  getCard(userKey: string, questionId: string): Promise<CardRow | undefined>;
  dueCards(userKey: string, now: number, limit: number): Promise<CardRow[]>;
  cardCounts(
    userKey: string,
    now: number,
  ): Promise<{ due: number; total: number; nextDue?: number }>;
  /** Add a card unless the user has it (then only bring its due date forward). */
  addCard(card: CardRow): Promise<void>;
  /** Delete one card (its review log stays): for a card whose question left the bank. */
  dropCard(userKey: string, questionId: string): Promise<void>;
  /**
   * Save a graded card and its log line in one transaction, only if the card still has
   * `expectedReps` repetitions (so a double click cannot grade it twice). True if saved.
   */
  saveReview(card: CardRow, expectedReps: number, log: ReviewLogRow): Promise<boolean>;

  /**
   * Claim a platform event (e.g. `slack:Ev123`) so that it is answered once: true for exactly
   * one caller across every process that shares the store, false for all others until the
   * claim expires at `now + ttlMs` (then the key can be claimed again). Expired claims are
   * deleted from time to time. `ttlMs` should cover the platform's retry window. A key that
   * is empty or a `ttlMs` that is not a positive number is refused (`StoreError`).
   */
  claimEvent(key: string, now: number, ttlMs: number): Promise<boolean>;

  /**
   * The installation's secret salt for hashing user ids: the first call stores `candidate`
   * (created once, never replaced); every call returns the stored salt.
   */
  installSalt(candidate: string): Promise<string>;
  /** Add a question to the log; returns its id. */
  logQuestion(question: NewLoggedQuestion): Promise<number>;
  loggedQuestion(id: number): Promise<LoggedQuestion | undefined>;
  /**
   * Record which topic the user picked after a did-you-mean. Only the first pick of a
   * logged `clarify` question counts: true if this one was recorded.
   */
  recordPick(questionId: number, topic: number, at: number): Promise<boolean>;
  /**
   * Rate an answered question. The database keeps one rating per user and question
   * (`duplicate` for a second); a question that is not a logged answer is `missing`.
   */
  rate(rating: NewRating): Promise<RateOutcome>;
  /** Logged questions asked at or after `since`, oldest first. */
  questionsSince(since: number): Promise<LoggedQuestion[]>;
  /** Ratings given at or after `since`, oldest first. */
  ratingsSince(since: number): Promise<RatingRow[]>;
  /**
   * Delete everything kept about one user, in one transaction: the logged questions and
   * ratings of `userHash` (and the ratings others gave those questions), and the quiz
   * answers, quiz scores, review cards and review log of `userKey`.
   */
  forgetUser(userHash: string, userKey: string): Promise<ForgetCounts>;
  /** Delete logged questions asked, and ratings given, before `before` (and ratings of those questions). */
  pruneLog(before: number): Promise<PruneCounts>;

  close(): Promise<void>;
}

/**
 * The platform part of a store key: `llm-tutor run` (`cli`) is the terminal chat's user in the
 * chat's place, so its /stats, /leaderboard and /review read the chat's scores.
 */
function keyPlatform(platform: string): string {
  return platform === 'cli' ? 'console' : platform;
}

/** The key of a user across the store: `platform:userId`. */
export function userKeyOf(platform: string, userId: string): string {
  return `${keyPlatform(platform)}:${userId}`;
}

/** The key of a channel (or thread): `platform:channel[:thread]`. */
export function channelKeyOf(platform: string, channelId: string, threadId?: string): string {
  const p = keyPlatform(platform);
  return threadId ? `${p}:${channelId}:${threadId}` : `${p}:${channelId}`;
}
