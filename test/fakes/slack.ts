/**
 * A stand-in for Slack on 127.0.0.1, for driving the real Bolt app end to end:
 * - the Web API (`POST /api/<method>`, form bodies whose objects are JSON strings; always
 *   HTTP 200 with `{ok}`), strict about Block Kit limits (`invalid_blocks`,
 *   `msg_blocks_too_long`, `msg_too_long`);
 * - response_url sinks (`POST /response/<id>`, at most 5 uses each, validated the same way);
 * - private file downloads (`GET /files/<id>`, bot token required);
 * - Socket Mode (`apps.connections.open` → `ws://…/socket`: hello, envelopes, acks);
 * - signed requests to the app's `/slack/events` (slash command form, event_callback JSON,
 *   interactivity `payload=`).
 * Every call is recorded. Nothing here mocks Bolt: the app talks HTTP and WebSocket to us.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeSlackOptions {
  signingSecret?: string;
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  appId?: string;
  /** users.info locales by user id (default en-US). */
  locales?: Record<string, string>;
  /** users.info roles by user id: `admin` → is_admin, `owner` → is_owner (default neither). */
  roles?: Record<string, 'admin' | 'owner'>;
}

export interface ApiCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
  response: Record<string, unknown>;
}

export interface ResponseUrlCall {
  id: string;
  body: Record<string, unknown>;
  status: number;
  error?: string;
}

/** A message the app sent, whichever way: the Web API or a response_url. */
export interface Outgoing {
  via: 'chat.postMessage' | 'chat.postEphemeral' | 'response_url';
  ok: boolean;
  channel?: string;
  user?: string;
  thread_ts?: string;
  response_type?: string;
  replace_original?: unknown;
  text: string;
  blocks: Block[];
}

export interface SentRequest {
  status: number;
  body: string;
  ms: number;
}

export interface SendOptions {
  /** Unix seconds for x-slack-request-timestamp (default now). */
  timestamp?: number;
  /** Override the signature (e.g. a bad one). */
  signature?: string;
  headers?: Record<string, string>;
}

// Loosely typed Block Kit, as it arrives on the wire.
export interface TextObject {
  type: string;
  text: string;
  [k: string]: unknown;
}
export interface Block {
  type: string;
  block_id?: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: { type: string; text?: TextObject | string; action_id?: string; value?: string }[];
  [k: string]: unknown;
}

/** Slack's limits, as this fake enforces them. */
export const FAKE_LIMITS = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  textObject: 3000,
  buttons: 25,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  text: 40_000,
  /** Undocumented total across blocks; bolt-js #2509 measured about 13,200. */
  blocksTotal: 12_000,
  responseUrlUses: 5,
} as const;

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'files', 'view']);

/** A modal opened with views.open, as the app sent it. */
export interface OpenedView {
  id: string;
  trigger_id: string;
  view: Record<string, unknown>;
}

/** Why Slack would refuse a modal view (empty: it is valid). */
export function modalProblems(view: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const text = (v: unknown) => (v as { text?: unknown } | undefined)?.text;
  if (view.type !== 'modal') problems.push('view.type must be modal');
  const title = text(view.title);
  if (typeof title !== 'string' || !title || title.length > 24)
    problems.push('title: 1–24 characters');
  const submit = text(view.submit);
  if (submit !== undefined && (typeof submit !== 'string' || submit.length > 24))
    problems.push('submit: at most 24 characters');
  if (String(view.private_metadata ?? '').length > 3000) problems.push('private_metadata > 3000');
  const blocks = view.blocks as Record<string, unknown>[] | undefined;
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 100)
    problems.push('blocks: 1–100');
  for (const b of blocks ?? []) {
    if (b.type !== 'input') continue;
    const label = text(b.label);
    if (typeof label !== 'string' || !label || label.length > 2000) problems.push('input label');
    if (!(b.element as { action_id?: unknown } | undefined)?.action_id)
      problems.push('input element needs an action_id');
  }
  return problems;
}

/**
 * Check blocks the way Slack does; returns the problems (empty when valid) and the error code
 * Slack would answer with.
 */
export function validateBlocks(blocks: unknown): { error?: string; problems: string[] } {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks', problems: ['not an array'] };
  if (blocks.length > FAKE_LIMITS.blocks) {
    problems.push(`no more than ${FAKE_LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  }
  const actionIds = new Set<string>();
  let total = 0;
  const textObj = (t: unknown, where: string, max: number, types: string[]) => {
    const o = t as TextObject | undefined;
    if (!o || typeof o !== 'object' || !types.includes(o.type) || typeof o.text !== 'string') {
      problems.push(`invalid text object [${where}]`);
      return;
    }
    if (o.text.length < 1 || !o.text.trim()) problems.push(`text must not be empty [${where}]`);
    if (o.text.length > max) problems.push(`must be less than ${max + 1} characters [${where}]`);
    total += o.text.length;
  };
  (blocks as Block[]).forEach((b, i) => {
    const at = `/blocks/${i}`;
    if (!b || typeof b !== 'object' || typeof b.type !== 'string') {
      problems.push(`block without type [${at}]`);
      return;
    }
    if (b.block_id !== undefined && String(b.block_id).length > FAKE_LIMITS.id) {
      problems.push(`block_id too long [${at}]`);
    }
    switch (b.type) {
      case 'header':
        textObj(b.text, `${at}/text`, FAKE_LIMITS.header, ['plain_text']);
        break;
      case 'section':
        if (!b.text && !b.fields) problems.push(`section needs text or fields [${at}]`);
        if (b.text) {
          textObj(b.text, `${at}/text`, FAKE_LIMITS.sectionText, ['mrkdwn', 'plain_text']);
        }
        if (b.fields) {
          if (!Array.isArray(b.fields) || b.fields.length < 1) {
            problems.push(`fields must be a non-empty array [${at}/fields]`);
          } else {
            if (b.fields.length > FAKE_LIMITS.fields) {
              problems.push(`no more than ${FAKE_LIMITS.fields} items allowed [${at}/fields]`);
            }
            b.fields.forEach((f, j) => {
              textObj(f, `${at}/fields/${j}`, FAKE_LIMITS.fieldText, ['mrkdwn', 'plain_text']);
            });
          }
        }
        break;
      case 'context': {
        const els = b.elements ?? [];
        if (!Array.isArray(els) || els.length < 1 || els.length > FAKE_LIMITS.contextElements) {
          problems.push(`context needs 1..${FAKE_LIMITS.contextElements} elements [${at}]`);
        }
        els.forEach((e, j) => {
          if (e.type !== 'image') {
            textObj(e, `${at}/elements/${j}`, FAKE_LIMITS.textObject, ['mrkdwn', 'plain_text']);
          }
        });
        break;
      }
      case 'actions': {
        const els = b.elements ?? [];
        if (!Array.isArray(els) || els.length < 1 || els.length > FAKE_LIMITS.buttons) {
          problems.push(`actions needs 1..${FAKE_LIMITS.buttons} elements [${at}]`);
        }
        els.forEach((e, j) => {
          const where = `${at}/elements/${j}`;
          if (e.type !== 'button') {
            problems.push(`unsupported element ${e.type} [${where}]`);
            return;
          }
          textObj(e.text, `${where}/text`, FAKE_LIMITS.buttonText, ['plain_text']);
          if (typeof e.action_id === 'string') {
            if (e.action_id.length > FAKE_LIMITS.id) problems.push(`action_id too long [${where}]`);
            if (actionIds.has(e.action_id)) problems.push(`duplicate action_id [${where}]`);
            actionIds.add(e.action_id);
          }
          if (e.value !== undefined && String(e.value).length > FAKE_LIMITS.buttonValue) {
            problems.push(`value too long [${where}]`);
          }
        });
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`unsupported type ${b.type} [${at}]`);
    }
  });
  if (problems.length) return { error: 'invalid_blocks', problems };
  if (total > FAKE_LIMITS.blocksTotal) {
    return { error: 'msg_blocks_too_long', problems: [`blocks hold ${total} characters`] };
  }
  return { problems };
}

/** Validate a message body (chat.postMessage args or a response_url body). */
export function validateMessage(args: Record<string, unknown>): {
  error?: string;
  problems: string[];
} {
  const text = args.text;
  const blocks = args.blocks;
  if ((typeof text !== 'string' || !text) && blocks === undefined) {
    return { error: 'no_text', problems: [] };
  }
  if (typeof text === 'string' && text.length > FAKE_LIMITS.text) {
    return { error: 'msg_too_long', problems: [`text is ${text.length} characters`] };
  }
  if (blocks !== undefined) return validateBlocks(blocks);
  return { problems: [] };
}

/** All the text a person would read in some blocks (header, sections, fields, context, buttons). */
export function visibleText(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) {
      if (typeof e.text === 'string') out.push(e.text);
      else if (e.text) out.push(e.text.text);
    }
  }
  return out.join('\n');
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRaw(req)).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

interface HostedFile {
  name: string;
  content: Buffer;
  mimetype: string;
}

let seq = 0;
const nextId = (prefix: string) =>
  `${prefix}${(++seq).toString(36).toUpperCase().padStart(6, '0')}`;

export class FakeSlack {
  readonly signingSecret: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly appId: string;
  readonly locales: Record<string, string>;
  readonly roles: Record<string, 'admin' | 'owner'>;
  /** Extra time before answering a Web API method, in ms (e.g. a slow users.info). */
  readonly latency = new Map<string, number>();
  /** Every Web API call, in order. */
  readonly calls: ApiCall[] = [];
  /** Every response_url post, in order. */
  readonly responses: ResponseUrlCall[] = [];
  /** Every message sent, whichever way, in order. */
  readonly outgoing: Outgoing[] = [];
  /** File downloads: which file, and whether the bot token came with it. */
  readonly downloads: { id: string; authorized: boolean }[] = [];
  /** Files uploaded by the app (files.uploadV2: URL, bytes, completion into a channel). */
  readonly uploads: {
    id: string;
    filename: string;
    length: number;
    content?: string;
    channel_id?: string;
    thread_ts?: string;
    completed: boolean;
  }[] = [];
  /** Channels the bot is not a member of: posting or sharing files there fails. */
  readonly notInChannel = new Set<string>();
  /** Modals the app opened (views.open). */
  readonly views: OpenedView[] = [];
  /** Socket Mode acks received: envelope id and the payload passed to ack(). */
  readonly acks: { envelope_id: string; payload?: unknown }[] = [];
  /** The app's events URL (HTTP mode), e.g. http://127.0.0.1:P/slack/events. */
  appUrl = '';
  private server?: Server;
  private wss?: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly files = new Map<string, HostedFile>();
  private readonly overrides = new Map<string, (args: Record<string, unknown>) => object>();
  private readonly responseUses = new Map<string, number>();
  private readonly pendingAcks = new Map<string, (payload: unknown) => void>();
  private ts = 1_700_000_000;

  constructor(options: FakeSlackOptions = {}) {
    this.signingSecret = options.signingSecret ?? 'test-signing-secret';
    this.botToken = options.botToken ?? 'xoxb-test-token';
    this.appToken = options.appToken ?? 'xapp-test-token';
    this.botUserId = options.botUserId ?? 'UBOT0001';
    this.botId = options.botId ?? 'BBOT0001';
    this.teamId = options.teamId ?? 'T0TEAM01';
    this.appId = options.appId ?? 'A0APP001';
    this.locales = options.locales ?? {};
    this.roles = options.roles ?? {};
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }
  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** For SLACK_API_URL / clientOptions.slackApiUrl. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        sendJson(res, 500, { ok: false, error: String(err) });
      });
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  /** Answer `method` with `handler(args)` from now on (e.g. `{ok:false,error:'…'}`). */
  override(method: string, handler: (args: Record<string, unknown>) => object): void {
    this.overrides.set(method, handler);
  }

  /** Back to the normal answers for `method`. */
  restore(method: string): void {
    this.overrides.delete(method);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolve with the first truthy value of `probe()`, polling; reject after `timeoutMs`. */
  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 3000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > end) throw new Error('waitFor: timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Host a private file; returns the Slack file object to put into an event's `files`. */
  addFile(
    name: string,
    content: string | Buffer,
    options: { mimetype?: string; size?: number } = {},
  ) {
    const id = nextId('F');
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const mimetype = options.mimetype ?? 'text/plain';
    this.files.set(id, { name, content: buf, mimetype });
    return {
      id,
      name,
      title: name,
      mimetype,
      filetype: name.split('.').pop() ?? 'text',
      size: options.size ?? buf.byteLength,
      url_private: `${this.base}/files/${id}`,
      url_private_download: `${this.base}/files/${id}/download`,
      mode: 'hosted',
    };
  }

  newResponseUrl(): string {
    return `${this.base}/response/${nextId('R')}`;
  }

  nextTs(): string {
    this.ts += 1;
    return `${this.ts}.000100`;
  }

  // ---------- the server side ----------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const path = url.pathname;
    if (req.method === 'POST' && path.startsWith('/api/')) {
      return this.api(path.slice(5), req, res);
    }
    if (req.method === 'POST' && path.startsWith('/response/')) {
      return this.responseUrl(path.slice(10), req, res);
    }
    if (req.method === 'POST' && path.startsWith('/upload/')) {
      const upload = this.uploads.find((u) => u.id === path.slice(8));
      const raw = await readRaw(req);
      if (!upload) {
        res.writeHead(404).end();
        return;
      }
      const type = req.headers['content-type'] ?? '';
      if (type.startsWith('multipart/form-data')) {
        const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
        const file = [...form.values()].find((v) => typeof v !== 'string') as unknown as
          | Blob
          | undefined;
        upload.content = file ? await file.text() : '';
      } else upload.content = raw.toString('utf8');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
      return;
    }
    if (req.method === 'GET' && path.startsWith('/files/')) {
      const id = path.split('/')[2] ?? '';
      const file = this.files.get(id);
      const authorized = req.headers.authorization === `Bearer ${this.botToken}`;
      this.downloads.push({ id, authorized });
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      if (!authorized) {
        // Like Slack: no error status, the sign-in page.
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in to Slack</html>');
        return;
      }
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.content.length });
      res.end(file.content);
      return;
    }
    res.writeHead(404).end();
  }

  private async api(method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const type = req.headers['content-type'] ?? '';
    const args: Record<string, unknown> = {};
    if (type.startsWith('application/json')) {
      Object.assign(args, raw ? JSON.parse(raw) : {});
    } else {
      for (const [k, v] of new URLSearchParams(raw)) {
        args[k] = JSON_FIELDS.has(k) && /^[[{]/.test(v) ? JSON.parse(v) : v;
      }
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined);
    const delay = this.latency.get(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const response = this.answer(method, token, args);
    this.calls.push({ method, token, args, response });
    sendJson(res, 200, response);
  }

  private answer(
    method: string,
    token: string | undefined,
    args: Record<string, unknown>,
  ): Record<string, unknown> {
    const override = this.overrides.get(method);
    if (override) return override(args) as Record<string, unknown>;
    if (method === 'apps.connections.open') {
      if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
      return { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=${randomUUID()}` };
    }
    if (!token) return { ok: false, error: 'not_authed' };
    if (token !== this.botToken) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake',
          user: 'llm-tutor',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case 'users.info': {
        const user = String(args.user ?? '');
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: user,
            name: user.toLowerCase(),
            is_admin: this.roles[user] === 'admin' || this.roles[user] === 'owner',
            is_owner: this.roles[user] === 'owner',
            ...(args.include_locale === 'true' || args.include_locale === true
              ? { locale: this.locales[user] ?? 'en-US' }
              : {}),
          },
        };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length < 1) {
          return { ok: false, error: 'invalid_arguments' };
        }
        const id = nextId('F');
        this.uploads.push({ id, filename: String(args.filename), length, completed: false });
        return { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = args.files as { id: string; title?: string }[] | undefined;
        const channel = args.channel_id as string | undefined;
        if (!Array.isArray(files) || !files.length)
          return { ok: false, error: 'invalid_arguments' };
        if (channel && this.notInChannel.has(channel))
          return { ok: false, error: 'not_in_channel' };
        const done = [];
        for (const f of files) {
          const upload = this.uploads.find((u) => u.id === f.id);
          if (!upload || upload.content === undefined)
            return { ok: false, error: 'file_not_found' };
          upload.completed = true;
          if (channel) upload.channel_id = channel;
          if (args.thread_ts) upload.thread_ts = String(args.thread_ts);
          done.push({ id: f.id, title: f.title ?? upload.filename });
        }
        return { ok: true, files: done };
      }
      case 'views.open': {
        const view = args.view as Record<string, unknown> | undefined;
        if (!args.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
        if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
        const problems = modalProblems(view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', errors: problems };
        const id = nextId('V');
        this.views.push({ id, trigger_id: String(args.trigger_id), view });
        return { ok: true, view: { id, ...view, state: { values: {} } } };
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        const channel = args.channel as string | undefined;
        const record = (ok: boolean): Outgoing => ({
          via: method,
          ok,
          ...(channel ? { channel } : {}),
          ...(args.user ? { user: String(args.user) } : {}),
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          text: String(args.text ?? ''),
          blocks: (Array.isArray(args.blocks) ? args.blocks : []) as Block[],
        });
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (this.notInChannel.has(channel)) return { ok: false, error: 'not_in_channel' };
        if (method === 'chat.postEphemeral' && !args.user) {
          return { ok: false, error: 'user_not_found' };
        }
        const checked = validateMessage(args);
        if (checked.error) {
          this.outgoing.push(record(false));
          return {
            ok: false,
            error: checked.error,
            errors: checked.problems,
            response_metadata: { messages: checked.problems.map((p) => `[ERROR] ${p}`) },
          };
        }
        this.outgoing.push(record(true));
        const ts = this.nextTs();
        if (method === 'chat.postEphemeral') return { ok: true, message_ts: ts };
        return {
          ok: true,
          channel,
          ts,
          message: {
            type: 'message',
            text: args.text,
            blocks: args.blocks,
            user: this.botUserId,
            bot_id: this.botId,
            ts,
            ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private async responseUrl(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    const fail = (status: number, error: string) => {
      this.responses.push({ id, body, status, error });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(error);
    };
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return fail(400, 'invalid_payload');
    }
    const uses = (this.responseUses.get(id) ?? 0) + 1;
    this.responseUses.set(id, uses);
    if (uses > FAKE_LIMITS.responseUrlUses) return fail(404, 'used_url');
    const type = body.response_type;
    if (type !== undefined && type !== 'ephemeral' && type !== 'in_channel') {
      return fail(400, 'invalid_response_type');
    }
    const checked = validateMessage(body);
    const out: Outgoing = {
      via: 'response_url',
      ok: !checked.error,
      ...(typeof type === 'string' ? { response_type: type } : {}),
      ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}),
      replace_original: body.replace_original,
      text: String(body.text ?? ''),
      blocks: (Array.isArray(body.blocks) ? body.blocks : []) as Block[],
    };
    this.outgoing.push(out);
    if (checked.error) return fail(400, checked.error);
    this.responses.push({ id, body, status: 200 });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }

  // ---------- Socket Mode ----------

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: { envelope_id?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      if (!msg.envelope_id) return;
      this.acks.push({ envelope_id: msg.envelope_id, payload: msg.payload });
      const resolve = this.pendingAcks.get(msg.envelope_id);
      this.pendingAcks.delete(msg.envelope_id);
      resolve?.(msg.payload);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  /** Ask connected clients to reconnect (`{type:"disconnect"}`, as Slack does on refresh). */
  requestReconnect(reason = 'refresh_requested'): void {
    for (const ws of this.sockets) ws.send(JSON.stringify({ type: 'disconnect', reason }));
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  /**
   * Send an envelope over the (first) Socket Mode connection; resolves with the ack's
   * payload, rejects if no ack comes within `timeoutMs`.
   */
  envelope(
    type: 'slash_commands' | 'events_api' | 'interactive',
    payload: object,
    options: { retryAttempt?: number; timeoutMs?: number } = {},
  ): Promise<unknown> {
    const ws = [...this.sockets][0];
    if (!ws) return Promise.reject(new Error('no Socket Mode connection'));
    const envelope_id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelope_id);
        reject(new Error(`envelope ${type} not acknowledged`));
      }, options.timeoutMs ?? 3000);
      this.pendingAcks.set(envelope_id, (p) => {
        clearTimeout(timer);
        resolve(p);
      });
      ws.send(
        JSON.stringify({
          envelope_id,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          ...(options.retryAttempt
            ? { retry_attempt: options.retryAttempt, retry_reason: 'timeout' }
            : { retry_attempt: 0, retry_reason: '' }),
        }),
      );
    });
  }

  // ---------- payloads (shared by HTTP and Socket Mode) ----------

  slashCommandPayload(
    command: string,
    text: string,
    over: Partial<SlashCommand> = {},
  ): SlashCommand {
    return {
      token: 'verification-token',
      team_id: this.teamId,
      team_domain: 'fake',
      channel_id: 'C0CHANNEL',
      channel_name: 'general',
      user_id: 'U0USER01',
      user_name: 'ada',
      command,
      text,
      api_app_id: this.appId,
      is_enterprise_install: 'false',
      response_url: this.newResponseUrl(),
      trigger_id: `${Date.now()}.trigger`,
      ...over,
    };
  }

  eventPayload(event: Record<string, unknown>, eventId: string = nextId('Ev')) {
    return {
      token: 'verification-token',
      team_id: this.teamId,
      api_app_id: this.appId,
      event: { event_ts: event.ts, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.teamId,
          user_id: this.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
  }

  /** An app_mention event: `<@BOT> text` in a channel (optionally inside a thread). */
  mention(
    text: string,
    over: {
      user?: string;
      channel?: string;
      ts?: string;
      thread_ts?: string;
      files?: object[];
    } = {},
  ): Record<string, unknown> {
    return {
      type: 'app_mention',
      user: over.user ?? 'U0USER01',
      text: `<@${this.botUserId}> ${text}`,
      ts: over.ts ?? this.nextTs(),
      channel: over.channel ?? 'C0CHANNEL',
      team: this.teamId,
      ...(over.thread_ts ? { thread_ts: over.thread_ts } : {}),
      ...(over.files ? { files: over.files } : {}),
    };
  }

  /** A direct message to the bot. */
  dm(
    text: string,
    over: {
      user?: string;
      channel?: string;
      ts?: string;
      thread_ts?: string;
      subtype?: string;
      bot_id?: string;
      files?: object[];
    } = {},
  ): Record<string, unknown> {
    const { user, channel, ts, ...rest } = over;
    return {
      type: 'message',
      channel_type: 'im',
      user: user ?? 'U0USER01',
      text,
      ts: ts ?? this.nextTs(),
      channel: channel ?? 'D0DIRECT',
      team: this.teamId,
      ...rest,
    };
  }

  blockActionPayload(
    value: string,
    over: {
      actionId?: string;
      user?: string;
      /** The clicker's username (default grace). */
      userName?: string;
      channel?: string;
      messageTs?: string;
      threadTs?: string;
      responseUrl?: string;
    } = {},
  ): BlockAction<ButtonAction> {
    const messageTs = over.messageTs ?? this.nextTs();
    const channel = over.channel ?? 'C0CHANNEL';
    return {
      type: 'block_actions',
      user: {
        id: over.user ?? 'U0USER02',
        username: over.userName ?? 'grace',
        name: over.userName ?? 'grace',
        team_id: this.teamId,
      },
      api_app_id: this.appId,
      token: 'verification-token',
      container: {
        type: 'message',
        message_ts: messageTs,
        channel_id: channel,
        is_ephemeral: false,
        ...(over.threadTs ? { thread_ts: over.threadTs } : {}),
      },
      trigger_id: `${Date.now()}.trigger`,
      team: { id: this.teamId, domain: 'fake' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel, name: channel.startsWith('D') ? 'directmessage' : 'general' },
      message: {
        type: 'message',
        user: this.botUserId,
        ts: messageTs,
        text: 'Did you mean…',
        ...(over.threadTs ? { thread_ts: over.threadTs } : {}),
      },
      response_url: over.responseUrl ?? this.newResponseUrl(),
      actions: [
        {
          type: 'button',
          action_id: over.actionId ?? 'llm-tutor.choice.0',
          block_id: 'b1',
          text: { type: 'plain_text', text: value },
          value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
      state: { values: {} },
    } as unknown as BlockAction<ButtonAction>;
  }

  // ---------- signed HTTP requests to the app ----------

  sign(body: string, timestamp: number = Math.floor(Date.now() / 1000)): string {
    const mac = createHmac('sha256', this.signingSecret);
    mac.update(`v0:${timestamp}:${body}`);
    return `v0=${mac.digest('hex')}`;
  }

  /** POST a signed body to the app (exact content-type: Bolt compares it with ===). */
  async send(
    body: string,
    contentType: 'application/json' | 'application/x-www-form-urlencoded',
    options: SendOptions = {},
  ): Promise<SentRequest> {
    if (!this.appUrl) throw new Error('set fake.appUrl first');
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const started = Date.now();
    const res = await fetch(this.appUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': options.signature ?? this.sign(body, timestamp),
        ...options.headers,
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text, ms: Date.now() - started };
  }

  /** A signed slash command (form body). */
  async slashCommand(
    command: string,
    text: string,
    over: Partial<SlashCommand> = {},
    options: SendOptions = {},
  ): Promise<SentRequest & { payload: SlashCommand }> {
    const payload = this.slashCommandPayload(command, text, over);
    const form = new URLSearchParams(payload as unknown as Record<string, string>).toString();
    return { ...(await this.send(form, 'application/x-www-form-urlencoded', options)), payload };
  }

  /** A signed event_callback (JSON); `retryNum` adds X-Slack-Retry-Num / -Reason. */
  async event(
    event: Record<string, unknown>,
    options: SendOptions & { eventId?: string; retryNum?: number } = {},
  ): Promise<SentRequest & { eventId: string }> {
    const body = this.eventPayload(event, options.eventId);
    const headers = {
      ...options.headers,
      ...(options.retryNum
        ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    };
    const sent = await this.send(JSON.stringify(body), 'application/json', {
      ...options,
      headers,
    });
    return { ...sent, eventId: body.event_id };
  }

  /** A signed block_actions click (form body `payload=<json>`). */
  async blockAction(
    value: string,
    over: Parameters<FakeSlack['blockActionPayload']>[1] = {},
    options: SendOptions = {},
  ): Promise<SentRequest & { payload: BlockAction<ButtonAction> }> {
    const payload = this.blockActionPayload(value, over);
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return { ...(await this.send(form, 'application/x-www-form-urlencoded', options)), payload };
  }

  /**
   * A signed view_submission of a modal the app opened: `values` are the inputs' values by
   * block id (each block's one element has the same action id, as the app's modals do).
   */
  async viewSubmission(
    opened: OpenedView,
    values: Record<string, string | null>,
    over: { user?: string } = {},
    options: SendOptions = {},
  ): Promise<SentRequest> {
    const state = Object.fromEntries(
      Object.entries(values).map(([block, value]) => [
        block,
        { [block]: { type: 'plain_text_input', value } },
      ]),
    );
    const payload = {
      type: 'view_submission',
      team: { id: this.teamId, domain: 'fake' },
      user: { id: over.user ?? 'U0USER02', username: 'grace', name: 'grace', team_id: this.teamId },
      api_app_id: this.appId,
      token: 'verification-token',
      trigger_id: `${Date.now()}.trigger`,
      view: { id: opened.id, team_id: this.teamId, ...opened.view, state: { values: state } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(form, 'application/x-www-form-urlencoded', options);
  }

  /** The signed url_verification handshake Slack sends when a request URL is saved. */
  urlVerification(challenge: string, options: SendOptions = {}): Promise<SentRequest> {
    const body = JSON.stringify({
      token: 'verification-token',
      challenge,
      type: 'url_verification',
    });
    return this.send(body, 'application/json', options);
  }
}
