import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCorpus, generateCorpusWithStats } from '../../../bench/corpus.js';
import {
  auditChunks,
  type Chunk,
  sentenceEnds,
  splitText,
  splitTextExplained,
  validateChunkOptions,
} from '../../../src/tools/chunk/index.js';
import {
  anyText,
  emojiText,
  enText,
  mixedText,
  sizeRuleHolds,
  sizes,
  zhText,
} from './arbitraries.js';

const codePoints = (s: string) => [...s].length;
const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const NO_START = new Set([...')]}”’」』）】》〉。，、；：！？.,;:!?…%']);

function graphemeBreaks(text: string): Set<number> {
  const set = new Set<number>([text.length]);
  for (const seg of graphemeSegmenter.segment(text)) set.add(seg.index);
  return set;
}

/** Rule 2: in order, every character covered, overlaps removed → the input. */
function expectExactCoverage(text: string, chunks: Chunk[]): void {
  if (text.length === 0) {
    expect(chunks).toEqual([]);
    return;
  }
  expect(chunks[0]?.start).toBe(0);
  expect(chunks.at(-1)?.end).toBe(text.length);
  let rebuilt = '';
  let prev: Chunk | undefined;
  for (const c of chunks) {
    expect(c.text).toBe(text.slice(c.start, c.end));
    expect(c.end).toBeGreaterThan(c.start);
    if (prev) {
      expect(c.start).toBeGreaterThan(prev.start);
      expect(c.start).toBeLessThanOrEqual(prev.end);
      expect(c.end).toBeGreaterThan(prev.end);
      rebuilt += c.text.slice(prev.end - c.start);
    } else rebuilt = c.text;
    prev = c;
  }
  expect(rebuilt).toBe(text);
}

describe('splitText: examples', () => {
  it('splits Chinese at sentence ends', () => {
    expect(splitText('第一句。第二句。', { size: 4 })).toEqual([
      { text: '第一句。', start: 0, end: 4, size: 4 },
      { text: '第二句。', start: 4, end: 8, size: 4 },
    ]);
  });

  it('keeps closing quotes with their sentence and never starts a chunk with them', () => {
    const text = '他说：“今天下雨了。”我们回家吧。明天再来。';
    const chunks = splitText(text, { size: 12 });
    expect(chunks.map((c) => c.text)).toEqual(['他说：“今天下雨了。”', '我们回家吧。明天再来。']);
  });

  it('does not end sentences at decimals or abbreviations', () => {
    const text = 'Prices rose 99.5% in the U.S. last year, e.g. rent. Dr. Lee agreed. It was bad.';
    const chunks = splitText(text, { size: 70 });
    expect(chunks[0]?.text).toBe(
      'Prices rose 99.5% in the U.S. last year, e.g. rent. Dr. Lee agreed. ',
    );
    expect(chunks[1]?.text).toBe('It was bad.');
  });

  it('prefers a paragraph break when it keeps the chunk well filled', () => {
    const para = 'Alpha beta gamma. Delta epsilon zeta.';
    const text = `${para}\n\n${para}\n\n${para}`;
    const chunks = splitText(text, { size: 80 });
    expect(chunks[0]?.text).toBe(`${para}\n\n${para}\n\n`);
  });

  it('counts code points: an emoji is one character, never split', () => {
    const text = '😀😀😀😀😀😀';
    const chunks = splitText(text, { size: 4 });
    expect(chunks.map((c) => c.size)).toEqual([4, 2]);
    expect(chunks.map((c) => c.text)).toEqual(['😀😀😀😀', '😀😀']);
  });

  it('makes a grapheme cluster longer than size a chunk of its own, marked oversized', () => {
    const cluster = `a${'\u0301'.repeat(32_000)}`;
    expect(splitText(cluster, { size: 500, overlap: 50 })).toEqual([
      { text: cluster, start: 0, end: 32_001, size: 32_001, oversized: true },
    ]);
    const text = `Short words here. ${cluster} and more words after it.`;
    const chunks = splitText(text, { size: 10, overlap: 3 });
    expectExactCoverage(text, chunks);
    const big = chunks.filter((c) => c.oversized);
    expect(big.map((c) => c.text)).toEqual([cluster]);
    for (const c of chunks) if (!c.oversized) expect(c.size).toBeLessThanOrEqual(10);
    const family = '👨‍👩‍👧‍👦'; // 7 code points, one cluster
    expect(splitText(`${family}${family}`, { size: 4 }).map((c) => [c.text, c.oversized])).toEqual([
      [family, true],
      [family, true],
    ]);
  });

  it('keeps a ZWJ family emoji whole when it fits', () => {
    const family = '👨‍👩‍👧‍👦'; // 7 code points
    const text = `ab${family}cd${family}`;
    for (const c of splitText(text, { size: 9 })) {
      expect(c.text.includes('\u200d') ? c.text.includes(family) : true).toBe(true);
    }
  });

  it('starts each chunk with up to `overlap` characters, on a sentence when one fits', () => {
    const text = '一二三。四五六。七八九。十一二。';
    const chunks = splitText(text, { size: 8, overlap: 4 });
    expect(chunks.map((c) => c.text)).toEqual([
      '一二三。四五六。',
      '四五六。七八九。',
      '七八九。十一二。',
    ]);
  });

  it('cuts a sentence longer than a chunk at clauses, then words', () => {
    const text = `${'很长的句子，'.repeat(20)}结束。`;
    const chunks = splitText(text, { size: 50, overlap: 6 });
    for (const c of chunks.slice(0, -1)) expect(c.text.endsWith('，')).toBe(true);
    expectExactCoverage(text, chunks);
  });

  it('keeps whitespace, paragraph breaks and full-width indents exactly', () => {
    const text = '　　第一段。\r\n\r\n　　第二段，很长很长。\n\n\n  - 列表\t项\n';
    expectExactCoverage(text, splitText(text, { size: 7, overlap: 2 }));
  });

  it('returns no chunks for empty text and one chunk for short text', () => {
    expect(splitText('', { size: 10 })).toEqual([]);
    expect(splitText('hi', { size: 10 })).toEqual([{ text: 'hi', start: 0, end: 2, size: 2 }]);
  });

  it('explains boundaries', () => {
    const chunks = splitTextExplained('第一句。第二句。\n\n第三段。', { size: 10, overlap: 6 });
    expect(chunks[0]?.endsAt).toBe('paragraph');
    expect(chunks[0]?.overlapStartsAt).toBe('none');
    expect(chunks[1]?.overlapStartsAt).toBe('sentence');
    expect(chunks[1]?.overlap).toBe(6);
    expect(chunks[1]?.text).toBe('第二句。\n\n第三段。');
    expect(chunks.at(-1)?.endsAt).toBe('end');
  });
});

describe('splitText: invalid options', () => {
  it.each([
    [{ size: 0 }, /size must be a whole number from 1/],
    [{ size: -5 }, /size must be/],
    [{ size: 1.5 }, /size must be/],
    [{ size: Number.NaN }, /size must be/],
    [{ size: 10, overlap: 10 }, /overlap must be a whole number from 0 to 9, smaller than size=10/],
    [{ size: 10, overlap: 50 }, /overlap must be/],
    [{ size: 10, overlap: -1 }, /overlap must be/],
    [{ size: 10, unit: 'tokens' as const, tokenizer: 'gpt-2' }, /unknown tokenizer "gpt-2"/],
  ])('%j → RangeError', (options, message) => {
    expect(() => splitText('text', options)).toThrow(RangeError);
    expect(() => splitText('text', options)).toThrow(message);
  });

  it('validateChunkOptions names the option in both languages without throwing', () => {
    const r = validateChunkOptions({ size: 100, overlap: 100 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.option).toBe('overlap');
      expect(r.error.zh).toContain('overlap');
      expect(r.error.zh).toContain('小于');
    }
    const bad = validateChunkOptions({ size: 10, unit: 'words' as never });
    expect(bad.ok ? 'ok' : bad.error.option).toBe('unit');
    const ok = validateChunkOptions({ size: 10 });
    expect(ok).toEqual({
      ok: true,
      options: { size: 10, overlap: 0, unit: 'chars', tokenizer: 'o200k' },
    });
  });
});

describe('splitText: rules hold on random zh / en / mixed / emoji text (chars)', () => {
  const runs = { numRuns: 300 };

  it('rules 1, 2 and 4: size, exact coverage, bounded overlap', () => {
    fc.assert(
      fc.property(anyText, sizes(1, 120), (text, { size, overlap }) => {
        const chunks = splitText(text, { size, overlap });
        expectExactCoverage(text, chunks);
        for (const c of chunks) {
          expect(c.size).toBe(codePoints(c.text));
          expect(sizeRuleHolds(c, size), `${JSON.stringify(c.text)} at size ${size}`).toBe(true);
        }
        for (let i = 1; i < chunks.length; i++) {
          const prev = chunks[i - 1] as Chunk;
          const c = chunks[i] as Chunk;
          expect(codePoints(text.slice(c.start, prev.end))).toBeLessThanOrEqual(overlap);
        }
      }),
      runs,
    );
  });

  it('rule 3: never split a surrogate pair or a grapheme cluster, whatever the size', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, emojiText), sizes(1, 80), (text, { size, overlap }) => {
        const breaks = graphemeBreaks(text);
        for (const c of splitText(text, { size, overlap })) {
          expect(breaks.has(c.start), `start ${c.start}`).toBe(true);
          expect(breaks.has(c.end), `end ${c.end}`).toBe(true);
        }
      }),
      runs,
    );
  });

  it('rule 3: never start a chunk with closing punctuation', () => {
    fc.assert(
      fc.property(anyText, sizes(16, 120), (text, { size, overlap }) => {
        const chunks = splitText(text, { size, overlap });
        for (const c of chunks.slice(1)) expect(NO_START.has(c.text.charAt(0)), c.text).toBe(false);
      }),
      runs,
    );
  });

  it('rule 3: no chunk ends inside a sentence that would fit in a chunk', () => {
    fc.assert(
      fc.property(anyText, sizes(1, 120), (text, { size, overlap }) => {
        const ends = new Set(sentenceEnds(text));
        const sorted = [0, ...sentenceEnds(text), text.length];
        for (const c of splitText(text, { size, overlap })) {
          if (c.end === text.length || ends.has(c.end)) continue;
          const k = sorted.findIndex((p) => p > c.end);
          const a = sorted[k - 1] ?? 0;
          const q = sorted[k] ?? text.length;
          // The sentence around this end must be too long for any chunk.
          expect(
            codePoints(text.slice(a, q)),
            `end ${c.end} in ${JSON.stringify(text.slice(a, q))}`,
          ).toBeGreaterThan(size);
        }
      }),
      runs,
    );
  });

  it('is deterministic and matches the audit on random text', () => {
    fc.assert(
      fc.property(fc.oneof(zhText, enText), sizes(10, 100), (text, { size, overlap }) => {
        const chunks = splitText(text, { size, overlap });
        expect(splitText(text, { size, overlap })).toEqual(chunks);
        const report = auditChunks(text, chunks, { size, overlap, measure: codePoints });
        expect(report.oversized).toBe(0);
        expect(report.rebuilds || text.length === 0).toBe(true);
        expect(report.midSentenceEnds).toBe(0);
        expect(report.overlapTooLong).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('splitText: realistic documents (rules 4 and 5)', () => {
  for (const lang of ['zh', 'en'] as const) {
    const text = generateCorpus(lang, 200_000, 7);
    // At size=200 whole English sentences (up to ~170 chars) cannot fill chunks as well.
    for (const [size, overlap, fill] of [
      [500, 50, 0.85],
      [1000, 100, 0.85],
      [200, 40, 0.8],
    ] as const) {
      it(`${lang} size=${size} overlap=${overlap}: filled, overlapped, no avoidable cuts`, () => {
        const chunks = splitText(text, { size, overlap });
        const r = auditChunks(text, chunks, { size, overlap, measure: codePoints });
        expect(r.oversized).toBe(0);
        expect(r.rebuilds).toBe(true);
        expect(r.midSentenceEnds).toBe(0);
        expect(r.splitGraphemes).toBe(0);
        expect(r.closingStarts).toBe(0);
        expect(r.overlapTooLong).toBe(0);
        expect(r.meanFill).toBeGreaterThanOrEqual(fill);
        expect(r.noOverlapShare).toBeLessThanOrEqual(0.05);
      });
    }
  }
});

describe('splitText: long-paragraph documents (extracted text)', () => {
  for (const lang of ['zh', 'en'] as const) {
    const { text, stats } = generateCorpusWithStats(lang, 200_000, 7, 'long-paragraph');

    it(`${lang}: the profile has paragraphs of 1,500-6,000 chars with no line break inside`, () => {
      expect(stats.profile).toBe('long-paragraph');
      expect(stats.paragraphMedian).toBeGreaterThanOrEqual(1500);
      expect(stats.paragraphMedian).toBeLessThanOrEqual(6000);
      expect(stats.longParagraphShare).toBeGreaterThan(0.9);
      // Every line longer than a chunk is one of those paragraphs (or a long sentence in a list).
      const lines = text.split('\n').filter((l) => codePoints(l) > 1000);
      expect(lines.length).toBeGreaterThan(10);
      for (const l of lines) expect(codePoints(l)).toBeLessThanOrEqual(6000 + 3300);
      // The default profile is unchanged by the option.
      expect(generateCorpus(lang, 5000, 7)).toBe(generateCorpus(lang, 5000, 7, 'realistic'));
      expect(generateCorpus(lang, 5000, 7, 'long-paragraph')).not.toBe(
        generateCorpus(lang, 5000, 7),
      );
    });

    it(`${lang} size=1000 overlap=100: rules hold on long paragraphs`, () => {
      const chunks = splitText(text, { size: 1000, overlap: 100 });
      const r = auditChunks(text, chunks, { size: 1000, overlap: 100, measure: codePoints });
      expect(r.oversized).toBe(0);
      expect(r.rebuilds).toBe(true);
      expect(r.midSentenceEnds).toBe(0);
      expect(r.splitGraphemes).toBe(0);
      expect(r.closingStarts).toBe(0);
      expect(r.overlapTooLong).toBe(0);
      expect(r.meanFill).toBeGreaterThanOrEqual(0.85);
      expect(r.noOverlapShare).toBeLessThanOrEqual(0.05);
    });
  }
});
