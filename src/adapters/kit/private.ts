/**
 * Who may see a reply. A user error or an `ephemeral` reply is private: only the asking user
 * should see it. In a direct message only that user is there, so a private reply is an
 * ordinary message; in a channel it must be ephemeral (and then it cannot carry files on
 * Slack, where an ephemeral message has no attachments).
 */
import type { Reply } from '../../core/types.js';

/** Replies that only the asking user should see (errors, ephemeral replies). */
export function isPrivate(reply: Reply): boolean {
  return reply.kind === 'error' || reply.ephemeral === true;
}

/** Must a reply with this privacy be sent as an ephemeral message here? */
export function needsEphemeral(secret: boolean, isDM: boolean): boolean {
  return secret && !isDM;
}

/** Can files go with this reply so that exactly its audience sees them? */
export function filesReachAudience(secret: boolean, isDM: boolean): boolean {
  return !secret || isDM;
}
