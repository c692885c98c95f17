/**
 * What the splitter keeps of a tokenized text: its pre-tokenized pieces (with token counts and
 * how far the pre-tokenizer looked for each) and its token cuts, in buffers that slide along a
 * long text; and a small cache of pieces counted again at chunk edges. Filled by
 * `BytePairEncoder.scan` / `extend`, read by `countRange` and the splitter's TokenMeter.
 */

/** A piece's dependency end when it may depend on the end of its text (never reused). */
export const UNBOUNDED = 0x3fffffff;

/**
 * The pre-tokenized pieces of a text (with their token counts) and its token cuts, as
 * `BytePairEncoder.scan` / `extend` fill them: the tokenization of `text[base, base + end)`
 * as a text of its own, kept from `startPos` on. Positions are relative to `base`. Buffers are
 * reused (they only grow), so a long text is scanned in a bounded amount of memory.
 */
export class ScanResult {
  /** Where the scanned text starts in the caller's string (relative position 0). */
  base = 0;
  /** End of the scanned text (relative). */
  end = 0;
  /** First position kept (a piece boundary, relative), and the tokens before it. */
  startPos = 0;
  startCum = 0;
  /** Pieces `[p0, pieces)`: end, tokens up to and including it, dependency end (relative). */
  pieceEnd: Int32Array;
  pieceCum: Int32Array;
  pieceDep: Int32Array;
  p0 = 0;
  pieces = 0;
  /** Token cuts `[c0, cuts)` (relative, increasing; `cutPos[c0] = startPos`), tokens up to each. */
  cutPos: Int32Array;
  cutCum: Int32Array;
  c0 = 0;
  cuts = 1;
  /** Tokens from `base` to `end`. */
  tokens = 0;

  /**
   * @param capacity pieces and cuts to make room for (each is at most one per UTF-16 unit of
   * the text kept, so a sliding scan of `w` units never needs more than `w + 1`).
   */
  constructor(capacity = 1024) {
    const n = Math.max(16, capacity);
    this.pieceEnd = new Int32Array(n);
    this.pieceCum = new Int32Array(n);
    this.pieceDep = new Int32Array(n);
    this.cutPos = new Int32Array(n);
    this.cutCum = new Int32Array(n);
  }

  /** Pieces and cuts there is room for. */
  get capacity(): number {
    return Math.min(this.pieceEnd.length, this.cutPos.length);
  }

  /** Make room for at least `capacity` pieces and cuts (buffers only grow). */
  reserve(capacity: number): void {
    if (this.pieceEnd.length < capacity) {
      this.pieceEnd = grow(this.pieceEnd, capacity);
      this.pieceCum = grow(this.pieceCum, capacity);
      this.pieceDep = grow(this.pieceDep, capacity);
    }
    if (this.cutPos.length < capacity) {
      this.cutPos = grow(this.cutPos, capacity);
      this.cutCum = grow(this.cutCum, capacity);
    }
  }

  reset(base: number): void {
    this.base = base;
    this.end = 0;
    this.startPos = 0;
    this.startCum = 0;
    this.p0 = 0;
    this.pieces = 0;
    this.c0 = 0;
    this.cuts = 1;
    this.cutPos[0] = 0;
    this.cutCum[0] = 0;
    this.tokens = 0;
  }

  /** Absolute end of the scanned text. */
  get absoluteEnd(): number {
    return this.base + this.end;
  }

  growPieces(): void {
    this.pieceEnd = grow(this.pieceEnd, this.pieceEnd.length * 2);
    this.pieceCum = grow(this.pieceCum, this.pieceCum.length * 2);
    this.pieceDep = grow(this.pieceDep, this.pieceDep.length * 2);
  }

  growCuts(need: number): void {
    let size = this.cutPos.length * 2;
    while (size < need) size *= 2;
    this.cutPos = grow(this.cutPos, size);
    this.cutCum = grow(this.cutCum, size);
  }

  /** Index of the kept piece ending at `pos` (relative), or -1. */
  pieceEndingAt(pos: number): number {
    let lo = this.p0;
    let hi = this.pieces - 1;
    const ends = this.pieceEnd;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ends[mid] as number;
      if (v === pos) return mid;
      if (v < pos) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the last kept piece whose dependency end is `<= limit` (relative), or p0 - 1. */
  lastPieceWithin(limit: number): number {
    let lo = this.p0;
    let hi = this.pieces;
    const dep = this.pieceDep;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((dep[mid] as number) <= limit) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /**
   * Drop the pieces that may still change when more text follows (those whose look reaches the
   * end of the scanned text), with their cuts; the scan then ends at the last final piece.
   */
  truncateToFinal(): void {
    const i = this.lastPieceWithin(this.end);
    const endPos = i >= this.p0 ? (this.pieceEnd[i] as number) : this.startPos;
    this.tokens = i >= this.p0 ? (this.pieceCum[i] as number) : this.startCum;
    this.pieces = i + 1;
    this.end = endPos;
    let c = this.cuts;
    while (c > this.c0 + 1 && (this.cutPos[c - 1] as number) > endPos) c--;
    this.cuts = c;
  }

  /** Forget everything before the last piece boundary at or before `rel` (relative). */
  dropBefore(rel: number): void {
    let lo = this.p0;
    let hi = this.pieces;
    const ends = this.pieceEnd;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ends[mid] as number) <= rel) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1; // last piece ending at or before rel
    if (i < this.p0) return;
    this.startPos = ends[i] as number;
    this.startCum = this.pieceCum[i] as number;
    this.p0 = i + 1;
    // The cut at startPos (every piece ends on a cut).
    let clo = this.c0;
    let chi = this.cuts - 1;
    const pos = this.cutPos;
    while (clo < chi) {
      const mid = (clo + chi) >>> 1;
      if ((pos[mid] as number) < this.startPos) clo = mid + 1;
      else chi = mid;
    }
    this.c0 = clo;
    // Move what is kept to the front, so a sliding scan needs no more room than its window.
    if (this.p0 > 0) {
      this.pieceEnd.copyWithin(0, this.p0, this.pieces);
      this.pieceCum.copyWithin(0, this.p0, this.pieces);
      this.pieceDep.copyWithin(0, this.p0, this.pieces);
      this.pieces -= this.p0;
      this.p0 = 0;
    }
    if (this.c0 > 0) {
      this.cutPos.copyWithin(0, this.c0, this.cuts);
      this.cutCum.copyWithin(0, this.c0, this.cuts);
      this.cuts -= this.c0;
      this.c0 = 0;
    }
  }

  /** Tokens before the kept piece `i` starts (`i` in `[p0, pieces]`). */
  cumBefore(i: number): number {
    return i > this.p0 ? (this.pieceCum[i - 1] as number) : this.startCum;
  }
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/**
 * Token counts of pieces by absolute position in one text (direct-mapped, 256 entries): the
 * splitter measures the same chunk edges more than once. Clear it when the text changes.
 */
export class PieceCache {
  private readonly starts = new Int32Array(256).fill(-1);
  private readonly ends = new Int32Array(256);
  private readonly values = new Int32Array(256);

  private static slot(p: number, q: number): number {
    return (Math.imul(p, 0x9e3779b1) ^ q) >>> 24;
  }

  get(p: number, q: number): number {
    const i = PieceCache.slot(p, q);
    return this.starts[i] === p && this.ends[i] === q ? (this.values[i] as number) : -1;
  }

  set(p: number, q: number, v: number): void {
    const i = PieceCache.slot(p, q);
    this.starts[i] = p;
    this.ends[i] = q;
    this.values[i] = v;
  }

  clear(): void {
    this.starts.fill(-1);
  }
}
