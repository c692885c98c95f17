import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/core/command.js';
import { chunkCommand } from '../../../src/core/commands/chunk.js';
import { inProcessJobs } from '../../../src/core/jobs/runner.js';
import type { Lang, Platform, Reply } from '../../../src/core/types.js';

function ctx(lang: Lang = 'en', platform: Platform = 'test'): CommandContext {
  return {
    incoming: { platform, user: { id: 'u' }, channel: { id: 'c', isDM: true }, text: '' },
    lang,
    jobs: inProcessJobs,
  } as unknown as CommandContext;
}

/** Parse raw (string) options like the router does, then run. */
async function chunk(raw: Record<string, unknown>, lang: Lang = 'en', platform: Platform = 'test') {
  const args = chunkCommand.schema.parse(raw);
  return (await chunkCommand.run(args, ctx(lang, platform))) as Reply;
}

const doc =
  '第一段第一句。第一段第二句，很长很长。\n\n第二段：他说“好的。”然后走了。第三句！'.repeat(4);

describe('/chunk', () => {
  it('splits inline text and returns the full chunk list as data', async () => {
    const r = await chunk({ size: '30', overlap: '6', text: doc });
    expect(r.kind).toBe('answer');
    const data = r.data as {
      count: number;
      chunks: { start: number; end: number; text: string }[];
    };
    expect(data.count).toBe(data.chunks.length);
    expect(data.chunks[0]?.start).toBe(0);
    expect(data.chunks.at(-1)?.end).toBe(doc.length);
    expect(r.paragraphs[0]).toMatch(
      /chunks of at most 30 characters, overlap up to 6\. Sizes: min \d+, median [\d.]+, max \d+/,
    );
    expect(r.paragraphs.some((p) => /^1\. .+ \| .+/.test(p))).toBe(true);
    expect(r.table?.headers).toEqual(['#', 'start', 'end', 'size', 'ends at', 'overlap']);
  });

  it('explains boundaries in Chinese and links topic 4', async () => {
    const r = await chunk({ size: '30', overlap: '6', explain: 'true', text: doc }, 'zh');
    const text = r.paragraphs.join('\n');
    expect(text).toContain('切分点 1：第 1 块结束于');
    expect(text).toContain('重复了上一块末尾');
    expect(r.hints).toContain('/topic 4');
  });

  it('counts tokens with unit=tokens', async () => {
    const r = await chunk({ size: '16', overlap: '2', unit: 'tokens', text: doc });
    expect(r.kind).toBe('answer');
    expect((r.data as { options: { unit: string } }).options.unit).toBe('tokens');
  });

  it.each([
    [{ size: '0', text: 'x' }, 'size', /size must be a whole number from 1/],
    [{ size: '10', overlap: '10', text: 'x' }, 'overlap', /smaller than size=10/],
    [
      { size: '10', unit: 'tokens', tokenizer: 'gpt-9', text: 'x' },
      'tokenizer',
      /unknown tokenizer "gpt-9"/,
    ],
    [{ size: '10' }, 'text', /Nothing to split/],
  ])('%j → error naming %s', async (raw, option, message) => {
    const r = await chunk(raw);
    expect(r.kind).toBe('error');
    expect(r.title).toContain(option);
    expect(r.paragraphs.join(' ')).toMatch(message);
  });

  it('answers in Chinese for bad options too', async () => {
    const r = await chunk({ size: '10', overlap: '20', text: 'x' }, 'zh');
    expect(r.title).toBe('/chunk：参数 overlap 有误');
    expect(r.paragraphs[0]).toContain('必须是 0 到 9 之间的整数');
  });

  it('defaults overlap to min(50, size/10)', async () => {
    const r = await chunk({ size: '40', text: doc });
    expect((r.data as { options: { overlap: number } }).options.overlap).toBe(4);
  });

  it('reads file= in the terminal, refuses it elsewhere, refuses > 2 MiB and binary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chunk-'));
    const good = join(dir, 'a.md');
    writeFileSync(good, doc);
    const ok = await chunk({ size: '30', file: good });
    expect(ok.kind).toBe('answer');
    expect((ok.data as { source: string }).source).toBe(good);

    const remote = await chunk({ size: '30', file: good }, 'en', 'discord');
    expect(remote.kind).toBe('error');
    expect(remote.paragraphs[0]).toMatch(/only in the terminal/);

    const big = join(dir, 'big.txt');
    writeFileSync(big, 'a'.repeat(2 * 1024 * 1024 + 1));
    const tooBig = await chunk({ size: '30', file: big });
    expect(tooBig.paragraphs[0]).toContain(
      'The text is 2,097,153 bytes; the limit is 2,097,152 bytes (2 MiB).',
    );

    const bin = join(dir, 'x.bin');
    writeFileSync(bin, Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    expect((await chunk({ size: '30', file: bin })).paragraphs[0]).toMatch(/not a UTF-8 text file/);

    const missing = await chunk({ size: '30', file: join(dir, 'nope.txt') });
    expect(missing.paragraphs[0]).toMatch(/no such file/);

    const both = await chunk({ size: '30', file: good, text: 'x' });
    expect(both.paragraphs[0]).toMatch(/not both/);
  });

  it('refuses inline text over 2 MiB, with the exact sizes', async () => {
    const r = await chunk({ size: '500', text: '字'.repeat(800_000) });
    expect(r.kind).toBe('error');
    expect(r.paragraphs[0]).toContain('2,400,000 bytes; the limit is 2,097,152 bytes (2 MiB)');
    const zh = await chunk({ size: '500', text: `${'a'.repeat(2 * 1024 * 1024)}b` }, 'zh');
    expect(zh.paragraphs[0]).toContain('文本有 2,097,153 字节；上限是 2,097,152 字节（2 MiB）');
  });
});

describe('/chunk on huge results', () => {
  it('answers when a split makes more than 120,000 chunks (no spread into Math.min/max)', async () => {
    const text = 'abcde '.repeat(21_000); // 126,000 characters
    const r = await chunk({ size: '1', overlap: '0', text });
    expect(r.kind).toBe('answer');
    const data = r.data as { count: number; sizes: { min: number; median: number; max: number } };
    expect(data.count).toBe(126_000);
    expect(data.sizes).toEqual({ min: 1, median: 1, max: 1 });
  });
});

describe('/chunk and grapheme clusters longer than size', () => {
  it('keeps the cluster whole and says so in the reply, the table and the data', async () => {
    const cluster = `a${'\u0301'.repeat(32_000)}`;
    const r = await chunk({ size: '50', overlap: '5', text: `Some words first. ${cluster} after` });
    expect(r.kind).toBe('answer');
    const data = r.data as { oversized: number; chunks: { size: number; oversized?: true }[] };
    expect(data.oversized).toBe(1);
    expect(data.chunks.filter((c) => c.oversized).map((c) => c.size)).toEqual([32_001]);
    expect(r.paragraphs.join('\n')).toContain(
      '1 chunk is over 50: each is a single grapheme cluster',
    );
    expect(r.table?.rows.some((row) => row[4]?.endsWith('(oversized)'))).toBe(true);
    expect(r.files?.[0]?.content).toContain('"oversized":true');
  });

  it('never cuts a flag in half', async () => {
    const r = await chunk({ size: '1', overlap: '0', text: '🇨🇳🇺🇸🇫🇷' });
    const data = r.data as { chunks: { text: string; oversized?: true }[] };
    expect(data.chunks.map((c) => c.text)).toEqual(['🇨🇳', '🇺🇸', '🇫🇷']);
    expect(r.paragraphs.join('\n')).toContain('3 chunks are over 1');
  });
});
