/** Where a Slack reply goes (a response_url, or a channel / thread through the Web API). */
import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from '../../core/log.js';
import type { Outbox, Reply } from '../../core/types.js';
import { filesReachAudience, isPrivate, needsEphemeral } from '../kit/index.js';
import { renderReply, type SlackMessage } from './blocks.js';

type Client = webApi.WebClient;
type ReplyFile = NonNullable<Reply['files']>[number];

/** A response_url accepts at most 5 messages; later parts of a long reply go through the API. */
const RESPONSE_URL_USES = 5;

export interface Target {
  /** Send one rendered message (`index` within the reply); `secret`: only the user sees it. */
  send(m: SlackMessage, secret: boolean, index: number): Promise<void>;
  /** Can files be attached so that exactly the reply's audience sees them? */
  canUpload(secret: boolean): boolean;
  /** Attach files (files.uploadV2: get an upload URL, upload, complete into the channel). */
  upload(files: ReplyFile[]): Promise<void>;
}

export interface Place {
  channel: string;
  user: string;
  threadTs?: string | undefined;
  isDM: boolean;
}

export function channelTarget(client: Client, where: Place): Target {
  const thread = where.threadTs ? { thread_ts: where.threadTs } : {};
  return {
    async send(m, secret) {
      const base = { channel: where.channel, text: m.text, blocks: m.blocks, ...thread };
      if (needsEphemeral(secret, where.isDM)) {
        await client.chat.postEphemeral({ ...base, user: where.user });
      } else await client.chat.postMessage(base);
    },
    // An ephemeral message cannot carry files; a file in the channel would not be private.
    canUpload: (secret) => filesReachAudience(secret, where.isDM),
    async upload(files) {
      await client.filesUploadV2({
        channel_id: where.channel,
        ...thread,
        file_uploads: files.map((f) => ({
          file: Buffer.from(f.content, 'utf8'),
          filename: f.name,
        })),
      });
    },
  };
}

/** respond() for the first 5 messages (Slack's limit per response_url), then the Web API. */
export function responseUrlTarget(respond: RespondFn, overflow: Target, threadTs?: string): Target {
  return {
    async send(m, secret, index) {
      if (index >= RESPONSE_URL_USES) return overflow.send(m, secret, index);
      await respond({
        response_type: secret ? 'ephemeral' : 'in_channel',
        replace_original: false,
        text: m.text,
        blocks: m.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    },
    canUpload: (secret) => overflow.canUpload(secret),
    upload: (files) => overflow.upload(files),
  };
}

/** The Slack error code of a Web API failure, or the message. */
export function errorCode(err: unknown): string {
  return (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
}

/**
 * Send a reply: its messages in order, then its files where they can be attached. When a
 * file cannot be attached (ephemeral reply, bot not in the channel, no files:write), a short
 * note says so instead.
 */
export async function deliver(target: Target, reply: Reply, log: Logger): Promise<void> {
  const secret = isPrivate(reply);
  const files = reply.files ?? [];
  const upload = files.length > 0 && target.canUpload(secret);
  const messages = renderReply(reply, { fileNote: !upload });
  for (const [i, m] of messages.entries()) await target.send(m, secret, i);
  if (!upload) return;
  try {
    await target.upload(files);
  } catch (err) {
    log.warn({ err: errorCode(err) }, 'Slack file upload failed; sending a note instead');
    const notes = renderReply({ kind: 'info', lang: reply.lang, paragraphs: [], files });
    for (const [i, m] of notes.entries()) await target.send(m, secret, messages.length + i);
  }
}

/** Posting outside a request (quiz timers): into the destination's channel and thread. */
export function slackOutbox(client: Client, log: Logger): Outbox {
  return {
    async post(to, reply) {
      const target = channelTarget(client, {
        channel: to.channelId,
        user: '',
        threadTs: to.threadId,
        isDM: true, // no user to address: never ephemeral
      });
      await deliver(target, reply, log);
    },
  };
}
