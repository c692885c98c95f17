import type { Lang } from './types.js';

export type Localized = Record<Lang, string>;

/** Pick the string for a language. */
export function t(lang: Lang, text: Localized): string {
  return text[lang];
}
