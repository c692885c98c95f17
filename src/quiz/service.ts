/**
 * Channel quizzes: one question at a time, a timer per question, the first answer of each
 * person counts, reveal when time is up or when everyone who joined has answered, a final
 * scoreboard. Everything that matters is written to the store as it happens. Timers live in
 * the instance that owns the quiz's lease (lease.ts): answers may arrive at any instance, and
 * when the owner stops renewing, another instance (or this process after a restart) takes the
 * quiz over and re-arms its timers from the stored state.
 *
 * The service knows nothing of chat platforms: it publishes `QuizEvent`s, and the command
 * layer turns them into replies posted to the channel.
 *
 * Who has "joined": in a DM (and the terminal) the person who started; in a channel, everyone
 * who answered an earlier question of this quiz. So the first question of a channel quiz
 * always runs its full time (everyone can join), and later ones close early once every
 * player has answered.
 */
import type { pino } from 'pino';
import type { Lang } from '../knowledge/text.js';
import type {
  AnswerRow,
  LeaderRow,
  Platform,
  QuestionRow,
  QuizPost,
  ScoreRow,
  SessionRow,
  SessionStatus,
  Store,
  TopicStatRow,
} from '../store/types.js';
import { channelKeyOf } from '../store/types.js';
import { isCorrect, parseAnswer } from './answer.js';
import { ALL_TOPICS, type BankQuestion, type Difficulty, type QuizBank } from './bank.js';
import { realScheduler, type Scheduler, type Task } from './clock.js';
import { DEFAULT_LEASE, instanceName, type LeaseTiming, leaseTimingProblem } from './lease.js';
import { newReviewCard } from './review.js';
import { pointsFor } from './scoring.js';
import { planQuiz, type QuizKind } from './select.js';

export const QUIZ_LIMITS = {
  count: { min: 1, max: 20, default: 5 },
  seconds: { min: 10, max: 120, default: 30 },
} as const;

export const DAY_MS = 86_400_000;
export const PERIODS = { week: 7 * DAY_MS, month: 30 * DAY_MS, all: Number.POSITIVE_INFINITY };
export type Period = keyof typeof PERIODS;

/** Where a quiz runs (structurally the core's Destination plus whether it is a DM). */
export interface QuizPlace {
  platform: Platform;
  channelId: string;
  threadId?: string;
  isDM: boolean;
}

export interface Player {
  /** `platform:userId`. */
  key: string;
  name?: string;
}

export interface QuizSession {
  id: number;
  place: QuizPlace;
  channelKey: string;
  starter: Player;
  lang: Lang;
  topic: number | null;
  count: number;
  seconds: number;
  status: SessionStatus;
  currentIndex: number;
  startedAt: number;
}

export type EndReason = 'completed' | 'stopped' | 'interrupted';

/** Why a quiz ended, from its stored status. */
const END_REASON: Record<Exclude<SessionStatus, 'running'>, EndReason> = {
  finished: 'completed',
  stopped: 'stopped',
  interrupted: 'interrupted',
};

export type QuizEvent =
  | {
      type: 'question';
      session: QuizSession;
      index: number;
      question: BankQuestion;
      closesAt: number;
    }
  | {
      type: 'reveal';
      session: QuizSession;
      index: number;
      question: BankQuestion;
      answers: AnswerRow[];
      /** Right answers, fastest first. */
      right: AnswerRow[];
      /** Milliseconds until the next question; absent after the last one. */
      nextInMs?: number;
    }
  | {
      type: 'end';
      session: QuizSession;
      reason: EndReason;
      scoreboard: ScoreRow[];
      /** Questions asked (opened) before the end. */
      asked: number;
      /** The topics of the questions asked, in order of first appearance. */
      topics: number[];
      /** The asked question most players got wrong (none when nobody missed one). */
      missed?: MissedQuestion;
      /** Who stopped it (a quiz stopped early). */
      by?: Player;
    };

export interface MissedQuestion {
  index: number;
  question: BankQuestion;
  /** Wrong answers to it, and all answers. */
  wrong: number;
  answered: number;
}

/**
 * pino's logger, of which the engine reports errors, and takeovers of other instances' quizzes
 * at info level when it has `info` (the core's `Logger`).
 */
export type QuizLogger = Pick<pino.Logger, 'error'> & Partial<Pick<pino.Logger, 'info'>>;

export interface QuizServiceOptions {
  store: Store;
  bank: QuizBank;
  /** Delivers events to the channel; a failure is logged and the quiz goes on. */
  publish(event: QuizEvent): Promise<void>;
  scheduler?: Scheduler;
  random?: () => number;
  /** This instance's name among those sharing the store (default `instanceName()`). */
  owner?: string;
  /** Lease length, renewal/sweep interval and stale limit (default `DEFAULT_LEASE`). */
  lease?: Partial<LeaseTiming>;
  /**
   * The platforms this instance posts to: it takes over only their quizzes (default: every
   * platform). A Slack-only instance must not claim a Discord quiz it cannot post in.
   */
  platforms?: readonly Platform[];
  /** Pause between a reveal and the next question, ms (default 3000). */
  pauseMs?: number;
  /** Delay before the first question, so the start reply is shown first (default 0). */
  startDelayMs?: number;
  logger?: QuizLogger;
}

export interface StartRequest {
  place: QuizPlace;
  starter: Player;
  lang: Lang;
  /** One topic, all of them, or a list (the caller's weakest topics). */
  topic: number | 'all' | readonly number[];
  count: number;
  seconds: number;
  /** Only questions of this difficulty (default: every level). */
  level?: Difficulty;
  /** Written, calculation or both (default written). */
  kind?: QuizKind;
}

export type StartResult =
  /** `available`: the written questions there were to choose from. */
  | { status: 'started'; session: QuizSession; available: number }
  | { status: 'busy'; session?: QuizSession }
  | { status: 'invalid'; field: 'topic' | 'count' | 'seconds' | 'level' | 'kind' };

export interface AnswerRequest {
  place: QuizPlace;
  player: Player;
  value: string;
  /** The question a button belongs to; absent for a typed answer (= the current question). */
  ref?: { sessionId: number; index: number };
}

export type AnswerResult =
  | {
      status: 'recorded';
      session: QuizSession;
      index: number;
      question: BankQuestion;
      value: string;
    }
  | {
      status: 'duplicate';
      session: QuizSession;
      index: number;
      question: BankQuestion;
      first: string;
    }
  | {
      status: 'closed';
      session: QuizSession;
      index: number;
      /** The question open now in the same quiz, if any. */
      openIndex?: number;
      /** This person's answer to the closed question, if they gave one. */
      answered?: string;
    }
  | { status: 'invalid'; session: QuizSession; index: number; question: BankQuestion }
  | { status: 'no-quiz' };

export type StopResult =
  | { status: 'stopping'; session: QuizSession }
  | { status: 'no-quiz' }
  | { status: 'forbidden'; session: QuizSession };

export interface TopicStat extends TopicStatRow {
  accuracy: number;
}

export interface PlayerStats {
  topics: TopicStat[];
  answered: number;
  correct: number;
  weakest?: TopicStat;
}

export function placeKey(place: QuizPlace): string {
  return channelKeyOf(place.platform, place.channelId, place.threadId);
}

function sessionOf(row: SessionRow): QuizSession {
  const place: QuizPlace = { platform: row.platform, channelId: row.channelId, isDM: row.isDM };
  if (row.threadId !== undefined) place.threadId = row.threadId;
  const starter: Player = { key: row.startedBy };
  if (row.startedByName !== undefined) starter.name = row.startedByName;
  return {
    id: row.id,
    place,
    channelKey: row.channelKey,
    starter,
    lang: row.lang === 'zh' ? 'zh' : 'en',
    topic: row.topic,
    count: row.questionCount,
    seconds: row.seconds,
    status: row.status,
    currentIndex: row.currentIndex,
    startedAt: row.startedAt,
  };
}

/** Is this question of this quiz taking answers at `now`? */
function isOpen(
  row: SessionRow,
  question: QuestionRow,
  now: number,
): question is QuestionRow & { openedAt: number } {
  return (
    row.status === 'running' &&
    question.openedAt !== undefined &&
    question.revealedAt === undefined &&
    now <= (question.closesAt ?? 0)
  );
}

/** Expired quizzes one sweep claims at most (the next tick takes the rest). */
const CLAIM_LIMIT = 20;

/** A topic is ranked for "weakest" only once it has at least this many answers. */
export const WEAKEST_MIN_ANSWERS = 2;

/**
 * The one rule for the weakest topic (the /stats line and the mark in its table): the lowest
 * accuracy among topics with at least `minAnswers` answers, compared as exact fractions; a tie
 * goes to the topic with fewer answers, then the lower topic number. None when no topic has
 * enough answers or the lowest accuracy is 100 %.
 */
export function weakestTopic<T extends TopicStatRow>(
  topics: readonly T[],
  minAnswers = WEAKEST_MIN_ANSWERS,
): T | undefined {
  return weakestTopics(topics, 1, minAnswers)[0];
}

/**
 * Up to `max` weak topics, weakest first, by the rule of `weakestTopic`: topics with at least
 * `minAnswers` answers and not all of them right.
 */
export function weakestTopics<T extends TopicStatRow>(
  topics: readonly T[],
  max: number,
  minAnswers = WEAKEST_MIN_ANSWERS,
): T[] {
  return topics
    .filter((t) => t.answered >= Math.max(1, minAnswers) && t.correct < t.answered)
    .sort(
      (t, w) =>
        t.correct * w.answered - w.correct * t.answered ||
        t.answered - w.answered ||
        t.topic - w.topic,
    )
    .slice(0, max);
}

/** Accuracy per topic and the weakest topic (`weakestTopic`). */
export function summarizeStats(rows: readonly TopicStatRow[]): PlayerStats {
  const topics = rows.map((r) => ({ ...r, accuracy: r.answered > 0 ? r.correct / r.answered : 0 }));
  const answered = rows.reduce((s, r) => s + r.answered, 0);
  const correct = rows.reduce((s, r) => s + r.correct, 0);
  const weakest = weakestTopic(topics);
  return weakest ? { topics, answered, correct, weakest } : { topics, answered, correct };
}

export class QuizService {
  readonly store: Store;
  readonly bank: QuizBank;
  private readonly publishEvent: (event: QuizEvent) => Promise<void>;
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  readonly owner: string;
  readonly lease: LeaseTiming;
  private readonly platforms: readonly Platform[] | undefined;
  /** Quizzes this instance is stopping (`stop`, counted): their scoreboard is on its way. */
  private readonly ending = new Map<number, number>();
  /** The stops whose reveal and scoreboard are still to be posted (see `settle`). */
  private readonly stopping = new Set<Promise<void>>();
  private readonly pauseMs: number;
  private readonly startDelayMs: number;
  private readonly logger: QuizLogger;
  private readonly timers = new Map<number, Set<unknown>>();
  /** Steps running now, per quiz. */
  private readonly stepping = new Map<number, number>();
  private readonly inflight = new Set<Promise<void>>();
  private heartbeat: unknown;
  private ticking = false;
  /** Sweep for other instances' expired leases (set by `recover()`, i.e. by a running bot). */
  private sweeping = false;
  private closed = false;

  constructor(options: QuizServiceOptions) {
    this.store = options.store;
    this.bank = options.bank;
    this.publishEvent = options.publish;
    this.scheduler = options.scheduler ?? realScheduler;
    this.random = options.random ?? Math.random;
    this.owner = options.owner ?? instanceName();
    this.lease = { ...DEFAULT_LEASE, ...options.lease };
    this.platforms = options.platforms;
    const problem = leaseTimingProblem(this.lease);
    if (problem) throw new Error(problem);
    this.pauseMs = options.pauseMs ?? 3000;
    this.startDelayMs = options.startDelayMs ?? 0;
    this.logger = options.logger ?? {
      error: (obj: unknown, msg?: string) => console.error(msg, obj),
    };
  }

  now(): number {
    return this.scheduler.now();
  }

  /** Start a quiz in a channel; the first question is posted right after. */
  async start(req: StartRequest): Promise<StartResult> {
    const { count, seconds } = QUIZ_LIMITS;
    if (!Number.isInteger(req.count) || req.count < count.min || req.count > count.max) {
      return { status: 'invalid', field: 'count' };
    }
    if (!Number.isInteger(req.seconds) || req.seconds < seconds.min || req.seconds > seconds.max) {
      return { status: 'invalid', field: 'seconds' };
    }
    const place = req.place;
    const topics = req.topic === 'all' ? ALL_TOPICS : [req.topic].flat();
    const plan = await planQuiz(
      this.bank,
      {
        topics,
        kind: req.kind ?? 'written',
        count: req.count,
        ...(req.level ? { level: req.level } : {}),
      },
      async (ids) => {
        const rows = await this.store.askedCounts(placeKey(place), ids);
        return new Map(rows.map((r) => [r.questionId, r.times]));
      },
      this.random,
    );
    if (!plan.ok) return { status: 'invalid', field: plan.field };
    const picked = plan.questions;
    const created = await this.store.createSession(
      {
        channelKey: placeKey(place),
        platform: place.platform,
        channelId: place.channelId,
        ...(place.threadId !== undefined ? { threadId: place.threadId } : {}),
        isDM: place.isDM,
        owner: this.owner,
        leaseMs: this.lease.leaseMs,
        startedBy: req.starter.key,
        ...(req.starter.name !== undefined ? { startedByName: req.starter.name } : {}),
        lang: req.lang,
        topic: topics.length === 1 && req.topic !== 'all' ? topics[0]! : null,
        seconds: req.seconds,
        startedAt: this.now(),
      },
      picked.map((q) => ({ questionId: q.id, topic: q.topic })),
    );
    if (!created.ok) {
      return created.running
        ? { status: 'busy', session: sessionOf(created.running) }
        : { status: 'busy' };
    }
    const session = sessionOf(created.session);
    this.after(session.id, this.startDelayMs, () => this.open(session.id, 0));
    this.beat();
    return { status: 'started', session, available: plan.available };
  }

  /** The quiz running in a channel, if any. */
  async running(place: QuizPlace): Promise<QuizSession | undefined> {
    const row = await this.store.runningSession(placeKey(place));
    return row ? sessionOf(row) : undefined;
  }

  async session(id: number): Promise<QuizSession | undefined> {
    const row = await this.store.getSession(id);
    return row ? sessionOf(row) : undefined;
  }

  /**
   * The question open now in this place (opened, not revealed, time not up), if any: what a
   * typed message may be an answer to.
   */
  async openQuestion(
    place: QuizPlace,
  ): Promise<{ session: QuizSession; index: number; question: BankQuestion } | undefined> {
    const row = await this.store.runningSession(placeKey(place));
    if (!row || row.currentIndex < 0) return undefined;
    const qrow = await this.store.getQuestion(row.id, row.currentIndex);
    const question = qrow ? this.bank.get(qrow.questionId) : undefined;
    if (!qrow || !question || !isOpen(row, qrow, this.now())) return undefined;
    return { session: sessionOf(row), index: row.currentIndex, question };
  }

  /** Record one answer. Never reveals anything to the person; the reveal is for the channel. */
  async answer(req: AnswerRequest): Promise<AnswerResult> {
    const key = placeKey(req.place);
    let row: SessionRow | undefined;
    if (req.ref) {
      row = await this.store.getSession(req.ref.sessionId);
      if (!row || row.channelKey !== key) return { status: 'no-quiz' };
    } else {
      row = await this.store.runningSession(key);
      if (!row) return { status: 'no-quiz' };
    }
    const session = sessionOf(row);
    const index = req.ref ? req.ref.index : Math.max(0, row.currentIndex);
    const qrow = await this.store.getQuestion(session.id, index);
    const question = qrow ? this.bank.get(qrow.questionId) : undefined;
    const now = this.now();
    const closed = async (): Promise<AnswerResult> => {
      const mine = await this.store.answer(session.id, index, req.player.key);
      const current = await this.store.getSession(session.id);
      const openIndex =
        current?.status === 'running' && current.currentIndex >= 0
          ? current.currentIndex
          : undefined;
      const openQ =
        openIndex !== undefined ? await this.store.getQuestion(session.id, openIndex) : undefined;
      return {
        status: 'closed',
        session,
        index,
        ...(openQ && openQ.revealedAt === undefined && openIndex !== index ? { openIndex } : {}),
        ...(mine ? { answered: mine.answer } : {}),
      };
    };
    if (!qrow || !question || !isOpen(row, qrow, now)) return closed();
    const value = parseAnswer(question, req.value);
    if (value === undefined) return { status: 'invalid', session, index, question };
    const correct = isCorrect(question, value);
    const elapsedMs = Math.max(0, now - qrow.openedAt);
    const outcome = await this.store.recordAnswer(
      {
        sessionId: session.id,
        idx: index,
        userKey: req.player.key,
        ...(req.player.name !== undefined ? { userName: req.player.name } : {}),
        answer: value,
        correct,
        points: pointsFor(correct, elapsedMs, session.seconds * 1000),
        elapsedMs,
        answeredAt: now,
      },
      correct
        ? undefined
        : newReviewCard(req.player.key, question, qrow.closesAt ?? now, `quiz:${session.id}`),
    );
    if (outcome === 'duplicate') {
      const first = await this.store.answer(session.id, index, req.player.key);
      return { status: 'duplicate', session, index, question, first: first?.answer ?? value };
    }
    if (outcome === 'closed') return closed();
    // the owner reveals; an answer taken by another instance is noticed on the owner's tick
    if (this.armed(session.id) && (await this.everyoneAnswered(session, index))) {
      this.after(session.id, 0, () => this.reveal(session.id, index));
    }
    return { status: 'recorded', session, index, question, value };
  }

  private async everyoneAnswered(session: QuizSession, index: number): Promise<boolean> {
    const joined = new Set(await this.store.players(session.id, index));
    if (session.place.isDM) joined.add(session.starter.key);
    if (joined.size === 0) return false;
    const answered = new Set((await this.store.answers(session.id, index)).map((a) => a.userKey));
    for (const p of joined) if (!answered.has(p)) return false;
    return true;
  }

  /** End the channel's quiz early: the starter, or anyone when `moderator` is true. */
  async stop(place: QuizPlace, player: Player, moderator = false): Promise<StopResult> {
    const row = await this.store.runningSession(placeKey(place));
    if (!row) return { status: 'no-quiz' };
    const session = sessionOf(row);
    if (row.startedBy !== player.key && !moderator) return { status: 'forbidden', session };
    // this instance posts the end, so it takes the quiz (the owner's renewal then drops it);
    // until the step below runs, its own tick must not take the end for an owed one
    const me = { name: this.owner, leaseMs: this.lease.leaseMs };
    this.ending.set(row.id, (this.ending.get(row.id) ?? 0) + 1);
    let posted = () => {};
    const stopped = new Promise<void>((resolve) => {
      posted = resolve;
    });
    this.stopping.add(stopped);
    const done = () => {
      const left = (this.ending.get(row.id) ?? 1) - 1;
      if (left > 0) this.ending.set(row.id, left);
      else this.ending.delete(row.id);
      this.stopping.delete(stopped);
      posted();
    };
    if (!(await this.store.finishSession(row.id, 'stopped', this.now(), player.key, me))) {
      done();
      return { status: 'no-quiz' };
    }
    this.cancel(row.id);
    this.after(row.id, 0, async () => {
      const idx = row.currentIndex;
      try {
        if (idx >= 0) await this.reveal(row.id, idx, false);
        await this.announceEnd(row.id, 'stopped', player);
      } finally {
        done();
      }
    });
    return { status: 'stopping', session };
  }

  /**
   * Join the instances sharing the store (at start-up): start the lease heartbeat and sweep
   * once now. Quizzes whose lease has expired — a crashed instance's, or this process's before
   * a restart — are taken over and carried on from their stored state (or closed with their
   * scoreboard when stale); a quiz another live instance runs is left alone. Returns the
   * quizzes taken over.
   */
  async recover(): Promise<QuizSession[]> {
    this.sweeping = true;
    this.beat();
    return this.sweep();
  }

  /** Does this instance run quiz `sessionId` now (a timer armed or a step running)? */
  armed(sessionId: number): boolean {
    return this.timers.has(sessionId) || this.stepping.has(sessionId);
  }

  /** Give up this instance's leases (after `close()`), so another takes its quizzes at once. */
  async release(): Promise<number> {
    return this.store.releaseLeases(this.owner);
  }

  async leaderboard(place: QuizPlace, period: Period, limit = 10): Promise<LeaderRow[]> {
    const span = PERIODS[period];
    const since = Number.isFinite(span) ? this.now() - span : 0;
    return this.store.leaderboard(placeKey(place), since, limit);
  }

  async stats(playerKey: string): Promise<PlayerStats> {
    return summarizeStats(await this.store.topicStats(playerKey));
  }

  /** Wait until no timer callback is running (tests, shutdown). */
  /**
   * Resolve once every `/quiz stop` has posted its reveal and scoreboard: the terminal chat
   * waits for this before it stops printing (a `/quit` right after `/quiz stop`).
   */
  async settle(): Promise<void> {
    while (this.stopping.size > 0) await Promise.all([...this.stopping]);
  }

  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Cancel every timer and the heartbeat; the store stays open (the caller closes it). */
  close(): void {
    this.closed = true;
    for (const id of [...this.timers.keys()]) this.cancel(id);
    this.rest();
  }

  /** Stop the heartbeat (`beat()` starts it again). */
  private rest(): void {
    if (this.heartbeat !== undefined) this.scheduler.clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
  }

  // ——— leases ———

  /**
   * Keep the heartbeat going: one `tick` every `tickMs` until `close()`, while this instance
   * sweeps or runs a quiz (a library user's service that never called `recover()` stops
   * ticking once its quizzes are over; `start()` starts it again).
   */
  private beat(): void {
    if (this.closed || this.heartbeat !== undefined || this.ticking) return;
    this.heartbeat = this.scheduler.setTimeout(() => {
      this.heartbeat = undefined;
      this.ticking = true;
      const run = this.tick()
        .catch((err: unknown) => {
          this.logger.error({ err, owner: this.owner }, 'quiz lease tick failed');
        })
        .finally(() => {
          this.inflight.delete(run);
          this.ticking = false;
          if (this.sweeping || this.timers.size > 0 || this.stepping.size > 0) this.beat();
        });
      this.inflight.add(run);
      return run;
    }, this.lease.tickMs);
  }

  /**
   * Renew this instance's leases; stop the quizzes it lost, re-arm those it owns without
   * timers, reveal a question everyone has answered (answers taken by other instances are
   * noticed here, within one tick); then sweep for expired leases.
   */
  private async tick(): Promise<void> {
    // the timers armed before the renewal: a quiz this instance no longer owns (taken over, or
    // ended) loses those, but not a step armed meanwhile (the final reveal and scoreboard of a
    // `/quiz stop` that ended it while the renewal ran)
    const before = [...this.timers].map(([id, set]) => [id, [...set]] as const);
    const owned = new Set(await this.store.renewLeases(this.owner, this.lease.leaseMs));
    for (const [id, handles] of before) if (!owned.has(id)) this.cancel(id, handles);
    for (const id of owned) {
      if (this.closed) return;
      if (this.armed(id)) {
        await this.revealIfAllAnswered(id);
        continue;
      }
      const row = await this.store.getSession(id);
      if (row) await this.resume(row);
    }
    await this.sweep();
  }

  /** Claim quizzes whose lease has expired and carry them on here. */
  private async sweep(): Promise<QuizSession[]> {
    if (this.closed || !this.sweeping) return [];
    const { owner, platforms } = this;
    const claimed = await this.store.claimExpired(
      owner,
      this.lease.leaseMs,
      CLAIM_LIMIT,
      platforms,
    );
    for (const row of claimed) await this.resume(row);
    if (claimed.length) {
      this.logger.info?.(
        { owner: this.owner, quizzes: claimed.map((r) => r.id) },
        'quiz leases: took over',
      );
    }
    return claimed.map(sessionOf);
  }

  /**
   * Carry on a quiz this instance has come to own, from its stored state: first the post its
   * last owner left owed (it died between a step and its post), then the timers: the open
   * question keeps its closing time (revealed at once if past due), a revealed one is followed
   * by the next question or the end. A quiz whose next step fell due more than `staleMs` ago
   * is closed instead: its open question revealed, its scoreboard posted as interrupted. An
   * ended quiz whose scoreboard is owed gets it posted.
   */
  private async resume(row: SessionRow): Promise<void> {
    if (this.armed(row.id) || this.ending.has(row.id)) return;
    if (row.status === 'running') this.after(row.id, 0, () => this.carryOn(row.id));
    else if (row.endPostedAt === undefined) this.after(row.id, 0, () => this.closeOwed(row.id));
  }

  /**
   * An ended quiz whose scoreboard is owed (its last owner died first): the open question's
   * reveal, if owed too (a stop ends the quiz before revealing), then the scoreboard.
   */
  private async closeOwed(id: number): Promise<void> {
    const row = await this.store.getSession(id);
    if (!row || row.status === 'running' || row.endPostedAt !== undefined) return;
    const idx = row.currentIndex;
    const q = idx >= 0 ? await this.store.getQuestion(id, idx) : undefined;
    if (q?.openedAt !== undefined) {
      if (q.revealedAt === undefined) await this.reveal(id, idx, false);
      else await this.postOwed(row, q);
    }
    const by = row.endedBy === undefined ? undefined : { key: row.endedBy };
    await this.announceEnd(id, END_REASON[row.status], by);
  }

  private async carryOn(id: number): Promise<void> {
    const row = await this.store.getSession(id);
    if (row?.status !== 'running') return;
    const idx = row.currentIndex;
    const q = idx >= 0 ? await this.store.getQuestion(id, idx) : undefined;
    const now = this.now();
    const due = !q
      ? row.startedAt + this.startDelayMs
      : q.revealedAt === undefined
        ? (q.closesAt ?? now)
        : q.revealedAt + this.pauseMs;
    if (now - due > this.lease.staleMs) {
      // nobody is waiting: no late question; the reveal (owed or not) and the end follow
      if (q?.revealedAt !== undefined) await this.postOwed(row, q);
      this.after(id, 0, () => this.closeStale(id));
      return;
    }
    if (q) await this.postOwed(row, q);
    const wait = Math.max(0, due - this.now());
    if (!q) this.after(id, wait, () => this.open(id, 0));
    else if (q.revealedAt === undefined) this.after(id, wait, () => this.reveal(id, idx));
    else if (idx + 1 < row.questionCount) this.after(id, wait, () => this.open(id, idx + 1));
    else this.after(id, 0, () => this.complete(id));
  }

  /**
   * Post what the last owner left owed on question `q`: the question (opened, never posted,
   * not yet revealed) and its reveal (revealed, never posted). True when it posted anything.
   */
  private async postOwed(row: SessionRow, q: QuestionRow): Promise<boolean> {
    const question = this.bank.get(q.questionId);
    if (!question) return false;
    const session = sessionOf(row);
    let posted = false;
    if (q.openedAt !== undefined && q.postedAt === undefined && q.revealedAt === undefined) {
      const closesAt = q.closesAt ?? this.now();
      await this.post({ type: 'question', session, index: q.idx, question, closesAt });
      posted = true;
    }
    if (q.revealedAt !== undefined && q.revealPostedAt === undefined) {
      const going = row.status === 'running' && q.idx + 1 < row.questionCount;
      const next = going ? Math.max(0, q.revealedAt + this.pauseMs - this.now()) : undefined;
      await this.post(await this.revealEvent(row, q.idx, question, next));
      posted = true;
    }
    return posted;
  }

  private async revealIfAllAnswered(sessionId: number): Promise<void> {
    const row = await this.store.getSession(sessionId);
    if (!row || row.currentIndex < 0) return;
    const idx = row.currentIndex;
    const q = await this.store.getQuestion(sessionId, idx);
    if (!q || !isOpen(row, q, this.now())) return;
    if (await this.everyoneAnswered(sessionOf(row), idx)) {
      this.after(sessionId, 0, () => this.reveal(sessionId, idx));
    }
  }

  private async closeStale(sessionId: number): Promise<void> {
    const row = await this.store.getSession(sessionId);
    if (row?.status !== 'running') return;
    if (row.currentIndex >= 0) await this.reveal(sessionId, row.currentIndex, false);
    if (await this.store.finishSession(sessionId, 'interrupted', this.now())) {
      await this.announceEnd(sessionId, 'interrupted');
    }
  }

  /** Finish a quiz that ran to its end (once) and post its scoreboard. */
  private async complete(sessionId: number): Promise<void> {
    if (await this.store.finishSession(sessionId, 'finished', this.now())) {
      await this.announceEnd(sessionId, 'completed');
    }
  }

  // ——— timers and steps ———

  private after(sessionId: number, ms: number, step: () => Promise<void>): void {
    if (this.closed) return;
    const set = this.timers.get(sessionId) ?? new Set<unknown>();
    this.timers.set(sessionId, set);
    const task: Task = () => {
      set.delete(handle);
      if (set.size === 0 && this.timers.get(sessionId) === set) this.timers.delete(sessionId);
      if (this.closed) return;
      this.stepping.set(sessionId, (this.stepping.get(sessionId) ?? 0) + 1);
      const run = step().catch((err: unknown) => {
        this.logger.error({ err, sessionId }, 'quiz step failed');
      });
      this.inflight.add(run);
      return run.finally(() => {
        this.inflight.delete(run);
        const left = (this.stepping.get(sessionId) ?? 1) - 1;
        if (left > 0) this.stepping.set(sessionId, left);
        else this.stepping.delete(sessionId);
        if (!this.sweeping && this.timers.size === 0 && this.stepping.size === 0) this.rest();
      });
    };
    const handle = this.scheduler.setTimeout(task, ms);
    set.add(handle);
  }

  /** Clear quiz `sessionId`'s timers (only those in `handles`, when given). */
  private cancel(sessionId: number, handles?: readonly unknown[]): void {
    const set = this.timers.get(sessionId);
    if (!set) return;
    for (const h of handles ?? [...set]) {
      if (set.delete(h)) this.scheduler.clearTimeout(h);
    }
    if (set.size === 0) this.timers.delete(sessionId);
  }

  /**
   * Publish a question, reveal or end and record it delivered (or tried): until then it is
   * owed, and an instance that takes the quiz over posts it (`postOwed`, `resume`).
   */
  private async post(event: QuizEvent): Promise<void> {
    await this.publish(event);
    const what: QuizPost =
      event.type === 'end' ? { kind: 'end' } : { kind: event.type, idx: event.index };
    await this.store.markPosted(event.session.id, what, this.now());
  }

  private async publish(event: QuizEvent): Promise<void> {
    try {
      await this.publishEvent(event);
    } catch (err) {
      this.logger.error(
        { err, event: event.type, sessionId: event.session.id },
        'quiz post failed',
      );
    }
  }

  private async open(sessionId: number, index: number): Promise<void> {
    const row = await this.store.getSession(sessionId);
    if (row?.status !== 'running') return;
    const qrow = await this.store.getQuestion(sessionId, index);
    const question = qrow ? this.bank.get(qrow.questionId) : undefined;
    if (!qrow || !question) {
      // the bank changed under a running quiz: end it rather than ask a question we lack
      await this.complete(sessionId);
      return;
    }
    const now = this.now();
    const closesAt = now + row.seconds * 1000;
    if (!(await this.store.openQuestion(sessionId, index, now, closesAt))) return;
    const session = sessionOf({ ...row, currentIndex: index });
    this.after(sessionId, row.seconds * 1000, () => this.reveal(sessionId, index));
    await this.post({ type: 'question', session, index, question, closesAt });
  }

  /** Reveal question `index` (once); then the next question or the end, if `proceed`. */
  private async reveal(sessionId: number, index: number, proceed = true): Promise<void> {
    const qrow = await this.store.getQuestion(sessionId, index);
    if (!qrow || qrow.openedAt === undefined) return;
    if (!(await this.store.revealQuestion(sessionId, index, this.now()))) return;
    const row = await this.store.getSession(sessionId);
    const question = this.bank.get(qrow.questionId);
    if (!row || !question) return;
    if (proceed) this.cancel(sessionId);
    const last = index + 1 >= row.questionCount;
    const going = proceed && row.status === 'running';
    const nextInMs = going && !last ? this.pauseMs : undefined;
    await this.post(await this.revealEvent(row, index, question, nextInMs));
    if (!going) return;
    if (last) {
      await this.complete(sessionId);
    } else {
      this.after(sessionId, this.pauseMs, () => this.open(sessionId, index + 1));
    }
  }

  /** The reveal of question `index`, with its answers (fastest right ones first). */
  private async revealEvent(
    row: SessionRow,
    index: number,
    question: BankQuestion,
    nextInMs: number | undefined,
  ): Promise<QuizEvent> {
    const answers = await this.store.answers(row.id, index);
    const right = answers.filter((a) => a.correct).sort((a, b) => a.elapsedMs - b.elapsedMs);
    const session = sessionOf(row);
    const next = nextInMs === undefined ? {} : { nextInMs };
    return { type: 'reveal', session, index, question, answers, right, ...next };
  }

  private async announceEnd(sessionId: number, reason: EndReason, by?: Player): Promise<void> {
    const row = await this.store.getSession(sessionId);
    if (!row) return;
    const asked = (await this.store.questions(sessionId)).filter((q) => q.openedAt !== undefined);
    const missed = await this.mostMissed(sessionId, asked);
    await this.post({
      type: 'end',
      session: sessionOf(row),
      reason,
      scoreboard: await this.store.scoreboard(sessionId),
      asked: asked.length,
      topics: [...new Set(asked.map((q) => q.topic))],
      ...(missed ? { missed } : {}),
      ...(by !== undefined ? { by } : {}),
    });
  }

  /** The asked question with the most wrong answers (then the lowest share right, then the first). */
  private async mostMissed(
    sessionId: number,
    asked: readonly QuestionRow[],
  ): Promise<MissedQuestion | undefined> {
    let best: MissedQuestion | undefined;
    for (const q of asked) {
      const answers = await this.store.answers(sessionId, q.idx);
      const wrong = answers.filter((a) => !a.correct).length;
      if (wrong === 0) continue;
      const worse =
        !best ||
        wrong > best.wrong ||
        (wrong === best.wrong && wrong * best.answered > best.wrong * answers.length);
      const question = worse ? this.bank.get(q.questionId) : undefined;
      if (question) best = { index: q.idx, question, wrong, answered: answers.length };
    }
    return best;
  }
}
