import fc from 'fast-check';

/** Pieces of Chinese text: words, clause and sentence punctuation, quotes, indents. */
const ZH = [
  '人工智能',
  '模型',
  '上下文',
  '窗口',
  '的',
  '是',
  '我们',
  '训练数据',
  '显存',
  '分词',
  '，',
  '、',
  '：',
  '。',
  '！',
  '？',
  '；',
  '……',
  '“',
  '”',
  '「',
  '」',
  '（',
  '）',
  '99.5%',
  '　　',
];
/** Pieces of English text: words, abbreviations, decimals, punctuation, quotes. */
const EN = [
  'the',
  'model',
  'context',
  'window',
  'Tokens',
  'e.g.',
  'Dr.',
  'U.S.',
  '3.14',
  '1,000',
  ' ',
  ' ',
  ' ',
  ' ',
  '. ',
  ', ',
  '! ',
  '? ',
  '; ',
  ': ',
  '"',
  "'",
  '(',
  ')',
  '...',
  '.',
];
const SPACE = [' ', '\n', '\n\n', '\r\n', '\t', '\n  \n'];
/** Emoji and combining sequences: skin tones, ZWJ families, flags, keycaps, accents. */
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇨🇳', '🇺🇸', '1️⃣', '❤️', 'é', 'ñ', '🚀'];

const piece = (xs: readonly string[]) => fc.constantFrom(...xs);

export const zhText = fc
  .array(fc.oneof({ weight: 12, arbitrary: piece(ZH) }, { weight: 1, arbitrary: piece(SPACE) }), {
    maxLength: 400,
  })
  .map((xs) => xs.join(''));

export const enText = fc
  .array(fc.oneof({ weight: 12, arbitrary: piece(EN) }, { weight: 1, arbitrary: piece(SPACE) }), {
    maxLength: 500,
  })
  .map((xs) => xs.join(''));

export const mixedText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: piece(ZH) },
      { weight: 6, arbitrary: piece(EN) },
      { weight: 2, arbitrary: piece(SPACE) },
      { weight: 2, arbitrary: piece(EMOJI) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 6 }) },
    ),
    { maxLength: 500 },
  )
  .map((xs) => xs.join(''));

export const emojiText = fc
  .array(fc.oneof(piece(EMOJI), piece(SPACE), piece(['。', '. ', '，'])), { maxLength: 200 })
  .map((xs) => xs.join(''));

/** Any of the four kinds of text. */
export const anyText = fc.oneof(zhText, enText, mixedText, emojiText);

/** `{ size, overlap }` with `0 <= overlap < size`. */
export const sizes = (min: number, max: number) =>
  fc
    .integer({ min, max })
    .chain((size) =>
      fc.record({ size: fc.constant(size), overlap: fc.integer({ min: 0, max: size - 1 }) }),
    );

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The size rule and its one exception: a chunk is at most `size`, unless it is a single
 * grapheme cluster longer than `size` (never cut), which is marked `oversized`.
 */
export function sizeRuleHolds(
  chunk: { text: string; size: number; oversized?: true },
  size: number,
): boolean {
  if (chunk.size <= size) return chunk.oversized === undefined;
  let clusters = 0;
  for (const _ of graphemes.segment(chunk.text)) clusters++;
  return chunk.oversized === true && clusters === 1;
}
