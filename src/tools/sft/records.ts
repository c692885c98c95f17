/**
 * Cutting a stream of text into records without holding the file: JSONL (one record per
 * non-blank line) or a JSON array (one record per top-level element, found by a small scanner
 * that tracks strings and nesting). Each record comes with the line it starts on. Pure: the
 * caller feeds string pieces (`push`) and says when the input ends (`end`).
 */

export type Layout = 'jsonl' | 'json';

/** A piece of the input that is not a record: a broken JSON array (with its line). */
export interface LayoutProblem {
  line: number;
  en: string;
  zh: string;
}

export type RecordSink = (text: string, line: number) => void;

const NL = 10;
const QUOTE = 34;
const BACKSLASH = 92;

/** Feed text pieces in; records come out through `onRecord` in file order. */
export class RecordScanner {
  layout: Layout | undefined;
  readonly problems: LayoutProblem[] = [];
  private buffer = '';
  /** Line number (1-based) of `buffer[0]`. */
  private line = 1;
  private started = false;
  // JSON-array state (kept across pieces)
  private depth = 0;
  private inString = false;
  private escaped = false;
  private elementStart = -1;
  private elementLine = 0;
  private scanned = 0;
  private closed = false;

  constructor(private readonly onRecord: RecordSink) {}

  push(piece: string): void {
    if (piece.length === 0) return;
    if (!this.started) {
      this.buffer += piece;
      const first = this.buffer.replace(/^\uFEFF/, '').match(/\S/);
      if (!first) return;
      this.buffer = this.buffer.replace(/^\uFEFF/, '');
      this.started = true;
      this.layout = first[0] === '[' ? 'json' : 'jsonl';
      const text = this.buffer;
      this.buffer = '';
      this.feed(text);
      return;
    }
    this.feed(piece);
  }

  end(): void {
    if (!this.started) return;
    if (this.layout === 'jsonl') {
      if (this.buffer.length > 0) this.emitLine(this.buffer);
      this.buffer = '';
      return;
    }
    this.scanArray();
    if (!this.closed) {
      this.problems.push({
        line: this.elementStart >= 0 ? this.elementLine : this.line,
        en: 'the JSON array is not closed with ] (the file is cut short?)',
        zh: 'JSON 数组没有以 ] 结束（文件被截断了？）',
      });
      const rest = this.elementStart >= 0 ? this.buffer.slice(this.elementStart).trim() : '';
      if (rest) this.onRecord(rest, this.elementLine);
    }
  }

  private feed(piece: string): void {
    if (this.layout === 'jsonl') this.feedLines(piece);
    else {
      this.buffer += piece;
      this.scanArray();
    }
  }

  private feedLines(piece: string): void {
    let text = this.buffer.length > 0 ? this.buffer + piece : piece;
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
      this.emitLine(text.slice(from, nl));
      this.line++;
      from = nl + 1;
    }
    text = text.slice(from);
    this.buffer = text;
  }

  private emitLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim().length > 0) this.onRecord(line, this.line);
  }

  /** Scan the buffered array text from `scanned`, emitting every complete element. */
  private scanArray(): void {
    const s = this.buffer;
    let i = this.scanned;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === NL) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (this.closed) {
        if (c > 32) this.problemAfterEnd();
        continue;
      }
      i = this.scanStructural(s, i, c);
    }
    // keep only the element being read
    const keepFrom = this.elementStart >= 0 ? this.elementStart : i;
    this.buffer = s.slice(keepFrom);
    if (this.elementStart >= 0) this.elementStart = 0;
    this.scanned = i - keepFrom;
  }

  private scanStructural(s: string, i: number, c: number): number {
    if (c === QUOTE) {
      if (this.depth === 1) this.mark(i);
      this.inString = true;
    } else if (c === 91 || c === 123) {
      // [ {
      if (this.depth === 1) this.mark(i);
      this.depth++;
    } else if (c === 93 || c === 125) {
      // ] }
      this.depth--;
      if (this.depth === 0) {
        this.finishElement(s, i);
        this.closed = true;
        if (c !== 93) this.problemAfterEnd();
      }
    } else if (c === 44 && this.depth === 1) {
      this.finishElement(s, i);
    } else if (c > 32) {
      if (this.depth <= 0) this.problemAfterEnd();
      else if (this.depth === 1) this.mark(i);
    }
    return i;
  }

  /** An element starts at `i` unless one is already being read. */
  private mark(i: number): void {
    if (this.elementStart >= 0) return;
    this.elementStart = i;
    this.elementLine = this.line;
  }

  private finishElement(s: string, i: number): void {
    if (this.elementStart < 0) return;
    const text = s.slice(this.elementStart, i).trim();
    this.elementStart = -1;
    if (text) this.onRecord(text, this.elementLine);
  }

  private problemAfterEnd(): void {
    if (this.problems.length > 0) return;
    this.problems.push({
      line: this.line,
      en: 'text after the end of the JSON array',
      zh: 'JSON 数组结束后还有多余内容',
    });
  }
}
