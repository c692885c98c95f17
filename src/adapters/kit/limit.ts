/**
 * Per-user rate limits for questions and ratings: a token bucket per user and kind, so that
 * one user cannot flood a channel or the question log. A bucket holds `perMinute` tokens (a
 * burst) and refills at `perMinute` per minute. A refused message gets one short notice;
 * further refusals before a token is back get nothing (no spam about spam).
 *
 * @example
 * const limits = new RateLimiter({ questionsPerMinute: 10, ratingsPerMinute: 20 });
 * const refused = limits.refusal(incoming); // a Reply to send instead, or undefined
 */
import { splitCommandLine } from '../../core/args.js';
import { type Localized, t } from '../../core/i18n.js';
import { silentReply } from '../../core/router.js';
import type { Incoming, Reply } from '../../core/types.js';
import { isFragment } from '../../knowledge/index.js';
import { replyLang } from './lang.js';

export type LimitKind = 'question' | 'rating';
/** `notice`: refused, tell the user once; `quiet`: refused again, say nothing. */
export type LimitVerdict = 'ok' | 'notice' | 'quiet';

export interface RateLimiterOptions {
  /** Questions per user per minute (and the burst); 0 = no limit. */
  questionsPerMinute: number;
  /** Ratings per user per minute (and the burst); 0 = no limit. */
  ratingsPerMinute: number;
  now?: () => number;
  /** How many users' buckets are remembered (least recently used forgotten first). */
  maxUsers?: number;
}

interface Bucket {
  tokens: number;
  at: number;
  noticed: boolean;
}

const MINUTE_MS = 60_000;

/** Which limit a message counts against: a rating, a question, or none (commands, quiz letters). */
export function limitKindOf(incoming: Incoming): LimitKind | undefined {
  const name = incoming.command?.name ?? splitCommandLine(incoming.text)?.name;
  if (name === 'rate') return 'rating';
  if (name === 'ask') return 'question';
  if (name !== undefined || incoming.overheard) return undefined;
  const text = incoming.text.trim();
  return text && !isFragment(text) ? 'question' : undefined;
}

const NOTICE: Record<LimitKind, (perMinute: number, seconds: number) => Localized> = {
  question: (n, s) => ({
    en: `You are asking faster than I answer (at most ${n} question${n === 1 ? '' : 's'} a minute). Try again in ${s} s.`,
    zh: `你提问太快了(每分钟最多 ${n} 个问题)。请 ${s} 秒后再试。`,
  }),
  rating: (n, s) => ({
    en: `Too many ratings at once (at most ${n} a minute). Try again in ${s} s.`,
    zh: `评分太频繁了(每分钟最多 ${n} 次)。请 ${s} 秒后再试。`,
  }),
};

/** The limits `LLM_TUTOR_QUESTIONS_PER_MINUTE` and `LLM_TUTOR_RATINGS_PER_MINUTE` set. */
export function rateLimiterOf(config: {
  LLM_TUTOR_QUESTIONS_PER_MINUTE: number;
  LLM_TUTOR_RATINGS_PER_MINUTE: number;
}): RateLimiter {
  return new RateLimiter({
    questionsPerMinute: config.LLM_TUTOR_QUESTIONS_PER_MINUTE,
    ratingsPerMinute: config.LLM_TUTOR_RATINGS_PER_MINUTE,
  });
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxUsers: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.maxUsers = options.maxUsers ?? 10_000;
  }

  private perMinute(kind: LimitKind): number {
    return kind === 'question' ? this.options.questionsPerMinute : this.options.ratingsPerMinute;
  }

  /** Take one token of `kind` for `user`. */
  take(user: string, kind: LimitKind): LimitVerdict {
    const rate = this.perMinute(kind);
    if (rate <= 0) return 'ok';
    const key = `${kind}:${user}`;
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: rate, at: now, noticed: false };
    this.buckets.delete(key); // most recently used last
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) * rate) / MINUTE_MS);
    b.at = now;
    this.buckets.set(key, b);
    this.forgetOldest();
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.noticed = false;
      return 'ok';
    }
    if (b.noticed) return 'quiet';
    b.noticed = true;
    return 'notice';
  }

  /** Seconds until `user` has a token of `kind` again (0 when there is one). */
  waitSeconds(user: string, kind: LimitKind): number {
    const b = this.buckets.get(`${kind}:${user}`);
    const rate = this.perMinute(kind);
    if (!b || rate <= 0 || b.tokens >= 1) return 0;
    return Math.ceil(((1 - b.tokens) * MINUTE_MS) / rate / 1000);
  }

  private forgetOldest(): void {
    while (this.buckets.size > this.maxUsers) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) return;
      this.buckets.delete(oldest);
    }
  }

  /**
   * What to send instead of answering, when the message is over its user's limit: a short
   * private notice the first time, then nothing. Undefined: go ahead.
   */
  refusal(incoming: Incoming): Reply | undefined {
    const kind = limitKindOf(incoming);
    if (!kind) return undefined;
    const lang = replyLang(incoming.lang, incoming.text);
    const user = `${incoming.platform}:${incoming.user.id}`;
    const verdict = this.take(user, kind);
    if (verdict === 'ok') return undefined;
    if (verdict === 'quiet') return silentReply(lang);
    const text = NOTICE[kind](this.perMinute(kind), this.waitSeconds(user, kind));
    return { kind: 'info', lang, ephemeral: true, paragraphs: [t(lang, text)] };
  }
}
