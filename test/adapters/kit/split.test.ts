/** The kit's splitting loop and break search, with both platforms' kinds of rule. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastBreak, splitWith } from '../../../src/adapters/kit/split.js';

const hard = { cut: (_s: string, max: number) => max };

describe('lastBreak', () => {
  it('finds the best separator first, within max and past the floor', () => {
    expect(lastBreak('aaaaaa\n\nbb\ncccc', 12, ['\n\n', '\n'])).toBe(8);
    expect(lastBreak('aaaa bbbb\ncccc', 12, ['\n\n', '\n'])).toBe(10);
    expect(lastBreak('aaaa bbbb', 8, ['\n', ' '])).toBe(5);
  });

  it('is -1 when no separator leaves a piece of at least the floor', () => {
    expect(lastBreak('a bbbbbbbbbbbb', 12, [' '])).toBe(-1);
    expect(lastBreak('', 12, [' '])).toBe(-1);
    expect(lastBreak('abcdefghijklmnop', 12, [])).toBe(-1);
  });
});

describe('splitWith', () => {
  it('keeps every character when not trimming', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (s, max) => {
        const pieces = splitWith(s, max, hard);
        expect(pieces.join('')).toBe(s);
        for (const p of pieces) expect(p.length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('drops whitespace at the cuts and empty pieces when trimming', () => {
    const rule = {
      cut: (s: string, max: number) => Math.max(1, lastBreak(s, max, [' '])),
      trim: true,
    };
    expect(splitWith('aaaa    \n\nbbbb', 6, rule)).toEqual(['aaaa', 'bbbb']);
    expect(splitWith('   ', 2, rule)).toEqual([]);
    expect(splitWith('', 5, rule)).toEqual([]);
  });

  it('returns short text whole, and nothing for empty text', () => {
    expect(splitWith('abc', 5, hard)).toEqual(['abc']);
    expect(splitWith('', 5, hard)).toEqual([]);
  });
});
