/**
 * Slack re-sends an event when it was not acknowledged in time or the app answered with an
 * error (`X-Slack-Retry-Num`), even while the first delivery is still being handled. The app
 * must answer once: `RecentIds` remembers the `event_id`s seen lately, bounded in size and
 * in time, so memory stays flat however long the bot runs.
 */
export interface RecentIdsOptions {
  /** How many ids to remember at most (oldest forgotten first). Default 5,000. */
  max?: number;
  /** How long an id is remembered, in ms. Slack retries up to about 5 minutes; default 10 min. */
  ttlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export class RecentIds {
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
  check(id: string): boolean {
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
