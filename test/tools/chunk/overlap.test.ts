import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BoundaryScanner,
  type Chunk,
  canStartAt,
  LEVEL,
  splitText,
  splitTextExplained,
} from '../../../src/tools/chunk/index.js';
import { anyText, mixedText, sizes, zhText } from './arbitraries.js';

const codePoints = (s: string) => [...s].length;
const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const isHan = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);

/**
 * Positions an overlap may start at: boundaries the scanner reports (word level and up) and,
 * in Chinese, word boundaries from Intl.Segmenter.
 */
function alignedStarts(text: string): Set<number> {
  const out = new Set<number>();
  const scanner = new BoundaryScanner(text);
  for (let p = scanner.next(0, text.length); p >= 0; p = scanner.next(p, text.length)) {
    if (scanner.level >= LEVEL.word) out.add(p);
  }
  for (const seg of wordSegmenter.segment(text)) {
    const p = seg.index;
    if (p > 0 && isHan(text.charCodeAt(p)) && canStartAt(text, p)) out.add(p);
  }
  return out;
}

const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
function graphemeBreaks(text: string): Set<number> {
  const set = new Set<number>([text.length]);
  for (const seg of graphemeSegmenter.segment(text)) set.add(seg.index);
  return set;
}

/** A start inside a word: between two Latin letters, or inside a Chinese word. */
function startsMidWord(text: string, p: number, aligned: Set<number>): boolean {
  const a = text.charCodeAt(p - 1);
  const b = text.charCodeAt(p);
  const latin = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (latin(a) && latin(b)) return true;
  return isHan(a) && isHan(b) && !aligned.has(p);
}

describe('overlap alignment at small sizes', () => {
  const text = '第一句话在这里。第二句话也在这里！Third sentence, in English. And a fourth one?';

  it('never starts an overlap mid-word; with no aligned start that fits, there is none', () => {
    const chunks = splitTextExplained(text, { size: 30, overlap: 8 });
    expect(chunks.map((c) => c.text)).toEqual([
      '第一句话在这里。第二句话也在这里！',
      // "这里！" (3) and longer word-aligned overlaps cannot precede the 28-unit sentence within
      // 30 units, and "里！" would cut the word 这里: no overlap.
      'Third sentence, in English. ',
      // "English. " is 9 units > overlap=8 and no later word boundary exists: no overlap.
      'And a fourth one?',
    ]);
    expect(chunks.map((c) => c.overlap)).toEqual([0, 0, 0]);
  });

  it('takes a word-aligned Chinese overlap when one fits', () => {
    const chunks = splitTextExplained(text, { size: 40, overlap: 8 });
    // Intl.Segmenter splits 第二句话也在这里！ as 第|二句话|也在|这里|！: the largest overlap
    // that starts on one of its word boundaries within 8 units is 二句话也在这里！.
    expect(chunks[1]?.overlapStartsAt).toBe('word');
    expect(chunks[1]?.text).toBe('二句话也在这里！Third sentence, in English. ');
    expect(chunks[1]?.overlap).toBe(8);
    expect(alignedStarts(text).has(chunks[1]?.start ?? -1)).toBe(true);
  });

  it('takes the whole previous sentence when it fits the overlap', () => {
    const chunks = splitTextExplained('一二三。四五六。七八九。十一二。', { size: 8, overlap: 4 });
    expect(chunks.map((c) => [c.text, c.overlapStartsAt])).toEqual([
      ['一二三。四五六。', 'none'],
      ['四五六。七八九。', 'sentence'],
      ['七八九。十一二。', 'sentence'],
    ]);
  });

  it('largest aligned overlap: no overlap only when no aligned start fits before the chunk', () => {
    // Short texts (the arbitraries' default) and documents of a few hundred characters.
    const longer = fc
      .array(fc.oneof(zhText, mixedText, anyText), { minLength: 5, maxLength: 30 })
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(
        fc.oneof(anyText, zhText, mixedText, longer),
        sizes(4, 80),
        (t, { size, overlap }) => {
          const chunks = splitText(t, { size, overlap });
          const aligned = alignedStarts(t);
          for (let i = 1; i < chunks.length; i++) {
            const prev = chunks[i - 1] as Chunk;
            const c = chunks[i] as Chunk;
            if (c.start < prev.end) {
              // An overlap starts on a boundary, never inside a word.
              expect(startsMidWord(t, c.start, aligned), `${c.start} in ${JSON.stringify(t)}`).toBe(
                false,
              );
              continue;
            }
            // Skip ends forced inside a grapheme cluster bigger than the chunk.
            if (overlap === 0 || !graphemeBreaks(t).has(c.end)) continue;
            // No overlap: no aligned start could have been used with the same chunk end.
            for (const b of aligned) {
              if (b <= prev.start || b >= prev.end) continue;
              const fits =
                codePoints(t.slice(b, prev.end)) <= overlap &&
                codePoints(t.slice(b, c.end)) <= size;
              expect(fits, `aligned start ${b} fits before ${JSON.stringify(c.text)}`).toBe(false);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
