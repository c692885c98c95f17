/**
 * Answers in flight, and stopping without cutting them off. Every listener body runs through
 * `InFlight.run`: a failure is logged with context and answered with an apology (an apology
 * that fails too is logged, never thrown), and `drain` waits for what is still running before
 * the platform connection closes.
 */
import type { Logger } from '../../core/log.js';

export interface InFlightOptions {
  logger: Logger;
  /** The platform's name in log messages: `${name} listener failed`. */
  name: string;
  /** What to log of an error (default: the error itself). */
  describe?: (err: unknown) => unknown;
  /** False when nobody can be apologized to after this error (default: always true). */
  canApologize?: (err: unknown) => boolean;
}

export class InFlight {
  private readonly work = new Set<Promise<void>>();
  constructor(private readonly options: InFlightOptions) {}

  /** Run one listener body; resolves when it (and any apology) is done. Never rejects. */
  run(
    context: Record<string, unknown>,
    body: () => Promise<void>,
    apologize: () => Promise<unknown>,
  ): Promise<void> {
    const { logger, name } = this.options;
    const describe = this.options.describe ?? ((err: unknown) => err);
    const done = (async () => {
      try {
        await body();
      } catch (err) {
        logger.error({ err: describe(err), ...context }, `${name} listener failed`);
        if (this.options.canApologize?.(err) === false) return;
        try {
          await apologize();
        } catch (again) {
          logger.error({ err: describe(again), ...context }, `${name} apology could not be sent`);
        }
      }
    })().catch(() => {}); // even a failing logger must not become an unhandled rejection
    this.work.add(done);
    void done.finally(() => this.work.delete(done));
    return done;
  }

  get size(): number {
    return this.work.size;
  }

  /** Wait for the answers in flight, at most `ms`. */
  drain(ms: number): Promise<void> {
    return withTimeout(Promise.allSettled([...this.work]), ms);
  }
}

/** Wait for `p`, or `ms`, whichever comes first (a rejection of `p` counts as done). */
export async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.then(
      () => {},
      () => {},
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
