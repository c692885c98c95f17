/**
 * The user's language: from the platform's locale when it has one (Discord `zh-CN`, Slack
 * `en-US`, a terminal's `LANG=zh_CN.UTF-8`), otherwise from the text with the project's one
 * Chinese detector (`detectLang`).
 */

import type { Lang } from '../../core/types.js';
import { detectLang } from '../../knowledge/index.js';

/** `zh-CN`, `zh_TW.UTF-8` → zh; `en-*` → en; anything else (or nothing): undefined. */
export function langOfLocale(locale: string | null | undefined): Lang | undefined {
  if (!locale) return undefined;
  const l = locale.toLowerCase();
  if (l.startsWith('zh')) return 'zh';
  if (l.startsWith('en')) return 'en';
  return undefined;
}

/** The language to answer in before the core has decided: the known one, or the text's. */
export function replyLang(known: Lang | undefined, text: string): Lang {
  return known ?? detectLang(text);
}
