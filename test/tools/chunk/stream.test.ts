import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/corpus.js';
import {
  type Chunk,
  type ChunkOptions,
  chunkStream,
  splitText,
} from '../../../src/tools/chunk/index.js';
import { anyText, sizes } from './arbitraries.js';

async function* pieces(text: string, cuts: number[]): AsyncGenerator<string> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const p = Math.min(text.length, c);
    if (p > at) yield text.slice(at, p);
    at = Math.max(at, p);
  }
  if (at < text.length) yield text.slice(at);
}

async function collect(input: AsyncIterable<string>, options: ChunkOptions): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const c of chunkStream(input, options)) out.push(c);
  return out;
}

describe('chunkStream', () => {
  it('equals splitText on random text cut into random pieces (chars)', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyText,
        sizes(1, 80),
        fc.array(fc.nat({ max: 3000 }), { maxLength: 12 }),
        async (text, { size, overlap }, cuts) => {
          // Cuts may fall inside surrogate pairs: the stream must still agree.
          const got = await collect(pieces(text, cuts), { size, overlap });
          expect(got).toEqual(splitText(text, { size, overlap }));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('equals splitText on a 3 MB document fed in 64 KB pieces, with a bounded buffer', async () => {
    const text = generateCorpus('zh', 1_500_000, 5) + generateCorpus('en', 1_500_000, 5);
    const cuts: number[] = [];
    for (let p = 65_536; p < text.length; p += 65_536) cuts.push(p);
    const options = { size: 500, overlap: 50 };
    const got = await collect(pieces(text, cuts), options);
    const want = splitText(text, options);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
  });

  it('equals splitText in token mode (same tokenizer windows)', async () => {
    const text = generateCorpus('en', 200_000, 9) + generateCorpus('zh', 200_000, 9);
    const cuts: number[] = [];
    for (let p = 10_000; p < text.length; p += 10_000) cuts.push(p);
    const options = { size: 128, overlap: 16, unit: 'tokens' as const };
    expect(await collect(pieces(text, cuts), options)).toEqual(splitText(text, options));
  });

  it('waits for the end of a grapheme cluster longer than its look-ahead', async () => {
    const text = `Before. a${'\u0301'.repeat(40_000)} after.`;
    const cuts: number[] = [];
    for (let p = 1000; p < text.length; p += 1000) cuts.push(p);
    const options = { size: 20, overlap: 4 };
    const got = await collect(pieces(text, cuts), options);
    expect(got).toEqual(splitText(text, options));
    expect(got.filter((c) => c.oversized).map((c) => c.size)).toEqual([40_001]);
  });

  it('rejects invalid options like splitText', async () => {
    await expect(collect(pieces('abc', []), { size: 5, overlap: 5 })).rejects.toThrow(RangeError);
  });
});
