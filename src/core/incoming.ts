/**
 * What the router reads from an `Incoming`, cleaned first: the text, attached files and option
 * values with lone surrogates replaced (U+FFFD), so nothing half-encoded reaches a command or
 * comes back in a reply.
 */
import { wellFormed } from './sanitize.js';
import type { Incoming } from './types.js';

function cleanValue(v: unknown): unknown {
  return typeof v === 'string' ? wellFormed(v) : v;
}

/** A copy of `incoming` whose text, files and option values are well-formed. */
export function cleanIncoming(incoming: Incoming): Incoming {
  const out: Incoming = { ...incoming, text: wellFormed(incoming.text) };
  if (incoming.files) {
    out.files = incoming.files.map((f) => ({ name: wellFormed(f.name), text: wellFormed(f.text) }));
  }
  if (incoming.command) {
    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(incoming.command.options)) options[k] = cleanValue(v);
    out.command = { name: wellFormed(incoming.command.name), options };
  }
  return out;
}
