import type { Meter } from './meter.js';
import {
  type BoundaryLevel,
  BoundaryScanner,
  canStartAt,
  graphemeEnd,
  isCjkUnit,
  isGraphemeBreak,
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
/** How far past a window the scanner may read to classify a run ending inside it. */
const LOOK_PAST = 16;
const END_OF_TEXT = -1;
const START_LATER = -1;
const NOTHING_FITS = -2;

/** Is the character at `p` from a script written without spaces (CJK) or an emoji? */
function noSpaceScript(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  return c >= 0x2e80 && c !== 0x3000;
}

/** Is there a Han ideograph or CJK punctuation in `text[from, to)`? */
function hasCjk(text: string, from: number, to: number): boolean {
  const end = Math.min(to, text.length);
  for (let i = Math.max(0, from); i < end; i++) if (isCjkUnit(text.charCodeAt(i))) return true;
  return false;
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
  /** The chunk `next` returns (one object, refilled by each call). */
  private readonly out: RawChunk = { start: 0, end: 0, size: 0, endLevel: -1, startLevel: -1 };
  /** Level of the start the last chooseStartIn / chooseOverlapStart returned (-1: none). */
  private startLevelOut: BoundaryLevel | -1 = -1;
  /**
   * Every boundary pickEnd's first pass found in `(seenFrom, seenTo]` (-1: none kept), so the
   * next chunk's overlap start, which falls inside that range, is not scanned for again.
   */
  private seenFrom = -1;
  private seenTo = -1;
  private seenN = 0;
  private recording = false;
  private seenAt = new Int32Array(64);
  private seenLevel = new Uint8Array(64);

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
    this.seenFrom = -1;
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
    this.seenFrom = -1;
  }

  /**
   * The next chunk, or null when the text is done (or, streaming, more text is needed). The
   * returned object is reused: read it before calling `next` again. A chunk is over `size` only
   * when it is a single grapheme cluster longer than `size` (a letter with thousands of
   * combining marks): clusters are never cut.
   */
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
    if (!first) {
      start = this.chooseOverlapStart(this.prevStart, this.prevEnd);
      startLevel = this.startLevelOut;
    }
    const chunk = this.decide(start, startLevel, minEnd);
    if (!chunk) return null; // streaming: a grapheme cluster runs past the text read so far
    this.prevStart = chunk.start;
    this.prevEnd = chunk.end;
    this.prevEndAtSentence = chunk.endLevel >= LEVEL.sentence || chunk.endLevel === END_OF_TEXT;
    return chunk;
  }

  private result(
    start: number,
    end: number,
    size: number,
    endLevel: BoundaryLevel | -1,
    startLevel: BoundaryLevel | -1,
  ): RawChunk {
    const out = this.out;
    out.start = start;
    out.end = end;
    out.size = size;
    out.endLevel = endLevel;
    out.startLevel = startLevel;
    return out;
  }

  /** Choose the end (and, rarely, a later start) of the chunk beginning at `s`. */
  private decide(s0: number, level0: BoundaryLevel | -1, minEnd: number): RawChunk | null {
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
        if (s < minEnd) {
          s = this.shorterOverlap(s, minEnd, attempt); // no room after the overlap
          startLevel = this.startLevelOut;
          continue;
        }
        // A single grapheme cluster is bigger than `size`: the smallest piece we can take.
        end = this.smallestPiece(minEnd);
        if (end < 0) return null;
        return this.result(s, end, meter.measure(s, end), LEVEL.char, startLevel);
      }
      if (L >= n && this.final) {
        end = n;
        endLevel = END_OF_TEXT;
      } else {
        const pick = this.pickEnd(s, minEnd, L);
        if (pick === NOTHING_FITS) {
          if (s < minEnd) {
            // The next piece does not fit after the overlap: a shorter one, else none.
            s = this.shorterOverlap(s, minEnd, attempt);
            startLevel = this.startLevelOut;
            continue;
          }
          end = this.smallestPiece(minEnd);
          if (end < 0) return null;
          return this.result(s, end, meter.measure(s, end), LEVEL.char, startLevel);
        }
        if (pick === START_LATER) {
          // The next sentence fits in a chunk but not after this overlap: start later.
          const B = Math.max(s + 1, meter.reachBack(this.q, size));
          s = this.chooseStartIn(B, minEnd);
          startLevel = s >= minEnd ? -1 : this.startLevelOut;
          continue;
        }
        end = pick;
        endLevel = this.scanner.level;
      }
      const measured = meter.measure(s, end);
      if (meter.exact || measured <= size) {
        return this.result(s, end, measured, endLevel, startLevel);
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
    this.seenN = 0;
    this.recording = true;
    this.scanRange(lo, L);
    this.recording = false;
    this.seenFrom = lo;
    this.seenTo = L;
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
    if (hasCjk(text, Math.max(minEnd, L - 48), L + 1)) {
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
    // Only a cut before closing punctuation is left: drop the overlap for room first.
    if (s < minEnd) return NOTHING_FITS;
    q = L;
    while (q > minEnd && !isGraphemeBreak(text, q)) q--;
    if (q > minEnd) return this.at(q, LEVEL.char);
    return NOTHING_FITS;
  }

  /** Record in `last` the last boundary of each level in `(from, to]`. */
  private scanRange(from: number, to: number): void {
    const { scanner, last } = this;
    // Read a little past `to`: a run of spaces or line breaks ending at `to` is only known to
    // be a boundary (and of which level) once what follows it is seen.
    const limit = to + LOOK_PAST;
    let p = from;
    for (;;) {
      p = scanner.next(p, limit);
      if (p < 0 || p > to) break;
      // Ranges may be read out of order: keep the last boundary of each level.
      if (p > (last[scanner.level] as number)) last[scanner.level] = p;
      if (this.recording) this.remember(p, scanner.level);
    }
  }

  private remember(p: number, level: BoundaryLevel): void {
    if (this.seenN === this.seenAt.length) {
      const at = new Int32Array(this.seenN * 2);
      at.set(this.seenAt);
      this.seenAt = at;
      const levels = new Uint8Array(this.seenN * 2);
      levels.set(this.seenLevel);
      this.seenLevel = levels;
    }
    this.seenLevel[this.seenN] = level;
    this.seenAt[this.seenN++] = p;
  }

  /**
   * The earliest boundary of at least sentence level in `[B, E)` from pickEnd's first pass
   * (its level in `scanner.level`), E when there is none; -2 when that pass did not cover it.
   */
  private seenSentence(B: number, E: number): number {
    if (this.seenFrom < 0 || B - 1 < this.seenFrom || E > this.seenTo) return -2;
    for (let i = 0; i < this.seenN; i++) {
      const p = this.seenAt[i] as number;
      if (p >= E) break;
      const level = this.seenLevel[i] as BoundaryLevel;
      if (p >= B && level >= LEVEL.sentence) {
        this.scanner.level = level;
        return p;
      }
    }
    return E;
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
      p = this.scanner.next(p, R + LOOK_PAST);
      if (p < 0 || p > R) break;
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

  /**
   * End of the smallest allowed piece after `p`: one whole grapheme cluster, even when it is
   * longer than `size` (cutting it code point by code point would break the character and take
   * quadratic time). -1 when streaming and the cluster may go on past the text read so far.
   */
  private smallestPiece(p: number): number {
    const e = graphemeEnd(this.text, p);
    return e >= this.text.length && !this.final ? -1 : e;
  }

  /**
   * The next aligned start after `s` (a shorter overlap), or `minEnd` (none) after a few tries;
   * its level in `startLevelOut`.
   */
  private shorterOverlap(s: number, minEnd: number, attempt: number): number {
    if (attempt < 10 && s + 1 < minEnd) {
      const s2 = this.chooseStartIn(s + 1, minEnd);
      if (s2 < minEnd) return s2;
    }
    this.startLevelOut = -1;
    return minEnd;
  }

  /**
   * Where the next chunk starts: up to `overlap` units before `prevEnd`, on a boundary (its
   * level in `startLevelOut`).
   */
  private chooseOverlapStart(prevStart: number, prevEnd: number): number {
    const { meter, overlap } = this;
    this.startLevelOut = -1;
    if (overlap <= 0) return prevEnd;
    let B = Math.max(prevStart + 1, meter.reachBack(prevEnd, overlap));
    for (let attempt = 0; attempt < 8; attempt++) {
      if (B >= prevEnd) break;
      const s = this.chooseStartIn(B, prevEnd);
      if (s >= prevEnd) break;
      if (meter.exact || meter.measure(s, prevEnd) <= overlap) return s;
      B = s + 1;
    }
    this.startLevelOut = -1;
    return prevEnd;
  }

  /** The earliest boundary of at least level `k` in `[B, E)` (scanner set to level k). */
  private earliest(B: number, E: number, k: number): number {
    const scanner = this.scanner;
    let c = B - 1;
    for (;;) {
      // Read past E: whether a run ending before E is a boundary may depend on what follows.
      c = scanner.next(c, E + LOOK_PAST);
      if (c < 0 || c >= E || scanner.level >= k) return c;
    }
  }

  /**
   * The best start in `[B, E)`: the earliest whole sentence, else clause, else word (its level
   * in `startLevelOut`; `E` and -1 when there is none).
   */
  private chooseStartIn(B: number, E: number): number {
    const { scanner, text } = this;
    const saved = scanner.level;
    const span = E - B;
    let fallback = -1;
    let fallbackLevel: BoundaryLevel = LEVEL.char;
    for (let k: number = LEVEL.sentence; k >= LEVEL.word; k--) {
      // The earliest boundary of at least level k in [B, E).
      scanner.minLevel = k as BoundaryLevel;
      let c = k === LEVEL.sentence ? this.seenSentence(B, E) : -2;
      if (c === -2) c = this.earliest(B, E, k);
      if (c < 0 || c >= E) continue;
      const level = scanner.level;
      if (E - c >= 0.5 * span) {
        scanner.minLevel = LEVEL.char;
        scanner.level = saved;
        this.startLevelOut = level;
        return c;
      }
      if (fallback < 0) {
        fallback = c;
        fallbackLevel = level;
      }
    }
    scanner.minLevel = LEVEL.char;
    scanner.level = saved;
    // Chinese: a word boundary from Intl.Segmenter, even a late one (a shorter overlap that
    // starts on a word beats a longer one that starts mid-word).
    if (hasCjk(text, B, Math.min(E, B + 64))) {
      const w = segmenterWordBoundary(text, B - 1, Math.min(E - 1, B + 64), true);
      if (w >= B && w < E && (E - w >= 0.5 * span || fallback < 0)) {
        this.startLevelOut = LEVEL.word;
        return w;
      }
    }
    if (fallback >= 0) {
      this.startLevelOut = fallbackLevel;
      return fallback;
    }
    // Last resort: a grapheme boundary in text that has no words to align to (emoji, symbols).
    // Never inside a Chinese word: no overlap is better than half a word.
    let g = B;
    while (
      g < E &&
      (!canStartAt(text, g) || !noSpaceScript(text, g) || isCjkUnit(text.charCodeAt(g)))
    )
      g++;
    this.startLevelOut = g < E ? LEVEL.char : -1;
    return g;
  }
}
