import { getTokenizer, TOKENIZER_LABELS, TOKENIZER_NAMES, type TokenizerName } from './registry.js';

export interface TokenizerCount {
  tokenizer: TokenizerName;
  label: string;
  /** Tokens of the whole text. */
  tokens: number;
  /** Tokens of the text's Chinese characters alone, per character (null if none). */
  perChineseChar: number | null;
  /** Tokens of the text's English words alone, per word (null if none). */
  perEnglishWord: number | null;
}

export interface TokenStats {
  /** Unicode code points. */
  chars: number;
  /** UTF-16 code units (JavaScript `length`). */
  utf16: number;
  chineseChars: number;
  englishWords: number;
  counts: TokenizerCount[];
}

const HAN_RUN = /\p{Script=Han}+/gu;
const WORD = /[A-Za-z]+(?:['’-][A-Za-z]+)*/g;

/**
 * Count `text` under every tokenizer, with the cost of its Chinese characters (tokens per
 * character) and of its English words (tokens per word) measured separately.
 */
export function tokenStats(
  text: string,
  tokenizers: readonly TokenizerName[] = TOKENIZER_NAMES,
): TokenStats {
  const han = text.match(HAN_RUN) ?? [];
  const hanText = han.join('');
  const chineseChars = [...hanText].length;
  const words = text.match(WORD) ?? [];
  const wordText = words.join(' ');
  let chars = 0;
  for (const _ of text) chars++;
  const counts = tokenizers.map((name): TokenizerCount => {
    const t = getTokenizer(name);
    return {
      tokenizer: name,
      label: TOKENIZER_LABELS[name],
      tokens: t.count(text),
      perChineseChar: chineseChars > 0 ? t.count(hanText) / chineseChars : null,
      perEnglishWord: words.length > 0 ? t.count(wordText) / words.length : null,
    };
  });
  return { chars, utf16: text.length, chineseChars, englishWords: words.length, counts };
}
