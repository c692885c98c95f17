import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/core/command.js';
import { tokensCommand } from '../../../src/core/commands/tokens.js';
import { inProcessJobs } from '../../../src/core/jobs/runner.js';
import type { Lang, Reply } from '../../../src/core/types.js';

function run(text: string | undefined, lang: Lang = 'en'): Promise<Reply> {
  const ctx = {
    incoming: { platform: 'test', user: { id: 'u' }, channel: { id: 'c', isDM: true }, text: '' },
    lang,
    jobs: inProcessJobs,
  } as unknown as CommandContext;
  return Promise.resolve(tokensCommand.run(tokensCommand.schema.parse({ text }), ctx));
}

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
