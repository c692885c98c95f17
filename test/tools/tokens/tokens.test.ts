import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countTokens,
  getTokenizer,
  TOKENIZER_NAMES,
  tokenCuts,
  tokenStats,
  utf8Length,
} from '../../../src/tools/tokens/index.js';

describe('tokenizer registry', () => {
  it('knows o200k, cl100k and llama2, and counts real tokens', () => {
    expect(TOKENIZER_NAMES).toEqual(['o200k', 'cl100k', 'llama2']);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('hello world', 'cl100k')).toBe(2);
    expect(countTokens('Hello world', 'llama2')).toBe(2); // ▁Hello ▁world
    expect(countTokens('')).toBe(0);
    expect(countTokens('', 'llama2')).toBe(0);
  });

  it('treats special-token text as plain text instead of throwing', () => {
    expect(countTokens('<|endoftext|>')).toBeGreaterThan(1);
  });

  it('rejects unknown tokenizers with the accepted names', () => {
    expect(() => getTokenizer('gpt2')).toThrow(RangeError);
    expect(() => getTokenizer('gpt2')).toThrow(/o200k, cl100k, llama2/);
  });

  it('utf8Length matches Buffer.byteLength', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
      }),
    );
  });
});

describe('tokenCuts', () => {
  it.each(TOKENIZER_NAMES)(
    '%s: cuts are increasing and decode back to the token prefix',
    (name) => {
      const t = getTokenizer(name);
      fc.assert(
        fc.property(
          fc.string({
            unit: fc.constantFrom('a', ' ', '模', '型', '。', '😀', 'é', '\n', 'x'),
            maxLength: 60,
          }),
          (text) => {
            const cuts = tokenCuts(text, t);
            expect(cuts.tokens).toBe(t.count(text));
            if (text.length === 0) return;
            expect(cuts.pos[cuts.length - 1]).toBe(text.length);
            expect(cuts.cum[cuts.length - 1]).toBe(cuts.tokens);
            for (let j = 1; j < cuts.length; j++) {
              expect(cuts.pos[j]).toBeGreaterThan(cuts.pos[j - 1] ?? 0);
              expect(cuts.cum[j]).toBeGreaterThan(cuts.cum[j - 1] ?? 0);
            }
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it('o200k: a cut after each token of plain English', () => {
    const t = getTokenizer('o200k');
    const cuts = tokenCuts('hello world', t);
    expect([...cuts.pos.slice(0, cuts.length)]).toEqual([0, 5, 11]);
  });
});

describe('tokenStats', () => {
  it('counts characters, Chinese characters and English words', () => {
    const s = tokenStats('大语言模型 large language models 😀');
    expect(s.chars).toBe(29);
    expect(s.chineseChars).toBe(5);
    expect(s.englishWords).toBe(3);
    expect(s.counts.map((c) => c.tokenizer)).toEqual(['o200k', 'cl100k', 'llama2']);
    for (const c of s.counts) {
      expect(c.tokens).toBe(getTokenizer(c.tokenizer).count('大语言模型 large language models 😀'));
      expect(c.perChineseChar).toBeGreaterThan(0);
      expect(c.perEnglishWord).toBeGreaterThan(0);
    }
    // cl100k spends more tokens per Chinese character than o200k.
    const [o, cl] = s.counts;
    expect(cl?.perChineseChar ?? 0).toBeGreaterThan(o?.perChineseChar ?? 0);
  });

  it('reports null ratios when a script is absent', () => {
    const s = tokenStats('only english here');
    expect(s.chineseChars).toBe(0);
    expect(s.counts[0]?.perChineseChar).toBeNull();
  });
});
