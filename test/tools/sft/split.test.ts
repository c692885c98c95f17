import { describe, expect, it } from 'vitest';
import {
  NOT_WRITTEN,
  parseRatios,
  planSplit,
  type SftAnalysis,
  SftAnalyzer,
  SPLIT_NAMES,
  SplitRouter,
} from '../../../src/tools/sft/index.js';

/** A seeded dataset: distinct records plus near-duplicate copies (one word changed). */
function dataset(n: number, seed = 1): { text: string; copies: [number, number][] } {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const words = [
    'model',
    'token',
    'layer',
    'batch',
    'loss',
    'data',
    'rank',
    'head',
    'step',
    'norm',
  ];
  const lines: string[] = [];
  const copies: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (i > 10 && rand() < 0.15) {
      const j = Math.floor(rand() * lines.length);
      lines.push((lines[j] as string).replace('#', '# '));
      copies.push([j, i]);
      continue;
    }
    const sentence = Array.from({ length: 40 }, () => words[Math.floor(rand() * 10)]).join(' ');
    const category = ['qa', 'code', 'chat'][i % 3];
    lines.push(
      JSON.stringify({ instruction: `Task #${i}: ${sentence}`, output: sentence, category }),
    );
  }
  return { text: lines.join('\n'), copies };
}

function analysis(text: string, stratify?: string): SftAnalysis {
  const a = new SftAnalyzer({ tokenizer: 'o200k', maxLen: 4096, stratify });
  a.push(text);
  return a.finish();
}

describe('parseRatios', () => {
  it('accepts percentages, fractions and two parts', () => {
    expect(parseRatios('80/10/10')).toEqual({ ok: true, ratios: [0.8, 0.1, 0.1] });
    expect(parseRatios('0.9/0.05/0.05')).toMatchObject({ ok: true });
    expect(parseRatios('90/10')).toEqual({ ok: true, ratios: [0.9, 0.1, 0] });
  });
  it('refuses what is not a ratio, with the reason', () => {
    for (const bad of ['abc', '80', '80/10/5', '0/50/50', '80/-10/30', '1/2/3/4', '']) {
      const r = parseRatios(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.en).toMatch(/split=/);
    }
    const r = parseRatios('80/10/5');
    expect(!r.ok && r.en).toMatch(/adds up to 95/);
  });
});

describe('planSplit', () => {
  const { text, copies } = dataset(1200);
  const a = analysis(text, 'category');

  it('is deterministic for a seed and changes with the seed', () => {
    const options = { ratios: [0.8, 0.1, 0.1] as const, seed: 7, dedupe: false };
    const one = planSplit(a, options).assignment;
    const two = planSplit(analysis(text, 'category'), options).assignment;
    expect(Array.from(two)).toEqual(Array.from(one));
    const other = planSplit(a, { ...options, seed: 8 }).assignment;
    expect(Array.from(other)).not.toEqual(Array.from(one));
  });

  it('hits the ratios and never puts a near-duplicate pair on both sides', () => {
    expect(a.report.duplicates.near.count).toBeGreaterThan(100);
    for (const seed of [1, 2, 3]) {
      const plan = planSplit(a, { ratios: [0.8, 0.1, 0.1], seed, dedupe: false });
      const total = plan.counts.train + plan.counts.validation + plan.counts.test;
      expect(total).toBe(1200);
      expect(plan.counts.train / total).toBeCloseTo(0.8, 1);
      expect(plan.counts.test / total).toBeCloseTo(0.1, 1);
      for (const [x, y] of copies) expect(plan.assignment[y]).toBe(plan.assignment[x]);
    }
  });

  it('stratifies: each category gets the ratios', () => {
    const plan = planSplit(a, { ratios: [0.5, 0.25, 0.25], seed: 3, dedupe: false });
    const per = new Map<string, number[]>();
    text.split('\n').forEach((line, i) => {
      const c = (JSON.parse(line) as { category: string }).category;
      const counts = per.get(c) ?? [0, 0, 0];
      counts[plan.assignment[i] as number]! += 1;
      per.set(c, counts);
    });
    for (const [, [train = 0, val = 0, test = 0]] of per) {
      const total = train + val + test;
      expect(train / total).toBeCloseTo(0.5, 1);
      expect(val / total).toBeCloseTo(0.25, 1);
    }
  });

  it('dedupe keeps the first record of every cluster only', () => {
    const plan = planSplit(a, { ratios: [0.8, 0.1, 0.1], seed: 1, dedupe: true });
    expect(plan.dropped).toBe(copies.length);
    for (const [, y] of copies) expect(plan.assignment[y]).toBe(NOT_WRITTEN);
  });

  it('a two-part split leaves test empty; malformed records are never written', () => {
    const broken = analysis(`${text}\n{not json`);
    const plan = planSplit(broken, { ratios: [0.9, 0.1, 0], seed: 1, dedupe: false });
    expect(plan.counts.test).toBe(0);
    expect(plan.assignment[1200]).toBe(NOT_WRITTEN);
  });
});

describe('SplitRouter', () => {
  it('writes every kept record once, as one line, whatever the piece sizes', () => {
    const array = `[\n${['{"instruction": "a",\n "output": "b"}', '{"instruction":"c","output":"d"}'].join(',\n')}\n]`;
    const a = new SftAnalyzer({ tokenizer: 'o200k', maxLen: 100 });
    a.push(array);
    const plan = planSplit(a.finish(), { ratios: [0.5, 0.5, 0], seed: 1, dedupe: false });
    const out: Record<string, string[]> = { train: [], validation: [], test: [] };
    const router = new SplitRouter(plan, (s, line) => out[s]!.push(line));
    for (const ch of array) router.push(ch);
    router.end();
    const all = SPLIT_NAMES.flatMap((s) => out[s]!);
    expect(all.sort()).toEqual([
      '{"instruction":"a","output":"b"}',
      '{"instruction":"c","output":"d"}',
    ]);
  });
});
