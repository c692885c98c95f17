/**
 * Platforms redeliver events: Slack re-sends an event it thinks was not received
 * (`X-Slack-Retry-Num`), Discord's gateway can replay after a resume. An adapter answers each
 * event once by asking an `EventDedupe` first. `RecentIds` keeps the ids seen lately in memory,
 * bounded in size and in time; a store-backed dedupe (several processes) fits the same interface.
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
