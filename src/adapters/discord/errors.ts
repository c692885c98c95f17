/** What Discord errors mean to the adapter, and what of them is safe to log. */
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

/** Interaction and webhook tokens in a URL path, replaced before logging. */
export function redactTokens(url: string): string {
  return url
    .replace(/(\/interactions\/\d+\/)[^/?]+/g, '$1[token]')
    .replace(/(\/webhooks\/\d+\/)[^/?]+/g, '$1[token]');
}

/** What is worth logging about an error: no request bodies, no tokens. */
export function errorInfo(err: unknown): Record<string, unknown> {
  if (err instanceof DiscordAPIError) {
    return {
      name: err.name,
      message: err.message,
      code: err.code,
      status: err.status,
      method: err.method,
      url: redactTokens(err.url),
    };
  }
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack };
  }
  return { message: String(err) };
}

/** The interaction can no longer be answered (late or already answered elsewhere). */
export const isGone = (err: unknown): boolean =>
  err instanceof DiscordAPIError &&
  (err.code === RESTJSONErrorCodes.UnknownInteraction ||
    err.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged);
