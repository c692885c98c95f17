/** Replies to mistakes a user made: private where the platform allows, in their language. */
import type { AnyCommand } from './command.js';
import { closest } from './fuzzy.js';
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

/**
 * "There is no command /x", with the closest command name ("did you mean /vram?") when one
 * is close, and the commands there are. Every platform's unknown command and /help go here.
 */
export function unknownCommandText(name: string, commands: readonly AnyCommand[]): Localized {
  const names = commands.map((c) => `/${c.name}`).join(' ');
  const near = closest(commands, name, (c) => [c.name]);
  return {
    en: `I don't know the command ${quoteValue(`/${name}`)}.${near ? ` Did you mean /${near.name}?` : ''} Commands: ${names}`,
    zh: `没有 ${quoteValue(`/${name}`, 'zh')} 这个命令。${near ? `你是想用 /${near.name} 吗?` : ''}可用命令:${names}`,
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
