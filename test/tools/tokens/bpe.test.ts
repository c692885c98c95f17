import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  getReferenceTokenizer,
  getTokenizer,
  PieceCache,
  ScanResult,
} from '../../../src/tools/tokens/index.js';
import { anyText } from '../chunk/arbitraries.js';

const NAMES = ['o200k', 'cl100k'] as const;

/** Pieces that stress the pre-tokenizer and the merge rules. */
const TRICKY = [
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\n\n  ',
  '\t',
  '\u3000',
  '\u00a0',
  '\ufeff', // byte-order mark: gpt-tokenizer decodes merged bytes and drops a leading one
  "'ll",
  "'S",
  "don't",
  'HELLO',
  'Hello',
  'hello',
  '12345',
  '3.14',
  '//',
  '...',
  '!!!',
  '😀',
  '👨‍👩‍👧‍👦',
  'é',
  'e\u0301',
  'Привет',
  'مرحبا',
  'こんにちは',
  '한국어',
  '人工智能',
  '的',
  '龘',
  '。',
  '，',
  '\ud800', // lone surrogates become U+FFFD bytes
  '\udc00',
];

const trickyText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    ),
    { maxLength: 60 },
  )
  .map((xs) => xs.join(''));

/** Long runs of Chinese characters (common and rare) with no punctuation: the heap path. */
const HAN = '人工智能大语言模型上下文窗口训练数据参数注意力机制我们可以需要的是了在龘靐齉爩鱻麤';
const longHan = fc
  .array(fc.integer({ min: 0, max: [...HAN].length - 1 }), { minLength: 20, maxLength: 700 })
  .map((xs) => xs.map((i) => [...HAN][i]).join(''));

describe.each(NAMES)('%s: llm-tutor BPE encoder = gpt-tokenizer', (name) => {
  const ours = getTokenizer(name);
  const ref = getReferenceTokenizer(name);

  it('gives the same ids and counts on random zh / en / mixed / emoji text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(ours.encode(text)).toEqual(ref.encode(text));
        expect(ours.count(text)).toBe(ref.count(text));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same ids on tricky text (whitespace, contractions, BOM, lone surrogates)', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        expect(ours.encode(text)).toEqual(ref.encode(text));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same ids on long Chinese runs', () => {
    fc.assert(
      fc.property(longHan, (text) => {
        expect(ours.encode(text)).toEqual(ref.encode(text));
      }),
      { numRuns: 40 },
    );
  });

  it('known values', () => {
    expect(ours.encode('hello world')).toEqual(ref.encode('hello world'));
    expect(ours.count('')).toBe(0);
    expect(ours.encode('')).toEqual([]);
    // A BOM before a newline: gpt-tokenizer's quirk is reproduced, not "fixed".
    expect(ours.encode('\ufeff\n\ufeff//x')).toEqual(ref.encode('\ufeff\n\ufeff//x'));
    expect(ours.count('<|endoftext|>')).toBe(ref.count('<|endoftext|>'));
  });
});

describe.each(NAMES)('%s: scan, extend and countRange', (name) => {
  const t = getTokenizer(name);
  const bpe = t.bpe;
  if (!bpe) throw new Error(`${name} should use the BPE encoder`);

  const textAndRanges = fc.oneof(anyText, trickyText).chain((text) =>
    fc.record({
      text: fc.constant(text),
      a: fc.nat({ max: text.length }),
      b: fc.nat({ max: text.length }),
      c: fc.nat({ max: text.length }),
      d: fc.nat({ max: text.length }),
    }),
  );

  it('countRange equals counting the slice on its own, for any range inside a scan', () => {
    fc.assert(
      fc.property(textAndRanges, ({ text, a, b, c, d }) => {
        const [from, s, e, to] = [a, b, c, d].sort((x, y) => x - y) as [
          number,
          number,
          number,
          number,
        ];
        const scan = new ScanResult();
        bpe.scan(text, from, to, scan);
        const cache = new PieceCache();
        const want = t.count(text.slice(s, e));
        expect(bpe.countRange(text, s, e, scan, cache)).toBe(want);
        expect(bpe.countRange(text, s, e, scan, cache)).toBe(want); // from the cache
        expect(scan.tokens).toBe(t.count(text.slice(from, to)));
      }),
      { numRuns: 300 },
    );
  });

  it('extending a scan step by step equals one scan; dropping a prefix keeps counts exact', () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.nat({ max: 2000 }), { maxLength: 6 }), (text, steps) => {
        const whole = new ScanResult();
        bpe.scan(text, 0, text.length, whole);
        const part = new ScanResult();
        part.reset(0);
        for (const to of [...steps].sort((x, y) => x - y)) {
          bpe.extend(text, Math.min(to, text.length), part);
        }
        bpe.extend(text, text.length, part);
        expect(part.tokens).toBe(whole.tokens);
        expect([...part.cutPos.slice(0, part.cuts)]).toEqual([
          ...whole.cutPos.slice(0, whole.cuts),
        ]);
        expect([...part.pieceEnd.slice(0, part.pieces)]).toEqual([
          ...whole.pieceEnd.slice(0, whole.pieces),
        ]);
        // Drop the first half: ranges after it still count exactly.
        const mid = text.length >> 1;
        part.dropBefore(mid);
        const s = part.base + part.startPos;
        expect(s).toBeLessThanOrEqual(mid);
        expect(bpe.countRange(text, s, text.length, part)).toBe(t.count(text.slice(s)));
      }),
      { numRuns: 200 },
    );
  });
});
