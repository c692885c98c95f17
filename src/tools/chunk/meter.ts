import { tokenCuts } from '../tokens/offsets.js';
import type { Tokenizer } from '../tokens/registry.js';
import { PieceCache, ScanResult } from '../tokens/scan.js';
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
  private hint = 0;

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
    // `test` finds the next pair without allocating a match. An astral class with the `u` flag
    // measured about 30 % faster than the two-unit pattern [\uD800-\uDBFF][\uDC00-\uDFFF], which
    // was twice as fast as a high-surrogate class followed by a check of the next unit.
    PAIR_RE.lastIndex = from;
    while (PAIR_RE.test(text)) {
      const i = PAIR_RE.lastIndex - 2;
      // With `u`, a search from inside a pair starts at the pair: one indexed already.
      if (i < from) continue;
      if (this.np === this.pairs.length) {
        const grown = new Int32Array(this.pairs.length * 2);
        grown.set(this.pairs);
        this.pairs = grown;
      }
      this.pairs[this.np++] = i;
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

  /** Number of pair starts `< x` (queries move forward: start from the last answer). */
  private before(x: number): number {
    const pairs = this.pairs;
    const np = this.np;
    let lo = 0;
    let hi = np;
    let k = Math.min(this.hint, np);
    if (k > 0 && (pairs[k - 1] as number) >= x) {
      // Walk back a few pairs (queries jump back by about a chunk), else search below k.
      for (let steps = 0; k > 0 && (pairs[k - 1] as number) >= x && steps < 8; steps++) k--;
      if (k === 0 || (pairs[k - 1] as number) < x) {
        this.hint = k;
        return k;
      }
      hi = k - 1;
    } else {
      for (let steps = 0; k < np && (pairs[k] as number) < x; steps++, k++) {
        if (steps === 8) break;
      }
      if (k === np || (pairs[k] as number) >= x) {
        this.hint = k;
        return k;
      }
      lo = k;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((pairs[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    this.hint = lo;
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
    let e = s + units;
    if (this.np > 0) {
      // Each pair inside the window is one character in two units: widen by one per pair.
      const pairs = this.pairs;
      const np = this.np;
      for (let k = this.before(s); k < np && (pairs[k] as number) + 2 <= e; k++) e++;
    }
    if (e > n) e = n;
    if (e < n && e > 0 && isLow(text.charCodeAt(e)) && isHigh(text.charCodeAt(e - 1))) e++;
    return e;
  }

  reachBack(e: number, units: number): number {
    const text = this.text;
    let b = e - units;
    if (this.np > 0 && e >= 2) {
      const pairs = this.pairs;
      for (let k = this.before(e - 1) - 1; k >= 0 && (pairs[k] as number) >= b; k--) b--;
    }
    if (b < 0) b = 0;
    if (b > 0 && isLow(text.charCodeAt(b)) && isHigh(text.charCodeAt(b - 1))) b--;
    return b;
  }

  measure(s: number, e: number): number {
    return e - s - this.pairsIn(s, e);
  }
}

/** A surrogate pair: one astral code point (`u`), two UTF-16 units. */
const PAIR_RE = /[\u{10000}-\u{10FFFF}]/gu;

/**
 * Tokens: the text is tokenized once, in a sliding block (from the previous chunk's start,
 * `window` units long, extended as chunks advance), and every token end is mapped to a string
 * index; chunk windows are found from those offsets. Each chunk is then counted exactly on its
 * own text: with llm-tutor's BPE encoder (o200k, cl100k) by reusing the block's pre-tokenized
 * pieces that the chunk's own pre-tokenization shares (only the pieces at its two ends are
 * tokenized again); with other tokenizers (llama2) by tokenizing the chunk's text.
 */
export class TokenMeter implements Meter {
  readonly exact = false;
  private text = '';
  /** The block's cuts: absolute position `off + pos[j]` for j in `[from, length)`. */
  private pos: Int32Array = new Int32Array(0);
  private cum: Int32Array = new Int32Array(0);
  private from = 0;
  private length = 0;
  private off = 0;
  private b0 = 0;
  private b1 = -1;
  private ready = false;
  private readonly scan: ScanResult | undefined;
  private readonly pieces: PieceCache | undefined;
  private readonly window: number;
  // The last two exact measures (the engine asks for some twice).
  private m0s = -1;
  private m0e = -1;
  private m0v = 0;
  private m1s = -1;
  private m1e = -1;
  private m1v = 0;

  constructor(
    private readonly tokenizer: Tokenizer,
    size: number,
  ) {
    this.window = Math.max(16384, 32 * size);
    if (tokenizer.bpe) {
      this.scan = new ScanResult(16);
      this.pieces = new PieceCache();
    }
  }

  lookahead(): number {
    return this.window + 256;
  }
  setText(text: string): void {
    if (text !== this.text) this.m0s = this.m1s = -1;
    this.text = text;
  }
  shift(k: number): void {
    this.b0 -= k;
    this.b1 -= k;
    this.off -= k;
    if (this.scan) this.scan.base -= k;
    this.pieces?.clear();
    this.m0s = this.m1s = -1;
  }

  prepare(prevStart: number, prevEnd: number): void {
    const n = this.text.length;
    const valid =
      this.ready && prevStart >= this.b0 && (this.b1 >= n || prevEnd + this.window / 4 <= this.b1);
    if (valid) return;
    let b1 = Math.min(n, prevStart + this.window);
    if (b1 < n && isLow(this.text.charCodeAt(b1)) && isHigh(this.text.charCodeAt(b1 - 1))) b1--;
    const { scan, tokenizer } = this;
    if (scan && tokenizer.bpe) {
      // Slide the block: keep what was tokenized, drop what lies before the chunk, add the rest
      // (in place: at most one piece and one cut per unit of the block).
      if (!this.ready || prevStart < this.b0) {
        scan.reserve(b1 - prevStart + 64 + (b1 < n ? this.window >> 3 : 0));
        tokenizer.bpe.scan(this.text, prevStart, b1, scan);
      } else {
        scan.dropBefore(prevStart - scan.base);
        // The kept part starts at the last piece boundary before the chunk (a long piece, such
        // as a run of Chinese without punctuation, can start well before it).
        const need = b1 - (scan.base + scan.startPos) + 64;
        if (need > scan.capacity) scan.reserve(need + (this.window >> 3));
        tokenizer.bpe.extend(this.text, b1, scan);
      }
      this.pos = scan.cutPos;
      this.cum = scan.cutCum;
      this.from = scan.c0;
      this.length = scan.cuts;
      this.off = scan.base;
      this.b0 = scan.base + scan.startPos;
    } else {
      const cuts = tokenCuts(this.text.slice(prevStart, b1), tokenizer);
      this.pos = cuts.pos;
      this.cum = cuts.cum;
      this.from = 0;
      this.length = cuts.length;
      this.off = prevStart;
      this.b0 = prevStart;
      this.m0s = this.m1s = -1;
    }
    this.b1 = b1;
    this.ready = true;
  }

  /** Index of the last cut at or before local position `p`. */
  private cutAtOrBefore(p: number): number {
    const pos = this.pos;
    let lo = this.from;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((pos[mid] as number) <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  reach(s: number, units: number): number {
    if (!this.ready || s < this.b0) return s;
    const { pos, cum } = this;
    const j0 = this.cutAtOrBefore(s - this.off);
    const base = cum[j0] as number;
    // The last cut within `units` tokens of s.
    let lo = j0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((cum[mid] as number) - base <= units) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(s, this.off + (pos[lo] as number));
  }

  reachBack(e: number, units: number): number {
    if (!this.ready || e <= this.b0) return e;
    const { pos, cum } = this;
    const local = e - this.off;
    let j1 = this.cutAtOrBefore(local);
    if ((pos[j1] as number) < local && j1 + 1 < this.length) j1++;
    const top = cum[j1] as number;
    // The first cut within `units` tokens of e.
    let lo = this.from;
    let hi = j1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (top - (cum[mid] as number) <= units) hi = mid;
      else lo = mid + 1;
    }
    return Math.min(e, this.off + (pos[lo] as number));
  }

  measure(s: number, e: number): number {
    if (s === this.m0s && e === this.m0e) return this.m0v;
    if (s === this.m1s && e === this.m1e) return this.m1v;
    const { scan, tokenizer } = this;
    const v =
      scan && tokenizer.bpe
        ? tokenizer.bpe.countRange(this.text, s, e, scan, this.pieces)
        : tokenizer.count(this.text.slice(s, e));
    this.m1s = this.m0s;
    this.m1e = this.m0e;
    this.m1v = this.m0v;
    this.m0s = s;
    this.m0e = e;
    this.m0v = v;
    return v;
  }
}
