import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/core/command.js';
import { tokensCommand } from '../../../src/core/commands/tokens.js';
import type { Lang, Reply } from '../../../src/core/types.js';

function run(text: string | undefined, lang: Lang = 'en'): Reply {
  const ctx = {
    incoming: { platform: 'test', user: { id: 'u' }, channel: { id: 'c', isDM: true }, text: '' },
    lang,
  } as unknown as CommandContext;
  return tokensCommand.run(tokensCommand.schema.parse({ text }), ctx) as Reply;
}

describe('/tokens', () => {
  it('counts under three tokenizers plus characters', () => {
    const r = run('大语言模型 large language models');
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

  it('answers in Chinese', () => {
    const r = run('你好 world', 'zh');
    expect(r.title).toBe('/tokens：词元数');
    expect(r.paragraphs[0]).toContain('汉字 2 个');
  });

  it('asks for text when there is none, and refuses huge text', () => {
    expect(run(undefined).kind).toBe('error');
    expect(run('   ').paragraphs[0]).toMatch(/Put the text to count/);
    expect(run('a'.repeat(200_001)).paragraphs[0]).toMatch(/at most 200000/);
  });
});
