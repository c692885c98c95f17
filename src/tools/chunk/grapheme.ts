/**
 * Grapheme-cluster boundaries (Unicode UAX #29) for the splitter, in linear time.
 *
 * `isGraphemeBreak(text, p)` answers from the characters next to `p` for almost all text. Three
 * rules need more context, and each is answered without rescanning it on every call:
 * - regional indicators pair into flags (GB12/13): the parity of the run, found once per run;
 * - a consonant after a virama-like linker joins it (GB9c, Indic conjuncts; Unicode 17 has it
 *   in about twenty scripts): `Intl.Segmenter` decides, on a window around the position that
 *   is segmented once and reused by nearby calls;
 * - an emoji after a ZWJ joins an emoji before it (GB11).
 * Where the rules here are unsure they refuse the break (a cluster may come out a little
 * longer than `Intl.Segmenter`'s, never shorter): `test/tools/chunk/grapheme.test.ts` checks
 * every break this module allows against `Intl.Segmenter`, and its tables against the runtime.
 */

export function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
export function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

// Grapheme-extending code points in the BMP (built lazily: marks, ZWJ, variation selectors,
// and the two spacing vowels outside \p{M}, Thai and Lao SARA AM).
let extendBmp: Uint8Array | undefined;
const EXTEND_RE = /[\p{M}\p{Grapheme_Extend}\u200D]/u;
const EXTEND_ASTRAL_RE = /[\p{M}\p{Grapheme_Extend}]/u;
function extendTable(): Uint8Array {
  if (extendBmp) return extendBmp;
  const t = new Uint8Array(65536);
  for (let c = 0x300; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (EXTEND_RE.test(String.fromCharCode(c))) t[c] = 1;
  }
  t[0x0e33] = 1;
  t[0x0eb3] = 1;
  extendBmp = t;
  return t;
}

/** Does code point `cp` join the cluster before it (Extend, ZWJ, SpacingMark)? */
export function isExtending(cp: number): boolean {
  if (cp < 0x300) return false;
  if (cp <= 0xffff) return extendTable()[cp] === 1;
  // Emoji skin tones and tag characters; astral marks.
  if ((cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0xe0020 && cp <= 0xe007f)) return true;
  return EXTEND_ASTRAL_RE.test(String.fromCodePoint(cp));
}

/** Grapheme_Cluster_Break=Control (a subset: those it is safe to break around). */
export function isControl(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x200b ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff
  );
}

/** Grapheme_Cluster_Break=Prepend: joins the character after it. */
const PREPEND: ReadonlySet<number> = new Set([
  0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6dd, 0x70f, 0x890, 0x891, 0x8e2, 0xd4e, 0x110bd,
  0x110cd, 0x111c2, 0x111c3, 0x113d1, 0x1193f, 0x11941, 0x11a84, 0x11a85, 0x11a86, 0x11a87, 0x11a88,
  0x11a89, 0x11d46, 0x11f02,
]);
export function isPrepend(cp: number): boolean {
  return cp >= 0x600 && PREPEND.has(cp);
}

/** Indic_Conjunct_Break=Linker: viramas that join two consonants into one cluster (GB9c). */
export const CONJUNCT_LINKERS: ReadonlySet<number> = new Set([
  0x94d, 0x9cd, 0xacd, 0xb4d, 0xc4d, 0xd4d, 0x1039, 0x17d2, 0x1a60, 0x1b44, 0x1bab, 0xa9c0, 0xaaf6,
  0x10a3f, 0x11133, 0x113d0, 0x1193e, 0x11a47, 0x11a99, 0x11f42,
]);

const REGIONAL_A = 0x1f1e6;
const REGIONAL_Z = 0x1f1ff;
function isRegionalIndicator(cp: number): boolean {
  return cp >= REGIONAL_A && cp <= REGIONAL_Z;
}

const EXT_PICT = /\p{Extended_Pictographic}/u;
const LETTER = /\p{L}/u;

// Hangul syllable types (GB6–GB8).
const H_L = 1;
const H_V = 2;
const H_T = 3;
const H_LV = 4;
const H_LVT = 5;
function hangulType(cp: number): number {
  if (cp < 0x1100) return 0;
  if (cp <= 0x115f) return H_L;
  if (cp <= 0x11a7) return H_V;
  if (cp <= 0x11ff) return H_T;
  if (cp >= 0xa960 && cp <= 0xa97c) return H_L;
  if (cp >= 0xac00 && cp <= 0xd7a3) return (cp - 0xac00) % 28 === 0 ? H_LV : H_LVT;
  if (cp >= 0xd7b0 && cp <= 0xd7c6) return H_V;
  if (cp >= 0xd7cb && cp <= 0xd7fb) return H_T;
  return 0;
}
/** Do two Hangul jamo or syllables form one syllable block (no break between them)? */
function hangulJoins(a: number, b: number): boolean {
  const ta = hangulType(a);
  if (ta === 0) return false;
  const tb = hangulType(b);
  if (tb === 0) return false;
  if (ta === H_L) return tb !== H_T;
  if (ta === H_LV || ta === H_V) return tb === H_V || tb === H_T;
  return tb === H_T; // LVT or T
}

function codePointBefore(text: string, p: number): number {
  const prev = text.charCodeAt(p - 1);
  if (isLow(prev) && p >= 2) {
    const hi = text.charCodeAt(p - 2);
    if (isHigh(hi)) return ((hi - 0xd800) << 10) + (prev - 0xdc00) + 0x10000;
  }
  return prev;
}

function codePointAtUnit(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (isHigh(c) && p + 1 < text.length) {
    const lo = text.charCodeAt(p + 1);
    if (isLow(lo)) return ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
  }
  return c;
}

// The last run of regional indicators looked at: text[riFrom, riTo), one indicator per 2 units.
let riText = '';
let riFrom = -1;
let riTo = -1;

/** Between two regional indicators at `p`: a break iff an even number of them come before. */
function regionalBreak(text: string, p: number): boolean {
  if (text !== riText || p <= riFrom || p >= riTo) {
    let a = p - 2;
    while (a >= 2 && isRegionalIndicator(codePointBefore(text, a))) a -= 2;
    let b = p;
    while (b + 1 < text.length && isRegionalIndicator(codePointAtUnit(text, b))) b += 2;
    riText = text;
    riFrom = a;
    riTo = b;
  }
  return ((p - riFrom) & 3) === 0;
}

// The last window segmented by Intl.Segmenter: breaks of text[winFrom, winTo).
let segmenter: Intl.Segmenter | undefined;
let winText = '';
let winFrom = 0;
let winTo = 0;
let winBreaks = new Uint8Array(0);
const WINDOW = 2048;

/**
 * Ask Intl.Segmenter about `p`. `base` is a non-extending character at or before the run of
 * extending characters that ends at `p`: a window starting at any such character segments the
 * positions after it as the whole text does (the rules that reach back, GB9c and GB11, stop at
 * the first character that is not extending).
 */
function segmenterBreak(text: string, base: number, p: number): boolean {
  if (text !== winText || p <= winFrom || p + 2 > winTo) {
    let from = Math.max(0, base - WINDOW);
    while (
      from < base &&
      (isExtending(codePointAtUnit(text, from)) || isLow(text.charCodeAt(from)))
    )
      from++;
    let to = Math.min(text.length, p + WINDOW);
    if (to < text.length && isHigh(text.charCodeAt(to - 1))) to--;
    segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
    const breaks = new Uint8Array(to - from + 1);
    for (const s of segmenter.segment(text.slice(from, to))) breaks[s.index] = 1;
    breaks[to - from] = 1;
    winText = text;
    winFrom = from;
    winTo = to;
    winBreaks = breaks;
  }
  return winBreaks[p - winFrom] === 1;
}

/**
 * `p` follows a run of extending characters ending with code point `pcp` (starting at unit
 * `pStart`), and `cp` does not extend: a break unless GB11 (emoji ZWJ emoji) or GB9c (a
 * consonant after a linker) joins them.
 */
function breakAfterRun(text: string, pStart: number, p: number, pcp: number, cp: number): boolean {
  if (pcp === 0x200d && EXT_PICT.test(String.fromCodePoint(cp))) {
    // GB11: Extended_Pictographic Extend* ZWJ × Extended_Pictographic.
    let q = pStart;
    while (q > 0) {
      q -= q >= 2 && isLow(text.charCodeAt(q - 1)) && isHigh(text.charCodeAt(q - 2)) ? 2 : 1;
      const x = codePointAtUnit(text, q);
      if (EXT_PICT.test(String.fromCodePoint(x))) return false;
      if (!isGcbExtend(x)) break;
    }
    return true;
  }
  if (!LETTER.test(String.fromCodePoint(cp))) return true;
  // GB9c: a consonant after a run with a linker. Walk back to the character the run extends.
  let q = pStart;
  let linker = false;
  for (;;) {
    const x = codePointAtUnit(text, q);
    if (!isExtending(x)) break;
    if (CONJUNCT_LINKERS.has(x)) linker = true;
    if (q === 0) return true; // the text starts with the run: nothing for it to join
    q -= q >= 2 && isLow(text.charCodeAt(q - 1)) && isHigh(text.charCodeAt(q - 2)) ? 2 : 1;
  }
  return linker ? segmenterBreak(text, q, p) : true;
}

const GRAPHEME_EXTEND = /\p{Grapheme_Extend}/u;
/** Grapheme_Cluster_Break=Extend (what may stand between an emoji and its ZWJ). */
function isGcbExtend(cp: number): boolean {
  if (cp === 0x200d) return false;
  if (cp >= 0x1f3fb && cp <= 0x1f3ff) return true;
  return GRAPHEME_EXTEND.test(String.fromCodePoint(cp));
}

// BMP code units that join no neighbour under any rule: not a surrogate, control, extending,
// prepended or Hangul character (built lazily). Between two of them there is always a break.
let plainBmp: Uint8Array | undefined;
function plainTable(): Uint8Array {
  if (plainBmp) return plainBmp;
  const t = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    const joins =
      (c >= 0xd800 && c <= 0xdfff) ||
      isControl(c) ||
      isExtending(c) ||
      isPrepend(c) ||
      hangulType(c) !== 0;
    if (!joins) t[c] = 1;
  }
  plainBmp = t;
  return t;
}

/**
 * Whether a cut at string index `p` keeps grapheme clusters whole: never inside a surrogate
 * pair or CR LF, before a combining mark / ZWJ / variation selector / skin tone, after a
 * prepended mark, inside a Hangul syllable, a flag (regional indicators pair up), an emoji ZWJ
 * sequence or an Indic conjunct. Where unsure it says no (a few legal breaks are refused).
 */
export function isGraphemeBreak(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return true;
  const c = text.charCodeAt(p);
  const prev = text.charCodeAt(p - 1);
  if (c < 0x300 && prev < 0x300) return !(c === 0x0a && prev === 0x0d); // most text
  const plain = plainBmp ?? plainTable();
  if (plain[c] === 1 && plain[prev] === 1) return true; // Chinese, most other scripts
  if (isLow(c) && isHigh(prev)) return false; // inside a surrogate pair
  const cp = codePointAtUnit(text, p);
  const pcp = codePointBefore(text, p);
  if (isControl(pcp) || isControl(cp)) return !(c === 0x0a && prev === 0x0d); // GB3–GB5
  if (isExtending(cp)) return false; // GB9, GB9a
  if (isPrepend(pcp)) return false; // GB9b
  if (hangulJoins(pcp, cp)) return false; // GB6–GB8
  if (isRegionalIndicator(cp) && isRegionalIndicator(pcp)) return regionalBreak(text, p);
  if (isExtending(pcp)) return breakAfterRun(text, pcp > 0xffff ? p - 2 : p - 1, p, pcp, cp);
  return true;
}

/** End of the grapheme cluster that starts at `p` (linear in the cluster's length). */
export function graphemeEnd(text: string, p: number): number {
  const n = text.length;
  if (p >= n) return n;
  let e = p + (isHigh(text.charCodeAt(p)) && isLow(text.charCodeAt(p + 1)) ? 2 : 1);
  while (e < n && !isGraphemeBreak(text, e)) e++;
  return e;
}
