/**
 * Structured logs with pino: JSON lines when stderr is not a terminal, readable lines when
 * it is. Logs go to stderr so that stdout stays clean for the chat and JSON output.
 * Tokens and secrets are redacted wherever they appear in a logged object.
 */
import { pino } from 'pino';
import pretty from 'pino-pretty';

/**
 * The one logger type: pino's. Code that only reports errors asks for `Pick<Logger, 'error'>`
 * (a test may pass `{ error() {} }`); `consoleErrors` is the fallback when none is given.
 */
export type Logger = pino.Logger;

/** Errors to stderr: what the router and the quiz engine log to when given no logger. */
export const consoleErrors: Pick<Logger, 'error'> = {
  error: (obj: unknown, msg?: string) => console.error(msg, obj),
};

export const REDACT_PATHS = [
  '*.DISCORD_TOKEN',
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_APP_TOKEN',
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  '*.token',
  '*.authorization',
  'token',
  'authorization',
];

export interface LoggerOptions {
  level?: string;
  /** Human-readable lines (default: when stderr is a terminal). */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const destination = options.destination ?? process.stderr;
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined };
  if (options.pretty ?? Boolean(process.stderr.isTTY)) {
    return pino(base, pretty({ destination, sync: true, colorize: Boolean(process.stderr.isTTY) }));
  }
  return pino(base, destination);
}
