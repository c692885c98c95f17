import type { Config } from '../core/config.js';
import type { Logger } from '../core/log.js';
import type { Router } from '../core/router.js';
import type { RateLimiter } from './kit/limit.js';

/** What main.ts gives a platform adapter when the configuration turns it on. */
export interface AdapterOptions {
  router: Router;
  config: Config;
  logger: Logger;
  /** Per-user limits on questions and ratings (default: from the configuration). */
  limits?: RateLimiter;
}

/** A started adapter; `stop()` closes its connections and servers cleanly. */
export interface RunningAdapter {
  name: string;
  stop(): Promise<void>;
}
