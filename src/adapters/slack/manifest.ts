/**
 * A Slack app manifest generated from the command registry, so creating the app in a
 * workspace is copy and paste (api.slack.com/apps → Create New App → From a manifest):
 * display info, the bot user, one slash command per registry command (description and
 * usage hint derived from the command's schema), bot scopes, events, interactivity and
 * Socket Mode.
 *
 * ```ts
 * console.log(slackManifest(router.commands, { socketMode: true }));
 * ```
 */
import { stringify } from 'yaml';
import { commandUsage } from '../../core/args.js';
import type { AnyCommand } from '../../core/command.js';

export interface SlackManifestOptions {
  format?: 'yaml' | 'json';
  /** App and bot display name (1–35 characters; default "llm-tutor"). */
  name?: string;
  /** Socket Mode (no public URL needed). Default false: HTTP mode with `requestUrl`. */
  socketMode?: boolean;
  /** HTTP mode: the public URL of `/slack/events` (default: a placeholder to replace). */
  requestUrl?: string;
  /**
   * Prefix for every slash command, e.g. "tutor-" gives /tutor-topic. Slack's built-in
   * commands (/topic among them) take precedence over an app's; the adapter accepts both
   * forms, so a prefix can be chosen freely.
   */
  commandPrefix?: string;
}

/** Slack's built-in slash commands, which an app's command of the same name cannot override. */
export const SLACK_BUILTIN_COMMANDS: ReadonlySet<string> = new Set(
  [
    'active',
    'apps',
    'archive',
    'away',
    'call',
    'collapse',
    'dm',
    'expand',
    'feed',
    'invite',
    'leave',
    'msg',
    'mute',
    'open',
    'remind',
    'search',
    'shortcuts',
    'shrug',
    'star',
    'status',
    'topic',
    'who',
  ].map((n) => `/${n}`),
);

/** The one endpoint Slack posts commands, events and interactivity to (HTTP mode). */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Bot scopes: what each one is for. */
export const SLACK_BOT_SCOPES = [
  'app_mentions:read', // @mentions in channels
  'channels:history', // typed quiz answers in public channels the bot is in
  'groups:history', // … and in private channels
  'chat:write', // answers (chat.postMessage / postEphemeral)
  'commands', // slash commands
  'im:history', // direct messages to the bot
  'im:read',
  'im:write',
  'files:read', // attached text files (/chunk)
  'files:write', // files in replies (e.g. chunks.jsonl)
  'users:read', // the user's locale (answer language) and admin/owner role (quiz moderators)
] as const;

export const SLACK_BOT_EVENTS = [
  'app_mention',
  'message.im',
  'message.channels',
  'message.groups',
] as const;

/** Limits from Slack's manifest schema. */
const LIMITS = { name: 35, command: 32, description: 2000, usageHint: 1000, short: 140 } as const;

/** Usage hints show in Slack's autocomplete: keep them to a line (every option: /help name). */
const HINT_CHARS = 160;

const PLACEHOLDER_URL = `https://your-bot.example.com${SLACK_EVENTS_PATH}`;

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const at = text.lastIndexOf(' ', max - 2);
  return `${text.slice(0, at > max / 2 ? at : max - 2)} …`;
}

/** The part of the usage line after the command name: `<n> [section] [lang=zh|en]`. */
function usageHint(command: AnyCommand): string {
  const hint = commandUsage(command).replace(/^\/\S+\s*/, '');
  return cut(hint, Math.min(HINT_CHARS, LIMITS.usageHint));
}

const LONG_DESCRIPTION = [
  'llm-tutor teaches the basics of large language models in Chinese and English:',
  'how long inputs can be, BERT versus LLMs, domain models, long texts, the GPU memory of',
  'full fine-tuning, why SFT can make a model worse, instruction tuning, SFT data, data for',
  'continued pre-training, and how to avoid forgetting.',
  'Ask it a question with an @mention or in a direct message, or use its slash commands',
  '(calculators such as /vram, topic reading, help).',
  '用中文或英文问它大模型相关的问题,或使用斜杠命令。',
].join(' ');

/**
 * An app manifest (YAML by default) for the given commands. Throws a RangeError when a
 * name does not fit Slack's manifest schema, so a broken manifest is never printed.
 */
export function slackManifest(
  commands: readonly AnyCommand[],
  opts: SlackManifestOptions = {},
): string {
  const name = (opts.name ?? 'llm-tutor').trim();
  if (name.length < 1 || name.length > LIMITS.name) {
    throw new RangeError(`app name must be 1–${LIMITS.name} characters, got ${name.length}`);
  }
  const prefix = opts.commandPrefix ?? '';
  const socketMode = opts.socketMode ?? false;
  const url = opts.requestUrl ?? PLACEHOLDER_URL;
  if (!socketMode && !/^https:\/\/\S+$/.test(url)) {
    throw new RangeError(`requestUrl must be an https:// URL, got "${url}"`);
  }
  const slashCommands = commands.map((c) => {
    let command = `/${prefix}${c.name}`.toLowerCase();
    // Slack's own command wins over an app's: rename ours (the adapter accepts /tutor-topic)
    if (SLACK_BUILTIN_COMMANDS.has(command)) command = `/tutor-${c.name}`;
    if (command.length > LIMITS.command || !/^\/[a-z0-9_-]+$/.test(command)) {
      throw new RangeError(`slash command "${command}" is not a valid Slack command name`);
    }
    return {
      command,
      ...(socketMode ? {} : { url }),
      description: cut(`${c.description.en} · ${c.description.zh}`, LIMITS.description),
      ...(usageHint(c) ? { usage_hint: usageHint(c) } : {}),
      should_escape: false,
    };
  });
  const manifest = {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: cut('A bilingual tutor for how large language models work', LIMITS.short),
      long_description: LONG_DESCRIPTION,
      background_color: '#1d3557',
    },
    features: {
      app_home: {
        home_tab_enabled: false,
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: false,
      },
      bot_user: { display_name: name, always_online: true },
      slash_commands: slashCommands,
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: {
        ...(socketMode ? {} : { request_url: url }),
        bot_events: [...SLACK_BOT_EVENTS],
      },
      interactivity: { is_enabled: true, ...(socketMode ? {} : { request_url: url }) },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
  return opts.format === 'json'
    ? `${JSON.stringify(manifest, null, 2)}\n`
    : stringify(manifest, { lineWidth: 0 });
}
