/**
 * Per-user conversation state: the preferred reply language and the last topic answered
 * (so that "more" / "详细" can continue it). Kept in memory and bounded; the persistent
 * store (SQLite) arrives with the quiz work.
 */
import type { Incoming, Lang } from './types.js';

export interface Conversation {
  lang?: Lang;
  lastTopic?: number;
  lastSection?: string;
  /** The question log id of the last answer (what `/rate` rates in the terminal). */
  lastAnswerLog?: number;
  /** The last did-you-mean: its log id and the topics offered (a pick is recorded once). */
  lastClarify?: { log: number; topics: number[] };
}

export class ConversationStore {
  private readonly map = new Map<string, Conversation>();

  constructor(private readonly capacity = 10_000) {}

  static keyOf(incoming: Incoming): string {
    return `${incoming.platform}:${incoming.user.id}`;
  }

  get(incoming: Incoming): Conversation {
    const key = ConversationStore.keyOf(incoming);
    let c = this.map.get(key);
    if (c) {
      this.map.delete(key); // keep most recently used last
    } else {
      c = {};
    }
    this.map.set(key, c);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    return c;
  }
}
