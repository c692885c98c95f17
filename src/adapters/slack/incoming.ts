/** Turning Slack payloads into the core's terms: command names, mention text, DMs. */
import type { Router } from '../../core/router.js';
import { unescapeSlack } from './blocks.js';

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

/** A direct message: Slack's `directmessage` channel name, or a `D…` channel id. */
export function isDMChannel(channelId: string | undefined, channelName?: string): boolean {
  return channelName === 'directmessage' || Boolean(channelId?.startsWith('D'));
}
