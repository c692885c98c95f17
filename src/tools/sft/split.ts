/**
 * `/sft split=80/10/10`: which split each record goes to. Deterministic for a seed; a cluster
 * of duplicates (exact or near, from the analysis) always lands in one split, so nothing leaks
 * from train into test; with a stratify field every value gets the ratios on its own; with
 * `dedupe` only the first record of each cluster is kept.
 */
import type { SftAnalysis } from './analyze.js';
import { mix32 } from './minhash.js';
import { RecordScanner } from './records.js';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
/** `assignment` value of a record that is not written (malformed, or a dropped duplicate). */
export const NOT_WRITTEN = 255;

export interface SplitPlan {
  /** Per record (file order): 0 train, 1 validation, 2 test, NOT_WRITTEN. */
  assignment: Uint8Array;
  counts: Record<SplitName, number>;
  /** Duplicates dropped by `dedupe`. */
  dropped: number;
}

export interface SplitOptions {
  /** Shares of train, validation and test, summing to 1. */
  ratios: readonly [number, number, number];
  seed: number;
  dedupe: boolean;
}

export type ParsedRatios =
  | { ok: true; ratios: [number, number, number] }
  | { ok: false; en: string; zh: string };

/** `80/10/10`, `90/5/5`, `0.8/0.1/0.1` or `90/10` (no test set) as three shares of 1. */
export function parseRatios(text: string): ParsedRatios {
  const parts = text.split(/[/:,]/).map((p) => p.trim());
  const nums = parts.map(Number);
  const bad = {
    ok: false as const,
    en: `split=${text} is not a ratio: write train/validation/test as percentages, e.g. split=80/10/10 or split=90/5/5`,
    zh: `split=${text} 不是有效的比例：请写成 训练/验证/测试 的百分比，例如 split=80/10/10 或 split=90/5/5`,
  };
  if (parts.length < 2 || parts.length > 3 || nums.some((x) => !Number.isFinite(x) || x < 0))
    return bad;
  const sum = nums.reduce((a, b) => a + b, 0);
  const scale = Math.abs(sum - 100) < 1e-6 ? 100 : Math.abs(sum - 1) < 1e-9 ? 1 : 0;
  if (scale === 0 || (nums[0] ?? 0) === 0) {
    return {
      ok: false,
      en: `split=${text} adds up to ${sum}; the parts must add up to 100 (or 1), with a train share above 0`,
      zh: `split=${text} 加起来是 ${sum}；各部分之和应为 100（或 1），且训练集比例大于 0`,
    };
  }
  const [train = 0, validation = 0, test = 0] = nums.map((x) => x / scale);
  return { ok: true, ratios: [train, validation, test] };
}

/** Plan the split of an analysed file. */
export function planSplit(analysis: SftAnalysis, options: SplitOptions): SplitPlan {
  const { count: n, flags, strata, clusters } = analysis;
  const assignment = new Uint8Array(n).fill(NOT_WRITTEN);
  // weight of each cluster (indexed by its root): its records, or 1 when deduplicating
  const weight = new Uint32Array(n);
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    if (!((flags[i] as number) & 1)) continue;
    const r = clusters.find(i);
    if (options.dedupe && r !== i) dropped++;
    else weight[r] = (weight[r] as number) + 1;
  }
  const byStratum = new Map<number, number[]>();
  for (let r = 0; r < n; r++) {
    if (weight[r] === 0) continue;
    const s = strata[r] as number;
    const list = byStratum.get(s);
    if (list) list.push(r);
    else byStratum.set(s, [r]);
  }
  const counts: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  const seed = mix32(options.seed | 0) ^ 0x6b43a9b5;
  for (const roots of byStratum.values()) {
    assignStratum(roots, weight, seed, options.ratios, assignment, counts);
  }
  for (let i = 0; i < n; i++) {
    if (!((flags[i] as number) & 1)) continue;
    const r = clusters.find(i);
    if (!options.dedupe || r === i) assignment[i] = assignment[r] as number;
    if (options.dedupe && r !== i) assignment[i] = NOT_WRITTEN;
  }
  return { assignment, counts, dropped };
}

/**
 * Shuffle one stratum's clusters by a seeded hash, then give each cluster to the split that is
 * furthest below its target share.
 */
function assignStratum(
  roots: number[],
  weight: Uint32Array,
  seed: number,
  ratios: readonly [number, number, number],
  assignment: Uint8Array,
  counts: Record<SplitName, number>,
): void {
  const key = (r: number) => mix32(Math.imul(r + 1, 0x9e3779b1) ^ seed);
  roots.sort((x, y) => key(x) - key(y) || x - y);
  let total = 0;
  for (const r of roots) total += weight[r] as number;
  const filled = [0, 0, 0];
  for (const r of roots) {
    let best = -1;
    let bestDeficit = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < 3; s++) {
      const share = ratios[s] as number;
      if (share <= 0) continue;
      const deficit = (share * total - (filled[s] as number)) / share;
      if (deficit > bestDeficit) {
        bestDeficit = deficit;
        best = s;
      }
    }
    const w = weight[r] as number;
    filled[best] = (filled[best] as number) + w;
    assignment[r] = best;
    counts[SPLIT_NAMES[best] as SplitName] += w;
  }
}

/**
 * The second pass: read the same input again and hand every kept record, as one JSONL line,
 * to `sink` with its split. Records are counted exactly as in the first pass.
 */
export class SplitRouter {
  private readonly scanner: RecordScanner;
  private index = 0;

  constructor(plan: SplitPlan, sink: (split: SplitName, line: string) => void) {
    this.scanner = new RecordScanner((text) => {
      const s = plan.assignment[this.index++];
      if (s === undefined || s === NOT_WRITTEN) return;
      const line = text.includes('\n') ? JSON.stringify(JSON.parse(text)) : text;
      sink(SPLIT_NAMES[s] as SplitName, line);
    });
  }

  push(piece: string): void {
    this.scanner.push(piece);
  }

  end(): void {
    this.scanner.end();
  }
}
