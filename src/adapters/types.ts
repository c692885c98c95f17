import type { Config } from '../core/config.js';
import type { Logger } from '../core/log.js';
import type { Router } from '../core/router.js';
import type { EventClaims } from './kit/dedupe.js';
import type { RateLimiter } from './kit/limit.js';

/** What main.ts gives a platform adapter when the configuration turns it on. */
export interface AdapterOptions {
  router: Router;
  config: Config;
  logger: Logger;
  /**
   * The shared store's event claims (main.ts passes the store): a redelivered event is then
   * answered once across every instance. Without it, redeliveries are caught in memory.
   */
  claims?: EventClaims;
  /** Per-user limits on questions and ratings (default: from the configuration). */
  limits?: RateLimiter;
}

/** A started adapter; `stop()` closes its connections and servers cleanly. */
export interface RunningAdapter {
  name: string;
  stop(): Promise<void>;
}
