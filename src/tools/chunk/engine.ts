import type { Meter } from './meter.js';
import {
  type BoundaryLevel,
  BoundaryScanner,
  canStartAt,
  isCjkUnit,
  isGraphemeBreak,
  isHigh,
  isLow,
  LEVEL,
  segmenterWordBoundary,
} from './text.js';

/** A chunk as the engine finds it, with why its ends fell where they did. */
export interface RawChunk {
  start: number;
  end: number;
  size: number;
  /** Boundary the chunk ends at; -1 at the end of the text. */
  endLevel: BoundaryLevel | -1;
  /** Boundary the overlap starts at; -1 for the first chunk or when there is no overlap. */
  startLevel: BoundaryLevel | -1;
}

// Share of the window a higher-level boundary must keep to be preferred (fill vs structure).
const KEEP_PARAGRAPH = 0.8;
const KEEP_LINE = 0.85;
// Inside a sentence too long for any chunk: sentence, clause, word thresholds.
const KEEP_INSIDE = [0.6, 0.6, 0.7, 0.5, 0.5, 0.5] as const;
const END_OF_TEXT = -1;
const START_LATER = -1;
const NOTHING_FITS = -2;

/** Is the character at `p` from a script written without spaces (CJK) or an emoji? */
function noSpaceScript(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  return c >= 0x2e80 && c !== 0x3000;
}

/**
 * The splitting state machine. It works on a text that may grow (streaming): `next()` returns
 * the next chunk once enough text follows it to decide it exactly as on the whole text, or
 * null. Positions are indices into the current text; `rebase` drops a consumed prefix.
 */
export class ChunkEngine {
  private text = '';
  private final = false;
  private readonly scanner = new BoundaryScanner('');
  private prevStart = -1;
  private prevEnd = 0;
  private prevEndAtSentence = true;
  private readonly last = new Int32Array(6);
  private q = -1;

  constructor(
    private readonly meter: Meter,
    private readonly size: number,
    private readonly overlap: number,
  ) {}

  /** Replace the text (the same text, possibly longer); `final` when nothing more will come. */
  setText(text: string, final: boolean): void {
    this.text = text;
    this.final = final;
    this.scanner.text = text;
    this.meter.setText(text);
  }

  /** Index before which the text is no longer needed (keep some context before it). */
  get consumedUpTo(): number {
    return Math.max(0, this.prevStart);
  }

  /** The text lost its first `k` units; shift every position. */
  rebase(text: string, k: number): void {
    if (this.prevStart >= 0) this.prevStart -= k;
    this.prevEnd -= k;
    this.meter.shift(k);
    this.text = text;
    this.scanner.text = text;
    this.meter.setText(text);
  }

  next(): RawChunk | null {
    const n = this.text.length;
    if (this.prevEnd >= n) return null;
    if (!this.final) {
      const from = Math.max(this.prevStart, 0);
      const need = Math.max(
        this.prevEnd + this.meter.lookahead(this.size),
        from + this.meter.lookahead(this.size),
      );
      if (n < need) return null;
    }
    let start = 0;
    let startLevel: BoundaryLevel | -1 = -1;
    const first = this.prevStart < 0;
    const minEnd = first ? 0 : this.prevEnd;
    this.meter.prepare(first ? 0 : this.prevStart, minEnd);
    if (!first) [start, startLevel] = this.chooseOverlapStart(this.prevStart, this.prevEnd);
    const chunk = this.decide(start, startLevel, minEnd);
    this.prevStart = chunk.start;
    this.prevEnd = chunk.end;
    this.prevEndAtSentence = chunk.endLevel >= LEVEL.sentence || chunk.endLevel === END_OF_TEXT;
    return chunk;
  }

  /** Choose the end (and, rarely, a later start) of the chunk beginning at `s`. */
  private decide(s0: number, level0: BoundaryLevel | -1, minEnd: number): RawChunk {
    const { meter, size, text } = this;
    const n = text.length;
    let s = s0;
    let startLevel = level0;
    let cap = Number.POSITIVE_INFINITY;
    for (let attempt = 0; ; attempt++) {
      let L = meter.reach(s, size);
      if (L > cap) L = cap;
      let end: number;
      let endLevel: BoundaryLevel | -1;
      if (L <= minEnd || attempt > 12) {
        if (s < minEnd && attempt <= 12) {
          s = minEnd; // no room after the overlap: drop it
          startLevel = -1;
          continue;
        }
        // A single grapheme cluster is bigger than `size`: the smallest piece we can take.
        end = this.smallestPiece(minEnd);
        return { start: s, end, size: meter.measure(s, end), endLevel: LEVEL.char, startLevel };
      }
      if (L >= n && this.final) {
        end = n;
        endLevel = END_OF_TEXT;
      } else {
        const pick = this.pickEnd(s, minEnd, L);
        if (pick === NOTHING_FITS) {
          if (s < minEnd) {
            s = minEnd; // the next grapheme does not fit after the overlap: drop it
            startLevel = -1;
            continue;
          }
          end = this.smallestPiece(minEnd);
          return { start: s, end, size: meter.measure(s, end), endLevel: LEVEL.char, startLevel };
        }
        if (pick === START_LATER) {
          // The next sentence fits in a chunk but not after this overlap: start later.
          const B = Math.max(s + 1, meter.reachBack(this.q, size));
          const [s2, l2] = this.chooseStartIn(B, minEnd);
          s = s2;
          startLevel = s2 >= minEnd ? -1 : l2;
          continue;
        }
        end = pick;
        endLevel = this.scanner.level;
      }
      const measured = meter.measure(s, end);
      if (meter.exact || measured <= size) {
        return { start: s, end, size: measured, endLevel, startLevel };
      }
      cap = end - 1; // estimate was off (tokens): try again with a smaller window
    }
  }

  /**
   * The best end in `(minEnd, L]`; sets `scanner.level` to its boundary level. Returns -1 when
   * the sentence after `minEnd` fits in a chunk but not after the overlap (caller starts later;
   * `this.q` is that sentence's end).
   */
  private pickEnd(s: number, minEnd: number, L: number): number {
    const { scanner, last } = this;
    last.fill(-1);
    // Pass 1: sentence-level boundaries only, in the last 30 % of the window (the end is
    // almost always there); the rest of the window only when that part has none.
    scanner.minLevel = LEVEL.sentence;
    const lo = Math.max(minEnd, s + Math.floor(0.7 * (L - s)));
    this.scanRange(lo, L);
    if (lo > minEnd && Math.max(last[3] ?? -1, last[4] ?? -1, last[5] ?? -1) < 0) {
      this.scanRange(minEnd, lo);
    }
    scanner.minLevel = LEVEL.char;
    const lastSent = Math.max(last[3] ?? -1, last[4] ?? -1, last[5] ?? -1);
    let fits: boolean;
    if (lastSent > minEnd) fits = this.sentenceFits(lastSent, L);
    else if (!this.prevEndAtSentence || s >= minEnd) fits = false;
    else {
      fits = this.sentenceFits(minEnd, L);
      if (fits) return START_LATER;
    }
    if (fits) {
      const span = lastSent - s;
      const para = last[5] ?? -1;
      const line = Math.max(last[4] ?? -1, para);
      if (para > minEnd && para - s >= KEEP_PARAGRAPH * span) return this.at(para, LEVEL.paragraph);
      if (line > minEnd && line - s >= KEEP_LINE * span) return this.at(line, this.levelOf(line));
      return this.at(lastSent, this.levelOf(lastSent));
    }
    // Inside a sentence too long for any chunk: fill the chunk, cut at the best place near L.
    const span = L - s;
    // Pass 2: clauses in the second half of the window, words near its end.
    scanner.minLevel = LEVEL.clause;
    this.scanRange(Math.max(minEnd, s + Math.floor(0.5 * span) - 1), L);
    scanner.minLevel = LEVEL.char;
    this.scanRange(Math.max(minEnd, s + Math.floor(0.6 * span) - 1, L - 256), L);
    for (let k = 5; k >= 1; k--) {
      const c = last[k] ?? -1;
      if (c > minEnd && c - s >= (KEEP_INSIDE[k] ?? 1) * span)
        return this.at(c, k as BoundaryLevel);
    }
    const text = this.text;
    if (isCjkUnit(text.charCodeAt(L - 1)) || isCjkUnit(text.charCodeAt(L))) {
      const lo = Math.max(minEnd, L - 48);
      const w = segmenterWordBoundary(text, lo, L, false);
      if (w > minEnd && w - s >= 0.6 * span) return this.at(w, LEVEL.word);
    }
    let best = -1;
    for (let k = 1; k <= 5; k++) best = Math.max(best, last[k] ?? -1);
    if (best > minEnd) return this.at(best, this.levelOf(best));
    let q = L;
    while (q > minEnd && !canStartAt(text, q)) q--;
    if (q > minEnd) return this.at(q, LEVEL.char);
    q = L;
    while (q > minEnd && !isGraphemeBreak(text, q)) q--;
    if (q > minEnd) return this.at(q, LEVEL.char);
    return NOTHING_FITS;
  }

  /** Record in `last` the last boundary of each level in `(from, to]`. */
  private scanRange(from: number, to: number): void {
    const { scanner, last } = this;
    let p = from;
    for (;;) {
      p = scanner.next(p, to);
      if (p < 0) break;
      last[scanner.level] = p;
    }
  }

  private at(p: number, level: BoundaryLevel): number {
    this.scanner.level = level;
    return p;
  }

  private levelOf(p: number): BoundaryLevel {
    for (let k = 5; k >= 1; k--) if (this.last[k] === p) return k as BoundaryLevel;
    return LEVEL.char;
  }

  /** Does the sentence starting at `a` (and running past `L`) fit in one chunk? Sets `q`. */
  private sentenceFits(a: number, L: number): boolean {
    const R = this.meter.reach(a, this.size);
    const saved = this.scanner.level;
    this.scanner.minLevel = LEVEL.sentence;
    let p = L;
    let found = false;
    for (;;) {
      p = this.scanner.next(p, R);
      if (p < 0) break;
      if (this.scanner.level >= LEVEL.sentence) {
        this.q = p;
        found = true;
        break;
      }
    }
    this.scanner.minLevel = LEVEL.char;
    if (!found && R >= this.text.length && this.final) {
      this.q = this.text.length;
      found = true;
    }
    this.scanner.level = saved;
    return found;
  }

  /** End of the smallest allowed piece after `p`: one grapheme cluster, else one code point. */
  private smallestPiece(p: number): number {
    const { text, meter, size } = this;
    const n = text.length;
    let e = p + 1;
    while (e < n && !isGraphemeBreak(text, e)) e++;
    if (meter.measure(p, e) <= size) return e;
    e = p + 1;
    if (e < n && isHigh(text.charCodeAt(p)) && isLow(text.charCodeAt(e))) e++;
    return e;
  }

  /** Where the next chunk starts: up to `overlap` units before `prevEnd`, on a boundary. */
  private chooseOverlapStart(prevStart: number, prevEnd: number): [number, BoundaryLevel | -1] {
    const { meter, overlap } = this;
    if (overlap <= 0) return [prevEnd, -1];
    let B = Math.max(prevStart + 1, meter.reachBack(prevEnd, overlap));
    for (let attempt = 0; attempt < 8; attempt++) {
      if (B >= prevEnd) return [prevEnd, -1];
      const [s, level] = this.chooseStartIn(B, prevEnd);
      if (s >= prevEnd) return [prevEnd, -1];
      if (meter.exact || meter.measure(s, prevEnd) <= overlap) return [s, level];
      B = s + 1;
    }
    return [prevEnd, -1];
  }

  /** The best start in `[B, E)`: the earliest whole sentence, else clause, else word. */
  private chooseStartIn(B: number, E: number): [number, BoundaryLevel | -1] {
    const { scanner, text } = this;
    const saved = scanner.level;
    const span = E - B;
    let fallback = -1;
    let fallbackLevel: BoundaryLevel = LEVEL.char;
    for (const k of [LEVEL.sentence, LEVEL.clause, LEVEL.word] as const) {
      // The earliest boundary of at least level k in [B, E).
      scanner.minLevel = k;
      let c = B - 1;
      for (;;) {
        c = scanner.next(c, E - 1);
        if (c < 0 || scanner.level >= k) break;
      }
      if (c < 0) continue;
      const level = scanner.level;
      if (E - c >= 0.5 * span) {
        scanner.minLevel = LEVEL.char;
        scanner.level = saved;
        return [c, level];
      }
      if (fallback < 0) {
        fallback = c;
        fallbackLevel = level;
      }
    }
    scanner.minLevel = LEVEL.char;
    scanner.level = saved;
    if (isCjkUnit(text.charCodeAt(B))) {
      const w = segmenterWordBoundary(text, B - 1, Math.min(E - 1, B + 64), true);
      if (w >= B && E - w >= 0.5 * span) return [w, LEVEL.word];
    }
    // Last resort: a grapheme boundary in text written without spaces (Chinese, emoji).
    let g = B;
    while (g < E && (!canStartAt(text, g) || !noSpaceScript(text, g))) g++;
    if (g < E && E - g >= 0.5 * span) return [g, LEVEL.char];
    if (fallback >= 0) return [fallback, fallbackLevel];
    return [g, g < E ? LEVEL.char : -1];
  }
}
