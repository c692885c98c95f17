/** Replies to mistakes a user made: private where the platform allows, in their language. */
import type { AnyCommand } from './command.js';
import { type Localized, t } from './i18n.js';
import { quoteValue } from './sanitize.js';
import type { Lang, Reply } from './types.js';

export function userError(lang: Lang, text: Localized, hints?: string[]): Reply {
  return {
    kind: 'error',
    lang,
    ephemeral: true,
    paragraphs: [t(lang, text)],
    ...(hints ? { hints } : {}),
  };
}

/** "There is no command /x", with the commands there are. */
export function unknownCommandText(name: string, commands: readonly AnyCommand[]): Localized {
  const names = commands.map((c) => `/${c.name}`).join(' ');
  return {
    en: `I don't know the command ${quoteValue(`/${name}`)}. Commands: ${names}`,
    zh: `没有 ${quoteValue(`/${name}`, 'zh')} 这个命令。可用命令:${names}`,
  };
}

/**
 * A command refusing its input: the title names the bad option (or says what could not be
 * done), the paragraph says why and how to fix it, the hints show working examples.
 */
export function optionError(
  command: string,
  lang: Lang,
  option: string | undefined,
  message: Localized,
  hints: readonly string[],
  cannot: Localized,
): Reply {
  const title = option
    ? t(lang, { en: `/${command}: bad option ${option}`, zh: `/${command}：参数 ${option} 有误` })
    : t(lang, { en: `/${command}: ${cannot.en}`, zh: `/${command}：${cannot.zh}` });
  return {
    kind: 'error',
    lang,
    title,
    paragraphs: [t(lang, message)],
    hints: [...hints],
    data: { error: { option, message } },
  };
}
