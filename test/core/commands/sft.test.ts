import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Platform, Reply } from '../../../src/core/types.js';
import { say, textOf } from '../helpers.js';

const FIXTURE = 'test/fixtures/sft/openai.jsonl';
const run = (line: string, platform: Platform = 'test', files?: { name: string; text: string }[]) =>
  say(line, { platform, ...(files ? { files } : {}) });

type Data = {
  records: { total: number };
  malformed: { count: number };
  split?: { counts: Record<string, number>; outputs: Record<string, string> };
};

describe('/sft in the terminal (file=path)', () => {
  it('checks a file and answers in English and Chinese', async () => {
    const en = await run(`/sft file=${FIXTURE} max_len=64`);
    expect(en.kind).toBe('answer');
    const text = textOf(en);
    for (const line of [3, 4, 5, 6, 10, 11, 12, 13, 16]) expect(text).toContain(`line ${line}:`);
    expect(text).toContain('line 7 repeats line 1');
    expect(text).toMatch(/line 8 ≈ line 2/);
    expect((en.data as Data).records.total).toBe(15);
    const zh = await run(`/sft file=${FIXTURE} lang=zh`);
    expect(textOf(zh)).toContain('第 3 行：不是合法的 JSON');
    expect(zh.table?.headers).toEqual(['检查项', '数量']);
  });

  it('writes reproducible splits into out=, keeping duplicates together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sft-'));
    const line = `/sft file=${FIXTURE} split=60/20/20 seed=5 out=${dir}`;
    const first = await run(line);
    const data = first.data as Data;
    const outputs = data.split!.outputs;
    expect(outputs.train).toBe(join(dir, 'openai.train.jsonl'));
    const read = () =>
      ['train', 'validation', 'test'].map((s) => readFileSync(outputs[s]!, 'utf8'));
    const once = read();
    const lines = once.flatMap((t) => t.split('\n').filter(Boolean));
    expect(lines).toHaveLength(12);
    await run(line);
    expect(read()).toEqual(once);
    // the exact duplicate pair (lines 1 and 7) sits in one file
    const original = readFileSync(FIXTURE, 'utf8').split('\n')[0]!;
    expect(once.filter((t) => t.includes(original))).toHaveLength(1);
    const deduped = await run(`${line} dedupe=true`);
    expect(textOf(deduped)).toMatch(/2 duplicates dropped/);
  });

  it('bad options and inputs get a clear message', async () => {
    const cases: [string, RegExp][] = [
      ['/sft file=no/such/file.jsonl', /no such file/],
      [`/sft file=${FIXTURE} split=abc`, /split=abc is not a ratio/],
      [`/sft file=${FIXTURE} split=80/10/5`, /adds up to 95/],
      [`/sft file=${FIXTURE} stratify=category`, /add split=/],
      [`/sft file=${FIXTURE} dedupe=true`, /add split=/],
      [`/sft file=${FIXTURE} max_len=0`, /max_len/],
      [`/sft file=${FIXTURE} tokenizer=gpt5`, /one of: o200k, cl100k, llama2/],
      [`/sft file=${FIXTURE} format=csv`, /one of: alpaca, sharegpt, openai/],
      [`/sft file=${FIXTURE} split=80/10/10 out=/no/such/dir`, /not an existing folder/],
      [`/sft file=${FIXTURE} {"instruction":"a","output":"b"}`, /not both/],
      ['/sft', /Nothing to check/],
    ];
    for (const [line, message] of cases) {
      const r = await run(line);
      expect(r.kind, line).toBe('error');
      expect(textOf(r), line).toMatch(message);
    }
  });
});

describe('/sft in chat (pasted or attached)', () => {
  it('an attachment is checked and split; the splits come back as files', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const r: Reply = await run('/sft split=80/10/10', 'discord', [{ name: 'data.jsonl', text }]);
    expect(r.kind).toBe('answer');
    expect(r.files?.map((f) => f.name)).toEqual(['train.jsonl', 'validation.jsonl', 'test.jsonl']);
    const written = r.files!.flatMap((f) => f.content.split('\n').filter(Boolean));
    expect(written).toHaveLength(12);
  });

  it('pasted records work; file= and out= are refused outside the terminal', async () => {
    const pasted = await run(
      '/sft {"instruction":"Say hi","output":"Hi!"}\n{"instruction":"Say bye","output":""}',
      'slack',
    );
    expect(textOf(pasted)).toContain('line 2: empty response');
    const file = await run(`/sft file=${FIXTURE}`, 'discord');
    expect(textOf(file)).toMatch(/only in the terminal/);
    const out = await run('/sft split=80/10/10 out=/tmp {"instruction":"a","output":"b"}', 'slack');
    expect(textOf(out)).toMatch(/out= writes files/);
  });

  it('refuses more than 2 MiB in chat and points to the terminal', async () => {
    const big = `${JSON.stringify({ instruction: 'x', output: 'y'.repeat(1000) })}\n`.repeat(2200);
    const r = await run('/sft', 'discord', [{ name: 'big.jsonl', text: big }]);
    expect(r.kind).toBe('error');
    expect(textOf(r)).toMatch(/file=path/);
  });
});

describe('/sft file= streams a file larger than the chat limit', () => {
  it('a 3 MB file runs in the terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sft-big-'));
    const path = join(dir, 'big.jsonl');
    const lines = Array.from({ length: 12_000 }, (_, i) =>
      JSON.stringify({
        instruction: `Question ${i}: what is ${i} squared?`,
        output: `${i * i}. `.repeat((i % 20) + 1),
      }),
    );
    writeFileSync(path, `${lines.join('\n')}\n`);
    const r = await run(`/sft file=${path}`);
    expect(r.kind).toBe('answer');
    expect((r.data as Data).records.total).toBe(12_000);
  });
});
