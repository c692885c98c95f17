/**
 * Time for the quiz engine, injectable so that tests run a 30-second question in no time.
 * `realScheduler` uses the system clock and unref'd timers (a pending quiz timer never keeps
 * a process alive on its own); `ManualScheduler` is advanced by hand.
 */

export type Task = () => void | Promise<void>;

export interface Scheduler {
  now(): number;
  setTimeout(task: Task, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (task, ms) => {
    const handle = setTimeout(() => void task(), Math.max(0, ms));
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Pending {
  id: number;
  at: number;
  task: Task;
}

/** A scheduler for tests: time moves only when `advance` is called; tasks are awaited. */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(start = Date.UTC(2025, 0, 6, 9, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(task: Task, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { id, at: this.time + Math.max(0, ms), task });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Number of tasks waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** Move time forward by `ms`, running (and awaiting) every task that falls due, in order. */
  async advance(ms = 0): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending.values()) {
        if (p.at <= target && (!next || p.at < next.at || (p.at === next.at && p.id < next.id))) {
          next = p;
        }
      }
      if (!next) break;
      this.pending.delete(next.id);
      this.time = Math.max(this.time, next.at);
      await next.task();
    }
    this.time = target;
  }

  /** Run what is due now (tasks scheduled with delay 0), without moving time. */
  runDue(): Promise<void> {
    return this.advance(0);
  }

  /** Set the clock without running tasks (e.g. to test a late answer). */
  set(time: number): void {
    this.time = time;
  }
}
