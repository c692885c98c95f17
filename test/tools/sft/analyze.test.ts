import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SftAnalyzer, type SftOptions, type SftReport } from '../../../src/tools/sft/index.js';

const fixture = (name: string) => readFileSync(`test/fixtures/sft/${name}`, 'utf8');

function analyze(text: string, options: Partial<SftOptions> = {}, pieces = 1): SftReport {
  const a = new SftAnalyzer({ tokenizer: 'o200k', maxLen: 64, ...options });
  const size = Math.ceil(text.length / pieces);
  for (let i = 0; i < text.length; i += size) a.push(text.slice(i, i + size));
  return a.finish().report;
}

const lines = (list: { shown: { line: number }[] }) => list.shown.map((i) => i.line);

describe('planted defects: every one is reported at its line', () => {
  it('OpenAI chat JSONL', () => {
    const r = analyze(fixture('openai.jsonl'));
    expect(r.format).toBe('openai');
    expect(r.layout).toBe('jsonl');
    expect(r.records).toEqual({ total: 15, valid: 12, malformed: 3 });
    expect(lines(r.malformed)).toEqual([3, 10, 16]);
    expect(r.malformed.shown[0]?.en).toMatch(/not valid JSON/);
    expect(r.malformed.shown[1]?.en).toMatch(/"messages" array/);
    expect(lines(r.emptyResponses)).toEqual([4]);
    expect(lines(r.repeatsPrompt)).toEqual([5]);
    expect(lines(r.template)).toEqual([6, 11, 12, 13]);
    expect(r.template.shown[1]?.en).toMatch(/<\|im_end\|>.*pad = EOS/);
    expect(r.duplicates.exact.pairs).toEqual([{ line: 7, of: 1, similarity: 1 }]);
    expect(r.duplicates.near.pairs.map((p) => [p.line, p.of])).toEqual([[8, 2]]);
    expect(r.duplicates.near.pairs[0]?.similarity).toBeGreaterThanOrEqual(0.8);
    expect(r.languages).toEqual({ zh: 2, en: 9, mixed: 1, other: 0 });
    expect(r.tokens.all).toBe(true);
    expect(r.tokens.overMaxLen).toEqual({ count: 5, estimated: false });
    expect(r.tokens.response.max).toBeGreaterThan(64);
  });

  it('ShareGPT as a pretty-printed JSON array (lines are where each element starts)', () => {
    const r = analyze(fixture('sharegpt.json'));
    expect(r.layout).toBe('json');
    expect(r.format).toBe('sharegpt');
    expect(r.records).toEqual({ total: 8, valid: 7, malformed: 1 });
    expect(lines(r.malformed)).toEqual([54]);
    expect(lines(r.emptyResponses)).toEqual([41]);
    expect(lines(r.template)).toEqual([28]);
    expect(r.template.shown[0]?.en).toMatch(/unknown role "bot"/);
    expect(r.duplicates.exact.pairs.map((p) => [p.line, p.of])).toEqual([[85, 2]]);
    expect(r.duplicates.near.pairs.map((p) => [p.line, p.of])).toEqual([
      [55, 15],
      [68, 2],
    ]);
  });

  it('Alpaca JSONL, with a record of another format in it', () => {
    const r = analyze(fixture('alpaca.jsonl'));
    expect(r.format).toBe('alpaca');
    expect(lines(r.malformed)).toEqual([3, 4, 7, 10]);
    expect(r.malformed.shown.map((i) => i.en)).toEqual([
      'missing field "output"',
      'field "output" is not a string',
      expect.stringMatching(/ShareGPT .* but the file is Alpaca/),
      expect.stringMatching(/got an array/),
    ]);
    expect(lines(r.emptyResponses)).toEqual([5]);
    expect(lines(r.repeatsPrompt)).toEqual([6]);
    expect(r.duplicates.exact.pairs.map((p) => [p.line, p.of])).toEqual([[9, 2]]);
    expect(r.duplicates.near.pairs.map((p) => [p.line, p.of])).toEqual([[8, 1]]);
  });

  it('format= makes records of another format malformed instead of detecting', () => {
    const r = analyze(fixture('alpaca.jsonl'), { format: 'sharegpt' });
    expect(r.formatDetected).toBe(false);
    expect(r.records.valid).toBe(1);
    expect(r.malformed.shown[0]?.en).toMatch(/Alpaca .* but the file is ShareGPT/);
  });

  it('the report does not depend on how the input is cut into pieces', () => {
    for (const name of ['openai.jsonl', 'sharegpt.json', 'alpaca.jsonl']) {
      const whole = analyze(fixture(name));
      for (const pieces of [2, 7, 97, 1000])
        expect(analyze(fixture(name), {}, pieces)).toEqual(whole);
    }
  });
});

describe('bad and odd inputs', () => {
  it('empty input, only blank lines, a CRLF file, a BOM', () => {
    expect(analyze('').records.total).toBe(0);
    expect(analyze('\n\n  \n').layout).toBe('empty');
    const crlf =
      '\uFEFF{"instruction":"a b c d e","output":"f g h i j"}\r\n{"instruction":"x","output":"y"}\r\n';
    const r = analyze(crlf);
    expect(r.records).toEqual({ total: 2, valid: 2, malformed: 0 });
  });

  it('a JSON array cut short, or with text after it', () => {
    const cut = analyze('[\n{"instruction":"a","output":"b"},\n{"instruction":"c","out');
    expect(cut.malformed.shown.map((i) => i.line)).toEqual([3, 3]);
    expect(cut.malformed.shown[1]?.en).toMatch(/not closed/);
    const extra = analyze('[{"instruction":"a","output":"b"}]\n]x');
    expect(extra.malformed.shown[0]?.en).toMatch(/after the end/);
  });

  it('records in no known format are malformed, named as such', () => {
    const r = analyze('{"question":"q","answer":"a"}\n{"instruction":"x","output":"y"}\n');
    expect(r.malformed.shown[0]).toMatchObject({ line: 1 });
    expect(r.malformed.shown[0]?.en).toMatch(/any known format/);
    expect(r.format).toBe('alpaca');
  });

  it('shows at most 20 problems of a kind and counts the rest', () => {
    const text = Array.from({ length: 45 }, (_, i) => `{broken ${i}`).join('\n');
    const r = analyze(text);
    expect(r.malformed.count).toBe(45);
    expect(r.malformed.shown).toHaveLength(20);
  });

  it('a large input tokenizes an even sample and says so', () => {
    const record = (i: number) =>
      JSON.stringify({
        instruction: `question number ${i} about tokens`,
        output: `answer ${i} `.repeat((i % 7) + 1),
      });
    const text = Array.from({ length: 2000 }, (_, i) => record(i)).join('\n');
    const r = analyze(text, { expectedBytes: text.length, tokenBudgetBytes: 10_000, maxLen: 12 });
    expect(r.tokens.all).toBe(false);
    expect(r.tokens.counted).toBeGreaterThan(50);
    expect(r.tokens.counted).toBeLessThan(600);
    expect(r.tokens.overMaxLen.estimated).toBe(true);
    const exact = analyze(text, { maxLen: 12 });
    expect(exact.tokens.all).toBe(true);
    // the estimate is within 20 % of the exact count
    expect(Math.abs(r.tokens.overMaxLen.count - exact.tokens.overMaxLen.count)).toBeLessThan(
      0.2 * exact.tokens.overMaxLen.count,
    );
  });
});
