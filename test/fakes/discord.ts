/**
 * A loopback stand-in for Discord: REST (`/api/v10/…`) and the gateway WebSocket on one
 * ephemeral 127.0.0.1 port, typed with discord-api-types. The real discord.js client
 * talks to it unmodified (only `rest.api` changes).
 *
 * Strict where Discord is strict: the 3 s interaction ack deadline (→ 10062), a single
 * ack (→ 40060), MESSAGE_CONTENT blanking without the intent, bot auth on bot routes,
 * 204 responses without a content type, and the message limits (content 2000; embeds:
 * title 256, description 4096, 25 fields of 256/1024, footer 2048, 6000 in total, 10
 * per message; 5 buttons per row, 5 rows, label 80, unique custom_id ≤ 100) → HTTP 400
 * `{ code: 50035, message: 'Invalid Form Body', errors }`, like Discord.
 *
 * @example
 * const fake = await new FakeDiscord().start();
 * // point the bot at fake.apiUrl, then:
 * const i = fake.injectSlash({ name: 'topic', options: { n: 5 } });
 * const msg = await fake.waitFor(() => fake.messages.find((m) => m.interactionId === i.id));
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIEmbed,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  type GatewayGuildCreateDispatchData,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';

export const FAKE_IDS = {
  bot: '111111111111111111',
  application: '222222222222222222',
  guild: '333333333333333333',
  channel: '444444444444444444',
  /** A thread the bot has joined (listed with a `member` in GUILD_CREATE). */
  thread: '555555555555555551',
  /** A thread the bot is not in. */
  otherThread: '555555555555555552',
  user: '666666666666666666',
  dmChannel: '777777777777777777',
  /**
   * A second guild, served when the fake has two shards or more: `(id >> 22) % 2` is 1, so
   * it lives on shard 1 of 2 while `guild` lives on shard 0.
   */
  guild2: '333333333337527637',
  /** The text channel of `guild2`. */
  channel2: '444444444444444449',
} as const;

/** The shard of `count` that receives a guild's events: `(guild_id >> 22) % count`. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/**
 * The @everyone role's permissions (and a member's, by default): no Administrator (1 << 3),
 * no Manage Messages (1 << 13). The guild owner (`fake.user`) has every permission anyway.
 */
export const EVERYONE_PERMISSIONS = '2248473465835073';

/** A guild member other than the owner (for several people in one channel). */
export function fakeUser(id: string, name: string): APIUser {
  return { id, username: name.toLowerCase(), discriminator: '0', global_name: name, avatar: null };
}

/** A token of the usual shape; discord.js does not check the format. */
export const FAKE_TOKEN = 'ZmFrZS1ib3QtdG9rZW4.fake00.discord-stand-in-token';

export interface RecordedRequest {
  at: number;
  method: string;
  /** Decoded path without the `/api/v10` prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  authorization?: string;
  contentType?: string;
  /** JSON body (for multipart: the parsed `payload_json`). */
  body: unknown;
  files: { name: string; data: Buffer }[];
  status: number;
  response: unknown;
}

/** A message that reached a channel or an interaction, and how it got there. */
export interface SentMessage {
  id: string;
  at: number;
  via: 'callback' | 'edit' | 'followup' | 'channel';
  channelId: string;
  interactionId?: string;
  /** The message the bot replied to (message_reference). */
  referenceId?: string;
  ephemeral: boolean;
  content: string;
  embeds: APIEmbed[];
  components: unknown[];
  files: { name: string; data: Buffer }[];
  allowedMentions: unknown;
}

interface InteractionRecord {
  id: string;
  token: string;
  createdAt: number;
  channelId: string;
  acked: boolean;
  deferred: boolean;
  original?: { id: string; deleted: boolean; ephemeral: boolean };
}

export interface FakeDiscordOptions {
  /** The token the bot must present (default FAKE_TOKEN). */
  token?: string;
  /** Interaction callbacks later than this after injection get 10062 (default 3000). */
  ackDeadlineMs?: number;
  /**
   * The shard count `/gateway/bot` recommends (default 1). With 2 or more, a second guild
   * (`FAKE_IDS.guild2`, on shard 1) is served, and an IDENTIFY without a shard, or with
   * fewer shards than this, is closed with 4011 (sharding required), like Discord.
   */
  shards?: number;
  /** `session_start_limit.max_concurrency` of `/gateway/bot` (default 1). */
  maxConcurrency?: number;
}

/** The shard a gateway connection identified as: `[id, count]`. */
type ShardKey = [number, number];

export interface FakeAttachment {
  name: string;
  /** The body served at the attachment's URL. */
  body: Buffer | string;
  /** The size announced in the payload (default: the real size). */
  declaredSize?: number;
  contentType?: string;
}

type Errors = Record<string, string>;

/** Zero for any of discord-api-types' flag enums. */
const NO_FLAGS = 0 as never;

const len = (s: string | undefined) => (s ? [...s].length : 0);

/** Check a message body against Discord's limits: path → problem (empty when valid). */
/** Why Discord would refuse a modal (empty: it is valid): sizes of the title, ids and labels. */
export function modalProblems(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const title = data.title;
  if (typeof title !== 'string' || !title || title.length > 45) problems.push('title: 1–45');
  const customId = data.custom_id;
  if (typeof customId !== 'string' || !customId || customId.length > 100)
    problems.push('custom_id: 1–100');
  const rows = data.components as Record<string, unknown>[] | undefined;
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > 5) problems.push('components: 1–5');
  for (const row of rows ?? []) {
    if (row.type !== ComponentType.Label) continue;
    const label = row.label;
    if (typeof label !== 'string' || !label || label.length > 45) problems.push('label: 1–45');
    const input = row.component as Record<string, unknown> | undefined;
    if (input?.type !== ComponentType.TextInput || !input.custom_id)
      problems.push('a label holds a text input with a custom_id');
    if ('label' in (input ?? {})) problems.push('a text input in a label has no label of its own');
  }
  return problems;
}

export function messageLimitErrors(body: Record<string, unknown>): Errors {
  const errors: Errors = {};
  const content = typeof body.content === 'string' ? body.content : undefined;
  if (len(content) > 2000) errors.content = 'Must be 2000 or fewer in length.';
  const embeds = (Array.isArray(body.embeds) ? body.embeds : []) as APIEmbed[];
  if (embeds.length > 10) errors.embeds = 'Must be 10 or fewer in length.';
  let total = 0;
  embeds.forEach((e, i) => {
    const p = `embeds.${i}`;
    if (len(e.title) > 256) errors[`${p}.title`] = 'Must be 256 or fewer in length.';
    if (len(e.description) > 4096) errors[`${p}.description`] = 'Must be 4096 or fewer in length.';
    if (len(e.footer?.text) > 2048) errors[`${p}.footer.text`] = 'Must be 2048 or fewer in length.';
    if (len(e.author?.name) > 256) errors[`${p}.author.name`] = 'Must be 256 or fewer in length.';
    const fields = e.fields ?? [];
    if (fields.length > 25) errors[`${p}.fields`] = 'Must be 25 or fewer in length.';
    fields.forEach((f, j) => {
      if (len(f.name) < 1 || len(f.name) > 256) {
        errors[`${p}.fields.${j}.name`] = 'Must be between 1 and 256 in length.';
      }
      if (len(f.value) < 1 || len(f.value) > 1024) {
        errors[`${p}.fields.${j}.value`] = 'Must be between 1 and 1024 in length.';
      }
      total += len(f.name) + len(f.value);
    });
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
  });
  if (total > 6000) errors.embeds = 'Embed size exceeds maximum size of 6000';
  const rows = (Array.isArray(body.components) ? body.components : []) as {
    type: number;
    components?: { type: number; style?: number; label?: string; custom_id?: string }[];
  }[];
  if (rows.length > 5) errors.components = 'Must be 5 or fewer in length.';
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    if (row.type !== ComponentType.ActionRow) errors[`components.${i}.type`] = 'Not an action row';
    const items = row.components ?? [];
    if (items.length < 1 || items.length > 5) {
      errors[`components.${i}.components`] = 'Must be between 1 and 5 in length.';
    }
    items.forEach((b, j) => {
      const p = `components.${i}.components.${j}`;
      if (len(b.label) > 80) errors[`${p}.label`] = 'Must be 80 or fewer in length.';
      if (b.style !== 5) {
        if (len(b.custom_id) < 1 || len(b.custom_id) > 100) {
          errors[`${p}.custom_id`] = 'Must be between 1 and 100 in length.';
        } else if (ids.has(b.custom_id!)) {
          errors[`${p}.custom_id`] = 'Component custom id cannot be duplicated';
        } else ids.add(b.custom_id!);
      }
    });
  });
  return errors;
}

/** Discord's nested error shape from flat paths. */
function nestErrors(flat: Errors): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(flat)) {
    let node = root;
    for (const key of path.split('.')) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node._errors = [{ code: 'BASE_TYPE_BAD_LENGTH', message }];
  }
  return root;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const unknownInteraction = () =>
  new HttpError(404, { message: 'Unknown interaction', code: 10062 });

export class FakeDiscord extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  readonly messages: SentMessage[] = [];
  /** Modals the bot showed (interaction callback type 9), as sent. */
  readonly modals: { interactionId: string; data: Record<string, unknown> }[] = [];
  /** Registered commands by scope (`global` or a guild id), as last PUT. */
  readonly commands = new Map<string, RESTPutAPIApplicationCommandsJSONBody>();
  /** The `d` of each IDENTIFY received (`shard` as sent; Discord's default is [0, 1]). */
  readonly identifies: { token: string; intents: number; shard?: ShardKey }[] = [];
  /** Each dispatched event and the shard ids of the connections it was sent to. */
  readonly dispatched: { event: string; id?: string; shards: number[] }[] = [];
  readonly shardCount: number;
  readonly maxConcurrency: number;
  ackDeadlineMs: number;
  readonly token: string;
  readonly botUser: APIUser = {
    id: FAKE_IDS.bot,
    username: 'llm-tutor',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
  };
  readonly user: APIUser = {
    id: FAKE_IDS.user,
    username: 'learner',
    discriminator: '0',
    global_name: 'Learner',
    avatar: null,
  };

  private server?: Server;
  private wss?: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  /** The shard of each identified (or resumed) connection. */
  private readonly shardOf = new Map<WebSocket, ShardKey>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly attachments = new Map<string, { body: Buffer; type: string }>();
  private readonly knownMessages = new Set<string>();
  /** Threads of the guild channel: id → whether the bot is a member. */
  private readonly threads = new Map<string, boolean>([
    [FAKE_IDS.thread, true],
    [FAKE_IDS.otherThread, false],
  ]);
  private seq = 0;
  private nextId = 900_000_000_000_000_000n;
  private port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    super();
    this.token = options.token ?? FAKE_TOKEN;
    this.ackDeadlineMs = options.ackDeadlineMs ?? 3000;
    this.shardCount = options.shards ?? 1;
    this.maxConcurrency = options.maxConcurrency ?? 1;
  }

  /** The guilds served: `guild`, and `guild2` when there are two shards or more. */
  get guildIds(): string[] {
    return this.shardCount > 1 ? [FAKE_IDS.guild, FAKE_IDS.guild2] : [FAKE_IDS.guild];
  }

  /** The guild a channel or thread belongs to (undefined for the DM channel). */
  guildOfChannel(channelId: string): string | undefined {
    if (channelId === FAKE_IDS.channel2) return FAKE_IDS.guild2;
    return channelId === FAKE_IDS.dmChannel ? undefined : FAKE_IDS.guild;
  }

  /** `http://127.0.0.1:PORT/api` — the value for DISCORD_API_URL / `rest.api`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open gateway connections. */
  get connections(): number {
    return [...this.sockets].filter((s) => s.readyState === s.OPEN).length;
  }

  snowflake(): string {
    this.nextId += 1n;
    return this.nextId.toString();
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.wss = wss;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Resolve with `check()`'s first truthy value; reject after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const now = check();
    if (now) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const onChange = () => {
        const v = check();
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      // changes come from the fake's own traffic; a poll also catches outside state (logs)
      const poll = setInterval(onChange, 20);
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.requests
          .slice(-8)
          .map((r) => `${r.method} ${r.path} → ${r.status}`)
          .join('\n  ');
        reject(new Error(`waitFor timed out after ${timeoutMs} ms; last requests:\n  ${recent}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.off('change', onChange);
      };
      this.on('change', onChange);
    });
  }

  /** Requests that got an HTTP error (a correct bot makes none, except where a test provokes). */
  get failures(): RecordedRequest[] {
    return this.requests.filter((r) => r.status >= 400);
  }

  // ---- gateway ------------------------------------------------------------------

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload)); // text frames only
  }

  /**
   * Send an event to the connections of the shard it belongs to: a guild's events to shard
   * `(guild_id >> 22) % count`, everything else (DMs) to shard 0, like Discord.
   */
  dispatch(payload: GatewayDispatchPayload): void {
    const d = payload.d as { id?: string; guild_id?: string } | null;
    const shards: number[] = [];
    for (const [ws, [id, count]] of this.shardOf) {
      const target = d?.guild_id ? shardOfGuild(d.guild_id, count) : 0;
      if (id !== target || ws.readyState !== ws.OPEN) continue;
      this.send(ws, { ...payload, s: ++this.seq });
      shards.push(id);
    }
    this.dispatched.push({ event: payload.t, ...(d?.id ? { id: d.id } : {}), shards });
    this.emit('change');
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.shardOf.delete(ws);
      this.emit('change');
    });
    this.send(ws, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 } });
    ws.on('message', (raw) => {
      let msg: { op: number; d: unknown };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      if (msg.op === GatewayOpcodes.Heartbeat) {
        this.send(ws, { op: GatewayOpcodes.HeartbeatAck });
      } else if (msg.op === GatewayOpcodes.Identify) {
        this.onIdentify(ws, msg.d as { token: string; intents: number; shard?: ShardKey });
      } else if (msg.op === GatewayOpcodes.Resume) {
        // the session id names the shard: `fake-session-ID-COUNT`
        const session = String((msg.d as { session_id?: string }).session_id ?? '');
        const [, id, count] = /^fake-session-(\d+)-(\d+)$/.exec(session) ?? [];
        this.shardOf.set(ws, [Number(id ?? 0), Number(count ?? 1)]);
        this.send(ws, { op: GatewayOpcodes.Dispatch, t: 'RESUMED', s: ++this.seq, d: null });
      }
      this.emit('change');
    });
  }

  /** Check the token and the shard, then READY with the guilds of that shard. */
  private onIdentify(ws: WebSocket, d: { token: string; intents: number; shard?: ShardKey }) {
    this.identifies.push({
      token: d.token,
      intents: d.intents,
      ...(d.shard ? { shard: d.shard } : {}),
    });
    if (d.token !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    const [id, count] = d.shard ?? [0, 1];
    if (!Number.isInteger(id) || !Number.isInteger(count) || id < 0 || id >= count) {
      ws.close(4010, 'Invalid shard.');
      return;
    }
    if (count < this.shardCount) {
      ws.close(4011, 'Sharding required.');
      return;
    }
    this.shardOf.set(ws, [id, count]);
    this.sendReady(ws, [id, count]);
  }

  private sendReady(ws: WebSocket, [id, count]: ShardKey): void {
    const guilds = this.guildIds.filter((g) => shardOfGuild(g, count) === id);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.botUser,
      guilds: guilds.map((g) => ({ id: g, unavailable: true })),
      session_id: `fake-session-${id}-${count}`,
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      shard: [id, count],
      application: { id: FAKE_IDS.application, flags: NO_FLAGS, flags_new: '0' },
    };
    this.send(ws, { op: 0, t: GatewayDispatchEvents.Ready, s: ++this.seq, d: ready });
    for (const g of guilds) {
      this.send(ws, {
        op: 0,
        t: GatewayDispatchEvents.GuildCreate,
        s: ++this.seq,
        d: this.guild(g),
      });
    }
  }

  private channelObject(guildId: string = FAKE_IDS.guild): APITextChannel {
    return {
      id: guildId === FAKE_IDS.guild2 ? FAKE_IDS.channel2 : FAKE_IDS.channel,
      type: ChannelType.GuildText,
      guild_id: guildId,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: NO_FLAGS,
    };
  }

  private threadObject(id: string, joined: boolean): APIThreadChannel {
    const now = new Date().toISOString();
    return {
      id,
      type: ChannelType.PublicThread,
      guild_id: FAKE_IDS.guild,
      parent_id: FAKE_IDS.channel,
      owner_id: FAKE_IDS.user,
      name: joined ? 'study group' : 'someone else',
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 1,
      member_count: joined ? 2 : 1,
      total_message_sent: 1,
      flags: NO_FLAGS,
      applied_tags: [],
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: now,
        locked: false,
      },
      ...(joined
        ? { member: { id, user_id: FAKE_IDS.bot, join_timestamp: now, flags: NO_FLAGS } }
        : {}),
    };
  }

  private member(user: APIUser): APIGuildMember {
    return {
      user,
      roles: [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: NO_FLAGS,
    };
  }

  private guild(id: string = FAKE_IDS.guild): GatewayGuildCreateDispatchData {
    const first = id === FAKE_IDS.guild;
    const everyone: APIRole = {
      id,
      name: '@everyone',
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 0,
      permissions: EVERYONE_PERMISSIONS,
      managed: false,
      mentionable: false,
      flags: NO_FLAGS,
    };
    return {
      id,
      name: first ? 'Study Group' : 'Reading Club',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: FAKE_IDS.user,
      region: 'us-west',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [everyone],
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: NO_FLAGS,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
      joined_at: new Date(0).toISOString(),
      large: false,
      member_count: 2,
      voice_states: [],
      members: [this.member(this.botUser), this.member(this.user)],
      channels: [this.channelObject(id)],
      threads: first ? [...this.threads].map(([t, joined]) => this.threadObject(t, joined)) : [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- injectors ----------------------------------------------------------------

  /** Serve a file and describe it as Discord would in a payload. */
  addAttachment(file: FakeAttachment): APIAttachment {
    const id = this.snowflake();
    const body = Buffer.isBuffer(file.body) ? file.body : Buffer.from(file.body, 'utf8');
    const type = file.contentType ?? 'text/plain; charset=utf-8';
    this.attachments.set(id, { body, type });
    const url = `${this.base}/attachments/${id}/${encodeURIComponent(file.name)}`;
    return {
      id,
      filename: file.name,
      size: file.declaredSize ?? body.length,
      url,
      proxy_url: url,
      content_type: type,
    };
  }

  /**
   * The member as an interaction carries it. `permissions` are the member's resolved
   * permissions in the channel (default: @everyone's, without Manage Messages/Administrator).
   */
  private interactionMember(
    user: APIUser = this.user,
    permissions = EVERYONE_PERMISSIONS,
  ): APIInteractionGuildMember {
    return { ...this.member(user), user, permissions };
  }

  private where(opts: { channelId?: string; dm?: boolean; user?: APIUser; permissions?: string }) {
    if (opts.dm) {
      return {
        channel_id: FAKE_IDS.dmChannel,
        channel: { id: FAKE_IDS.dmChannel, type: ChannelType.DM },
        user: opts.user ?? this.user,
        context: InteractionContextType.BotDM,
      } as const;
    }
    const id = opts.channelId ?? FAKE_IDS.channel;
    const isThread = this.threads.has(id);
    return {
      guild_id: this.guildOfChannel(id) ?? FAKE_IDS.guild,
      channel_id: id,
      channel: isThread
        ? { id, type: ChannelType.PublicThread, parent_id: FAKE_IDS.channel }
        : { id, type: ChannelType.GuildText },
      member: this.interactionMember(opts.user, opts.permissions),
      context: InteractionContextType.Guild,
    } as const;
  }

  /** The fields every interaction carries besides its data and place. */
  private interactionContext(locale: Locale | undefined) {
    return {
      app_permissions: '2248473465835073',
      locale: locale ?? Locale.EnglishUS,
      guild_locale: Locale.EnglishUS,
      entitlements: [],
      authorizing_integration_owners: { '0': FAKE_IDS.guild },
      attachment_size_limit: 10 * 1024 * 1024,
    };
  }

  private track(id: string, token: string, channelId: string, createdAt: number) {
    this.interactions.set(id, {
      id,
      token,
      createdAt,
      channelId,
      acked: false,
      deferred: false,
    });
  }

  /** The option type Discord would send: from the registered command, else from the value. */
  private optionType(command: string, name: string, value: unknown): ApplicationCommandOptionType {
    for (const list of this.commands.values()) {
      const def = list.find((c) => c.name === command);
      const found = def && 'options' in def ? def.options?.find((o) => o.name === name) : undefined;
      if (found) return found.type;
    }
    if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
    if (typeof value === 'number') {
      return Number.isInteger(value)
        ? ApplicationCommandOptionType.Integer
        : ApplicationCommandOptionType.Number;
    }
    return ApplicationCommandOptionType.String;
  }

  /** A slash command as Discord delivers it (INTERACTION_CREATE type 2). */
  injectSlash(opts: {
    name: string;
    options?: Record<string, string | number | boolean>;
    attachment?: APIAttachment;
    channelId?: string;
    dm?: boolean;
    locale?: Locale;
    /** Who invoked it (default: `fake.user`, the guild owner). */
    user?: APIUser;
    /** The member's permissions in the channel (default: @everyone's). */
    permissions?: string;
    /** Pretend the event was created this long ago (late delivery). */
    ageMs?: number;
    /** Re-deliver an earlier interaction (same id and token). */
    replay?: { id: string; token: string };
  }): APIChatInputApplicationCommandInteraction {
    const id = opts.replay?.id ?? this.snowflake();
    const token = opts.replay?.token ?? `itoken-${id}`;
    const options: APIApplicationCommandInteractionDataOption[] = Object.entries(
      opts.options ?? {},
    ).map(
      ([name, value]) =>
        ({
          name,
          type: this.optionType(opts.name, name, value),
          value,
        }) as APIApplicationCommandInteractionDataOption,
    );
    if (opts.attachment) {
      options.push({
        name: 'file',
        type: ApplicationCommandOptionType.Attachment,
        value: opts.attachment.id,
      });
    }
    const where = this.where(opts);
    const interaction = {
      id,
      token,
      application_id: FAKE_IDS.application,
      type: InteractionType.ApplicationCommand,
      version: 1,
      data: {
        id: `cmd-${opts.name}`,
        name: opts.name,
        type: ApplicationCommandType.ChatInput,
        options,
        ...(opts.attachment
          ? { resolved: { attachments: { [opts.attachment.id]: opts.attachment } } }
          : {}),
      },
      ...where,
      ...this.interactionContext(opts.locale),
    } as APIChatInputApplicationCommandInteraction;
    if (!opts.replay) this.track(id, token, where.channel_id, Date.now() - (opts.ageMs ?? 0));
    this.dispatch({
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.InteractionCreate,
      s: 0,
      d: interaction,
    });
    return interaction;
  }

  /** A click on a button of a message the bot sent (INTERACTION_CREATE type 3). */
  injectButton(opts: {
    customId: string;
    message?: SentMessage;
    channelId?: string;
    dm?: boolean;
    locale?: Locale;
    /** Who clicked (default: `fake.user`, the guild owner). */
    user?: APIUser;
    /** The member's permissions in the channel (default: @everyone's). */
    permissions?: string;
  }): APIMessageComponentButtonInteraction {
    const id = this.snowflake();
    const token = `itoken-${id}`;
    const where = this.where({
      ...(opts.dm !== undefined ? { dm: opts.dm } : {}),
      channelId: opts.channelId ?? opts.message?.channelId ?? FAKE_IDS.channel,
      ...(opts.user ? { user: opts.user } : {}),
      ...(opts.permissions !== undefined ? { permissions: opts.permissions } : {}),
    });
    const message: APIMessage = {
      ...this.messageObject(opts.message?.id ?? this.snowflake(), where.channel_id, this.botUser),
      embeds: opts.message?.embeds ?? [],
      components: (opts.message?.components ?? []) as APIMessage['components'],
    };
    const interaction = {
      id,
      token,
      application_id: FAKE_IDS.application,
      type: InteractionType.MessageComponent,
      version: 1,
      data: { custom_id: opts.customId, component_type: ComponentType.Button },
      message,
      ...where,
      ...this.interactionContext(opts.locale),
    } as APIMessageComponentButtonInteraction;
    this.track(id, token, where.channel_id, Date.now());
    this.dispatch({
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.InteractionCreate,
      s: 0,
      d: interaction,
    });
    return interaction;
  }

  /**
   * A submitted modal (INTERACTION_CREATE type 5) shown from a button: `values` are the text
   * inputs' values by custom id, each in a Label component as Discord sends them.
   */
  injectModalSubmit(opts: {
    customId: string;
    values: Record<string, string>;
    channelId?: string;
    dm?: boolean;
    locale?: Locale;
    user?: APIUser;
  }): { id: string } {
    const id = this.snowflake();
    const token = `itoken-${id}`;
    const where = this.where({
      ...(opts.dm !== undefined ? { dm: opts.dm } : {}),
      channelId: opts.channelId ?? FAKE_IDS.channel,
      ...(opts.user ? { user: opts.user } : {}),
    });
    const components = Object.entries(opts.values).map(([customId, value], i) => ({
      type: ComponentType.Label,
      id: i + 1,
      component: { type: ComponentType.TextInput, id: i + 100, custom_id: customId, value },
    }));
    const interaction = {
      id,
      token,
      application_id: FAKE_IDS.application,
      type: InteractionType.ModalSubmit,
      version: 1,
      data: { custom_id: opts.customId, components },
      message: this.messageObject(this.snowflake(), where.channel_id, this.botUser),
      ...where,
      ...this.interactionContext(opts.locale),
    };
    this.track(id, token, where.channel_id, Date.now());
    this.dispatch({
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.InteractionCreate,
      s: 0,
      d: interaction as unknown as GatewayDispatchPayload['d'],
    } as GatewayDispatchPayload);
    return { id };
  }

  private messageObject(id: string, channelId: string, author: APIUser): APIMessage {
    return {
      id,
      channel_id: channelId,
      author,
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: MessageType.Default,
    };
  }

  /**
   * A user's message (MESSAGE_CREATE): in the guild channel by default, in a thread
   * (`channelId: FAKE_IDS.thread`), or a DM (`dm: true`). Mentions in the text (`<@id>`)
   * are listed like Discord does. Without the MESSAGE_CONTENT intent, guild messages that
   * do not mention the bot arrive blank.
   */
  injectMessage(opts: {
    content: string;
    channelId?: string;
    dm?: boolean;
    author?: APIUser;
    attachments?: APIAttachment[];
    /** Re-deliver with this id (a duplicate event). */
    id?: string;
  }): APIMessage {
    const author = opts.author ?? this.user;
    const channelId = opts.dm ? FAKE_IDS.dmChannel : (opts.channelId ?? FAKE_IDS.channel);
    const id = opts.id ?? this.snowflake();
    this.knownMessages.add(id);
    const mentionIds = [...opts.content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]!);
    const mentions = mentionIds.map((mid) =>
      mid === this.botUser.id
        ? this.botUser
        : {
            id: mid,
            username: `user${mid.slice(-4)}`,
            discriminator: '0',
            global_name: null,
            avatar: null,
          },
    );
    const mentionsBot = mentionIds.includes(this.botUser.id);
    const intents = this.identifies.at(-1)?.intents ?? 0;
    const blank = !opts.dm && !mentionsBot && (intents & GatewayIntentBits.MessageContent) === 0;
    const message: APIMessage = {
      ...this.messageObject(id, channelId, author),
      content: blank ? '' : opts.content,
      mentions,
      mention_roles: [...opts.content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!),
      attachments: blank ? [] : (opts.attachments ?? []),
    };
    const d = opts.dm
      ? { ...message, channel_type: ChannelType.DM }
      : {
          ...message,
          guild_id: this.guildOfChannel(channelId) ?? FAKE_IDS.guild,
          member: this.member(author),
        };
    this.dispatch({
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.MessageCreate,
      s: 0,
      d: d as never,
    });
    return message;
  }

  /**
   * A new thread under the guild channel (THREAD_CREATE). With `joined`, the bot was added
   * to it, as when a user invites the bot into a thread.
   */
  createThread(opts: { joined: boolean }): string {
    const id = this.snowflake();
    this.threads.set(id, opts.joined);
    this.dispatch({
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.ThreadCreate,
      s: 0,
      d: { ...this.threadObject(id, opts.joined), newly_created: true },
    });
    return id;
  }

  /** `<@bot> text` in the guild channel. */
  injectMention(text: string, opts: { channelId?: string } = {}): APIMessage {
    return this.injectMessage({ content: `<@${this.botUser.id}> ${text}`, ...opts });
  }

  // ---- REST ---------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.base);
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const record: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
      body: undefined,
      files: [],
      status: 0,
      response: undefined,
    };
    try {
      await this.parseBody(record, raw);
      const result = this.route(record);
      record.status = result.status;
      record.response = result.body;
    } catch (err) {
      if (err instanceof HttpError) {
        record.status = err.status;
        record.response = err.body;
      } else {
        record.status = 500;
        record.response = { message: String(err), code: 0 };
      }
    }
    this.requests.push(record);
    if (record.status === 204) {
      res.writeHead(204); // no body and no JSON content-type, like Discord
      res.end();
    } else if (Buffer.isBuffer(record.response)) {
      res.writeHead(record.status, { 'content-type': 'application/octet-stream' });
      res.end(record.response);
    } else {
      res.writeHead(record.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(record.response));
    }
    this.emit('change');
  }

  private async parseBody(record: RecordedRequest, raw: Buffer): Promise<void> {
    const type = record.contentType ?? '';
    if (!raw.length) return;
    if (type.startsWith('application/json')) {
      record.body = JSON.parse(raw.toString('utf8'));
    } else if (type.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': type },
      }).formData();
      for (const [key, value] of form.entries()) {
        if (key === 'payload_json' && typeof value === 'string') record.body = JSON.parse(value);
        else if (typeof value !== 'string') {
          record.files.push({ name: value.name, data: Buffer.from(await value.arrayBuffer()) });
        }
      }
    } else {
      record.body = raw.toString('utf8');
    }
  }

  private requireBot(r: RecordedRequest): void {
    if (r.authorization !== `Bot ${this.token}`) {
      throw new HttpError(401, { message: '401: Unauthorized', code: 0 });
    }
  }

  private route(r: RecordedRequest): { status: number; body?: unknown } {
    const at = (method: string | undefined, re: RegExp) =>
      method === undefined || r.method === method ? re.exec(r.path) : null;
    if (at('GET', /^\/gateway\/bot$/)) {
      this.requireBot(r);
      return {
        status: 200,
        body: {
          url: `ws://127.0.0.1:${this.port}`,
          shards: this.shardCount,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 0,
            max_concurrency: this.maxConcurrency,
          },
        },
      };
    }
    if (at('GET', /^\/users\/@me$/)) {
      this.requireBot(r);
      return { status: 200, body: this.botUser };
    }
    const file = at('GET', /^\/attachments\/(\d+)\/[^/]+$/);
    if (file) {
      const found = this.attachments.get(file[1]!);
      if (!found) throw new HttpError(404, { message: '404: Not Found', code: 0 });
      return { status: 200, body: found.body };
    }
    const commands = at(undefined, /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/);
    if (commands) {
      this.requireBot(r);
      if (commands[1] !== FAKE_IDS.application) {
        throw new HttpError(403, { message: 'Missing Access', code: 50001 });
      }
      const scope = commands[2] ?? 'global';
      if (r.method === 'GET') return { status: 200, body: this.commandObjects(scope) };
      if (r.method === 'PUT') return { status: 200, body: this.putCommands(scope, r.body) };
    }
    const callback = at('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/);
    if (callback) return this.callback(callback[1]!, callback[2]!, r);
    const hook = at(undefined, /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/);
    if (hook) return this.webhook(hook[2]!, hook[3], r);
    const post = at('POST', /^\/channels\/(\d+)\/messages$/);
    if (post) {
      this.requireBot(r);
      return { status: 200, body: this.channelPost(post[1]!, r) };
    }
    const channel = at('GET', /^\/channels\/(\d+)$/);
    if (channel) {
      this.requireBot(r);
      return { status: 200, body: this.channelById(channel[1]!) };
    }
    throw new HttpError(404, { message: '404: Not Found', code: 0 });
  }

  private channelById(id: string): unknown {
    if (id === FAKE_IDS.channel) return this.channelObject();
    if (id === FAKE_IDS.channel2 && this.shardCount > 1) return this.channelObject(FAKE_IDS.guild2);
    const joined = this.threads.get(id);
    if (joined !== undefined) return this.threadObject(id, joined);
    if (id === FAKE_IDS.dmChannel) {
      return { id, type: ChannelType.DM, recipients: [this.user], last_message_id: null };
    }
    throw new HttpError(404, { message: 'Unknown Channel', code: 10003 });
  }

  private commandObjects(scope: string): unknown[] {
    return (this.commands.get(scope) ?? []).map((c) => ({
      ...c,
      id: `cmd-${c.name}`,
      application_id: FAKE_IDS.application,
      ...(scope === 'global' ? {} : { guild_id: scope }),
      version: '1',
      default_member_permissions: null,
    }));
  }

  private putCommands(scope: string, body: unknown): unknown[] {
    if (!Array.isArray(body))
      throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
    const errors: Errors = {};
    const name = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
    const list = body as RESTPutAPIApplicationCommandsJSONBody;
    if (list.length > 100) errors._root = 'Must be 100 or fewer in length.';
    const names = new Set<string>();
    list.forEach((c, i) => {
      const p = `${i}`;
      if (!name.test(c.name)) errors[`${p}.name`] = 'Command name is invalid';
      if (names.has(c.name)) errors[`${p}.name`] = 'Application command names must be unique';
      names.add(c.name);
      const desc = 'description' in c ? c.description : '';
      if (len(desc) < 1 || len(desc) > 100)
        errors[`${p}.description`] = 'Must be between 1 and 100 in length.';
      for (const [loc, text] of Object.entries(
        ('description_localizations' in c && c.description_localizations) || {},
      )) {
        if (len(text ?? '') < 1 || len(text ?? '') > 100) {
          errors[`${p}.description_localizations.${loc}`] = 'Must be between 1 and 100 in length.';
        }
      }
      const options = ('options' in c ? c.options : undefined) ?? [];
      if (options.length > 25) errors[`${p}.options`] = 'Must be 25 or fewer in length.';
      let seenOptional = false;
      let chars = len(c.name) + len(desc);
      options.forEach((o, j) => {
        const q = `${p}.options.${j}`;
        if (!name.test(o.name)) errors[`${q}.name`] = 'Option name is invalid';
        if (len(o.description) < 1 || len(o.description) > 100) {
          errors[`${q}.description`] = 'Must be between 1 and 100 in length.';
        }
        const required = 'required' in o && o.required === true;
        if (required && seenOptional) {
          errors[`${q}.required`] = 'Required options must be placed before non-required options';
        }
        if (!required) seenOptional = true;
        chars += len(o.name) + len(o.description);
        const choices = ('choices' in o ? o.choices : undefined) ?? [];
        if (choices.length > 25) errors[`${q}.choices`] = 'Must be 25 or fewer in length.';
        for (const ch of choices) chars += len(ch.name) + len(String(ch.value));
      });
      if (chars > 4000) errors[`${p}`] = 'Command exceeds maximum size (4000)';
    });
    if (Object.keys(errors).length) {
      throw new HttpError(400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: nestErrors(errors),
      });
    }
    this.commands.set(scope, list);
    return this.commandObjects(scope);
  }

  /** Validate a message body; record it when valid. */
  private accept(
    r: RecordedRequest,
    data: Record<string, unknown>,
    where: Omit<
      SentMessage,
      'id' | 'at' | 'content' | 'embeds' | 'components' | 'files' | 'allowedMentions' | 'ephemeral'
    >,
    opts: { allowEphemeral: boolean; requireContent: boolean },
  ): SentMessage {
    const errors = messageLimitErrors(data);
    if (Object.keys(errors).length) {
      throw new HttpError(400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: nestErrors(errors),
      });
    }
    const content = typeof data.content === 'string' ? data.content : '';
    const embeds = (data.embeds as APIEmbed[] | undefined) ?? [];
    const attachments = (data.attachments as unknown[] | undefined) ?? [];
    if (
      opts.requireContent &&
      !content &&
      !embeds.length &&
      !r.files.length &&
      !attachments.length
    ) {
      throw new HttpError(400, { message: 'Cannot send an empty message', code: 50006 });
    }
    const flags = Number(data.flags ?? 0);
    if (flags & MessageFlags.Ephemeral && !opts.allowEphemeral) {
      throw new HttpError(400, { message: 'Invalid Form Body', code: 50035 });
    }
    const sent: SentMessage = {
      id: this.snowflake(),
      at: Date.now(),
      ...where,
      ephemeral: Boolean(flags & MessageFlags.Ephemeral),
      content,
      embeds,
      components: (data.components as unknown[] | undefined) ?? [],
      files: r.files,
      allowedMentions: data.allowed_mentions,
    };
    this.messages.push(sent);
    this.knownMessages.add(sent.id);
    return sent;
  }

  private apiMessage(sent: SentMessage): APIMessage {
    return {
      ...this.messageObject(sent.id, sent.channelId, this.botUser),
      content: sent.content,
      embeds: sent.embeds,
      components: sent.components as APIMessage['components'],
      flags: sent.ephemeral ? MessageFlags.Ephemeral : NO_FLAGS,
      ...(sent.interactionId ? { webhook_id: FAKE_IDS.application } : {}),
    };
  }

  private callback(
    id: string,
    token: string,
    r: RecordedRequest,
  ): { status: number; body?: unknown } {
    const interaction = this.interactions.get(id);
    if (!interaction || interaction.token !== token) throw unknownInteraction();
    if (Date.now() - interaction.createdAt > this.ackDeadlineMs) throw unknownInteraction();
    if (interaction.acked) {
      throw new HttpError(400, {
        message: 'Interaction has already been acknowledged.',
        code: 40060,
      });
    }
    const body = (r.body ?? {}) as { type?: number; data?: Record<string, unknown> };
    const data = body.data ?? {};
    const base = { via: 'callback' as const, channelId: interaction.channelId, interactionId: id };
    switch (body.type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const sent = this.accept(r, data, base, { allowEphemeral: true, requireContent: true });
        interaction.original = { id: sent.id, deleted: false, ephemeral: sent.ephemeral };
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const ephemeral = Boolean(Number(data.flags ?? 0) & MessageFlags.Ephemeral);
        interaction.deferred = true;
        interaction.original = { id: this.snowflake(), deleted: false, ephemeral };
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage:
        break;
      case InteractionResponseType.Modal: {
        const problems = modalProblems(data);
        if (problems.length)
          throw new HttpError(400, { message: problems.join('; '), code: 50035 });
        this.modals.push({ interactionId: id, data });
        break;
      }
      default:
        throw new HttpError(400, { message: 'Invalid interaction response type', code: 50035 });
    }
    interaction.acked = true;
    return { status: 204 };
  }

  private webhook(
    token: string,
    messageId: string | undefined,
    r: RecordedRequest,
  ): { status: number; body?: unknown } {
    const interaction = [...this.interactions.values()].find((i) => i.token === token);
    if (!interaction?.acked) throw new HttpError(404, { message: 'Unknown Webhook', code: 10015 });
    const base = { channelId: interaction.channelId, interactionId: interaction.id };
    if (messageId === undefined && r.method === 'POST') {
      const data = (r.body ?? {}) as Record<string, unknown>;
      const sent = this.accept(
        r,
        data,
        { ...base, via: 'followup' },
        { allowEphemeral: true, requireContent: true },
      );
      return { status: 200, body: this.apiMessage(sent) };
    }
    if (messageId === '@original') {
      const original = interaction.original;
      if (!original || original.deleted)
        throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
      if (r.method === 'DELETE') {
        original.deleted = true;
        return { status: 204 };
      }
      if (r.method === 'PATCH') {
        const data = (r.body ?? {}) as Record<string, unknown>;
        const sent = this.accept(
          r,
          data,
          { ...base, via: 'edit' },
          { allowEphemeral: false, requireContent: true },
        );
        sent.ephemeral = original.ephemeral;
        sent.id = original.id;
        return { status: 200, body: this.apiMessage(sent) };
      }
    }
    throw new HttpError(404, { message: '404: Not Found', code: 0 });
  }

  private channelPost(channelId: string, r: RecordedRequest): unknown {
    this.channelById(channelId); // 10003 for an unknown channel
    const data = (r.body ?? {}) as Record<string, unknown> & {
      message_reference?: { message_id?: string; fail_if_not_exists?: boolean };
    };
    const ref = data.message_reference;
    if (
      ref?.message_id &&
      !this.knownMessages.has(ref.message_id) &&
      ref.fail_if_not_exists !== false
    ) {
      throw new HttpError(400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: nestErrors({ message_reference: 'Unknown message' }),
      });
    }
    const sent = this.accept(
      r,
      data,
      { via: 'channel', channelId, ...(ref?.message_id ? { referenceId: ref.message_id } : {}) },
      { allowEphemeral: false, requireContent: true },
    );
    return this.apiMessage(sent);
  }
}

/** Every button of a sent message: label and custom_id. */
export function buttonsOf(message: SentMessage): { label: string; custom_id: string }[] {
  return (message.components as { components?: { label?: string; custom_id?: string }[] }[])
    .flatMap((row) => row.components ?? [])
    .map((b) => ({ label: b.label ?? '', custom_id: b.custom_id ?? '' }));
}

/** All text a message shows (titles, descriptions, fields, footers), for assertions. */
export function textOf(message: SentMessage): string {
  const parts = [message.content];
  for (const e of message.embeds) {
    parts.push(e.title ?? '', e.description ?? '');
    for (const f of e.fields ?? []) parts.push(f.name, f.value);
    parts.push(e.footer?.text ?? '');
  }
  return parts.filter(Boolean).join('\n');
}
