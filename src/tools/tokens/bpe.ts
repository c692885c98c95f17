/**
 * An exact, fast byte-level BPE encoder for tiktoken-style vocabularies (o200k_base,
 * cl100k_base) over the ranks gpt-tokenizer ships. It gives the same tokens as gpt-tokenizer's
 * `encode` (property-tested), including its quirks, but merges with a heap (O(n log n) per
 * pre-tokenized piece instead of O(n²)), looks ranks up in a flat hash table over UTF-8 bytes
 * (no strings built per lookup) and allocates nothing per piece. Pure; no I/O.
 */

import { type PieceCache, type ScanResult, UNBOUNDED } from './scan.js';

/** gpt-tokenizer's rank data: index = rank, value = the token's text or its bytes. */
export type RawRanks = readonly (string | readonly number[] | undefined)[];

// JavaScript `\s` for every UTF-16 code unit (surrogates are never whitespace).
const SPACE = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) if (/\s/.test(String.fromCharCode(c))) SPACE[c] = 1;

const EMPTY = 0;
/** Slots of the merge cache (12 bytes each); it is cleared when 60 % full. */
const PAIR_SLOTS = 1 << 18;

/**
 * gpt-tokenizer's `isValidUTF8` (overlongs, surrogates and code points past U+10FFFF are
 * invalid), on `b[a, e)`.
 */
function isValidUtf8(b: Uint8Array, a: number, e: number): boolean {
  let i = a;
  while (i < e) {
    const b1 = b[i] ?? 0;
    let n: number;
    let cp: number;
    if (b1 <= 0x7f) {
      i++;
      continue;
    }
    if ((b1 & 0xe0) === 0xc0) {
      if (b1 <= 0xc1) return false;
      n = 2;
      cp = b1 & 0x1f;
    } else if ((b1 & 0xf0) === 0xe0) {
      n = 3;
      cp = b1 & 0x0f;
    } else if ((b1 & 0xf8) === 0xf0) {
      if (b1 > 0xf4) return false;
      n = 4;
      cp = b1 & 0x07;
    } else return false;
    if (i + n > e) return false;
    for (let j = 1; j < n; j++) {
      const c = b[i + j] ?? 0;
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if ((n === 3 && cp < 0x800) || (n === 4 && cp < 0x10000)) return false;
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return false;
    i += n;
  }
  return true;
}

/**
 * UTF-8 of a JS string (lone surrogates as U+FFFD, like TextEncoder) written to `out` at `at`
 * (or only measured when `out` is undefined); returns the byte length.
 */
function utf8Into(s: string, out: Uint8Array | undefined, at: number): number {
  let n = at;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (out) out[n] = c;
      n += 1;
    } else if (c < 0x800) {
      if (out) {
        out[n] = 0xc0 | (c >> 6);
        out[n + 1] = 0x80 | (c & 0x3f);
      }
      n += 2;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowUnit(s.charCodeAt(i + 1))) {
      if (out) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
        out[n] = 0xf0 | (cp >> 18);
        out[n + 1] = 0x80 | ((cp >> 12) & 0x3f);
        out[n + 2] = 0x80 | ((cp >> 6) & 0x3f);
        out[n + 3] = 0x80 | (cp & 0x3f);
      }
      n += 4;
      i++;
    } else {
      const d = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
      if (out) {
        out[n] = 0xe0 | (d >> 12);
        out[n + 1] = 0x80 | ((d >> 6) & 0x3f);
        out[n + 2] = 0x80 | (d & 0x3f);
      }
      n += 3;
    }
  }
  return n - at;
}

function isLowUnit(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

export class BytePairEncoder {
  private readonly slots: Int32Array; // rank + 1, or EMPTY
  private readonly hashes: Int32Array;
  private readonly mask: number;
  private readonly pool: Uint8Array;
  private readonly offs: Int32Array;
  private readonly lens: Uint8Array;
  private readonly maxLen: number;
  private readonly split: RegExp;
  // Scratch buffers for one piece (grown on demand).
  private bytes = new Uint8Array(512);
  private unitAt = new Int32Array(513);
  private nxt = new Int32Array(513);
  private prv = new Int32Array(513);
  private rk = new Int32Array(513);
  /** Exact rank of the part starting at each byte (-1: its bytes are no token). */
  private pr = new Int32Array(513);
  // The merge heap: (rank, position) pairs; at most two entries per byte are ever live.
  private heapRank = new Int32Array(1040);
  private heapPos = new Int32Array(1040);
  private heapSize = 0;
  private readonly byteRank = new Int32Array(256);
  // Cache of merges: (left rank, right rank) → merged rank or -1. Bounded: cleared when full.
  private readonly pairLeft = new Int32Array(PAIR_SLOTS).fill(-1);
  private readonly pairRight = new Int32Array(PAIR_SLOTS);
  private readonly pairValue = new Int32Array(PAIR_SLOTS);
  private pairCount = 0;

  /**
   * @param ranks gpt-tokenizer's rank table (`bpeRanks/<encoding>`).
   * @param splitPattern the encoding's pre-tokenization regex (gpt-tokenizer's, `u` flag).
   */
  constructor(ranks: RawRanks, splitPattern: RegExp) {
    this.split = new RegExp(splitPattern.source, 'uy');
    const count = ranks.length;
    let size = 1;
    while (size < count * 2.5) size <<= 1;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
    this.offs = new Int32Array(count).fill(-1);
    this.lens = new Uint8Array(count);
    // Pass 1: byte length of every token (0: left out).
    let total = 0;
    for (let rank = 0; rank < count; rank++) {
      const v = ranks[rank];
      let len = 0;
      if (typeof v === 'string') len = utf8Into(v, undefined, 0);
      else if (Array.isArray(v)) {
        const bytes = Uint8Array.from(v as readonly number[]);
        // gpt-tokenizer looks byte strings that are valid UTF-8 up by their decoded text, where
        // these (BOM-prefixed) entries are absent: they can never be produced. Mirror that.
        if (!isValidUtf8(bytes, 0, bytes.length)) len = bytes.length;
      }
      if (len > 255) len = 0;
      this.lens[rank] = len;
      total += len;
    }
    // Pass 2: the bytes, one after another, and the hash table over them.
    const pool = new Uint8Array(total);
    let at = 0;
    let maxLen = 0;
    for (let rank = 0; rank < count; rank++) {
      const len = this.lens[rank] as number;
      if (len === 0) continue;
      const v = ranks[rank];
      if (typeof v === 'string') utf8Into(v, pool, at);
      else pool.set(v as readonly number[], at);
      this.offs[rank] = at;
      maxLen = Math.max(maxLen, len);
      at += len;
    }
    this.pool = pool;
    this.maxLen = maxLen;
    for (let rank = 0; rank < count; rank++) {
      const len = this.lens[rank] as number;
      if (len > 0) this.insert(rank, this.offs[rank] as number, len);
    }
    const one = new Uint8Array(1);
    for (let c = 0; c < 256; c++) {
      one[0] = c;
      this.byteRank[c] = this.find(one, 0, 1);
    }
  }

  /** UTF-8 length of the token `rank` (0 for ranks it never produces). */
  tokenLength(rank: number): number {
    return this.lens[rank] ?? 0;
  }

  /** Forget cached merges (benchmarks start cold). */
  clearCache(): void {
    this.pairLeft.fill(-1);
    this.pairCount = 0;
  }

  /**
   * Merge rank of the parts `[i, m)` and `[m, e)` (gpt-tokenizer's rule, see `rankOf`), from the
   * cache when both parts are tokens and the pair does not start with a byte-order mark.
   */
  private pairRank(i: number, m: number, e: number): number {
    const { bytes, pr } = this;
    const a = pr[i] as number;
    const b = pr[m] as number;
    if (a < 0 || b < 0 || (bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf)) {
      return this.rankOf(bytes, i, e);
    }
    const mask = PAIR_SLOTS - 1;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 14;
    slot &= mask;
    const left = this.pairLeft;
    const right = this.pairRight;
    for (;;) {
      const l = left[slot] as number;
      if (l === -1) break;
      if (l === a && right[slot] === b) return this.pairValue[slot] as number;
      slot = (slot + 1) & mask;
    }
    const r = this.find(bytes, i, e);
    if (this.pairCount >= PAIR_SLOTS * 0.6) {
      this.clearCache();
      return r; // the slot found above may no longer be the first free one: skip caching once
    }
    left[slot] = a;
    right[slot] = b;
    this.pairValue[slot] = r;
    this.pairCount++;
    return r;
  }

  /** After merging the parts at `i` and `m` (ending at `e`): the exact rank of the new part. */
  private mergedRank(i: number, e: number, rank: number): number {
    const bytes = this.bytes;
    if (bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      return this.find(bytes, i, e);
    }
    return rank;
  }

  private static hash(b: Uint8Array, a: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = a; i < e; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
    return h ^ (h >>> 15);
  }

  private insert(rank: number, off: number, len: number): void {
    const h = BytePairEncoder.hash(this.pool, off, off + len);
    let slot = h & this.mask;
    while (this.slots[slot] !== EMPTY) {
      const other = (this.slots[slot] as number) - 1;
      // Keep the lowest rank for duplicate byte strings (first one wins, like a Map built in order).
      if (this.lens[other] === len && this.equal(this.pool, off, other)) return;
      slot = (slot + 1) & this.mask;
    }
    this.slots[slot] = rank + 1;
    this.hashes[slot] = h;
  }

  private equal(b: Uint8Array, a: number, rank: number): boolean {
    const pool = this.pool;
    const o = this.offs[rank] as number;
    const len = this.lens[rank] as number;
    for (let k = 0; k < len; k++) if (pool[o + k] !== b[a + k]) return false;
    return true;
  }

  /** Rank of the exact bytes `b[a, e)`, or -1. */
  private find(b: Uint8Array, a: number, e: number): number {
    const len = e - a;
    if (len > this.maxLen) return -1;
    const h = BytePairEncoder.hash(b, a, e);
    const slots = this.slots;
    const hashes = this.hashes;
    const lens = this.lens;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const v = slots[slot] as number;
      if (v === EMPTY) return -1;
      if (hashes[slot] === h) {
        const r = v - 1;
        if (lens[r] === len && this.equal(b, a, r)) return r;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Rank of `b[a, e)` as gpt-tokenizer's merge step sees it: valid UTF-8 is decoded first, and
   * the decoder drops a leading byte-order mark.
   */
  private rankOf(b: Uint8Array, a: number, e: number): number {
    if (b[a] === 0xef && e - a >= 3 && b[a + 1] === 0xbb && b[a + 2] === 0xbf) {
      if (isValidUtf8(b, a, e)) return e - a === 3 ? -1 : this.find(b, a + 3, e);
    }
    return this.find(b, a, e);
  }

  private ensure(units: number): void {
    const need = 3 * units + 4;
    if (this.bytes.length >= need) return;
    let size = this.bytes.length;
    while (size < need) size *= 2;
    this.bytes = new Uint8Array(size);
    this.unitAt = new Int32Array(size + 1);
    this.nxt = new Int32Array(size + 1);
    this.prv = new Int32Array(size + 1);
    this.rk = new Int32Array(size + 1);
    this.pr = new Int32Array(size + 1);
    this.heapRank = new Int32Array(2 * size + 16);
    this.heapPos = new Int32Array(2 * size + 16);
  }

  /**
   * UTF-8 of `text[p, q)` into `bytes`; `unitAt[k]` = string offset (from p) of the character
   * starting at byte k, -1 inside a character. Returns the byte length, negated when the text
   * has a lone surrogate (encoded as U+FFFD).
   */
  private encodePiece(text: string, p: number, q: number): number {
    this.ensure(q - p);
    const bytes = this.bytes;
    const unitAt = this.unitAt;
    let n = 0;
    let lone = false;
    for (let i = p; i < q; i++) {
      const c = text.charCodeAt(i);
      unitAt[n] = i - p;
      if (c < 0x80) {
        bytes[n++] = c;
        continue;
      }
      if (c < 0x800) {
        bytes[n] = 0xc0 | (c >> 6);
        bytes[n + 1] = 0x80 | (c & 0x3f);
        unitAt[n + 1] = -1;
        n += 2;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < q ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          bytes[n] = 0xf0 | (cp >> 18);
          bytes[n + 1] = 0x80 | ((cp >> 12) & 0x3f);
          bytes[n + 2] = 0x80 | ((cp >> 6) & 0x3f);
          bytes[n + 3] = 0x80 | (cp & 0x3f);
          unitAt[n + 1] = -1;
          unitAt[n + 2] = -1;
          unitAt[n + 3] = -1;
          n += 4;
          i++;
          continue;
        }
        lone = true;
        bytes[n] = 0xef;
        bytes[n + 1] = 0xbf;
        bytes[n + 2] = 0xbd;
      } else {
        bytes[n] = 0xe0 | (c >> 12);
        bytes[n + 1] = 0x80 | ((c >> 6) & 0x3f);
        bytes[n + 2] = 0x80 | (c & 0x3f);
      }
      unitAt[n + 1] = -1;
      unitAt[n + 2] = -1;
      n += 3;
    }
    unitAt[n] = q - p;
    return lone ? -n : n;
  }

  /**
   * Tokens of the piece `text[p, q)` (one pre-tokenized piece). After it, `nxt` chains the
   * tokens' byte starts from 0 to the byte length (returned in `lastBytes`).
   */
  private lastBytes = 0;
  private lastLone = false;
  private pieceTokens(text: string, p: number, q: number): number {
    const signed = this.encodePiece(text, p, q);
    const n = signed < 0 ? -signed : signed;
    this.lastBytes = n;
    this.lastLone = signed < 0;
    const nxt = this.nxt;
    // The whole piece is a token (gpt-tokenizer looks the piece's text up directly).
    if (n === 1 || (signed > 0 && this.find(this.bytes, 0, n) >= 0)) {
      nxt[0] = n;
      return 1;
    }
    return n <= 24 ? this.mergeSmall(n) : this.mergeHeap(n);
  }

  /** BPE on `bytes[0, n)` by repeated scans (fast for short pieces). */
  private mergeSmall(n: number): number {
    const { bytes, nxt, rk, pr, byteRank } = this;
    for (let i = 0; i < n; i++) pr[i] = byteRank[bytes[i] as number] as number;
    for (let i = 0; i < n; i++) {
      nxt[i] = i + 1;
      rk[i] = i + 2 <= n ? this.pairRank(i, i + 1, i + 2) : -1;
    }
    let parts = n;
    for (;;) {
      let best = -1;
      let bestPrev = -1;
      let bestRank = 0x7fffffff;
      let prev = -1;
      for (let i = 0; i < n; i = nxt[i] as number) {
        const r = rk[i] as number;
        if (r >= 0 && r < bestRank) {
          bestRank = r;
          best = i;
          bestPrev = prev;
        }
        prev = i;
      }
      if (best < 0) return parts;
      const k = nxt[nxt[best] as number] as number;
      nxt[best] = k;
      pr[best] = this.mergedRank(best, k, bestRank);
      parts--;
      rk[best] = k < n ? this.pairRank(best, k, nxt[k] as number) : -1;
      if (bestPrev >= 0) rk[bestPrev] = this.pairRank(bestPrev, best, k);
    }
  }

  /** BPE on `bytes[0, n)` with a heap of (rank, position): lowest rank first, then leftmost. */
  private mergeHeap(n: number): number {
    const { bytes, nxt, prv, rk, pr, byteRank } = this;
    this.heapSize = 0;
    for (let i = 0; i < n; i++) pr[i] = byteRank[bytes[i] as number] as number;
    for (let i = 0; i < n; i++) {
      nxt[i] = i + 1;
      prv[i] = i - 1;
      const r = i + 2 <= n ? this.pairRank(i, i + 1, i + 2) : -1;
      rk[i] = r;
      if (r >= 0) this.heapPush(r, i);
    }
    let parts = n;
    while (this.heapSize > 0) {
      const rank = this.heapRank[0] as number;
      const at = this.heapPos[0] as number;
      this.heapPop();
      if (rk[at] !== rank) continue; // stale: merged away or re-ranked
      const j = nxt[at] as number;
      const k = nxt[j] as number;
      nxt[at] = k;
      if (k < n) prv[k] = at;
      rk[j] = -2;
      pr[at] = this.mergedRank(at, k, rank);
      parts--;
      if (k < n) {
        const r = this.pairRank(at, k, nxt[k] as number);
        rk[at] = r;
        if (r >= 0) this.heapPush(r, at);
      } else rk[at] = -1;
      const p = prv[at] as number;
      if (p >= 0) {
        const r = this.pairRank(p, at, k);
        rk[p] = r;
        if (r >= 0) this.heapPush(r, p);
      }
    }
    return parts;
  }

  /** Push (rank, position) on the min-heap ordered by rank, then position (leftmost first). */
  private heapPush(rank: number, pos: number): void {
    const hr = this.heapRank;
    const hp = this.heapPos;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const r = hr[parent] as number;
      const p = hp[parent] as number;
      if (r < rank || (r === rank && p < pos)) break;
      hr[i] = r;
      hp[i] = p;
      i = parent;
    }
    hr[i] = rank;
    hp[i] = pos;
  }

  /** Remove the heap's top. */
  private heapPop(): void {
    const hr = this.heapRank;
    const hp = this.heapPos;
    const size = --this.heapSize;
    if (size === 0) return;
    const rank = hr[size] as number;
    const pos = hp[size] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      const d = c + 1;
      if (d < size) {
        const rc = hr[c] as number;
        const rd = hr[d] as number;
        if (rd < rc || (rd === rc && (hp[d] as number) < (hp[c] as number))) c = d;
      }
      const rc = hr[c] as number;
      if (rank < rc || (rank === rc && pos < (hp[c] as number))) break;
      hr[i] = rc;
      hp[i] = hp[c] as number;
      i = c;
    }
    hr[i] = rank;
    hp[i] = pos;
  }

  /** End of the pre-tokenized piece starting at `p` in `text`. */
  private pieceEnd(text: string, p: number): number {
    const re = this.split;
    re.lastIndex = p;
    if (!re.test(text)) return p + 1; // not reached: the pattern matches every character
    return re.lastIndex > p ? re.lastIndex : p + 1;
  }

  /** Number of tokens of `text` (the same as gpt-tokenizer's `countTokens`, specials as text). */
  count(text: string): number {
    const n = text.length;
    let total = 0;
    for (let p = 0; p < n; ) {
      const q = this.pieceEnd(text, p);
      total += this.pieceTokens(text, p, q);
      p = q;
    }
    return total;
  }

  /** Token ids of `text` (the same as gpt-tokenizer's `encode`, special tokens as plain text). */
  encode(text: string): number[] {
    const out: number[] = [];
    const n = text.length;
    for (let p = 0; p < n; ) {
      const q = this.pieceEnd(text, p);
      const tokens = this.pieceTokens(text, p, q);
      if (tokens === 1 && !this.lastLone) out.push(this.find(this.bytes, 0, this.lastBytes));
      else {
        // gpt-tokenizer maps each merged part back to a rank the way it merged (BOM quirk).
        for (let b = 0; b < this.lastBytes; b = this.nxt[b] as number) {
          out.push(this.rankOf(this.bytes, b, this.nxt[b] as number));
        }
      }
      p = q;
    }
    return out;
  }

  /**
   * Tokenize `text[from, to)` as a text of its own and record its pieces (with token counts
   * and dependency ends, for `countRange`) and its token cuts (string positions where tokens
   * end; a token ending inside a character is counted at the next cut).
   */
  scan(text: string, from: number, to: number, out: ScanResult): void {
    out.reset(from);
    this.extend(text, to, out);
  }

  /**
   * Continue a scan up to `to` (absolute): the same result as scanning `text[out.base, to)`
   * afresh, but only the pieces the longer text can change are tokenized again. The pieces'
   * matches never look behind their start, so the scan resumes at its last final piece.
   */
  extend(text: string, to: number, out: ScanResult): void {
    out.truncateToFinal();
    const from = out.base + out.end;
    if (to <= from) return;
    const w = from === 0 && to === text.length ? text : text.slice(from, to);
    const len = w.length;
    const off = out.end;
    let tokens = out.tokens;
    let cuts = out.cuts;
    let pieces = out.pieces;
    for (let p = 0; p < len; ) {
      const q = this.pieceEnd(w, p);
      const n = this.pieceTokens(w, p, q);
      // Room for this piece's cuts and the piece itself.
      if (cuts + n > out.cutPos.length) out.growCuts(cuts + n);
      if (pieces === out.pieceEnd.length) out.growPieces();
      const cutPos = out.cutPos;
      const cutCum = out.cutCum;
      if (n === 1) {
        tokens++;
        cutPos[cuts] = off + q;
        cutCum[cuts++] = tokens;
      } else {
        const { nxt, unitAt } = this;
        const nb = this.lastBytes;
        for (let b = 0; b < nb; ) {
          const e = nxt[b] as number;
          tokens++;
          const u = unitAt[e] as number;
          if (u >= 0) {
            cutPos[cuts] = off + p + u;
            cutCum[cuts++] = tokens;
          }
          b = e;
        }
      }
      // How far the pre-tokenizer looked (see dependencyEnd).
      let d = q + 3;
      if (SPACE[w.charCodeAt(p)] === 1) {
        let r = p;
        while (r < len && SPACE[w.charCodeAt(r)] === 1) r++;
        if (r + 1 > d) d = r + 1;
      }
      out.pieceEnd[pieces] = off + q;
      out.pieceCum[pieces] = tokens;
      out.pieceDep[pieces++] = d > len ? UNBOUNDED : off + d;
      p = q;
    }
    out.tokens = tokens;
    out.cuts = cuts;
    out.pieces = pieces;
    out.end = off + len;
  }

  /*
   * Dependency end of a piece `[p, q)`: how far the pre-tokenizer looks when it matches it —
   * three code units past its end (contractions such as 'll, the character that stops a run),
   * and for a piece starting with whitespace, one past the whitespace run (`\s+(?!\S)`,
   * `\s*[\r\n]+`). A piece whose look reaches the end of its text is never reused (`\s+$`,
   * end-of-text look-aheads): its dependency end is UNBOUNDED.
   */

  /**
   * Tokens of `text[s, e)` as a text of its own, reusing the pieces of a scan that covers it:
   * only the pieces near its two ends are tokenized again. Exact: a reused piece is one the
   * pre-tokenizer matches identically in `text[s, e)` (same start, and everything it looks at
   * lies inside). `cache` remembers pieces tokenized here by absolute position.
   */
  countRange(text: string, s: number, e: number, scanned: ScanResult, cache?: PieceCache): number {
    const base = scanned.base;
    if (s < base + scanned.startPos || e > scanned.absoluteEnd || scanned.pieces === 0) {
      return this.count(text.slice(s, e));
    }
    const t = s === 0 && e === text.length ? text : text.slice(s, e);
    const len = t.length;
    let total = 0;
    let p = 0;
    // Head: tokenize until a piece ends where a scanned piece ends (the two agree from there).
    let synced = -1;
    while (p < len) {
      const rel = s + p - base;
      if (rel === scanned.startPos) {
        synced = scanned.p0;
        break;
      }
      const k = scanned.pieceEndingAt(rel);
      if (k >= 0) {
        synced = k + 1;
        break;
      }
      const q = this.pieceEnd(t, p);
      total += this.cachedPiece(t, p, q, s, cache);
      p = q;
    }
    if (synced >= 0) {
      // Reuse every scanned piece from there whose look stays inside [s, e).
      const last = scanned.lastPieceWithin(e - base);
      if (last >= synced) {
        total += (scanned.pieceCum[last] as number) - scanned.cumBefore(synced);
        p = (scanned.pieceEnd[last] as number) + base - s;
      }
    }
    // Tail: tokenize what is left.
    while (p < len) {
      const q = this.pieceEnd(t, p);
      total += this.cachedPiece(t, p, q, s, cache);
      p = q;
    }
    return total;
  }

  private cachedPiece(t: string, p: number, q: number, s: number, cache?: PieceCache): number {
    if (!cache) return this.pieceTokens(t, p, q);
    const hit = cache.get(s + p, s + q);
    if (hit >= 0) return hit;
    const v = this.pieceTokens(t, p, q);
    cache.set(s + p, s + q, v);
    return v;
  }
}
