import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/corpus.js';
import { auditChunks, type Chunk, splitText } from '../../../src/tools/chunk/index.js';
import { getReferenceTokenizer, getTokenizer } from '../../../src/tools/tokens/index.js';
import { anyText, enText, mixedText, sizeRuleHolds, sizes, zhText } from './arbitraries.js';

const o200k = getTokenizer('o200k');

function expectRules(
  text: string,
  chunks: Chunk[],
  size: number,
  overlap: number,
  count: (s: string) => number,
) {
  let rebuilt = '';
  let prev: Chunk | undefined;
  for (const c of chunks) {
    expect(c.text).toBe(text.slice(c.start, c.end));
    // Rule 1: counted on the chunk's own text.
    expect(c.size).toBe(count(c.text));
    expect(sizeRuleHolds(c, size), `size ${c.size} > ${size}: ${JSON.stringify(c.text)}`).toBe(
      true,
    );
    if (prev) {
      expect(c.start).toBeGreaterThan(prev.start);
      expect(c.start).toBeLessThanOrEqual(prev.end);
      expect(count(text.slice(c.start, prev.end))).toBeLessThanOrEqual(overlap);
      rebuilt += c.text.slice(prev.end - c.start);
    } else rebuilt = c.text;
    prev = c;
  }
  expect(rebuilt).toBe(text);
}

describe('splitText unit=tokens', () => {
  it('counts chunks with the real tokenizer', () => {
    const text = '大语言模型的上下文窗口有限。所以长文本要切块。Each chunk must fit the window. ';
    const chunks = splitText(text.repeat(5), { size: 20, overlap: 5, unit: 'tokens' });
    expect(chunks.length).toBeGreaterThan(1);
    expectRules(text.repeat(5), chunks, 20, 5, o200k.count);
  });

  it('rules 1, 2, 4 hold on random text (o200k)', () => {
    fc.assert(
      fc.property(fc.oneof(zhText, enText, mixedText), sizes(8, 60), (text, { size, overlap }) => {
        const chunks = splitText(text, { size, overlap, unit: 'tokens' });
        if (text.length === 0) expect(chunks).toEqual([]);
        else expectRules(text, chunks, size, overlap, o200k.count);
      }),
      { numRuns: 120 },
    );
  });

  it.each(['cl100k', 'llama2'])('works with %s', (name) => {
    const t = getTokenizer(name);
    const text = generateCorpus('zh', 3000, 3) + generateCorpus('en', 3000, 3);
    const chunks = splitText(text, { size: 64, overlap: 8, unit: 'tokens', tokenizer: name });
    expectRules(text, chunks, 64, 8, t.count);
  });

  it('has no avoidable mid-sentence ends and fills chunks on documents', () => {
    for (const lang of ['zh', 'en'] as const) {
      const text = generateCorpus(lang, 60_000, 11);
      const chunks = splitText(text, { size: 256, overlap: 32, unit: 'tokens' });
      const r = auditChunks(text, chunks, { size: 256, overlap: 32, measure: o200k.count });
      expect(r.oversized).toBe(0);
      expect(r.rebuilds).toBe(true);
      expect(r.midSentenceEnds).toBe(0);
      expect(r.meanFill).toBeGreaterThanOrEqual(0.85);
      expect(r.noOverlapShare).toBeLessThanOrEqual(0.05);
    }
  });
});

describe("splitText unit=tokens: sizes are gpt-tokenizer's own counts", () => {
  const ref = getReferenceTokenizer('o200k');

  it('on random documents of a few hundred characters', () => {
    const doc = fc
      .array(fc.oneof(zhText, enText, mixedText, anyText), { minLength: 5, maxLength: 30 })
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(doc, sizes(8, 60), (text, { size, overlap }) => {
        const chunks = splitText(text, { size, overlap, unit: 'tokens' });
        if (text.length === 0) expect(chunks).toEqual([]);
        else expectRules(text, chunks, size, overlap, ref.count);
      }),
      { numRuns: 80 },
    );
  });

  it('across many tokenizer windows (a long text, small chunks)', () => {
    // ~90k characters: the tokenized block slides and is trimmed many times.
    const text = generateCorpus('zh', 150_000, 21) + generateCorpus('en', 40_000, 21);
    const chunks = splitText(text, { size: 48, overlap: 8, unit: 'tokens' });
    expect(chunks.length).toBeGreaterThan(1000);
    expectRules(text, chunks, 48, 8, ref.count);
  });
});

describe('splitText unit=tokens: a grapheme cluster bigger than size', () => {
  it('is one oversized chunk, not cut code point by code point', () => {
    const cluster = `a${'\u0301'.repeat(2_000)}`;
    const text = `Some words. ${cluster} More words here.`;
    const chunks = splitText(text, { size: 16, overlap: 2, unit: 'tokens' });
    const big = chunks.filter((c) => c.oversized);
    expect(big.map((c) => c.text)).toEqual([cluster]);
    expect(big[0]!.size).toBe(o200k.count(cluster));
    for (const c of chunks) if (!c.oversized) expect(c.size).toBeLessThanOrEqual(16);
  });
});
