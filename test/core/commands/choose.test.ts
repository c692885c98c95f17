import { describe, expect, it } from 'vitest';
import { say, textOf } from '../helpers.js';

describe('/choose', () => {
  it('answers the issue’s example in English and Chinese, citing topic 2', async () => {
    const en = await say('/choose classification volume=20000 hardware=cpu lang=en');
    expect(en.kind).toBe('answer');
    expect(en.title).toMatch(/distilled into a small encoder/);
    const text = textOf(en);
    expect(text).toMatch(/\[t2\.practice\]/);
    expect(text).toMatch(/\[t2\.resources\]/);
    expect(text).toMatch(/1,800 tokens\/s per 8-core machine/);
    expect(text).toMatch(/\/vram inference: \d+\.\d GB/);
    const zh = await say('/choose classification volume=20000 hardware=cpu lang=zh');
    expect(zh.title).toMatch(/蒸馏/);
    expect(textOf(zh)).toMatch(/bert-base-chinese/);
  });

  it('accepts a GPU name in any case', async () => {
    const r = await say('/choose chat hardware=a10-24gb');
    expect(r.kind).toBe('answer');
    expect(textOf(r)).toMatch(/on A10-24GB/);
  });

  it('/help choose shows the whole rule table with each rule’s section', async () => {
    const r = await say('/help choose');
    expect(r.table?.headers).toEqual(['rule', 'when', 'then', 'source']);
    expect(r.table?.rows.length).toBeGreaterThanOrEqual(12);
    for (const row of r.table?.rows ?? []) expect(row[3]).toMatch(/^\/topic 2 t2\.\w+$/);
    const zh = await say('/help choose lang=zh');
    expect(zh.table?.headers).toEqual(['规则', '条件', '结论', '出处']);
  });

  it('bad options get a clear message naming the option', async () => {
    const cases: [string, RegExp][] = [
      ['/choose', /"task" is required.*classification, ner/],
      ['/choose poetry', /"task" got "poetry".*one of: classification/],
      ['/choose ner hardware=a99', /"hardware" got "a99".*cpu, T4-16GB/],
      ['/choose ner labels=-1', /"labels"/],
      ['/choose ner volume=0', /"volume"/],
      ['/choose ner latency=fast', /"latency" got "fast"/],
      ['/choose ner language=fr', /one of: zh, en, mixed/],
    ];
    for (const [line, message] of cases) {
      const r = await say(line);
      expect(r.kind, line).toBe('error');
      expect(textOf(r), line).toMatch(message);
    }
  });
});
