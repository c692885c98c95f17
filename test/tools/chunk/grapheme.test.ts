/**
 * The splitter's grapheme-cluster rules against Intl.Segmenter (the runtime's ICU), the oracle:
 * every break the rules allow must be a real break; flags, Hangul syllables, Indic conjuncts
 * and emoji ZWJ sequences must come out exactly as the segmenter cuts them; the tables the
 * rules carry (prepend marks, conjunct linkers, controls) must agree with the runtime.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONJUNCT_LINKERS,
  graphemeEnd,
  isControl,
  isGraphemeBreak,
  isPrepend,
} from '../../../src/tools/chunk/grapheme.js';
import { splitText } from '../../../src/tools/chunk/index.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const segments = (s: string) => [...segmenter.segment(s)].map((x) => x.segment);
const oneCluster = (s: string) => segments(s).length === 1;

/** Positions 1..n-1 where Intl.Segmenter breaks. */
function oracle(text: string): Set<number> {
  const set = new Set<number>();
  for (const s of segmenter.segment(text)) if (s.index > 0) set.add(s.index);
  return set;
}
function ours(text: string): Set<number> {
  const set = new Set<number>();
  for (let p = 1; p < text.length; p++) if (isGraphemeBreak(text, p)) set.add(p);
  return set;
}

const FLAGS = ['🇨', '🇳', '🇺', '🇸', '🇫', '🇷'];
const HANGUL = ['\u1100', '\u1161', '\u11a8', '가', '각', '\ua960', '\ud7b0', '\ud7cb', 'ᄀ'];
const INDIC = ['क', 'ष', '्', 'ि', 'ं', 'স', '্', 'ক', 'က', '္', 'ក', '្', 'த', '்', '\u200d'];
const EMOJI = ['😀', '👨', '👩', '❤', '\ufe0f', '\u200d', '🏽', '©', '\u20e3', '1', '#'];
const OTHER = [
  'a',
  ' ',
  '\r',
  '\n',
  '中',
  '\u0301',
  '\u0308',
  'ำ',
  'ก',
  '\u0600',
  '\u{110bd}',
  '\u200b',
  '\u2028',
  '\ufeff',
  '\u0085',
  '\ud800',
  '\udc00',
  '\u{e0061}',
  '\u{e007f}',
  '\u102b',
  'ා',
];
const text = (pieces: readonly string[], max = 40) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: max }).map((xs) => xs.join(''));

describe('grapheme breaks', () => {
  it('pairs regional indicators into flags', () => {
    const flags = '🇨🇳🇺🇸🇫';
    expect(ours(flags)).toEqual(new Set([4, 8]));
    expect(ours(`a${flags}🇷b`)).toEqual(oracle(`a${flags}🇷b`));
    expect(graphemeEnd(flags, 0)).toBe(4);
    expect(graphemeEnd(flags, 8)).toBe(10);
  });

  it('never allows a break the segmenter does not make (any text)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text([...FLAGS, ...HANGUL, ...INDIC, ...EMOJI, ...OTHER], 60),
          fc.string({ unit: 'binary', maxLength: 30 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }),
        ),
        (s) => {
          const real = oracle(s);
          for (const p of ours(s)) expect(real.has(p), `${JSON.stringify(s)} @${p}`).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it.each([
    ['flags', [...FLAGS, 'a', ' ', '😀']],
    ['Hangul', [...HANGUL, 'a']],
    ['Indic conjuncts', [...INDIC, 'a', ' ']],
    ['emoji ZWJ sequences', [...EMOJI, 'a']],
  ])('cuts %s exactly as the segmenter does', (_name, pieces) => {
    fc.assert(
      fc.property(text(pieces), (s) => {
        expect(ours(s), JSON.stringify(s)).toEqual(oracle(s));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps long clusters whole and finds their end in linear time', () => {
    const marks = `a${'\u0301'.repeat(100_000)}b`;
    expect(graphemeEnd(marks, 0)).toBe(100_001);
    const conjunct = `${'क्'.repeat(50_000)}क a`;
    expect(graphemeEnd(conjunct, 0)).toBe(100_001);
    const flags = '🇨🇳'.repeat(50_000);
    let cuts = 0;
    for (let p = 1; p < flags.length; p++) if (isGraphemeBreak(flags, p)) cuts++;
    expect(cuts).toBe(49_999);
  });

  it("agrees with the runtime's Unicode data (linkers, prepend marks, controls)", () => {
    const linkers: number[] = [];
    const prepend: number[] = [];
    for (let cp = 0x300; cp < 0x12000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (/\p{M}/u.test(ch) && oneCluster(`क${ch}क`)) linkers.push(cp);
      if (oneCluster(`${ch}a`)) prepend.push(cp);
    }
    expect(linkers).toEqual([...CONJUNCT_LINKERS].filter((cp) => cp < 0x12000));
    expect(prepend.filter((cp) => !isPrepend(cp))).toEqual([]);
    for (const cp of prepend) expect(isPrepend(cp)).toBe(true);
    for (let cp = 0; cp < 0x10000; cp++) {
      if (!isControl(cp) || (cp >= 0xd800 && cp <= 0xdfff)) continue;
      const ch = String.fromCharCode(cp);
      // A control stands alone: after a prepend mark, before a combining mark.
      expect(segments(`\u0600${ch}\u0301`), cp.toString(16)).toHaveLength(3);
    }
  });
});

describe('splitText keeps flags and clusters whole', () => {
  it('never cuts a flag in half, whatever the size', () => {
    const flags = '🇨🇳🇺🇸🇫🇷🇯🇵🇩🇪'.repeat(20);
    for (const size of [1, 2, 3, 5, 7]) {
      for (const c of splitText(flags, { size, overlap: 0 })) {
        expect(segments(c.text).join(''), `size ${size}`).toBe(c.text);
        expect(c.start % 4, `size ${size} start ${c.start}`).toBe(0);
        expect(c.end % 4, `size ${size} end ${c.end}`).toBe(0);
      }
    }
  });
});
