/**
 * Fragments: messages that carry no question at all, such as a letter, a number, "ok", a
 * thumbs-up, 好的 or 收到. They never route to a topic (a quiz may take them as answers).
 */
import { normalize } from './text.js';

/** Acknowledgements, greetings and answer words that are complete messages on their own. */
const WORDS = new Set(
  `ok okay okey k kk yes no yep yup nope yeah yah nah sure cool nice great good fine thanks
  thank thx ty tks cheers lol lmao haha hehe hi hello hey yo bye true false right wrong done
  noted agreed same wow oops hmm hm ah oh uh um test ping
  好 好的 好滴 好嘞 行 行吧 嗯 嗯嗯 噢 哦 哦哦 收到 了解 明白 懂了 知道了 谢谢 多谢 感谢 谢了 哈 哈哈 嘿 嘿嘿 呵呵
  对 错 是 否 正确 错误 对的 不对 是的 不是 在吗 在不在 你好 您好 早 早安 晚安 再见 拜拜 辛苦了 赞 牛 可以`.split(
    /\s+/,
  ),
);

/** Two-word acknowledgements, written without the space. */
const PAIRS = new Set(['thankyou', 'gotit', 'okthanks', 'okthx', 'soundsgood', 'makessense']);

/** A single answer letter or a number, with optional thousands separators, decimals and unit. */
const LETTER_OR_NUMBER = /^(?:[a-z]|\d[\d,]*(?:\.\d+)?\s?[a-z%]{0,3})$/u;

/** Is this message a fragment rather than a question? */
export function isFragment(text: string): boolean {
  const core = normalize(text)
    .replace(/[^\p{L}\p{N}\s%.,]/gu, ' ')
    .replace(/(^[\s.,]+|[\s.,]+$)/g, '')
    .replace(/\s+/g, ' ');
  if (!core) return true;
  if (LETTER_OR_NUMBER.test(core) || /^\+?\d+$/.test(core)) return true;
  const words = core.split(' ');
  if (words.length > 3) return false;
  const known = (w: string) => WORDS.has(w) || WORDS.has(squeezedRun(w)) || coveredByWords(w);
  if (words.every(known)) return true;
  return PAIRS.has(words.join(''));
}

/** Can a short run of Han characters be read as a sequence of fragment words (好的谢谢)? */
function coveredByWords(run: string): boolean {
  const chars = Array.from(run);
  if (chars.length > 8 || !chars.every((c) => /\p{Script=Han}/u.test(c))) return false;
  const ok: boolean[] = [true];
  for (let end = 1; end <= chars.length; end++) {
    ok[end] = false;
    for (let len = 1; len <= Math.min(3, end) && !ok[end]; len++) {
      const word = chars.slice(end - len, end).join('');
      ok[end] = ok[end - len]! && (WORDS.has(word) || WORDS.has(squeezedRun(word)));
    }
  }
  return ok[chars.length]!;
}

function squeezedRun(w: string): string {
  return w.replace(/(.)\1+/gu, '$1');
}
