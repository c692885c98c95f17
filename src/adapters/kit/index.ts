/**
 * The adapter kit: everything a platform adapter needs that is not the platform itself.
 * An adapter is a thin translation (platform events in, `Router.handle`, platform replies
 * out); the rules every platform shares live here, once.
 */
export {
  CLAIM_TTL_MS,
  ClaimedIds,
  type ClaimedIdsOptions,
  type EventClaims,
  type EventDedupe,
  eventDedupe,
  RecentIds,
  type RecentIdsOptions,
} from './dedupe.js';
export {
  type AttachedFile,
  decodeText,
  fetchTextFiles,
  type Intake,
  type IntakeOptions,
  MAX_FILE_BYTES,
  type RemoteFile,
  readCapped,
  wantsFile,
} from './files.js';
export { InFlight, type InFlightOptions, withTimeout } from './inflight.js';
export { langOfLocale, replyLang } from './lang.js';
export {
  type LimitKind,
  type LimitVerdict,
  limitKindOf,
  RateLimiter,
  type RateLimiterOptions,
  rateLimiterOf,
} from './limit.js';
export { filesReachAudience, isPrivate, needsEphemeral } from './private.js';
export { lastBreak, type SplitRule, splitWith } from './split.js';
export { renderTable } from './table.js';
