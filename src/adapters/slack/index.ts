/** The Slack adapter: `startSlack` runs the bot, `slackManifest` prints the app manifest. */
export { type RunningSlack, type SlackAdapterOptions, startSlack } from './adapter.js';
export {
  escapeMrkdwn,
  fallbackText,
  renderReply,
  SLACK_LIMITS,
  type SlackMessage,
  splitText,
  unescapeSlack,
} from './blocks.js';
export { downloadTextFiles } from './files.js';
export { cleanMentionText, commandNameOf } from './incoming.js';
export {
  SLACK_BOT_EVENTS,
  SLACK_BOT_SCOPES,
  SLACK_EVENTS_PATH,
  type SlackManifestOptions,
  slackManifest,
} from './manifest.js';
