/**
 * Character-level helpers for the splitter: a one-byte class table for the BMP, the boundary
 * scanner (paragraph / line / sentence / clause / word) and the "may a chunk start here" test
 * (grapheme clusters: grapheme.ts). Pure functions over a string; no I/O.
 */
import { isGraphemeBreak } from './grapheme.js';

export { graphemeEnd, isGraphemeBreak, isHigh, isLow } from './grapheme.js';

/** Boundary levels, highest first wins when a chunk end is chosen. */
export const LEVEL = {
  char: 0,
  word: 1,
  clause: 2,
  sentence: 3,
  line: 4,
  paragraph: 5,
} as const;
export type BoundaryLevel = (typeof LEVEL)[keyof typeof LEVEL];
export const LEVEL_NAMES = ['char', 'word', 'clause', 'sentence', 'line', 'paragraph'] as const;
export type BoundaryName = (typeof LEVEL_NAMES)[number];

// Character classes (BMP lookup table).
const K_OTHER = 0;
const K_SPACE = 1; // ' ', '\t', U+3000
const K_NL = 2; // '\n', '\r', U+2028, U+2029
const K_TERM_CJK = 3; // 。！？；｡ — end a sentence wherever they stand
const K_TERM_LAT = 4; // . ! ? — end a sentence when followed by a space, a line break or the end
const K_ELLIPSIS = 5; // …
const K_CLOSE = 6; // closing quotes and brackets
const K_CLAUSE_CJK = 7; // ，、：
const K_CLAUSE_LAT = 8; // , ; : — clause ends when followed by a space

const CLASS = new Uint8Array(65536);
function setClass(chars: string, k: number): void {
  for (const ch of chars) CLASS[ch.charCodeAt(0)] = k;
}
setClass(' \t\u3000', K_SPACE);
setClass('\n\r\u2028\u2029', K_NL);
setClass('。！？；｡', K_TERM_CJK);
setClass('.!?', K_TERM_LAT);
setClass('…', K_ELLIPSIS);
setClass('"\')]}”’」』）】》〉〕〗〙〛］｝＂＇»›', K_CLOSE);
setClass('，、：､', K_CLAUSE_CJK);
setClass(',;:', K_CLAUSE_LAT);

// Dispatch tables for scans that only need clause-level or sentence-level boundaries: the
// classes below that level read as ordinary characters (terminator runs still read spaces).
// In all three, the code marks stop the scan too (see K_MARK).
const CLASS_ALL = CLASS.slice();
const CLASS_CLAUSE = CLASS.slice();
const CLASS_SENTENCE = CLASS.slice();
for (let c = 0; c < 65536; c++) {
  const k = CLASS[c];
  if (k === K_SPACE) {
    CLASS_CLAUSE[c] = K_OTHER;
    CLASS_SENTENCE[c] = K_OTHER;
  } else if (k === K_CLAUSE_CJK || k === K_CLAUSE_LAT) CLASS_SENTENCE[c] = K_OTHER;
}

/** Characters a chunk must never start with (closing punctuation, kinsoku). */
const NO_START = new Uint8Array(65536);
for (const ch of ')]}”’」』）】》〉〕〗〙〛］｝»›。，、；：！？｡､．.,;:!?…%‰·‧ー〜~') {
  NO_START[ch.charCodeAt(0)] = 1;
}

/** Common English abbreviations that end in a period but rarely end a sentence. */
const ABBREVIATIONS: readonly string[] = (
  'e.g i.e eg ie mr mrs ms dr prof sr jr st vs fig figs al inc ltd corp u.s u.k a.m p.m ' +
  'approx dept cf viz jan feb aug sept oct nov dec vol eq pp'
).split(' ');

/** Whether a chunk may start at `p`: a grapheme boundary and not closing punctuation. */
export function canStartAt(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return true;
  return NO_START[text.charCodeAt(p)] !== 1 && isGraphemeBreak(text, p);
}

/** Whether `c` (a UTF-16 code unit) is a Han ideograph or CJK symbol/punctuation. */
export function isCjkUnit(c: number): boolean {
  return (
    (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef)
  );
}

function isAsciiLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}
function isAsciiLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Case-insensitive numeric key of a short word (letters and dots), for allocation-free lookups. */
function wordKey(text: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = h * 128 + (text.charCodeAt(i) | 0x20);
  return h;
}
const ABBREVIATION_KEYS = new Set([...ABBREVIATIONS].map((w) => wordKey(w, 0, w.length)));
const ABBREVIATION_MAX = ABBREVIATIONS.reduce((m, w) => Math.max(m, w.length), 0);

/** Is the single '.' ending just before index `dot` the end of an abbreviation or initial? */
function isAbbreviation(text: string, dot: number): boolean {
  let i = dot;
  while (i > 0 && dot - i <= ABBREVIATION_MAX) {
    const c = text.charCodeAt(i - 1);
    if (isAsciiLetter(c) || c === 0x2e) i--;
    else break;
  }
  const len = dot - i;
  if (len === 0 || len > ABBREVIATION_MAX) return false;
  if (len === 1) return true; // initials: "J. K. Rowling"
  return ABBREVIATION_KEYS.has(wordKey(text, i, dot));
}

/** Is the '.' at `dot` the end of a numbered-list marker ("1. ", "12. ") at a line start? */
function isListMarker(text: string, dot: number): boolean {
  let i = dot;
  while (i > 0 && dot - i < 4 && isDigit(text.charCodeAt(i - 1))) i--;
  if (i === dot) return false;
  return i === 0 || CLASS[text.charCodeAt(i - 1)] === K_NL;
}

/** How far back a line start is looked for; a longer line is not hard-wrapped prose. */
const WRAP_LINE_MAX = 512;
/** A hard-wrapped line was cut because it was nearly full: shorter lines keep their rank. */
const WRAP_LINE_MIN = 40;

/** Characters that mark a line as code (or markup), never hard-wrapped prose. */
const CODE_MARK = new Uint8Array(128);
for (const ch of '{}=<>`#|\\') CODE_MARK[ch.charCodeAt(0)] = 1;

/**
 * Dispatch class of the code marks: the scanner notes where it passed one (a line holding one
 * is never hard-wrapped prose), so the hard-wrap check need not read the line again. '}' is
 * also a closing bracket; where a run swallows it, the run notes it.
 */
const K_MARK = 9;
for (const t of [CLASS_ALL, CLASS_CLAUSE, CLASS_SENTENCE]) {
  for (let c = 0; c < 128; c++) if (CODE_MARK[c] === 1) t[c] = K_MARK;
}

/** What the walk back over a line stops at: a line break, or a code mark (not prose). */
const L_BREAK = 1;
const L_MARK = 2;
const LINE_SCAN = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  if (CLASS[c] === K_NL) LINE_SCAN[c] = L_BREAK;
  else if (c < 128 && CODE_MARK[c] === 1) LINE_SCAN[c] = L_MARK;
}

/**
 * Start of the line whose last character is at `j`, walking back to `stop` at most: -1 when the
 * walk meets a code mark or no line break (the line is longer than WRAP_LINE_MAX), 0 when the
 * text starts the line.
 */
function lineStartBefore(text: string, j: number, stop: number): number {
  for (let p = j; p >= stop; p--) {
    const f = LINE_SCAN[text.charCodeAt(p)];
    if (f === L_MARK) return -1;
    if (f === L_BREAK) return p + 1;
  }
  return stop > 0 ? -1 : 0;
}

/** wrappedLineLevel's hint: the line before holds a code mark. */
const LINE_MARKED = -2;

/** May a hard-wrapped prose line end with this character (mid-sentence)? */
function isWrapEnd(c: number): boolean {
  const k = CLASS[c];
  if (k === K_CLAUSE_LAT || k === K_CLOSE) return true;
  return k === K_OTHER && !isCjkUnit(c) && !(c < 128 && CODE_MARK[c] === 1);
}

/** Is the line starting at `p` the first of its block (after a blank line or the start)? */
function firstOfBlock(text: string, p: number): boolean {
  let i = p - 1; // the line break before the line
  if (i < 0) return true;
  if (text.charCodeAt(i) === 0x0a && i > 0 && text.charCodeAt(i - 1) === 0x0d) i--;
  i--;
  while (i >= 0 && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i--;
  return i < 0 || CLASS[text.charCodeAt(i)] === K_NL;
}

/** Leading spaces and tabs of the line starting at `p` (a tab counts 4). */
function indentAt(text: string, p: number, end: number): number {
  let ind = 0;
  for (let i = p; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) ind++;
    else if (c === 0x09) ind += 4;
    else break;
  }
  return ind;
}

/** Is `text[p, i)` a list marker's number: digits, one letter or a lowercase roman numeral? */
function isMarker(text: string, p: number, i: number): boolean {
  if (i - p === 1) return true;
  let digits = true;
  let roman = true;
  for (let k = p; k < i; k++) {
    const c = text.charCodeAt(k);
    if (!isDigit(c)) digits = false;
    if (c !== 0x69 && c !== 0x76 && c !== 0x78) roman = false; // i v x
  }
  return (digits && i - p <= 3) || (roman && i - p <= 4);
}

/**
 * How the next line starts: 2 a lowercase word or a number (continues the sentence), 1 a
 * capitalized word (probably continues it: a name, "I"), 0 anything else (a list marker, code,
 * punctuation, markup).
 */
function continuation(text: string, p: number): 0 | 1 | 2 {
  const n = text.length;
  const first = p < n ? text.charCodeAt(p) : 0;
  const upper = first >= 0x41 && first <= 0x5a;
  // Emoji and letters beyond ASCII continue like a word; CJK text does not hard-wrap so.
  if (first >= 0x80) return CLASS[first] === K_OTHER && !isCjkUnit(first) ? 2 : 0;
  if (!upper && !isAsciiLower(first) && !isDigit(first)) return 0;
  let i = p + 1;
  while (i < n && (isAsciiLetter(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)))) i++;
  const c = i < n ? text.charCodeAt(i) : 0x20;
  const after = i + 1 < n ? text.charCodeAt(i + 1) : 0x20;
  const spaceAfter = CLASS[after] === K_SPACE || CLASS[after] === K_NL;
  // "a. ", "iv) ", "12. ", "B) ": a list marker ("Mr. ", "GB. " are words).
  if ((c === 0x2e || c === 0x29) && spaceAfter && isMarker(text, p, i)) return 0;
  if (c === 0x28 || c === 0x5b || c === 0x5f || (c < 128 && CODE_MARK[c] === 1)) return 0;
  return upper ? 1 : 2;
}

/**
 * The level of the single line break in `text[nl, after)`: a line boundary, unless it is a
 * hard wrap inside a sentence (plain text wrapped at ~72 columns). It is when the line before
 * is long enough to have been wrapped, does not end a sentence and holds no code marks, and the
 * next line continues it at the same indentation (under 4: not code) with no list marker: a
 * lowercase word or a number makes it a word boundary (a clause after , ; :), a capitalized word
 * a clause boundary (the sentence end before it still ranks higher). `lineHint` is what a
 * scanner that read the line before knows of it: its start (it holds no line break and no code
 * mark), LINE_MARKED (it holds a code mark), or -1 (nothing: the line is read here).
 */
export function wrappedLineLevel(
  text: string,
  nl: number,
  after: number,
  lineHint = -1,
): BoundaryLevel {
  let j = nl - 1;
  while (j >= 0 && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j--;
  if (j < 0) return LEVEL.line;
  // A single '.' that does not end a sentence in running text ("Mr.", "approx. 3") may wrap.
  const dot = text.charCodeAt(j) === 0x2e && (j === 0 || text.charCodeAt(j - 1) !== 0x2e);
  if (!dot && !isWrapEnd(text.charCodeAt(j))) return LEVEL.line;
  let k = j;
  while (k > 0 && CLASS[text.charCodeAt(k)] === K_CLOSE) k--;
  const before = CLASS[text.charCodeAt(k)];
  if (!dot && (before === K_TERM_CJK || before === K_TERM_LAT || before === K_ELLIPSIS)) {
    return LEVEL.line; // …stop."
  }
  // The next line first (cheap): list items, headings and the like end the check here.
  const nextIndent = indentAt(text, after, Math.min(text.length, after + 64));
  const how = continuation(text, after + nextIndent);
  if (how === 0) return LEVEL.line;
  // The start of the line before (no code marks in it, at most WRAP_LINE_MAX back).
  const stop = Math.max(0, j - WRAP_LINE_MAX);
  let lineStart = lineHint;
  if (lineHint === -1) lineStart = lineStartBefore(text, j, stop);
  else if (lineHint === LINE_MARKED || (stop > 0 && lineHint <= stop)) lineStart = -1;
  if (lineStart < 0) return LEVEL.line;
  const indent = indentAt(text, lineStart, j);
  if (indent >= 4 || j - lineStart + 1 - indent < WRAP_LINE_MIN) return LEVEL.line;
  if (text.charCodeAt(lineStart + indent) === 0x23) return LEVEL.line; // # heading
  if (nextIndent !== indent) return LEVEL.line;
  // A capitalized next line continues a line that is itself inside a block (a title line is
  // the first of its block), or one ending in an abbreviation ("Dr.\nSmith").
  if (how === 1 && !(dot ? isAbbreviation(text, j) : !firstOfBlock(text, lineStart))) {
    return LEVEL.line;
  }
  if (dot && how === 2 && !isAbbreviation(text, j)) return LEVEL.word; // "approx.\n3"
  return how === 1 || CLASS[text.charCodeAt(j)] === K_CLAUSE_LAT ? LEVEL.clause : LEVEL.word;
}

/**
 * Finds the boundaries of a text one by one. A boundary is a position between two characters;
 * `next(from, limit)` returns the first boundary `p` with `from < p <= limit` that a chunk may
 * start at, and sets `level`. Boundaries swallow what belongs to the end of a unit: closing
 * quotes/brackets after a terminator, spaces after it, and the line breaks that follow.
 * The result depends only on the text near `p`, so any window of the text scans alike.
 */
export class BoundaryScanner {
  level: BoundaryLevel = LEVEL.char;
  private dispatch: Uint8Array = CLASS_ALL;
  constructor(public text: string) {}

  private lastFound = -1;
  private lastText = '';
  // What this scanner read without a gap since `readFrom` (-1: nothing; a scan that ends
  // without a boundary leaves a gap): where the last run of line breaks ended and the last
  // code mark, for the hard-wrap check of the next line break.
  private readFrom = -1;
  private breakEnd = -1;
  private markAt = -1;
  /** Start of the line `readFrom` is in (-1: not looked for yet; -3: unknown), LINE_MARKED. */
  private readLine = -1;

  /** Report only boundaries of at least this level (faster scans); default: all (word). */
  set minLevel(level: BoundaryLevel) {
    this.dispatch =
      level >= LEVEL.sentence ? CLASS_SENTENCE : level >= LEVEL.clause ? CLASS_CLAUSE : CLASS_ALL;
  }

  next(from: number, limit: number): number {
    const text = this.text;
    const n = text.length;
    const end = Math.min(limit, n);
    const dispatch = this.dispatch;
    // Back up over a run of non-OTHER characters so runs are read whole (not needed right
    // after a boundary this scanner found: its run ended there).
    let i = from;
    if (from !== this.lastFound || text !== this.lastText) {
      let back = 0;
      while (i > 0 && back < 64 && CLASS[text.charCodeAt(i - 1)] !== K_OTHER) {
        i--;
        back++;
      }
      this.readFrom = -1;
    }
    if (this.readFrom < 0) {
      this.readFrom = i;
      this.breakEnd = -1;
      this.markAt = -1;
      this.readLine = -1;
    }
    while (i < end) {
      const k = dispatch[text.charCodeAt(i)] ?? K_OTHER;
      if (k === K_OTHER) {
        // Skip ordinary text up to the next character that matters at this level.
        i++;
        while (i < end && dispatch[text.charCodeAt(i)] === K_OTHER) i++;
        continue;
      }
      if (k === K_MARK) {
        this.markAt = i++;
        continue;
      }
      const p = this.readRun(i, k, end);
      // readRun returns -(index to continue at) - 1 when no boundary, else the boundary.
      if (p < 0) {
        i = -p - 1;
        continue;
      }
      if (p > from && p <= end && canStartAt(text, p)) {
        this.lastFound = p;
        this.lastText = text;
        return p;
      }
      i = p > i ? p : i + 1;
    }
    this.readFrom = -1;
    return -1;
  }

  /** What this scanner knows of the line before a line break (see wrappedLineLevel). */
  private lineHint(): number {
    if (this.readFrom < 0) return -1;
    let start = this.breakEnd;
    if (start < 0) {
      // No line break read yet: the line began before the scan did. Read that part once.
      if (this.readLine === -1) {
        const from = this.readFrom;
        const stop = Math.max(0, from - 1 - WRAP_LINE_MAX);
        const s = from > 0 ? lineStartBefore(this.text, from - 1, stop) : 0;
        // -1 from the walk: a code mark, or (only when it stopped short) maybe no line break.
        this.readLine = s >= 0 ? s : stop > 0 ? -3 : LINE_MARKED;
      }
      start = this.readLine;
      if (start === LINE_MARKED) return LINE_MARKED;
      if (start < 0) return -1;
    }
    return this.markAt >= start ? LINE_MARKED : start;
  }

  /** Reads the run starting at `i` (class `k`); returns a boundary or -(continue index) - 1. */
  private readRun(start: number, k: number, limit: number): number {
    const text = this.text;
    const n = text.length;
    let i = start;
    if (k === K_SPACE) {
      while (i < n && i <= limit && CLASS[text.charCodeAt(i)] === K_SPACE) i++;
      if (i < n && CLASS[text.charCodeAt(i)] === K_NL) return this.readNewlines(i, limit);
      if (i >= n) return -(i + 1);
      this.level = LEVEL.word;
      return i;
    }
    if (k === K_NL) return this.readNewlines(i, limit);
    if (k === K_CLOSE) return -(i + 2);
    if (k === K_CLAUSE_CJK) {
      while (i < n && i <= limit) {
        const c = CLASS[text.charCodeAt(i)];
        if (c === K_CLAUSE_CJK || c === K_CLOSE || c === K_SPACE) {
          if (text.charCodeAt(i) === 0x7d) this.markAt = i;
          i++;
        } else break;
      }
      if (i < n && CLASS[text.charCodeAt(i)] === K_NL) return this.readNewlines(i, limit);
      this.level = LEVEL.clause;
      return i;
    }
    if (k === K_CLAUSE_LAT) {
      i = this.readClosers(i + 1, limit);
      if (i >= n) return -(i + 1);
      const c = CLASS[text.charCodeAt(i)];
      if (c === K_NL) return this.readNewlines(i, limit);
      if (c !== K_SPACE) return -(i + 1);
      while (i < n && i <= limit && CLASS[text.charCodeAt(i)] === K_SPACE) i++;
      if (i < n && CLASS[text.charCodeAt(i)] === K_NL) return this.readNewlines(i, limit);
      this.level = LEVEL.clause;
      return i;
    }
    return this.readTerminators(start, k, limit);
  }

  /** A run of . ! ? … 。！？；, then closing quotes/brackets: a sentence end or not. */
  private readTerminators(start: number, k: number, limit: number): number {
    const text = this.text;
    const n = text.length;
    let i = start;
    // Terminators: a run of . ! ? … 。！？；, then closing quotes/brackets.
    let dots = 0;
    let strong = false; // ! ? or CJK terminator or ellipsis
    while (i < n && i <= limit) {
      const code = text.charCodeAt(i);
      const c = CLASS[code];
      if (c === K_TERM_LAT) {
        if (code === 0x2e) dots++;
        else strong = true;
      } else if (c === K_TERM_CJK || c === K_ELLIPSIS) strong = true;
      else break;
      i++;
    }
    const runEnd = i;
    i = this.readClosers(i, limit);
    if (i > limit && i < n) return -(limit + 2);
    const cjk = k === K_TERM_CJK;
    if (i < n) {
      const code = text.charCodeAt(i);
      const c = CLASS[code];
      if (c !== K_SPACE && c !== K_NL && !cjk) {
        // Latin terminator glued to what follows: decimals (99.5), URLs, "e.g.x".
        if (!(isCjkUnit(code) && !isDigit(text.charCodeAt(start - 1)))) return -(i + 1);
        if (!strong && dots === 1 && isAbbreviation(text, start)) return -(i + 1);
      }
      if (!strong && dots === 1 && c === K_SPACE && runEnd === i) {
        // "e.g. ", "Mr. Smith", "approx. three": not a sentence end, but a word boundary.
        let j = i;
        while (j < n && j <= limit && CLASS[text.charCodeAt(j)] === K_SPACE) j++;
        if (j > limit && j < n) return -(limit + 2);
        const after = j < n ? text.charCodeAt(j) : 0;
        if (
          isAbbreviation(text, start) ||
          isListMarker(text, start) ||
          isAsciiLower(after) ||
          isDigit(after)
        ) {
          if (j < n && CLASS[after] === K_NL) return this.readNewlines(j, limit);
          this.level = LEVEL.word;
          return j;
        }
      }
    }
    while (i < n && i <= limit && CLASS[text.charCodeAt(i)] === K_SPACE) {
      const code = text.charCodeAt(i);
      if (code === 0x3000) break; // keep full-width indents with the next sentence
      i++;
    }
    if (i < n && CLASS[text.charCodeAt(i)] === K_NL) return this.readNewlines(i, limit);
    this.level = LEVEL.sentence;
    return i;
  }

  /** Past the closing quotes and brackets from `i` (noting a '}', a code mark). */
  private readClosers(start: number, limit: number): number {
    const text = this.text;
    const n = text.length;
    let i = start;
    for (; i < n && i <= limit && CLASS[text.charCodeAt(i)] === K_CLOSE; i++) {
      if (text.charCodeAt(i) === 0x7d) this.markAt = i;
    }
    return i;
  }

  // Passes re-read the same line breaks: remember the last levels (direct-mapped by position).
  private readonly wrapKeys = new Int32Array(256).fill(-1);
  private readonly wrapLevels = new Uint8Array(256);
  private wrapText = '';

  /** wrappedLineLevel, remembered per position for the current text. */
  private singleBreakLevel(start: number, after: number): BoundaryLevel {
    if (this.wrapText !== this.text) {
      this.wrapKeys.fill(-1);
      this.wrapText = this.text;
    }
    const slot = start & 255;
    if (this.wrapKeys[slot] === start) return this.wrapLevels[slot] as BoundaryLevel;
    const level = wrappedLineLevel(this.text, start, after, this.lineHint());
    this.wrapKeys[slot] = start;
    this.wrapLevels[slot] = level;
    return level;
  }

  /** Reads line breaks (with blank space between them) starting at `i`. */
  private readNewlines(start: number, limit: number): number {
    const text = this.text;
    const n = text.length;
    let i = start;
    let breaks = 0;
    let after = start;
    while (i < n) {
      // The run goes on past the window: its end is decided by a later, wider scan.
      if (i > limit) return -(limit + 2);
      const code = text.charCodeAt(i);
      const c = CLASS[code];
      if (c === K_NL) {
        if (!(code === 0x0a && i > 0 && text.charCodeAt(i - 1) === 0x0d)) breaks++;
        i++;
        after = i;
      } else if (c === K_SPACE && code !== 0x3000) i++;
      else break;
    }
    this.level = breaks >= 2 ? LEVEL.paragraph : this.singleBreakLevel(start, after);
    this.breakEnd = after;
    return after;
  }
}

/** Number of Unicode code points in `text[s, e)`. */
export function codePointsBetween(text: string, s: number, e: number): number {
  let count = e - s;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < e) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

const SURROGATE_RE = /[\uD800-\uDFFF]/;
/** Whether the text has any surrogate code unit (so code points differ from UTF-16 units). */
export function hasSurrogates(text: string): boolean {
  return SURROGATE_RE.test(text);
}

let wordSegmenter: Intl.Segmenter | undefined;
/**
 * Word boundaries for text without spaces (Chinese), from `Intl.Segmenter`, inside `(lo, hi]`:
 * returns the last one (or the first when `first` is set), or -1.
 */
export function segmenterWordBoundary(
  text: string,
  lo: number,
  hi: number,
  first: boolean,
): number {
  wordSegmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  // Segment with some context on both sides: a run cut mid-word segments differently.
  const from = Math.max(0, Math.max(lo, hi - 96) - 32);
  const to = Math.min(text.length, hi + 24);
  if (to <= from) return -1;
  // `containing` finds the segments around a position without walking the whole slice.
  const segments = wordSegmenter.segment(text.slice(from, to));
  if (first) {
    for (let p = lo + 1; p <= hi && p < to; ) {
      const seg = segments.containing(p - from);
      if (!seg) break;
      const start = from + seg.index;
      const b = start === p ? p : start + seg.segment.length;
      if (b > hi) break;
      if (b > from && isWordStart(text, b)) return b;
      p = b + 1;
    }
    return -1;
  }
  for (let p = Math.min(hi, to - 1); p > lo; ) {
    const seg = segments.containing(p - from);
    if (!seg) break;
    const start = from + seg.index;
    if (start > lo && start > from && isWordStart(text, start)) return start;
    p = start - 1;
  }
  return -1;
}

/** May a chunk start at the segmenter's word boundary `p` (not before punctuation)? */
function isWordStart(text: string, p: number): boolean {
  return canStartAt(text, p) && CLASS[text.charCodeAt(p)] === K_OTHER;
}
