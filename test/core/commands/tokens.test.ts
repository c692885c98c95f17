import { describe, expect, it } from 'vitest';
import { runTokens as run } from '../../tools/tokens/helpers.js';

describe('/tokens', () => {
  it('counts under three tokenizers plus characters', async () => {
    const r = await run('大语言模型 large language models');
    expect(r.kind).toBe('answer');
    expect(r.table?.rows.map((row) => row[0])).toEqual([
      'o200k_base (GPT-4o, GPT-4.1, o-series)',
      'cl100k_base (GPT-4, GPT-3.5)',
      'LLaMA 1/2 SentencePiece (32k)',
      'characters (code points)',
    ]);
    expect(r.table?.rows[3]?.[1]).toBe('27');
    expect(r.paragraphs[1]).toMatch(/tokens per Chinese character, [\d.]+ tokens per English word/);
  });

  it('answers in Chinese', async () => {
    const r = await run('你好 world', 'zh');
    expect(r.title).toBe('/tokens：词元数');
    expect(r.paragraphs[0]).toContain('汉字 2 个');
  });

  it('asks for text when there is none, and refuses huge text', async () => {
    expect((await run(undefined)).kind).toBe('error');
    expect((await run('   ')).paragraphs[0]).toMatch(/Put the text to count/);
    expect((await run('a'.repeat(200_001))).paragraphs[0]).toMatch(/at most 200000/);
  });
});

// Issue 14, item 14: tokens per character for Chinese, per word for English, both for mixed.

describe('/tokens reports the unit the text is written in', () => {
  it('Chinese: per character only', async () => {
    const r = await run('大模型的上下文窗口有限。');
    expect(r.table?.headers).toEqual(['tokenizer', 'tokens', 'tokens/Chinese char']);
    expect(r.paragraphs[1]).toMatch(
      /^Under GPT-4o \(o200k\): [\d.]+ tokens per Chinese character\./,
    );
    expect(r.paragraphs[1]).not.toContain('word');
    const zh = await run('大模型的上下文窗口有限。', 'zh');
    expect(zh.table?.headers).toEqual(['分词器', '词元', '词元/汉字']);
  });

  it('English: per word only', async () => {
    const r = await run('The model reads a long text.');
    expect(r.table?.headers).toEqual(['tokenizer', 'tokens', 'tokens/English word']);
    expect(r.paragraphs[1]).toMatch(/^Under GPT-4o \(o200k\): [\d.]+ tokens per English word\./);
    expect(r.paragraphs[1]).not.toContain('Chinese');
  });

  it('mixed: both, each measured on its own script', async () => {
    const r = await run('大模型 reads long text 很长。');
    expect(r.table?.headers).toEqual([
      'tokenizer',
      'tokens',
      'tokens/Chinese char',
      'tokens/English word',
    ]);
    expect(r.paragraphs[1]).toMatch(/tokens per Chinese character, [\d.]+ tokens per English word/);
    for (const row of r.table?.rows.slice(0, 3) ?? []) expect(row).toHaveLength(4);
  });

  it('neither (digits, emoji): per character, not an empty table', async () => {
    const r = await run('12345 😀');
    expect(r.table?.headers).toEqual(['tokenizer', 'tokens', 'tokens/char']);
    expect(r.table?.rows.every((row) => row[2] !== '–')).toBe(true);
    expect(r.paragraphs[1]).toMatch(/tokens per character/);
  });

  it('no text and too much text are still clear errors', async () => {
    expect((await run('  ')).paragraphs[0]).toMatch(/Put the text to count after \/tokens/);
    expect((await run('x'.repeat(200_001), 'zh')).paragraphs[0]).toMatch(/最多统计 200000/);
  });
});
