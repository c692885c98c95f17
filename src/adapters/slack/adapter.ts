/**
 * The Slack adapter: a Bolt app (HTTP mode with a signing secret, or Socket Mode with an app
 * token) that turns slash commands, @mentions, direct messages and button clicks into
 * `Incoming`s for the core, and renders the core's `Reply` as Block Kit.
 *
 * ```ts
 * const slack = await startSlack({ router, config, logger });
 * // … later
 * await slack.stop();
 * ```
 */
import {
  App,
  type BlockAction,
  type ButtonAction,
  HTTPReceiver,
  type RespondFn,
  SocketModeReceiver,
  type types,
  type webApi,
} from '@slack/bolt';
import { splitCommandLine } from '../../core/args.js';
import { optionsOf } from '../../core/options.js';
import { apologyReply, type Router } from '../../core/router.js';
import type { Incoming, Lang, Outbox, Reply } from '../../core/types.js';
import type { AdapterOptions, RunningAdapter } from '../types.js';
import {
  CHOICE_ACTION_PREFIX,
  isPrivate,
  renderReply,
  type SlackMessage,
  unescapeSlack,
} from './blocks.js';
import { RecentIds } from './dedupe.js';
import { downloadTextFiles, type SlackFile } from './files.js';
import { boltLogger } from './logger.js';
import { SLACK_EVENTS_PATH } from './manifest.js';

/** A response_url accepts at most 5 messages; later parts of a long reply go through the API. */
const RESPONSE_URL_USES = 5;

export interface SlackAdapterOptions extends AdapterOptions {
  /** HTTP mode: the interface to listen on (default: all). Tests use 127.0.0.1. */
  host?: string;
  /** HTTP mode: Bolt answers requests nobody acknowledged after this many ms (default 3001). */
  unhandledRequestTimeoutMillis?: number;
  /** Socket Mode: ping timeout in ms (default 5000); reconnects wait a multiple of it. */
  clientPingTimeout?: number;
  /** How long `stop()` waits for replies still being written, in ms (default 5000). */
  drainTimeoutMs?: number;
  /** Give up on users.info (locale, admin/owner) after this many ms (default 1500). */
  profileTimeoutMs?: number;
}

export interface RunningSlack extends RunningAdapter {
  readonly mode: 'http' | 'socket';
  /** HTTP mode: the port `/slack/events` listens on (useful with PORT=0). */
  readonly port: number | undefined;
  /** The underlying Bolt app (tests and advanced wiring). */
  readonly app: App;
}

type Client = webApi.WebClient;

const apology = apologyReply;

/** `zh-CN`, `zh-TW` → zh; `en-*` → en; anything else: let the core detect. */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  const l = locale.toLowerCase();
  if (l.startsWith('zh')) return 'zh';
  if (l.startsWith('en')) return 'en';
  return undefined;
}

/** Remove mentions of the bot (`<@U123>` or `<@U123|name>`) and undo Slack's escaping. */
export function cleanMentionText(text: string, botUserId: string | undefined): string {
  const stripped = botUserId
    ? text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ')
    : text.replace(/^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/, ' ');
  return unescapeSlack(stripped.replace(/\s+/g, ' ').trim());
}

/** The registry name for a Slack slash command: `/topic` → topic; `/tutor-topic` → topic. */
export function commandNameOf(router: Router, slash: string): string {
  const name = slash.replace(/^\//, '').toLowerCase();
  if (router.findCommand(name)) return name;
  const prefixed = router.commands.find(
    (c) => name.endsWith(`-${c.name}`) || name.endsWith(`_${c.name}`),
  );
  return prefixed?.name ?? name;
}

/** Does this text invoke a command that takes an attached file (an option named `file`)? */
function wantsFile(router: Router, text: string): boolean {
  const line = splitCommandLine(text);
  const command = line ? router.findCommand(line.name) : undefined;
  return Boolean(command && optionsOf(command.schema).some((o) => o.name === 'file'));
}

/** What the adapter knows about a Slack user from users.info. */
export interface SlackProfile {
  /** From the user's locale; undefined → the core detects the language from the text. */
  lang: Lang | undefined;
  /** Workspace admin or owner: may stop someone else's quiz. Unknown → false. */
  moderator: boolean;
}

/** How long a users.info answer is trusted, and how soon a failed lookup is tried again. */
const PROFILE_TTL_MS = 3_600_000;
const PROFILE_RETRY_MS = 60_000;
/** users.info slower than this is given up (the reply goes on without it). */
const PROFILE_TIMEOUT_MS = 1500;

/**
 * Users' locale and role, one users.info call per user per hour (it needs `users:read`;
 * without it, or when Slack is slow, the core detects the language and nobody is a
 * moderator). Looked up after the 3 s ack, never before it; concurrent lookups for one user
 * share a call; a failed lookup is retried after a minute, not an hour.
 */
export class SlackProfiles {
  private readonly cache = new Map<string, { profile: SlackProfile; until: number }>();
  private readonly pending = new Map<string, Promise<SlackProfile>>();
  private warned = false;
  constructor(
    private readonly log: AdapterOptions['logger'],
    private readonly timeoutMs = PROFILE_TIMEOUT_MS,
  ) {}

  of(client: Client, user: string): Promise<SlackProfile> {
    const hit = this.cache.get(user);
    if (hit && Date.now() < hit.until) return Promise.resolve(hit.profile);
    const running = this.pending.get(user);
    if (running) return running;
    const lookup = this.lookup(client, user).finally(() => this.pending.delete(user));
    this.pending.set(user, lookup);
    return lookup;
  }

  private async lookup(client: Client, user: string): Promise<SlackProfile> {
    let profile: SlackProfile = { lang: undefined, moderator: false };
    let ok = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const res = await Promise.race([
        client.users.info({ user, include_locale: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`users.info took over ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      const u = res.user;
      profile = {
        lang: langOfLocale(u?.locale),
        moderator: u?.is_admin === true || u?.is_owner === true,
      };
      ok = true;
    } catch (err) {
      if (!this.warned) {
        this.warned = true;
        this.log.warn(
          { err: (err as Error).message },
          'Slack users.info failed; detecting language',
        );
      }
    } finally {
      clearTimeout(timer);
    }
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(user, {
      profile,
      until: Date.now() + (ok ? PROFILE_TTL_MS : PROFILE_RETRY_MS),
    });
    return profile;
  }
}

/** Fill in what users.info says about the sender: language (when known) and role. */
function applyProfile(incoming: Incoming, profile: SlackProfile): void {
  if (profile.lang) incoming.lang = profile.lang;
  incoming.user.moderator = profile.moderator;
}

/** Where a reply goes: a response_url, or a channel / thread through the Web API. */
interface Target {
  /** Send one rendered message (`index` within the reply); `secret`: only the user sees it. */
  send(m: SlackMessage, secret: boolean, index: number): Promise<void>;
  /** Can files be attached so that exactly the reply's audience sees them? */
  canUpload(secret: boolean): boolean;
  /** Attach files (files.uploadV2: get an upload URL, upload, complete into the channel). */
  upload(files: ReplyFile[]): Promise<void>;
}

type ReplyFile = NonNullable<Reply['files']>[number];

function channelTarget(
  client: Client,
  where: { channel: string; user: string; threadTs?: string | undefined; isDM: boolean },
): Target {
  const thread = where.threadTs ? { thread_ts: where.threadTs } : {};
  return {
    async send(m, secret) {
      const base = { channel: where.channel, text: m.text, blocks: m.blocks, ...thread };
      // In a DM everything is private already; elsewhere "secret" means ephemeral.
      if (secret && !where.isDM) await client.chat.postEphemeral({ ...base, user: where.user });
      else await client.chat.postMessage(base);
    },
    // An ephemeral message cannot carry files; a file in the channel would not be private.
    canUpload: (secret) => !secret || where.isDM,
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
function responseUrlTarget(respond: RespondFn, overflow: Target, threadTs?: string): Target {
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

type Log = AdapterOptions['logger'];

/**
 * Send a reply: its messages in order, then its files where they can be attached. When a
 * file cannot be attached (ephemeral reply, bot not in the channel, no files:write), a short
 * note says so instead.
 */
async function deliver(target: Target, reply: Reply, log: Log): Promise<void> {
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

/** The Slack error code of a Web API failure, or the message. */
function errorCode(err: unknown): string {
  return (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
}

function isDMChannel(channelId: string | undefined, channelName?: string): boolean {
  return channelName === 'directmessage' || Boolean(channelId?.startsWith('D'));
}

/**
 * Start the Slack adapter. HTTP mode (one endpoint, `/slack/events`, on `PORT`) unless
 * `SLACK_APP_TOKEN` is set, then Socket Mode. The bot token is verified (auth.test) before
 * anything listens, so a wrong token fails here with a clear error instead of later.
 */
export async function startSlack(opts: SlackAdapterOptions): Promise<RunningSlack> {
  const { router, config } = opts;
  const log = opts.logger.child({ platform: 'slack' });
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new Error('SLACK_BOT_TOKEN is required to start the Slack adapter');
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  if (!socketMode && !config.SLACK_SIGNING_SECRET) {
    throw new Error(
      'SLACK_SIGNING_SECRET is required for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const slackApiUrl = config.SLACK_API_URL ? config.SLACK_API_URL.replace(/\/?$/, '/') : undefined;
  const logger = boltLogger(log);
  // A dead API should fail a reply within seconds, not after Slack's default 30 minutes.
  const clientOptions: webApi.WebClientOptions = {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
  };

  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN!,
        logger,
        ...(opts.clientPingTimeout ? { clientPingTimeout: opts.clientPingTimeout } : {}),
        // apps.connections.open keeps Socket Mode's own (patient) retry policy.
        installerOptions: { clientOptions: slackApiUrl ? { slackApiUrl } : {} },
      })
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET!,
        endpoints: SLACK_EVENTS_PATH,
        port: config.PORT,
        logger,
        ...(opts.unhandledRequestTimeoutMillis
          ? { unhandledRequestTimeoutMillis: opts.unhandledRequestTimeoutMillis }
          : {}),
      });

  // deferInitialization: auth.test runs in init(), awaited below, instead of a floating
  // promise in the constructor (an unhandled rejection when Slack is unreachable).
  const app = new App({
    token,
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
  });
  try {
    await app.init();
  } catch (err) {
    throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${errorCode(err)})`);
  }

  const profiles = new SlackProfiles(log, opts.profileTimeoutMs);
  const recent = new RecentIds();
  const inflight = new Set<Promise<void>>();

  /** Route one Incoming and deliver the Reply; any failure is logged and apologised for. */
  const answer = (incoming: Incoming, target: Target, prepare?: () => Promise<Reply | null>) => {
    const work = (async () => {
      try {
        const refused = prepare ? await prepare() : null;
        const reply = refused ?? (await router.handle(incoming));
        await deliver(target, reply, log);
      } catch (err) {
        log.error(
          { err, user: incoming.user.id, channel: incoming.channel.id },
          'Slack listener failed',
        );
        const lang = incoming.lang ?? (/\p{Script=Han}/u.test(incoming.text) ? 'zh' : 'en');
        try {
          await deliver(target, apology(lang), log);
        } catch (again) {
          log.error({ err: again }, 'Slack apology could not be sent');
        }
      }
    })();
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
    return work;
  };

  app.error(async (error) => {
    log.error({ err: error, code: error.code }, 'Slack app error');
  });

  // One question, one answer: Slack retries events it thinks were not received.
  app.use(async ({ body, context, next }) => {
    const b = body as { type?: string; event_id?: string };
    if (b.type === 'event_callback' && typeof b.event_id === 'string' && recent.check(b.event_id)) {
      log.info(
        { eventId: b.event_id, retryNum: context.retryNum, retryReason: context.retryReason },
        'duplicate Slack event ignored',
      );
      return;
    }
    await next();
  });

  // Every registry command (also when installed with a prefix, e.g. /tutor-topic).
  app.command(/^\/.+/, async ({ command, ack, respond, client }) => {
    await ack();
    const name = commandNameOf(router, command.command);
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
    await answer(incoming, responseUrlTarget(respond, overflow), async () => {
      applyProfile(incoming, await profiles.of(client, command.user_id));
      return null;
    });
  });

  /** A mention or a DM: text (and maybe a file) in, a reply in the same thread. */
  const onMessage = async (
    client: Client,
    m: { user: string; channel: string; text: string; threadTs?: string | undefined },
    files: readonly SlackFile[] | undefined,
    isDM: boolean,
  ) => {
    const incoming: Incoming = {
      platform: 'slack',
      user: { id: m.user },
      channel: { id: m.channel, isDM, ...(m.threadTs ? { threadId: m.threadTs } : {}) },
      text: m.text,
    };
    const target = channelTarget(client, {
      channel: m.channel,
      user: m.user,
      threadTs: m.threadTs,
      isDM,
    });
    await answer(incoming, target, async () => {
      const profile = await profiles.of(client, m.user);
      applyProfile(incoming, profile);
      if (!files?.length || !wantsFile(router, incoming.text)) return null;
      const got = await downloadTextFiles(files, {
        token,
        lang: profile.lang ?? (/\p{Script=Han}/u.test(incoming.text) ? 'zh' : 'en'),
      });
      if (!got.ok) return got.reply;
      incoming.files = got.files;
      return null;
    });
  };

  app.event('app_mention', async ({ event, context, client }) => {
    if (!event.user || event.bot_id || event.user === context.botUserId) return;
    const files = (event as { files?: SlackFile[] }).files;
    await onMessage(
      client,
      {
        user: event.user,
        channel: event.channel,
        text: cleanMentionText(event.text ?? '', context.botUserId),
        threadTs: event.thread_ts ?? event.ts,
      },
      files,
      false,
    );
  });

  app.message(async ({ message, context, client }) => {
    if (message.channel_type !== 'im') return;
    // file_share is a user's message with an attachment; every other subtype is not a question.
    if (message.subtype !== undefined && message.subtype !== 'file_share') return;
    const m = message as (types.GenericMessageEvent | types.FileShareMessageEvent) & {
      bot_id?: string;
    };
    if (!m.user || m.bot_id || m.user === context.botUserId) return;
    await onMessage(
      client,
      {
        user: m.user,
        channel: m.channel,
        text: cleanMentionText(m.text ?? '', context.botUserId),
        threadTs: m.thread_ts,
      },
      m.files as SlackFile[] | undefined,
      true,
    );
  });

  const choicePattern = new RegExp(`^${CHOICE_ACTION_PREFIX.replace(/\./g, '\\.')}`);
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: choicePattern },
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const value = action.value;
      if (!value) return;
      const channel = body.channel?.id ?? body.container?.channel_id ?? '';
      const threadTs: string | undefined = body.message?.thread_ts ?? body.container?.thread_ts;
      const isDM = isDMChannel(channel, body.channel?.name);
      const incoming: Incoming = {
        platform: 'slack',
        user: { id: body.user.id, ...(body.user.name ? { name: body.user.name } : {}) },
        channel: { id: channel, isDM, ...(threadTs ? { threadId: threadTs } : {}) },
        text: value,
      };
      const overflow = channelTarget(client, { channel, user: body.user.id, threadTs, isDM });
      await answer(incoming, responseUrlTarget(respond, overflow, threadTs), async () => {
        applyProfile(incoming, await profiles.of(client, body.user.id));
        return null;
      });
    },
  );

  // Posting outside a request (quiz timers): into the destination's channel and thread.
  const outbox: Outbox = {
    async post(to, reply) {
      const target = channelTarget(app.client, {
        channel: to.channelId,
        user: '',
        threadTs: to.threadId,
        isDM: true, // no user to address: never ephemeral
      });
      await deliver(target, reply, log);
    },
  };

  let port: number | undefined;
  if (socketMode) {
    try {
      await app.start();
    } catch (err) {
      await app.stop().catch(() => {});
      throw new Error(
        `Slack Socket Mode did not connect (apps.connections.open: ${errorCode(err)}); check SLACK_APP_TOKEN (an xapp- token with connections:write)`,
      );
    }
  } else {
    try {
      const server = await (opts.host
        ? app.start({ port: config.PORT, host: opts.host })
        : app.start(config.PORT));
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : config.PORT;
    } catch (err) {
      throw new Error(
        `Slack HTTP mode cannot listen on PORT ${config.PORT} (${(err as NodeJS.ErrnoException).code ?? errorCode(err)})`,
      );
    }
  }
  const unregister = router.messenger.register('slack', outbox);
  log.info({ mode: socketMode ? 'socket' : 'http', port }, 'Slack adapter started');

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      unregister();
      await drain([...inflight], opts.drainTimeoutMs ?? 5000);
      if (receiver instanceof SocketModeReceiver) {
        // stop() resolves before the close handshake ends; wait for it, or a 30 s close
        // timer outlives us.
        const gone = new Promise<void>((resolve) => {
          receiver.client.once('disconnected', () => resolve());
        });
        await app.stop();
        await withTimeout(gone, 5000);
      } else {
        await app.stop();
      }
      log.info('Slack adapter stopped');
    })();
    return stopped;
  };

  return { name: 'slack', mode: socketMode ? 'socket' : 'http', port, app, stop };
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

function drain(work: Promise<void>[], ms: number): Promise<void> {
  return withTimeout(Promise.allSettled(work), ms);
}
