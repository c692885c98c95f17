/** The Slack adapter: `startSlack` runs the bot, `slackManifest` prints the app manifest. */
export {
  cleanMentionText,
  commandNameOf,
  langOfLocale,
  type RunningSlack,
  type SlackAdapterOptions,
  startSlack,
} from './adapter.js';
export {
  escapeMrkdwn,
  fallbackText,
  isPrivate,
  renderReply,
  SLACK_LIMITS,
  type SlackMessage,
  splitText,
  unescapeSlack,
} from './blocks.js';
export { RecentIds } from './dedupe.js';
export { downloadTextFiles, MAX_FILE_BYTES } from './files.js';
export {
  SLACK_BOT_EVENTS,
  SLACK_BOT_SCOPES,
  SLACK_EVENTS_PATH,
  type SlackManifestOptions,
  slackManifest,
} from './manifest.js';
