/**
 * Near-duplicate detection for SFT records in bounded memory.
 *
 * - Signature: one-permutation MinHash (Li, Owen & Zhang 2012) with optimal densification
 *   (Shrivastava 2017) over character 5-shingles of the normalized text (lower-cased, runs of
 *   whitespace as one space): each shingle is hashed once and falls into one of 64 bins; a bin
 *   keeps its smallest hash. Only the low 16 bits of each bin are stored (b-bit MinHash), so a
 *   record costs 128 bytes. Two records' Jaccard similarity is estimated as the share of equal
 *   bins.
 * - Candidates: LSH banding, 16 bands of 4 bins. Records whose band values agree land in the
 *   same bucket (found by sorting, not a hash table per band); each is compared with the
 *   bucket's first member and the member before it.
 * - Verdict: near-duplicates when the estimated Jaccard is at least 0.8 (`NEAR_DUP_THRESHOLD`).
 * - Exact duplicates: two independent 32-bit hashes of the normalized text.
 */

export const SHINGLE = 5;
export const BINS = 64;
export const BANDS = 16;
export const ROWS = BINS / BANDS;
export const NEAR_DUP_THRESHOLD = 0.8;

const EMPTY = 0xffffffff;

/** The 32-bit finalizer of MurmurHash3: spreads a hash over all bits. */
export function mix32(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** What one pass over a record's text yields. */
export interface TextSketch {
  /** False when the text has no characters to shingle (all bins empty). */
  hasSignature: boolean;
  exactA: number;
  exactB: number;
  han: number;
  latinWords: number;
}

const P = 0x01000193; // FNV prime, the rolling-hash base
/** P^SHINGLE: the weight of the character that leaves the window. */
const P_OUT = Math.imul(Math.imul(Math.imul(P, P), Math.imul(P, P)), P);

/**
 * Fill `bins` (length BINS, reused) with the record's one-permutation MinHash and return the
 * exact-duplicate hashes and the script counts, in one pass over `text`.
 */
export function sketchText(text: string, bins: Uint32Array): TextSketch {
  bins.fill(EMPTY);
  let c0 = 0; // the last SHINGLE normalized characters, oldest first (c0 leaves next)
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let c4 = 0;
  let roll = 0; // polynomial hash of c0..c4
  let seen = 0;
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  let han = 0;
  let latinWords = 0;
  let inWord = false;
  let prevSpace = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c <= 32 || c === 0x3000 || c === 0xa0) {
      inWord = false;
      if (prevSpace) continue;
      prevSpace = true;
      c = 32;
    } else {
      prevSpace = false;
      if (c < 128) {
        if (c >= 65 && c <= 90) c += 32;
        if (c >= 97 && c <= 122) {
          if (!inWord) latinWords++;
          inWord = true;
        } else inWord = false;
      } else {
        inWord = false;
        if (c >= 0x4e00 && c <= 0x9fff) han++;
      }
    }
    a = Math.imul(a ^ c, 0x01000193);
    b = (b + c) | 0;
    roll = (Math.imul(roll, P) + c - Math.imul(c0, P_OUT)) | 0;
    c0 = c1;
    c1 = c2;
    c2 = c3;
    c3 = c4;
    c4 = c;
    if (++seen >= SHINGLE) addShingle(bins, roll);
  }
  if (seen > 0 && seen < SHINGLE) addShingle(bins, roll);
  const hasSignature = seen > 0;
  if (hasSignature) densify(bins);
  return {
    hasSignature,
    exactA: mix32(a),
    exactB: mix32(b ^ Math.imul(seen, 0x9e3779b1)),
    han,
    latinWords,
  };
}

/** One hash per shingle: its top 6 bits pick the bin, the low 26 bits order the bin. */
function addShingle(bins: Uint32Array, roll: number): void {
  let h = Math.imul(roll ^ (roll >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  const bin = h >>> 26;
  const v = h & 0x03ffffff;
  if (v < (bins[bin] as number)) bins[bin] = v;
}

/** Optimal densification: an empty bin borrows from a bin picked by a hash of its index. */
function densify(bins: Uint32Array): void {
  let empty = false;
  for (let i = 0; i < BINS; i++) if (bins[i] === EMPTY) empty = true;
  if (!empty) return;
  const filled = Uint32Array.from(bins);
  for (let i = 0; i < BINS; i++) {
    if (filled[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = mix32(Math.imul(i + 1, 0x9e3779b1) ^ attempt) % BINS;
      const v = filled[j] as number;
      if (v !== EMPTY) {
        bins[i] = (v + Math.imul(attempt, 0x2f) + i) >>> 0;
        break;
      }
    }
  }
}

/** A growable store of 16-bit signatures, BINS per record. */
export class SignatureStore {
  private data = new Uint16Array(BINS * 1024);
  count = 0;

  /** Append a signature (or zeros for a record without one); returns its index. */
  add(bins: Uint32Array | undefined): number {
    if ((this.count + 1) * BINS > this.data.length) {
      const bigger = new Uint16Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    if (bins) {
      const base = this.count * BINS;
      for (let i = 0; i < BINS; i++) this.data[base + i] = (bins[i] as number) & 0xffff;
    }
    return this.count++;
  }

  /** Estimated Jaccard similarity of records `x` and `y`: the share of equal bins. */
  similarity(x: number, y: number): number {
    const a = x * BINS;
    const b = y * BINS;
    let same = 0;
    for (let i = 0; i < BINS; i++) if (this.data[a + i] === this.data[b + i]) same++;
    return same / BINS;
  }

  /** A 32-bit hash of band `band` of record `x`. */
  bandKey(x: number, band: number): number {
    let h = 0x811c9dc5 ^ band;
    const base = x * BINS + band * ROWS;
    for (let i = 0; i < ROWS; i++) h = Math.imul(h ^ (this.data[base + i] as number), 0x01000193);
    return mix32(h);
  }
}

/** Indices 0..n-1 ordered by `keys` (ties by index). */
export function orderByKey(keys: Uint32Array, n: number): Uint32Array {
  if (n < 2 ** 21) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = (keys[i] as number) * 2 ** 21 + i;
    packed.sort();
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = (packed[i] as number) % 2 ** 21;
    return out;
  }
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx.sort((x, y) => (keys[x] as number) - (keys[y] as number) || x - y);
}

/** Union-find over record indices; the root of a set is its smallest index (first in file). */
export class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    let y = x;
    while (this.parent[y] !== r) {
      const next = this.parent[y] as number;
      this.parent[y] = r;
      y = next;
    }
    return r;
  }
  union(x: number, y: number): boolean {
    const a = this.find(x);
    const b = this.find(y);
    if (a === b) return false;
    if (a < b) this.parent[b] = a;
    else this.parent[a] = b;
    return true;
  }
}
