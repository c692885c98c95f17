/**
 * The Discord adapter (discord.js v14): the gateway bot, slash-command data and
 * registration derived from the command registry, and reply rendering within limits.
 */
export { ActionIds } from './actions.js';
export { type DiscordAdapterOptions, startDiscord } from './adapter.js';
export {
  buildDiscordCommandData,
  discordCommandData,
  registerDiscordCommands,
} from './commands.js';
export {
  DISCORD_LIMITS,
  type DiscordMessage,
  MAX_MESSAGES_PER_REPLY,
  renderDiscordReply,
} from './render.js';
export {
  type DiscordShardsOptions,
  fetchGatewayBot,
  type ShardAssignment,
  shardOfProcess,
  shardPlan,
  startDiscordShards,
} from './shards.js';
