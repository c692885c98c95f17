/**
 * Slash-command definitions for Discord, derived from each command's zod schema (via
 * `optionsOf`): no second definition of any option. Registration is a bulk overwrite
 * (PUT), so running it twice leaves the same commands.
 *
 * @example
 * discordCommandData(defaultCommands); // → [{ name: 'help', description: …, options: […] }, …]
 * await registerDiscordCommands({ config, commands: defaultCommands, guildId: '123' });
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import type { AnyCommand } from '../../core/command.js';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/log.js';
import { type OptionInfo, optionsOf } from '../../core/options.js';

/** Discord's limits for application commands (interactions/application-commands.mdx). */
export const COMMAND_LIMITS = {
  name: 32,
  description: 100,
  options: 25,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  commands: 100,
  /** Names, descriptions and choice values of one command together (per locale). */
  totalChars: 4000,
} as const;

/** Names of commands and options: lowercase letters, digits, `-` and `_`; 1–32 characters. */
export const DISCORD_NAME = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Discord allows integers between -2^53 and 2^53. */
const INT_BOUND = 2 ** 53;

function cut(text: string, max: number): string {
  const s = text.trim();
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

/** A description (1–100 characters) with the zh text for both Chinese locales. */
function described(en: string, zh: string, fallback: string) {
  const english = cut(en, COMMAND_LIMITS.description) || fallback;
  const chinese = cut(zh, COMMAND_LIMITS.description) || english;
  return {
    description: english,
    description_localizations: { 'zh-CN': chinese, 'zh-TW': chinese },
  };
}

function checkName(kind: string, name: string): void {
  if (!DISCORD_NAME.test(name) || name !== name.toLowerCase()) {
    throw new Error(
      `Discord ${kind} name "${name}" is invalid: use 1–32 lowercase letters, digits, - or _`,
    );
  }
}

function bound(value: number | undefined, kind: 'integer' | 'number'): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const v = Math.max(-INT_BOUND, Math.min(INT_BOUND, value));
  return kind === 'integer' ? Math.trunc(v) : v;
}

function optionData(o: OptionInfo): APIApplicationCommandBasicOption {
  checkName('option', o.name);
  const base = {
    name: o.name,
    required: o.required,
    ...described(o.description.en, o.description.zh, o.name),
  };
  if (o.name === 'file') return { ...base, type: ApplicationCommandOptionType.Attachment };
  switch (o.kind) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'integer':
    case 'number': {
      const min = bound(o.min, o.kind);
      const max = bound(o.max, o.kind);
      const range = {
        ...(min !== undefined ? { min_value: min } : {}),
        ...(max !== undefined ? { max_value: max } : {}),
      };
      return o.kind === 'integer'
        ? { ...base, ...range, type: ApplicationCommandOptionType.Integer }
        : { ...base, ...range, type: ApplicationCommandOptionType.Number };
    }
    case 'enum': {
      const values = o.choices ?? [];
      const fits =
        values.length > 0 &&
        values.length <= COMMAND_LIMITS.choices &&
        values.every((v) => v.length >= 1 && v.length <= COMMAND_LIMITS.choiceValue);
      const choices: APIApplicationCommandOptionChoice<string>[] = values.map((v) => ({
        name: cut(v, COMMAND_LIMITS.choiceName),
        value: v,
      }));
      // More than 25 values: a free string (the core still validates against the enum).
      return { ...base, type: ApplicationCommandOptionType.String, ...(fits ? { choices } : {}) };
    }
    default:
      return { ...base, type: ApplicationCommandOptionType.String };
  }
}

function optionTexts(o: APIApplicationCommandBasicOption): string[] {
  const choices = 'choices' in o && o.choices ? o.choices : [];
  return [o.name, o.description, ...choices.flatMap((c) => [c.name, String(c.value)])];
}

export interface CommandDataResult {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody[];
  /** Options Discord cannot take (more than 25 per command), named for the log. */
  warnings: string[];
}

/** Build the slash-command payloads and say what had to be left out. */
export function buildDiscordCommandData(commands: readonly AnyCommand[]): CommandDataResult {
  const warnings: string[] = [];
  const data = commands.map((command): RESTPostAPIChatInputApplicationCommandsJSONBody => {
    checkName('command', command.name);
    const all = optionsOf(command.schema).map(optionData);
    // Discord requires every required option before the optional ones.
    const ordered = [...all.filter((o) => o.required), ...all.filter((o) => !o.required)];
    if (ordered.length > COMMAND_LIMITS.options) {
      const dropped = ordered.slice(COMMAND_LIMITS.options).map((o) => o.name);
      warnings.push(`/${command.name}: Discord takes 25 options; left out ${dropped.join(', ')}`);
    }
    const options = ordered.slice(0, COMMAND_LIMITS.options);
    const chars = [command.name, command.description.en, ...options.flatMap(optionTexts)].join(
      '',
    ).length;
    if (chars > COMMAND_LIMITS.totalChars) {
      warnings.push(
        `/${command.name}: ${chars} characters; Discord takes ${COMMAND_LIMITS.totalChars}`,
      );
    }
    return {
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      ...described(command.description.en, command.description.zh, command.name),
      ...(options.length ? { options } : {}),
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    };
  });
  if (data.length > COMMAND_LIMITS.commands) {
    warnings.push(`Discord takes ${COMMAND_LIMITS.commands} commands; ${data.length} defined`);
  }
  return { data: data.slice(0, COMMAND_LIMITS.commands), warnings };
}

/**
 * The slash-command registration payload for every command, derived from its zod
 * schema: names, option types, enum choices, `file` as an attachment, required options
 * first, min/max, descriptions (≤ 100 characters) with zh-CN/zh-TW localizations.
 */
export function discordCommandData(
  commands: readonly AnyCommand[],
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return buildDiscordCommandData(commands).data;
}

/** The base URL discord.js and @discordjs/rest expect (they append `/v10`). */
export function discordApiBase(config: Pick<Config, 'DISCORD_API_URL'>): string | undefined {
  const url = config.DISCORD_API_URL?.replace(/\/+$/, '');
  return url ? url.replace(/\/v\d+$/, '') : undefined;
}

/**
 * Register every command with Discord: in one guild (instant, for development) when
 * `guildId` is given, globally otherwise. A bulk overwrite, so it is idempotent.
 */
export async function registerDiscordCommands(opts: {
  config: Config;
  commands: readonly AnyCommand[];
  guildId?: string;
  logger?: Logger;
}): Promise<{ scope: 'guild' | 'global'; count: number }> {
  const { config, commands, guildId, logger } = opts;
  const missing = [
    config.DISCORD_TOKEN ? undefined : 'DISCORD_TOKEN (the bot token)',
    config.DISCORD_APPLICATION_ID
      ? undefined
      : 'DISCORD_APPLICATION_ID (the numeric application id)',
  ].filter((x): x is string => Boolean(x));
  if (missing.length) {
    throw new Error(
      `Cannot register Discord commands: set ${missing.join(' and ')} in .env or the environment (see .env.example).`,
    );
  }
  if (guildId !== undefined && !/^\d{5,25}$/.test(guildId)) {
    throw new Error(`--guild must be a numeric server id, got "${guildId}"`);
  }
  const { data, warnings } = buildDiscordCommandData(commands);
  for (const w of warnings) logger?.warn(w);
  const appId = config.DISCORD_APPLICATION_ID!;
  const route = guildId
    ? Routes.applicationGuildCommands(appId, guildId)
    : Routes.applicationCommands(appId);
  const result = (await withBotRest(config, (rest) =>
    rest.put(route, { body: data }),
  )) as unknown[];
  const scope = guildId ? 'guild' : 'global';
  logger?.info({ scope, guildId, count: result.length }, 'discord commands registered');
  return { scope, count: result.length };
}

/**
 * One call to Discord's REST API as the bot (at `DISCORD_API_URL` when set), outside a
 * logged-in client; the REST client's timers are cleared after.
 */
export async function withBotRest<T>(
  config: Pick<Config, 'DISCORD_API_URL' | 'DISCORD_TOKEN'>,
  call: (rest: REST) => Promise<T>,
): Promise<T> {
  const api = discordApiBase(config);
  const rest = new REST({ version: '10', ...(api ? { api } : {}) }).setToken(
    config.DISCORD_TOKEN ?? '',
  );
  try {
    return await call(rest);
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
