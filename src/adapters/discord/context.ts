/** What the Discord listeners share: the core, the kit's helpers and the adapter's settings. */
import type { Logger } from '../../core/log.js';
import type { Router } from '../../core/router.js';
import { APOLOGY } from '../../core/router.js';
import type { Lang } from '../../core/types.js';
import type { EventDedupe, InFlight, RateLimiter } from '../kit/index.js';
import type { ActionIds } from './actions.js';

export interface DiscordContext {
  router: Router;
  log: Logger;
  /** Button custom ids ↔ choice actions. */
  actions: ActionIds;
  /** Listener bodies in flight (drained on stop). */
  flight: InFlight;
  /** Gateway events already answered (`i:` interactions, `m:` messages). */
  dedupe: EventDedupe;
  /** Defer an interaction when the answer takes longer than this. */
  deferAfterMs: number;
  /** Largest attachment read for a `file` option. */
  maxFileBytes: number;
  /** Per-user limits on questions and ratings. */
  limits: RateLimiter;
  /** True once `stop()` began: new events are ignored. */
  stopping(): boolean;
}

/** The apology for a bug: in the user's language, or in both when it is unknown. */
export function apologyText(lang: Lang | undefined): string {
  return lang ? APOLOGY[lang] : `${APOLOGY.en}\n${APOLOGY.zh}`;
}

/** Allowed mentions of every message the bot sends: nobody is pinged by echoed text. */
export const NO_PINGS = { parse: [] as [] };
