/**
 * Cutting text for people to read, and quoting a bad value in an error message: by grapheme
 * clusters (or code points, inside a cluster longer than the room), never by UTF-16 units, so a
 * cut never leaves half an emoji (a lone surrogate) or a letter without its accent.
 */
import { isGraphemeBreak, isHigh, isLow } from '../chunk/grapheme.js';

/** Most characters of a bad value an error message repeats. */
export const QUOTE_MAX = 80;

/** Number of code points in `s` (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) i++;
    n++;
  }
  return n;
}

/**
 * Where to cut `s` so that the head has at most `maxUnits` UTF-16 units and at most
 * `maxCodePoints` code points: the last grapheme boundary that fits, or, when the first cluster
 * alone does not fit, the last code-point boundary. Never inside a surrogate pair; 0 only when
 * nothing fits.
 */
export function cutIndex(
  s: string,
  maxUnits: number,
  maxCodePoints = Number.POSITIVE_INFINITY,
): number {
  if (s.length <= maxUnits && s.length <= maxCodePoints) return s.length;
  let i = 0;
  let cps = 0;
  let lastGrapheme = 0;
  let lastCodePoint = 0;
  while (i < s.length) {
    const width = isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
    if (i + width > maxUnits || cps + 1 > maxCodePoints) break;
    i += width;
    cps++;
    lastCodePoint = i;
    if (isGraphemeBreak(s, i)) lastGrapheme = i;
  }
  return lastGrapheme > 0 ? lastGrapheme : lastCodePoint;
}

/**
 * A bad value as an error message shows it: a string JSON-quoted (control characters and lone
 * surrogates escaped), anything else as JSON; when longer than `max` characters, its first `max`
 * characters, "…" and its length: `"xxxx…" (40,000 characters)`.
 */
export function quoteValue(value: unknown, lang: 'en' | 'zh' = 'en', max = QUOTE_MAX): string {
  const isString = typeof value === 'string';
  let text: string;
  if (isString) text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  const cut = cutIndex(text, Number.POSITIVE_INFINITY, max);
  const whole = cut >= text.length;
  const shown = whole ? text : `${text.slice(0, cut)}…`;
  const out = isString ? JSON.stringify(shown) : shown.toWellFormed();
  if (whole) return out;
  const length = codePointLength(text).toLocaleString('en-US');
  return lang === 'zh' ? `${out}(共 ${length} 个字符)` : `${out} (${length} characters)`;
}
