import { tokenCuts } from '../tokens/offsets.js';
import type { Tokenizer } from '../tokens/registry.js';
import { isHigh, isLow } from './text.js';

/**
 * Measures text in the requested unit. `reach`/`reachBack` are fast estimates used to find
 * the window of a chunk; `measure` is the exact size of a piece of text on its own.
 */
export interface Meter {
  /** Whether `measure` always agrees with `reach` (no verification needed). */
  readonly exact: boolean;
  /** Extra text (UTF-16 units) a streaming caller must hold after the previous chunk start. */
  lookahead(size: number): number;
  setText(text: string): void;
  /** Called before each chunk with the previous chunk's start and end. */
  prepare(prevStart: number, prevEnd: number): void;
  /** Largest end `e >= s` whose size from `s` is at most `units` (estimate). */
  reach(s: number, units: number): number;
  /** Smallest start `b <= e` whose size up to `e` is at most `units` (estimate). */
  reachBack(e: number, units: number): number;
  /** Exact size of `text[s, e)` counted on its own. */
  measure(s: number, e: number): number;
  /** The text lost its first `k` units (streaming). */
  shift(k: number): void;
}

/**
 * Characters are Unicode code points; a surrogate pair counts once and is never split.
 * Keeps the sorted positions of surrogate pairs so sizes are O(log pairs), not O(length).
 */
export class CharMeter implements Meter {
  readonly exact = true;
  private text = '';
  private pairs = new Int32Array(64);
  private np = 0;
  private scanned = 0;

  lookahead(size: number): number {
    return 4 * 2 * size + 256;
  }

  /** The text grew (or is new): index the surrogate pairs not seen yet. */
  setText(text: string): void {
    if (text.length < this.text.length) {
      this.np = 0;
      this.scanned = 0;
    }
    this.text = text;
    const from = Math.max(0, this.scanned - 1);
    while (this.np > 0 && (this.pairs[this.np - 1] ?? 0) >= from) this.np--;
    HIGH_RE.lastIndex = from;
    for (let m = HIGH_RE.exec(text); m; m = HIGH_RE.exec(text)) {
      if (!isLow(text.charCodeAt(m.index + 1))) continue;
      if (this.np === this.pairs.length) {
        const grown = new Int32Array(this.pairs.length * 2);
        grown.set(this.pairs);
        this.pairs = grown;
      }
      this.pairs[this.np++] = m.index;
    }
    this.scanned = text.length;
  }

  prepare(): void {}

  shift(k: number): void {
    let drop = 0;
    while (drop < this.np && (this.pairs[drop] ?? 0) < k) drop++;
    this.pairs.copyWithin(0, drop, this.np);
    this.np -= drop;
    for (let i = 0; i < this.np; i++) this.pairs[i] = (this.pairs[i] ?? 0) - k;
    this.scanned = Math.max(0, this.scanned - k);
  }

  /** Number of pair starts `< x`. */
  private before(x: number): number {
    let lo = 0;
    let hi = this.np;
    const pairs = this.pairs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((pairs[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Pairs wholly inside `[s, e)`. */
  private pairsIn(s: number, e: number): number {
    if (this.np === 0 || e - s < 2) return 0;
    return this.before(e - 1) - this.before(s);
  }

  reach(s: number, units: number): number {
    const text = this.text;
    const n = text.length;
    let e = Math.min(n, s + units);
    for (;;) {
      const e2 = Math.min(n, s + units + this.pairsIn(s, e));
      if (e2 === e) break;
      e = e2;
    }
    if (e < n && e > 0 && isLow(text.charCodeAt(e)) && isHigh(text.charCodeAt(e - 1))) e++;
    return e;
  }

  reachBack(e: number, units: number): number {
    const text = this.text;
    let b = Math.max(0, e - units);
    for (;;) {
      const b2 = Math.max(0, e - units - this.pairsIn(b, e));
      if (b2 === b) break;
      b = b2;
    }
    if (b > 0 && isLow(text.charCodeAt(b)) && isHigh(text.charCodeAt(b - 1))) b--;
    return b;
  }

  measure(s: number, e: number): number {
    return e - s - this.pairsIn(s, e);
  }
}

const HIGH_RE = /[\uD800-\uDBFF]/g;

/**
 * Tokens: a block of the text (from the previous chunk's start, `window` units long) is
 * tokenized once and every token end is mapped to a string index; windows are found from
 * those offsets, and each chunk is then counted on its own text by the caller.
 */
export class TokenMeter implements Meter {
  readonly exact = false;
  private text = '';
  private b0 = 0;
  private b1 = -1;
  private cuts: { pos: Int32Array; cum: Int32Array; length: number } | undefined;
  private readonly window: number;

  constructor(
    private readonly tokenizer: Tokenizer,
    size: number,
  ) {
    this.window = Math.max(65536, 128 * size);
  }

  lookahead(): number {
    return this.window + 256;
  }
  setText(text: string): void {
    this.text = text;
  }
  shift(k: number): void {
    this.b0 -= k;
    this.b1 -= k;
  }

  prepare(prevStart: number, prevEnd: number): void {
    const n = this.text.length;
    const valid =
      this.cuts !== undefined &&
      prevStart >= this.b0 &&
      (this.b1 >= n || prevEnd + this.window / 4 <= this.b1);
    if (valid) return;
    const b0 = prevStart;
    let b1 = Math.min(n, b0 + this.window);
    if (b1 < n && isLow(this.text.charCodeAt(b1)) && isHigh(this.text.charCodeAt(b1 - 1))) b1--;
    this.b0 = b0;
    this.b1 = b1;
    this.cuts = tokenCuts(this.text.slice(b0, b1), this.tokenizer);
  }

  /** Index of the last cut at or before local position `p`. */
  private cutAtOrBefore(p: number): number {
    const cuts = this.cuts;
    if (!cuts) return 0;
    let lo = 0;
    let hi = cuts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((cuts.pos[mid] ?? 0) <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  reach(s: number, units: number): number {
    const cuts = this.cuts;
    if (!cuts || s < this.b0) return s;
    const local = s - this.b0;
    const j0 = this.cutAtOrBefore(local);
    const base = cuts.cum[j0] ?? 0;
    let j = j0;
    while (j + 1 < cuts.length && (cuts.cum[j + 1] ?? 0) - base <= units) j++;
    return Math.max(s, this.b0 + (cuts.pos[j] ?? 0));
  }

  reachBack(e: number, units: number): number {
    const cuts = this.cuts;
    if (!cuts || e <= this.b0) return e;
    const local = e - this.b0;
    let j1 = this.cutAtOrBefore(local);
    if ((cuts.pos[j1] ?? 0) < local && j1 + 1 < cuts.length) j1++;
    const top = cuts.cum[j1] ?? 0;
    let j = j1;
    while (j > 0 && top - (cuts.cum[j - 1] ?? 0) <= units) j--;
    return Math.min(e, this.b0 + (cuts.pos[j] ?? 0));
  }

  measure(s: number, e: number): number {
    return this.tokenizer.count(this.text.slice(s, e));
  }
}
