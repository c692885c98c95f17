/**
 * Platforms redeliver events: Slack re-sends an event it thinks was not received
 * (`X-Slack-Retry-Num`), Discord's gateway can replay after a resume. An adapter answers each
 * event once by asking an `EventDedupe` first. `RecentIds` keeps the ids seen lately in memory,
 * bounded in size and in time (one process, and tests); `ClaimedIds` claims each id in the
 * shared store, so an event redelivered to another instance is answered once across them all.
 */

/** Has this event been seen already? Implementations remember `id` as a side effect. */
export interface EventDedupe {
  /** True when `id` was seen before (a redelivery to ignore); records it otherwise. */
  isRepeat(id: string): boolean | Promise<boolean>;
}

export interface RecentIdsOptions {
  /** How many ids to remember at most (oldest forgotten first). Default 5,000. */
  max?: number;
  /** How long an id is remembered, in ms. Slack retries up to about 5 minutes; default 10 min. */
  ttlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** The in-memory `EventDedupe`: memory stays flat however long the bot runs. */
export class RecentIds implements EventDedupe {
  private readonly seen = new Map<string, number>();
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: RecentIdsOptions = {}) {
    this.max = Math.max(1, options.max ?? 5000);
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Record `id`; true if it was already seen (and not yet expired), i.e. a duplicate. */
  isRepeat(id: string): boolean {
    const now = this.now();
    this.expire(now);
    const at = this.seen.get(id);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seen.delete(id);
    this.seen.set(id, now);
    while (this.seen.size > this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return false;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Drop expired ids from the front (the map is in insertion order, i.e. by time). */
  private expire(now: number): void {
    for (const [id, at] of this.seen) {
      if (now - at < this.ttlMs) break;
      this.seen.delete(id);
    }
  }
}

/** The part of the store that `ClaimedIds` uses (`Store.claimEvent`). */
export interface EventClaims {
  claimEvent(key: string, now: number, ttlMs: number): Promise<boolean>;
}

/**
 * How long a claim is kept: Slack retries an event three times, the last about an hour after
 * the first in the worst case (exponential back-off); two hours cover that with room.
 */
export const CLAIM_TTL_MS = 2 * 60 * 60_000;

export interface ClaimedIdsOptions {
  /** Namespace of the ids in the store, e.g. `slack` (ids become `slack:Ev123`). */
  platform: string;
  ttlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** The store failed: the event is then deduplicated in this process only (and answered). */
  onError?: (err: unknown) => void;
}

/**
 * The store-backed `EventDedupe`: an id is new for exactly one instance (the one whose
 * `INSERT … ON CONFLICT DO NOTHING` wins). When the store cannot be reached, the instance
 * falls back to its own memory: an event may then be answered twice, but never dropped.
 */
export class ClaimedIds implements EventDedupe {
  private readonly local = new RecentIds();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly claims: EventClaims,
    private readonly options: ClaimedIdsOptions,
  ) {
    this.ttlMs = options.ttlMs ?? CLAIM_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  async isRepeat(id: string): Promise<boolean> {
    try {
      return !(await this.claims.claimEvent(
        `${this.options.platform}:${id}`,
        this.now(),
        this.ttlMs,
      ));
    } catch (err) {
      this.options.onError?.(err);
      return this.local.isRepeat(id);
    }
  }
}

/** The adapter's dedupe: claims in the shared store when there is one, else `RecentIds`. */
export function eventDedupe(
  claims: EventClaims | undefined,
  options: ClaimedIdsOptions,
  memory: RecentIdsOptions = {},
): EventDedupe {
  return claims ? new ClaimedIds(claims, options) : new RecentIds(memory);
}
