/**
 * What the router reads from an `Incoming`, checked and cleaned first. Adapters build valid
 * ones, but the router is a library entry too: `handle` must answer anything (undefined, a
 * number, an object with the wrong types, getters that throw). A field of the wrong type is
 * dropped or replaced by a neutral value; strings (text, attached files, option values) have
 * lone surrogates replaced (U+FFFD), so nothing half-encoded reaches a command or a reply.
 */
import { PLATFORMS } from '../store/types.js';
import { wellFormed } from './sanitize.js';
import type { Incoming, Lang, Platform } from './types.js';

const KNOWN_PLATFORMS: ReadonlySet<string> = new Set<Platform>(PLATFORMS);

/** `obj[key]`, or undefined when `obj` is not an object or reading it throws. */
function read(obj: unknown, key: string): unknown {
  if ((typeof obj !== 'object' && typeof obj !== 'function') || obj === null) return undefined;
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? wellFormed(v) : undefined;
}

function id(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return str(v) ?? 'unknown';
}

/** Option values as a platform delivers them: strings, finite numbers and booleans. */
function options(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  let keys: string[];
  try {
    keys = Object.keys(v);
  } catch {
    return out;
  }
  for (const key of keys) {
    const value = read(v, key);
    if (typeof value === 'string') out[wellFormed(key)] = wellFormed(value);
    else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
      out[wellFormed(key)] = value;
  }
  return out;
}

function files(v: unknown): { name: string; text: string }[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: { name: string; text: string }[] = [];
  for (const f of v) {
    const text = str(read(f, 'text'));
    if (text !== undefined) out.push({ name: str(read(f, 'name')) ?? 'file', text });
  }
  return out;
}

/** A valid, clean `Incoming` from anything (never throws). */
export function normalizeIncoming(raw: unknown): Incoming {
  const platform = read(raw, 'platform');
  const user = read(raw, 'user');
  const channel = read(raw, 'channel');
  const incoming: Incoming = {
    platform:
      typeof platform === 'string' && KNOWN_PLATFORMS.has(platform)
        ? (platform as Platform)
        : 'test',
    user: { id: id(read(user, 'id')) },
    channel: { id: id(read(channel, 'id')), isDM: read(channel, 'isDM') === true },
    text: str(read(raw, 'text')) ?? '',
  };
  const name = str(read(user, 'name'));
  if (name !== undefined) incoming.user.name = name;
  const moderator = read(user, 'moderator');
  if (typeof moderator === 'boolean') incoming.user.moderator = moderator;
  const thread = str(read(channel, 'threadId'));
  if (thread) incoming.channel.threadId = thread;
  const lang = read(raw, 'lang');
  if (lang === 'zh' || lang === 'en') incoming.lang = lang as Lang;
  const command = read(raw, 'command');
  const commandName = str(read(command, 'name'));
  if (commandName !== undefined) {
    incoming.command = { name: commandName, options: options(read(command, 'options')) };
  }
  const attached = files(read(raw, 'files'));
  if (attached) incoming.files = attached;
  if (read(raw, 'overheard') === true) incoming.overheard = true;
  return incoming;
}
