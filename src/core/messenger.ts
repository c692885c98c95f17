/**
 * Posting outside a request/response turn (quiz timers, scoreboards): the core posts to a
 * `Destination`; the adapter registered for that platform delivers it.
 */
import type { Destination, Incoming, Outbox, Platform, Reply } from './types.js';

export class Messenger implements Outbox {
  private readonly outboxes = new Map<Platform, Outbox>();

  /** Register a platform's outbox; returns a function that unregisters it. */
  register(platform: Platform, outbox: Outbox): () => void {
    this.outboxes.set(platform, outbox);
    return () => {
      if (this.outboxes.get(platform) === outbox) this.outboxes.delete(platform);
    };
  }

  async post(to: Destination, reply: Reply): Promise<void> {
    const outbox = this.outboxes.get(to.platform);
    if (!outbox) throw new Error(`no outbox registered for ${to.platform}`);
    await outbox.post(to, reply);
  }
}

/** The channel (or thread) a message came from. */
export function destinationOf(incoming: Incoming): Destination {
  return {
    platform: incoming.platform,
    channelId: incoming.channel.id,
    ...(incoming.channel.threadId ? { threadId: incoming.channel.threadId } : {}),
  };
}
