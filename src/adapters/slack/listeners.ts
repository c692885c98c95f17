/**
 * Bolt listeners: slash commands, @mentions, direct messages and button clicks, each an
 * `Incoming` for the router and a reply delivered where it came from; other channel messages
 * go to the router as `overheard` (a quiz answer is taken, else nothing is said). A
 * redelivered event (`event_id` seen before) is ignored.
 */
import type { App, BlockAction, ButtonAction, types, webApi } from '@slack/bolt';
import { z } from 'zod';
import { REASON_MAX } from '../../core/feedback.js';
import { REASON_PROMPT } from '../../core/index.js';
import type { Logger } from '../../core/log.js';
import type { Router } from '../../core/router.js';
import { apologyReply, isSilent } from '../../core/router.js';
import type { Incoming, Reply } from '../../core/types.js';
import {
  type EventDedupe,
  type InFlight,
  type RateLimiter,
  replyLang,
  wantsFile,
} from '../kit/index.js';
import { CHOICE_ACTION_PREFIX, REASON_ACTION_PREFIX, unescapeSlack } from './blocks.js';
import { downloadTextFiles, type SlackFile } from './files.js';
import { cleanMentionText, commandNameOf, isDMChannel } from './incoming.js';
import { applyProfile, type SlackProfiles } from './profiles.js';
import { channelTarget, deliver, type Place, responseUrlTarget, type Target } from './targets.js';

type Client = webApi.WebClient;

export interface SlackContext {
  router: Router;
  log: Logger;
  /** The bot token (downloads of attached files). */
  token: string;
  profiles: SlackProfiles;
  flight: InFlight;
  dedupe: EventDedupe;
  /** Per-user limits on questions and ratings. */
  limits: RateLimiter;
}

/** Route one Incoming and deliver the Reply; any failure is logged and apologised for. */
function answer(
  ctx: SlackContext,
  incoming: Incoming,
  target: Target,
  prepare: () => Promise<Reply | null>,
): Promise<void> {
  return ctx.flight.run(
    { user: incoming.user.id, channel: incoming.channel.id },
    async () => {
      const reply =
        (await prepare()) ?? ctx.limits.refusal(incoming) ?? (await ctx.router.handle(incoming));
      if (!isSilent(reply)) await deliver(target, reply, ctx.log);
    },
    // a channel message that was not for the bot gets no apology either
    async () => {
      if (incoming.overheard) return;
      await deliver(target, apologyReply(replyLang(incoming.lang, incoming.text)), ctx.log);
    },
  );
}

/** One question, one answer: Slack retries events it thinks were not received. */
function ignoreRedeliveries(app: App, ctx: SlackContext): void {
  app.use(async ({ body, context, next }) => {
    const b = body as { type?: string; event_id?: string };
    if (
      b.type === 'event_callback' &&
      typeof b.event_id === 'string' &&
      (await ctx.dedupe.isRepeat(b.event_id))
    ) {
      ctx.log.info(
        { eventId: b.event_id, retryNum: context.retryNum, retryReason: context.retryReason },
        'duplicate Slack event ignored',
      );
      return;
    }
    await next();
  });
}

/** Every registry command (also when installed with a prefix, e.g. /tutor-topic). */
function onCommand(app: App, ctx: SlackContext): void {
  app.command(/^\/.+/, async ({ command, ack, respond, client }) => {
    await ack();
    const name = commandNameOf(ctx.router, command.command);
    const channel = command.channel_id;
    const isDM = isDMChannel(channel, command.channel_name);
    const incoming: Incoming = {
      platform: 'slack',
      user: { id: command.user_id, name: command.user_name },
      channel: { id: channel, isDM },
      text: `/${name} ${unescapeSlack(command.text ?? '')}`.trim(),
    };
    const overflow = channelTarget(client, { channel, user: command.user_id, isDM });
    // ack() above came first: users.info (locale, role) never delays the 3 s ack.
    await answer(ctx, incoming, responseUrlTarget(respond, overflow), async () => {
      applyProfile(incoming, await ctx.profiles.of(client, command.user_id));
      return null;
    });
  });
}

interface TextMessage {
  user: string;
  channel: string;
  text: string;
  threadTs?: string | undefined;
  files: readonly SlackFile[] | undefined;
  isDM: boolean;
  /** A channel message that does not mention the bot. */
  overheard?: boolean;
}

/** A mention or a DM: text (and maybe a file) in, a reply in the same thread. */
async function onText(ctx: SlackContext, client: Client, m: TextMessage): Promise<void> {
  const incoming: Incoming = {
    platform: 'slack',
    user: { id: m.user },
    channel: { id: m.channel, isDM: m.isDM, ...(m.threadTs ? { threadId: m.threadTs } : {}) },
    text: m.text,
    ...(m.overheard ? { overheard: true } : {}),
  };
  const target = channelTarget(client, { ...m, threadTs: m.threadTs });
  await answer(ctx, incoming, target, async () => {
    const profile = await ctx.profiles.of(client, m.user);
    applyProfile(incoming, profile);
    if (m.overheard || !m.files?.length || !wantsFile(ctx.router, incoming.text)) return null;
    const got = await downloadTextFiles(m.files, {
      token: ctx.token,
      lang: replyLang(profile.lang, incoming.text),
    });
    if (!got.ok) return got.reply;
    incoming.files = got.files;
    return null;
  });
}

function onMention(app: App, ctx: SlackContext): void {
  app.event('app_mention', async ({ event, context, client }) => {
    if (!event.user || event.bot_id || event.user === context.botUserId) return;
    await onText(ctx, client, {
      user: event.user,
      channel: event.channel,
      text: cleanMentionText(event.text ?? '', context.botUserId),
      threadTs: event.thread_ts ?? event.ts,
      files: (event as { files?: SlackFile[] }).files,
      isDM: false,
    });
  });
}

/**
 * Direct messages, and messages in channels the bot is in: one that mentions the bot is the
 * `app_mention` event's, any other is `overheard` (the thread stays the message's own).
 */
function onMessage(app: App, ctx: SlackContext): void {
  app.message(async ({ message, context, client }) => {
    const isDM = message.channel_type === 'im';
    if (!isDM && message.channel_type !== 'channel' && message.channel_type !== 'group') return;
    // file_share is a user's message with an attachment; every other subtype is not a question.
    if (message.subtype !== undefined && message.subtype !== 'file_share') return;
    const m = message as (types.GenericMessageEvent | types.FileShareMessageEvent) & {
      bot_id?: string;
    };
    if (!m.user || m.bot_id || m.user === context.botUserId) return;
    if (!isDM && context.botUserId && (m.text ?? '').includes(`<@${context.botUserId}`)) return;
    await onText(ctx, client, {
      user: m.user,
      channel: m.channel,
      text: cleanMentionText(m.text ?? '', context.botUserId),
      threadTs: m.thread_ts,
      files: m.files as SlackFile[] | undefined,
      isDM,
      ...(isDM ? {} : { overheard: true }),
    });
  });
}

/** Where a button was clicked: its channel, thread and whether it is a DM. */
function placeOf(body: BlockAction): Place {
  const channel = body.channel?.id ?? body.container?.channel_id ?? '';
  const threadTs: string | undefined = body.message?.thread_ts ?? body.container?.thread_ts;
  return { channel, user: body.user.id, threadTs, isDM: isDMChannel(channel, body.channel?.name) };
}

const prefixPattern = (prefix: string) => new RegExp(`^${prefix.replace(/\./g, '\\.')}`);

/** A click on a choice button: its action goes back to the router as if typed. */
function onChoice(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: prefixPattern(CHOICE_ACTION_PREFIX) },
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const value = action.value;
      if (!value) return;
      const { channel, threadTs, isDM } = placeOf(body);
      const incoming: Incoming = {
        platform: 'slack',
        user: { id: body.user.id, ...(body.user.name ? { name: body.user.name } : {}) },
        channel: { id: channel, isDM, ...(threadTs ? { threadId: threadTs } : {}) },
        text: value,
      };
      const overflow = channelTarget(client, { channel, user: body.user.id, threadTs, isDM });
      await answer(ctx, incoming, responseUrlTarget(respond, overflow, threadTs), async () => {
        applyProfile(incoming, await ctx.profiles.of(client, body.user.id));
        return null;
      });
    },
  );
}

/** The modal's callback id; its private metadata is the button's action and place. */
export const REASON_VIEW = 'llm-tutor.reason';

/** A 👎 (a button that asks for a reason): open a modal with one optional line. */
function onReasonButton(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: prefixPattern(REASON_ACTION_PREFIX) },
    async ({ ack, body, action, client }) => {
      await ack();
      if (!action.value) return;
      const lang = (await ctx.profiles.of(client, body.user.id)).lang ?? 'en';
      const prompt = REASON_PROMPT[lang];
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: REASON_VIEW,
          private_metadata: JSON.stringify({ action: action.value, place: placeOf(body) }),
          title: { type: 'plain_text', text: prompt.title },
          submit: { type: 'plain_text', text: lang === 'zh' ? '提交' : 'Send' },
          blocks: [
            {
              type: 'input',
              block_id: 'reason',
              optional: true,
              label: { type: 'plain_text', text: prompt.label },
              element: { type: 'plain_text_input', action_id: 'reason', max_length: REASON_MAX },
            },
          ],
        },
      });
    },
  );
}

const reasonMetadata = z.object({
  action: z.string().min(1),
  place: z.object({
    channel: z.string(),
    user: z.string(),
    threadTs: z.string().optional(),
    isDM: z.boolean(),
  }),
});

/** The reason modal submitted: the button's action with the reason, answered privately. */
function onReasonSubmit(app: App, ctx: SlackContext): void {
  app.view(REASON_VIEW, async ({ ack, body, view, client }) => {
    await ack();
    let meta: z.infer<typeof reasonMetadata>;
    try {
      meta = reasonMetadata.parse(JSON.parse(view.private_metadata));
    } catch (err) {
      ctx.log.warn({ err }, 'a reason form without its action was ignored');
      return;
    }
    const reason = (view.state.values.reason?.reason?.value ?? '').replace(/\s+/g, ' ').trim();
    const { threadTs, ...where } = meta.place;
    const incoming: Incoming = {
      platform: 'slack',
      user: { id: body.user.id },
      channel: { id: where.channel, isDM: where.isDM, ...(threadTs ? { threadId: threadTs } : {}) },
      text: reason ? `${meta.action} ${reason}` : meta.action,
    };
    const target = channelTarget(client, { ...where, user: body.user.id, threadTs });
    await answer(ctx, incoming, target, async () => {
      applyProfile(incoming, await ctx.profiles.of(client, body.user.id));
      return null;
    });
  });
}

/** Register every listener on the app. */
export function listen(app: App, ctx: SlackContext): void {
  app.error(async (error) => {
    ctx.log.error({ err: error, code: error.code }, 'Slack app error');
  });
  ignoreRedeliveries(app, ctx);
  onCommand(app, ctx);
  onMention(app, ctx);
  onMessage(app, ctx);
  onChoice(app, ctx);
  onReasonButton(app, ctx);
  onReasonSubmit(app, ctx);
}
