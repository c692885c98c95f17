import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCorpus, hardWrap } from '../../../bench/corpus.js';
import { auditChunks, sentenceEnds, splitText } from '../../../src/tools/chunk/index.js';
import { type BoundaryLevel, BoundaryScanner, LEVEL } from '../../../src/tools/chunk/text.js';

// Issue 14, item 15: in plain text hard-wrapped at ~72 columns, a single line break inside a
// sentence is not a structural boundary; blank lines, list items, headings and code keep theirs.

/** Every boundary the scanner reports: position → level. */
function levels(text: string): Map<number, number> {
  const scanner = new BoundaryScanner(text);
  const out = new Map<number, number>();
  for (let p = 0; ; ) {
    p = scanner.next(p, text.length);
    if (p < 0) break;
    out.set(p, scanner.level);
  }
  return out;
}
const endOf = (text: string, s: string) => text.indexOf(s) + s.length;

describe('hard-wrapped English', () => {
  const original = generateCorpus('en', 300_000, 42);
  const wrapped = hardWrap(original);

  it('the fixture is the corpus with the same offsets, wrapped at 72 columns', () => {
    expect(wrapped).toHaveLength(original.length);
    expect(wrapped).not.toBe(original);
    const lines = wrapped.split('\n');
    const long = lines.filter((l) => [...l].length > 72 && !/\s/.test(l.slice(72)));
    expect(long.length / lines.length).toBeLessThan(0.01); // only unbreakable words
  });

  it('no chunk ends mid-sentence where the sentence would have fit (was hundreds)', () => {
    const truth = sentenceEnds(original);
    // At size 400 one end remains: a paragraph's first line wrapped before a capitalized word
    // ("969.82\nGB"), which reads exactly like a title line followed by its text.
    for (const [size, overlap, most] of [
      [1000, 100, 0],
      [400, 40, 1],
    ] as const) {
      const chunks = splitText(wrapped, { size, overlap });
      const report = auditChunks(wrapped, chunks, {
        size,
        overlap,
        measure: (t) => [...t].length,
        sentenceEnds: truth,
      });
      expect(report.rebuilds).toBe(true);
      expect(report.oversized).toBe(0);
      expect(report.midSentenceEnds, `size ${size}`).toBeLessThanOrEqual(most);
    }
  });

  it('a wrap inside a sentence ranks below the sentence end before it', () => {
    const text =
      'The splitter reads a long text and keeps every sentence whole when it can do so.\n' +
      'Hard wrapping puts a single line break inside this sentence, which goes on and\n' +
      'continues here, and then, after a comma at the end of the line, it goes on,\n' +
      'still inside the same sentence until it ends. A wrapped line before a capital\n' +
      'Word continues too, inside its block.\n';
    const l = levels(text);
    expect(l.get(endOf(text, 'can do so.\n'))).toBe(LEVEL.line); // ends a sentence
    expect(l.get(endOf(text, 'goes on and\n'))).toBe(LEVEL.word);
    expect(l.get(endOf(text, 'it goes on,\n'))).toBe(LEVEL.clause);
    expect(l.get(endOf(text, 'before a capital\n'))).toBe(LEVEL.clause);
    expect(l.get(endOf(text, 'it ends. '))).toBe(LEVEL.sentence);
  });
});

describe('structure keeps its rank', () => {
  it('blank lines, list items, headings, indented and code-like lines, titles', () => {
    const text = [
      'A title line that is long enough to look like a wrapped line of prose',
      'Followed by its first sentence, which starts with a capital letter here.',
      '',
      '## a heading that is long enough to be taken for a wrapped line of text',
      'and a lowercase line right after it, which is not the heading continued.',
      'The list below is introduced by a line that does not end with a period',
      '- first item of the list, which is long enough to have been wrapped here',
      'a) a lettered item that follows a long line without any sentence end on it',
      'iv) a roman item that follows a long line without any sentence end at all',
      '    indented code that is long enough to be mistaken for a wrapped line',
      '    more indented code, also lowercase and at the same indentation level',
      'const value = computeSomethingLongEnoughToLookLikeAWrappedLine(input)',
      'return value + anotherFunctionCallThatMakesThisLineLongEnough(x, y)',
      'a short line',
      'another short line',
      '',
    ].join('\n');
    const l = levels(text);
    const at = (line: string) => l.get(endOf(text, `${line}\n`));
    expect(at('to look like a wrapped line of prose')).toBe(LEVEL.line); // title, then text
    expect(l.get(endOf(text, 'capital letter here.\n\n'))).toBe(LEVEL.paragraph);
    expect(at('taken for a wrapped line of text')).toBe(LEVEL.line); // heading
    expect(at('does not end with a period')).toBe(LEVEL.line); // next: list item
    expect(at('have been wrapped here')).toBe(LEVEL.line); // next: a) item
    expect(at('any sentence end on it')).toBe(LEVEL.line); // next: iv) item
    expect(at('at all')).toBe(LEVEL.line); // next: indentation change
    expect(at('mistaken for a wrapped line')).toBe(LEVEL.line); // indented code
    expect(at('LikeAWrappedLine(input)')).toBe(LEVEL.line); // code marks
    expect(at('a short line')).toBe(LEVEL.line); // too short to have been wrapped
  });

  it('a bad or tiny input still scans (no crash, no wrap at the text edges)', () => {
    expect([...levels('\n').values()]).toEqual([LEVEL.line]);
    expect(levels('a\nb').get(2)).toBe(LEVEL.line);
    const long = `${'word '.repeat(200)}\nnext`;
    expect(levels(long).get(long.length - 4)).toBe(LEVEL.line); // a 1,000-char line: not wrapped
  });
});

describe('the scanner reads a line once for the hard-wrap check', () => {
  /** The level a scanner that starts just before `p` (and so reads the line again) gives it. */
  function freshLevel(text: string, p: number, minLevel: BoundaryLevel): number {
    const scanner = new BoundaryScanner(text);
    scanner.minLevel = minLevel;
    return scanner.next(p - 1, text.length) === p ? scanner.level : -1;
  }

  /** Every boundary of one continuous scan at `minLevel` that a fresh scan rates otherwise. */
  function disagreements(text: string, minLevel: BoundaryLevel): string[] {
    const scanner = new BoundaryScanner(text);
    scanner.minLevel = minLevel;
    const out: string[] = [];
    for (let p = 0; ; ) {
      p = scanner.next(p, text.length);
      if (p < 0) break;
      const fresh = freshLevel(text, p, minLevel);
      if (fresh !== scanner.level) out.push(`${p}: ${scanner.level} vs ${fresh}`);
    }
    return out;
  }

  const line = 'a line of prose that is long enough to have been wrapped here';
  it('a code mark, also one a sentence end swallows ("end.}"), keeps the line break a line', () => {
    for (const mark of ['x = 1', 'a {b', 'end.}', 'it,}', 'a <b>', '`c`', 'a|b', 'c\\d', '#x']) {
      const text = `Start.\n${line} ${mark} and\nmore words after it\n`;
      const nl = endOf(text, ' and\n');
      expect(levels(text).get(nl), mark).toBe(LEVEL.line);
      expect(disagreements(text, LEVEL.sentence), mark).toEqual([]);
    }
    const plain = `Start.\n${line} and\nmore words after it\n`;
    expect(levels(plain).get(endOf(plain, ' and\n'))).toBe(LEVEL.word);
  });

  it('a line longer than the look-back, CR LF and U+2028 breaks, a text that starts mid-line', () => {
    const long = `${'word '.repeat(110)}and\nmore words\n`; // 550 chars: not wrapped
    const texts = [
      long,
      `x\n${long}`,
      `${line}\r\n${line}\r\nmore words after it\r\n`,
      `Start.\u2028${line}\u2028more words\u2028`,
      `${line}\nmore ${line}\nand more\n`,
    ];
    for (const text of texts) {
      for (const level of [LEVEL.word, LEVEL.clause, LEVEL.sentence] as const) {
        expect(disagreements(text, level), JSON.stringify(text.slice(0, 40))).toEqual([]);
      }
    }
  });

  it('generated wrapped text with code marks and closers: one scan agrees with fresh scans', () => {
    const token = fc.constantFrom(
      'the',
      'model',
      'Reads',
      'I',
      'Dr.',
      'e.g.',
      '3',
      'a.',
      'iv)',
      'x=1',
      '{a}',
      'end.}',
      'ok,}',
      '“Hi.”',
      '}',
      '#',
      '<b>',
      '`c`',
      'a|b',
      '中文。',
      '，',
      '😀',
    );
    const sep = fc.constantFrom(' ', ' ', ' ', '\n', '\r\n', '\n\n', '  \n', '\n    ', '. ', ', ');
    const text = fc
      .tuple(fc.array(fc.tuple(token, sep), { maxLength: 300 }), fc.integer({ min: 20, max: 90 }))
      .map(([parts, width]) => hardWrap(parts.map(([t, s]) => t + s).join(''), width));
    fc.assert(
      fc.property(text, (t) => {
        for (const level of [LEVEL.word, LEVEL.sentence] as const) {
          expect(disagreements(t, level)).toEqual([]);
        }
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });
});
