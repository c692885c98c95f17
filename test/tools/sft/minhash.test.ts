import { describe, expect, it } from 'vitest';
import {
  BINS,
  orderByKey,
  SignatureStore,
  sketchText,
  UnionFind,
} from '../../../src/tools/sft/minhash.js';

function shingles(s: string): Set<string> {
  const t = s.toLowerCase().replace(/\s+/g, ' ');
  const out = new Set<string>();
  for (let i = 0; i + 5 <= t.length; i++) out.add(t.slice(i, i + 5));
  return out;
}
function jaccard(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  let both = 0;
  for (const s of x) if (y.has(s)) both++;
  return both / (x.size + y.size - both);
}

function estimate(a: string, b: string): number {
  const store = new SignatureStore();
  const bins = new Uint32Array(BINS);
  sketchText(a, bins);
  store.add(bins);
  sketchText(b, bins);
  store.add(bins);
  return store.similarity(0, 1);
}

const base =
  'Packing puts several short examples into one sequence of the training length so no compute is spent on padding, and the loss mask must be packed along with the tokens.';

describe('one-permutation MinHash', () => {
  it('estimates Jaccard similarity of 5-shingles within sampling error', () => {
    const variants = [
      base,
      base.replace('several', 'many'),
      base.replace('short examples', 'brief samples'),
      base.slice(0, 90),
      `${base} ${base.split(' ').reverse().join(' ')}`,
      'A completely different sentence about learning rate warmup and cosine decay schedules.',
    ];
    for (const v of variants) {
      const truth = jaccard(base, v);
      expect(Math.abs(estimate(base, v) - truth)).toBeLessThan(0.2);
    }
    expect(estimate(base, base)).toBe(1);
  });

  it('ignores case and runs of whitespace, and counts scripts', () => {
    expect(estimate(base, base.toUpperCase().replace(/ /g, '  \n'))).toBe(1);
    const s = sketchText('大模型 fine-tuning 微调', new Uint32Array(BINS));
    expect(s.han).toBe(5);
    expect(s.latinWords).toBe(2);
    expect(sketchText('  \n ', new Uint32Array(BINS)).hasSignature).toBe(false);
    expect(sketchText('ab', new Uint32Array(BINS)).hasSignature).toBe(true);
  });
});

describe('helpers', () => {
  it('orderByKey sorts indices by key, ties by index', () => {
    const keys = Uint32Array.from([5, 1, 5, 0, 2 ** 32 - 1]);
    expect(Array.from(orderByKey(keys, 5))).toEqual([3, 1, 0, 2, 4]);
  });
  it('union-find roots are the smallest index', () => {
    const u = new UnionFind(6);
    u.union(4, 2);
    u.union(5, 4);
    u.union(3, 1);
    expect([0, 1, 2, 3, 4, 5].map((i) => u.find(i))).toEqual([0, 1, 2, 1, 2, 2]);
  });
});
