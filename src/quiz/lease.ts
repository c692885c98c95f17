/**
 * Quiz leases: which instance runs a quiz's timers when several share one database. The
 * instance that starts a quiz owns it and renews its lease every `tickMs`; the same tick
 * sweeps for quizzes whose lease expired (their owner died or was cut off) and claims them
 * (the database picks one winner), then the service re-arms their timers from the stored
 * state. See docs/DESIGN.md, "Quiz leases".
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MAX_LEASE_MS } from '../store/types.js';

export interface LeaseTiming {
  /** How long a lease lasts without renewal, ms (default 15 000). */
  leaseMs: number;
  /** How often the owner renews and every instance sweeps for expired leases, ms (default 5000). */
  tickMs: number;
  /**
   * A quiz whose last step fell due longer ago than this is not carried on when taken over
   * (the bot was down, nobody is waiting): its open question is revealed and it ends with its
   * scoreboard as interrupted, ms (default 10 minutes).
   */
  staleMs: number;
}

export const DEFAULT_LEASE: LeaseTiming = { leaseMs: 15_000, tickMs: 5000, staleMs: 600_000 };

/** Shortest lease the service accepts: ticks below 50 ms would only load the database. */
export const MIN_LEASE_MS = 150;

/**
 * Why these timings cannot work, or undefined when they can: whole milliseconds, a lease of
 * MIN_LEASE_MS…MAX_LEASE_MS renewed at least twice within it (`tickMs * 2 < leaseMs`), so one
 * late renewal does not lose it. A quiz is taken over at most `leaseMs + tickMs` after its
 * owner's last renewal.
 */
export function leaseTimingProblem(t: LeaseTiming): string | undefined {
  const whole = (n: number) => Number.isInteger(n) && n > 0;
  if (!whole(t.leaseMs) || t.leaseMs < MIN_LEASE_MS || t.leaseMs > MAX_LEASE_MS) {
    return `the quiz lease must be a whole number of milliseconds from ${MIN_LEASE_MS} to ${MAX_LEASE_MS}, got ${String(t.leaseMs)}`;
  }
  if (!whole(t.tickMs) || t.tickMs * 2 >= t.leaseMs) {
    return `the lease tick must be a whole number of milliseconds below half the lease (${t.leaseMs} ms), got ${String(t.tickMs)}`;
  }
  if (!whole(t.staleMs)) {
    return `the stale limit must be a whole number of milliseconds, got ${String(t.staleMs)}`;
  }
  return undefined;
}

/**
 * A name for this process among the instances sharing a database: `host:pid:random`. The
 * random part tells a restarted process (same host, maybe the same pid in a container) from
 * the one before it, so the old one's quizzes are taken over through their expired leases.
 */
export function instanceName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
