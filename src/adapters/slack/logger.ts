/** Bolt's logger interface on top of the project's pino logger. */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../core/log.js';

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
};

/** Bolt and its clients log strings (and sometimes errors); pass them to pino as one message. */
function message(parts: unknown[]): [object, string] {
  const err = parts.find((p): p is Error => p instanceof Error);
  const text = parts
    .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p)))
    .join(' ');
  return [err ? { err } : {}, text];
}

export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LEVELS[logger.level] ?? LogLevel.INFO;
  const to =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      const [obj, text] = message(parts);
      logger[method](obj, text);
    };
  return {
    debug: to('debug'),
    info: to('info'),
    warn: to('warn'),
    error: to('error'),
    // The level is owned by LOG_LEVEL; Bolt only asks for it.
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
