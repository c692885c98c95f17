/**
 * Platform-neutral message types. Adapters build an `Incoming` from a platform
 * event and render the `Reply` the core returns; nothing here knows about a platform.
 */

import type { Lang } from '../knowledge/text.js';
import type { Platform } from '../store/types.js';

export type { Lang, Platform };

/** One message (or slash-command invocation) as the core sees it. */
export interface Incoming {
  platform: Platform;
  /**
   * Who wrote it. `moderator` is set by adapters that know the user's role (Discord: Manage
   * Messages; Slack: workspace admin or owner); it lets them stop someone else's quiz.
   */
  user: { id: string; name?: string; moderator?: boolean };
  /** Where the message was posted. `threadId` is set for replies inside a thread. */
  channel: { id: string; threadId?: string; isDM: boolean };
  /**
   * The text as the user typed it: a free-text question, or a command line
   * such as `/vram model=llama-2-7b seq=4096` (terminal, Slack text arguments).
   */
  text: string;
  /**
   * Set by platforms that deliver commands already parsed (Discord slash options):
   * the command name and its option values, before validation.
   */
  command?: { name: string; options: Record<string, unknown> };
  /** The user's language when the platform knows it (locale); detection decides otherwise. */
  lang?: Lang;
  /** Text files attached to the message (already downloaded and size-checked by the adapter). */
  files?: { name: string; text: string }[];
  /**
   * Set by chat adapters for a message in a channel that was not addressed to the bot (no
   * mention): the core takes it only as an answer to the channel's open quiz question and
   * otherwise stays silent (a `silent` reply).
   */
  overheard?: boolean;
}

/** Where a message can be posted later (quiz timers, scoreboards): a channel or thread. */
export interface Destination {
  platform: Platform;
  channelId: string;
  threadId?: string;
}

/** Posts a Reply to a destination. Each adapter provides one for its platform. */
export interface Outbox {
  post(to: Destination, reply: Reply): Promise<void>;
}

/** A button / numbered choice. Choosing it routes `action` back as if the user had typed it. */
export interface Choice {
  label: string;
  action: string;
  /**
   * Ask for an optional one-line reason first (a modal on Discord and Slack, worded by
   * `REASON_PROMPT`), then route the action with the reason appended (a 👎 on an answer).
   */
  askReason?: boolean;
}

export interface Field {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Table {
  headers: string[];
  rows: string[][];
}

/** `silent`: say nothing (a message overheard in a channel that was not for the bot). */
export type ReplyKind = 'answer' | 'clarify' | 'none' | 'info' | 'error' | 'silent';

/**
 * A structured, platform-neutral reply. Text is plain (no platform markup);
 * adapters choose how to render each part within their platform's limits.
 */
export interface Reply {
  kind: ReplyKind;
  lang: Lang;
  title?: string;
  paragraphs: string[];
  fields?: Field[];
  table?: Table;
  code?: { text: string; lang?: string };
  choices?: Choice[];
  /** Short follow-up suggestions ("/topic 5 for the full answer"). */
  hints?: string[];
  /** Only the asking user should see it (Discord/Slack ephemeral). */
  ephemeral?: boolean;
  /** Machine-readable result of a command, printed by `llm-tutor run --json`. */
  data?: unknown;
  /** Files to attach where the platform allows (e.g. the full /chunk result as JSONL). */
  files?: { name: string; content: string }[];
}
