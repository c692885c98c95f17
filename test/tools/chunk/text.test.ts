import { describe, expect, it } from 'vitest';
import { generateCorpus, hardWrap } from '../../../bench/corpus.js';
import { auditChunks, sentenceEnds, splitText } from '../../../src/tools/chunk/index.js';
import { BoundaryScanner, LEVEL } from '../../../src/tools/chunk/text.js';

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
