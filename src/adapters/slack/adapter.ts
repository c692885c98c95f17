/**
 * The Slack adapter: a Bolt app (HTTP mode with a signing secret, or Socket Mode with an app
 * token) whose listeners (`listeners.ts`) turn slash commands, @mentions, direct messages and
 * button clicks into `Incoming`s for the core, and render the core's `Reply` as Block Kit.
 * What every platform shares (dedupe, file intake, language, privacy, draining) is in `../kit`.
 *
 * ```ts
 * const slack = await startSlack({ router, config, logger });
 * // … later
 * await slack.stop();
 * ```
 */
import { App, HTTPReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/log.js';
import { eventDedupe, InFlight, rateLimiterOf, withTimeout } from '../kit/index.js';
import type { AdapterOptions, RunningAdapter } from '../types.js';
import { listen } from './listeners.js';
import { boltLogger } from './logger.js';
import { SLACK_EVENTS_PATH } from './manifest.js';
import { SlackProfiles } from './profiles.js';
import { errorCode, slackOutbox } from './targets.js';

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

type Receiver = SocketModeReceiver | HTTPReceiver;

/** The settings checked before anything connects: a clear error for each missing one. */
function slackSettings(config: Config) {
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new Error('SLACK_BOT_TOKEN is required to start the Slack adapter');
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  if (!socketMode && !config.SLACK_SIGNING_SECRET) {
    throw new Error(
      'SLACK_SIGNING_SECRET is required for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const slackApiUrl = config.SLACK_API_URL ? config.SLACK_API_URL.replace(/\/?$/, '/') : undefined;
  return { token, socketMode, slackApiUrl };
}

function createReceiver(
  opts: SlackAdapterOptions,
  socketMode: boolean,
  slackApiUrl: string | undefined,
  logger: ReturnType<typeof boltLogger>,
): Receiver {
  const { config } = opts;
  if (socketMode) {
    return new SocketModeReceiver({
      appToken: config.SLACK_APP_TOKEN!,
      logger,
      ...(opts.clientPingTimeout ? { clientPingTimeout: opts.clientPingTimeout } : {}),
      // apps.connections.open keeps Socket Mode's own (patient) retry policy.
      installerOptions: { clientOptions: slackApiUrl ? { slackApiUrl } : {} },
    });
  }
  return new HTTPReceiver({
    signingSecret: config.SLACK_SIGNING_SECRET!,
    endpoints: SLACK_EVENTS_PATH,
    port: config.PORT,
    logger,
    ...(opts.unhandledRequestTimeoutMillis
      ? { unhandledRequestTimeoutMillis: opts.unhandledRequestTimeoutMillis }
      : {}),
  });
}

/** Start listening (HTTP) or connecting (Socket Mode); the HTTP port when there is one. */
async function startApp(app: App, opts: SlackAdapterOptions, socketMode: boolean) {
  const { config } = opts;
  if (socketMode) {
    try {
      await app.start();
      return undefined;
    } catch (err) {
      await app.stop().catch(() => {});
      throw new Error(
        `Slack Socket Mode did not connect (apps.connections.open: ${errorCode(err)}); check SLACK_APP_TOKEN (an xapp- token with connections:write)`,
      );
    }
  }
  try {
    const server = await (opts.host
      ? app.start({ port: config.PORT, host: opts.host })
      : app.start(config.PORT));
    const address = server.address();
    return typeof address === 'object' && address ? address.port : config.PORT;
  } catch (err) {
    throw new Error(
      `Slack HTTP mode cannot listen on PORT ${config.PORT} (${(err as NodeJS.ErrnoException).code ?? errorCode(err)})`,
    );
  }
}

/** Stop the app; Socket Mode's stop() resolves before the close handshake ends, so wait for it. */
async function stopApp(app: App, receiver: Receiver): Promise<void> {
  if (!(receiver instanceof SocketModeReceiver)) {
    await app.stop();
    return;
  }
  const gone = new Promise<void>((resolve) => {
    receiver.client.once('disconnected', () => resolve());
  });
  await app.stop();
  await withTimeout(gone, 5000); // or a 30 s close timer outlives us
}

/**
 * Start the Slack adapter. HTTP mode (one endpoint, `/slack/events`, on `PORT`) unless
 * `SLACK_APP_TOKEN` is set, then Socket Mode. The bot token is verified (auth.test) before
 * anything listens, so a wrong token fails here with a clear error instead of later.
 */
export async function startSlack(opts: SlackAdapterOptions): Promise<RunningSlack> {
  const { router } = opts;
  const log: Logger = opts.logger.child({ platform: 'slack' });
  const { token, socketMode, slackApiUrl } = slackSettings(opts.config);
  const logger = boltLogger(log);
  const receiver = createReceiver(opts, socketMode, slackApiUrl, logger);
  // A dead API should fail a reply within seconds, not after Slack's default 30 minutes.
  const clientOptions: webApi.WebClientOptions = {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
  };
  // deferInitialization: auth.test runs in init(), awaited below, instead of a floating
  // promise in the constructor (an unhandled rejection when Slack is unreachable).
  const app = new App({ token, receiver, logger, clientOptions, deferInitialization: true });
  try {
    await app.init();
  } catch (err) {
    throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${errorCode(err)})`);
  }
  const flight = new InFlight({ logger: log, name: 'Slack' });
  const profiles = new SlackProfiles(log, opts.profileTimeoutMs);
  const dedupe = eventDedupe(opts.claims, {
    platform: 'slack',
    onError: (err) => log.warn({ err }, 'event claim failed: deduplicating in this process only'),
  });
  const limits = opts.limits ?? rateLimiterOf(opts.config);
  listen(app, { router, log, token, profiles, flight, dedupe, limits });
  const port = await startApp(app, opts, socketMode);
  const unregister = router.messenger.register('slack', slackOutbox(app.client, log));
  log.info({ mode: socketMode ? 'socket' : 'http', port }, 'Slack adapter started');

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      unregister();
      await flight.drain(opts.drainTimeoutMs ?? 5000);
      await stopApp(app, receiver);
      log.info('Slack adapter stopped');
    })();
    return stopped;
  };
  return { name: 'slack', mode: socketMode ? 'socket' : 'http', port, app, stop };
}
