/**
 * The question log and the ratings behind it (issue 16): every routed question is kept for
 * `keepDays` days with a salted hash of its user, never the user id; a 👍/👎 is kept once per
 * user and answer; a user can have everything kept about them deleted. The core knows the
 * store only by its interface; the composition root gives it one.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { MatchResult } from '../knowledge/index.js';
import {
  type ChannelKind,
  type ForgetCounts,
  type PruneCounts,
  type RateOutcome,
  type Store,
  userKeyOf,
} from '../store/types.js';
import type { Logger } from './log.js';
import type { Incoming, Platform } from './types.js';

/** Logged question text is cut here. */
export const LOG_TEXT_MAX = 2000;
/** A 👎's reason is one line of at most this many characters. */
export const REASON_MAX = 200;
export const DAY_MS = 86_400_000;
/** Default of `LLM_TUTOR_KEEP_DAYS`. */
export const DEFAULT_KEEP_DAYS = 30;

export interface FeedbackOptions {
  /** The store (a function: opened on first use, as the quiz feature does). */
  store: () => Store;
  /** Days a logged question and its ratings are kept; 0 logs nothing. */
  keepDays: number;
  now?: () => number;
  logger?: Pick<Logger, 'error'>;
}

/** Where a message was asked, as the log records it. */
export function channelKindOf(incoming: Incoming): ChannelKind {
  if (incoming.platform === 'console' || incoming.platform === 'cli') return 'terminal';
  return incoming.channel.isDM ? 'dm' : 'channel';
}

/** Platforms that show 👍/👎 buttons under an answer (the terminal has `/rate`). */
export function showsRatingButtons(platform: Platform): boolean {
  return platform === 'discord' || platform === 'slack';
}

/** One line, at most `max` characters (newlines and runs of spaces become one space). */
export function oneLine(text: string, max: number): string {
  return Array.from(text.replace(/\s+/g, ' ').trim()).slice(0, max).join('');
}

export class FeedbackLog {
  private salt: Promise<string> | undefined;
  readonly keepDays: number;
  private readonly now: () => number;

  constructor(private readonly options: FeedbackOptions) {
    this.keepDays = options.keepDays;
    this.now = options.now ?? Date.now;
  }

  /** Is the question log on (`keepDays` > 0)? */
  get enabled(): boolean {
    return this.keepDays > 0;
  }

  private store(): Store {
    return this.options.store();
  }

  /** HMAC-SHA-256 of the user's store key with the installation's salt (made once, kept in the store). */
  async userHash(incoming: Incoming): Promise<string> {
    this.salt ??= this.store().installSalt(randomBytes(32).toString('hex'));
    const salt = await this.salt;
    return createHmac('sha256', salt)
      .update(userKeyOf(incoming.platform, incoming.user.id))
      .digest('hex');
  }

  /**
   * Log one routed question; its id, or undefined when logging is off or failed (a question
   * is answered whether or not it could be logged).
   */
  async logQuestion(
    incoming: Incoming,
    text: string,
    match: MatchResult,
  ): Promise<number | undefined> {
    if (!this.enabled) return undefined;
    try {
      return await this.store().logQuestion({
        askedAt: this.now(),
        platform: incoming.platform,
        channelKind: channelKindOf(incoming),
        userHash: await this.userHash(incoming),
        text: Array.from(text).slice(0, LOG_TEXT_MAX).join(''),
        lang: match.lang,
        outcome: match.outcome,
        topic: match.topic,
        section: match.section,
        confidence: match.confidence,
      });
    } catch (err) {
      this.options.logger?.error({ err }, 'could not log a question');
      return undefined;
    }
  }

  /** The topic picked after a did-you-mean. */
  async pick(logId: number, topic: number): Promise<boolean> {
    if (!this.enabled) return false;
    return this.store().recordPick(logId, topic, this.now());
  }

  async rate(
    incoming: Incoming,
    logId: number,
    good: boolean,
    reason: string | undefined,
  ): Promise<RateOutcome> {
    const line = reason === undefined ? '' : oneLine(reason, REASON_MAX);
    return this.store().rate({
      questionId: logId,
      userHash: await this.userHash(incoming),
      good,
      ratedAt: this.now(),
      ...(line ? { reason: line } : {}),
    });
  }

  /** Delete everything kept about the user who sent `incoming`. */
  async forget(incoming: Incoming): Promise<ForgetCounts> {
    return this.store().forgetUser(
      await this.userHash(incoming),
      userKeyOf(incoming.platform, incoming.user.id),
    );
  }

  /**
   * Delete what is older than `keepDays`. With logging off (0) everything logged before
   * goes: turning the log off also ends what it kept.
   */
  async prune(): Promise<PruneCounts> {
    return this.store().pruneLog(this.now() - this.keepDays * DAY_MS);
  }

  /** Prune now and then once a day, on a timer that does not keep the process alive. */
  startPruning(intervalMs = DAY_MS): () => void {
    const run = () => {
      this.prune().catch((err: unknown) => {
        this.options.logger?.error({ err }, 'could not prune the question log');
      });
    };
    run();
    const timer = setInterval(run, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
