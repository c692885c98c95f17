import { BoundaryScanner, canStartAt, LEVEL } from './text.js';

/** A chunk to audit; `start` is found by searching the text when a splitter gives none. */
export interface AuditChunk {
  text: string;
  start?: number;
}

export interface AuditOptions {
  size: number;
  overlap: number;
  /** Size of a piece of text in the splitter's unit (code points or tokens). */
  measure(text: string): number;
  /**
   * The text's true sentence ends, when the scanner cannot know them (a hard-wrapped text:
   * the ends of its unwrapped original). Default: the scanner's sentence, line and paragraph
   * boundaries.
   */
  sentenceEnds?: Int32Array;
}

/** How a list of chunks measures up to the splitter rules (for tests and the benchmark). */
export interface AuditReport {
  chunks: number;
  /** Chunks whose own size is over `size`. */
  oversized: number;
  /** Chunks that could not be found in the text, in order. */
  unlocated: number;
  /** Non-whitespace text that is in no chunk (characters). */
  uncovered: number;
  /** Removing the overlaps gives back the input exactly. */
  rebuilds: boolean;
  /** Chunk ends inside a sentence that would have fit in a chunk (and share of all ends). */
  midSentenceEnds: number;
  midSentenceShare: number;
  /** Boundaries (between consecutive chunks) that share no text, and their share. */
  noOverlap: number;
  noOverlapShare: number;
  /** Boundaries whose shared text is longer than `overlap`. */
  overlapTooLong: number;
  /** Mean size / `size`, last chunk excluded. */
  meanFill: number;
  /** Chunks (after the first) starting with closing punctuation. */
  closingStarts: number;
  /** Chunk starts or ends inside a grapheme cluster (by Intl.Segmenter). */
  splitGraphemes: number;
}

/** Sorted sentence ends of the whole text (sentence, line and paragraph boundaries). */
export function sentenceEnds(text: string): Int32Array {
  const scanner = new BoundaryScanner(text);
  const out: number[] = [];
  let p = 0;
  for (;;) {
    p = scanner.next(p, text.length);
    if (p < 0) break;
    if (scanner.level >= LEVEL.sentence) out.push(p);
  }
  return Int32Array.from(out);
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
function isSegmenterBreak(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return true;
  const from = Math.max(0, p - 48);
  const slice = text.slice(from, Math.min(text.length, p + 48));
  for (const seg of graphemes.segment(slice)) {
    const q = from + seg.index;
    if (q === p) return true;
    if (q > p) return false;
  }
  return false;
}

const WS = /\s/;

type Located = { start: number; end: number; size: number };

/** Find each chunk in the text (in order) and measure it. */
function locate(
  text: string,
  chunks: readonly AuditChunk[],
  options: AuditOptions,
): { located: Located[]; unlocated: number; oversized: number } {
  const located: Located[] = [];
  let unlocated = 0;
  let oversized = 0;
  let from = 0;
  for (const c of chunks) {
    const start = c.start ?? text.indexOf(c.text, from);
    if (start < 0 || text.slice(start, start + c.text.length) !== c.text) {
      unlocated++;
      continue;
    }
    const size = options.measure(c.text);
    if (size > options.size) oversized++;
    located.push({ start, end: start + c.text.length, size });
    from = start + 1;
  }
  return { located, unlocated, oversized };
}

/** Non-whitespace characters in no chunk, and whether dropping the overlaps rebuilds the text. */
function coverage(
  text: string,
  located: readonly Located[],
): { uncovered: number; rebuilds: boolean } {
  const n = text.length;
  let uncovered = 0;
  let covered = 0;
  let rebuilt = '';
  let rebuilds = true;
  for (const c of located) {
    if (c.start > covered) {
      for (let i = covered; i < c.start; i++) if (!WS.test(text.charAt(i))) uncovered++;
      rebuilds = false;
    }
    if (c.end > covered) {
      rebuilt += text.slice(Math.max(covered, c.start), c.end);
      covered = c.end;
    }
  }
  for (let i = covered; i < n; i++) if (!WS.test(text.charAt(i))) uncovered++;
  if (rebuilt !== text) rebuilds = false;
  return { uncovered, rebuilds };
}

/** Does a chunk ending at `end` cut a sentence that would have fit in a chunk? */
function endsMidSentence(
  text: string,
  end: number,
  ends: Int32Array,
  options: AuditOptions,
): boolean {
  const n = text.length;
  // A trimmed chunk ends before the whitespace that follows its sentence.
  let e = end;
  while (e < n && WS.test(text.charAt(e))) e++;
  const k = lowerBound(ends, end);
  const atEnd = ends[k] === end || (ends[k] !== undefined && (ends[k] ?? 0) <= e);
  if (atEnd) return false;
  const a = k > 0 ? (ends[k - 1] ?? 0) : 0;
  const q = k < ends.length ? (ends[k] ?? n) : n;
  return options.measure(text.slice(a, q)) <= options.size;
}

/** Check chunks against the rules: size, coverage, sentence ends, overlap, fill, graphemes. */
export function auditChunks(
  text: string,
  chunks: readonly AuditChunk[],
  options: AuditOptions,
): AuditReport {
  const n = text.length;
  const ends = options.sentenceEnds ?? sentenceEnds(text);
  const { located, unlocated, oversized } = locate(text, chunks, options);
  const { uncovered, rebuilds } = coverage(text, located);
  let midSentence = 0;
  let noOverlap = 0;
  let tooLong = 0;
  let closing = 0;
  let splitG = 0;
  let fillSum = 0;
  for (let i = 0; i < located.length; i++) {
    const c = located[i];
    if (!c) continue;
    if (i < located.length - 1) fillSum += c.size / options.size;
    if (!isSegmenterBreak(text, c.start) || !isSegmenterBreak(text, c.end)) splitG++;
    if (i > 0 && !canStartAt(text, c.start) && !WS.test(text.charAt(c.start))) {
      // canStartAt also refuses grapheme-extending marks; count punctuation only.
      if (isSegmenterBreak(text, c.start)) closing++;
    }
    if (c.end < n && endsMidSentence(text, c.end, ends, options)) midSentence++;
    const next = located[i + 1];
    if (next) {
      if (next.start >= c.end) noOverlap++;
      else if (options.measure(text.slice(next.start, c.end)) > options.overlap) tooLong++;
    }
  }
  const boundaries = Math.max(0, located.length - 1);
  return {
    chunks: chunks.length,
    oversized,
    unlocated,
    uncovered,
    rebuilds,
    midSentenceEnds: midSentence,
    midSentenceShare: boundaries ? midSentence / boundaries : 0,
    noOverlap,
    noOverlapShare: boundaries ? noOverlap / boundaries : 0,
    overlapTooLong: tooLong,
    meanFill: located.length > 1 ? fillSum / (located.length - 1) : 1,
    closingStarts: closing,
    splitGraphemes: splitG,
  };
}
