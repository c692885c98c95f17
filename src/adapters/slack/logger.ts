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
  return {
    debug: (...parts: unknown[]) => {
      const [obj, text] = message(parts);
      logger.debug(obj, text);
    },
    info: (...parts: unknown[]) => {
      const [obj, text] = message(parts);
      logger.info(obj, text);
    },
    warn: (...parts: unknown[]) => {
      const [obj, text] = message(parts);
      logger.warn(obj, text);
    },
    error: (...parts: unknown[]) => {
      const [obj, text] = message(parts);
      logger.error(obj, text);
    },
    // The level is owned by LOG_LEVEL; Bolt only asks for it.
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
