import { describe, expect, it } from 'vitest';
import type { VramEstimate } from '../../../src/tools/vram/index.js';
import { runVram } from '../../tools/vram/helpers.js';

// Issue 14, items 4, 5 and 7 as the /vram reply shows them.

const text = async (o: Record<string, unknown>, lang: 'en' | 'zh' = 'en') =>
  (await runVram(o, lang)).paragraphs.join('\n');

describe('/vram reply: defaults and suggestions (item 4)', () => {
  it('llama-3-70b mode=qlora fits an 80 GB GPU and suggests nothing', async () => {
    const t = await text({ model: 'llama-3-70b', mode: 'qlora' });
    expect(t).toMatch(/Fits on .*A100-80GB/);
    expect(t).not.toMatch(/No listed GPU/);
    expect(t).toContain('attention sdpa');
  });

  it('never suggests the mode (or checkpointing) that was asked for', async () => {
    const big = { model: '1t', seq: 8192 };
    const qlora = await text({ ...big, mode: 'qlora' });
    expect(qlora).toMatch(/No listed GPU has room .*: try zero=3 with more gpus/);
    expect(qlora).not.toMatch(/mode=/);
    expect(qlora).not.toMatch(/try .*checkpointing=full/); // qlora checkpoints by default
    const lora = await text({ ...big, mode: 'lora' });
    expect(lora).toMatch(/try zero=3 with more gpus, mode=qlora, a shorter seq/);
    const full = await text({ ...big, mode: 'full' });
    expect(full).toMatch(/mode=lora or mode=qlora, checkpointing=full/);
    const inference = await text({ ...big, mode: 'inference' }, 'zh');
    expect(inference).toMatch(/可试 增加 gpus/);
    expect(inference).not.toMatch(/mode=|zero=3/);
  });

  it('says what checkpointing=full would save when activations are over 20 % of the total', async () => {
    const t = await text({ model: 'llama-2-7b', mode: 'full', attention: 'eager' });
    expect(t).toContain(
      'Activations are 22 % of the total: checkpointing=full would save 28.00 GiB per GPU (down to 101.15 GiB)',
    );
    const zh = await text({ model: 'llama-2-7b', mode: 'full', attention: 'eager' }, 'zh');
    expect(zh).toContain('checkpointing=full 每卡可省 28.00 GiB');
    expect(await text({ model: 'llama-2-7b', mode: 'full' })).not.toContain('would save');
  });
});

describe('/vram reply: warnings (item 5)', () => {
  it('shows the warnings after the summary and keeps them in the JSON data', async () => {
    const r = await runVram({ model: 'llama-2-7b', mode: 'lora', seq: 8192 });
    expect(r.paragraphs[1]).toMatch(
      /^⚠ Warning: seq 8,192 is beyond llama-2-7b’s trained context of 4,096/,
    );
    const data = JSON.parse(JSON.stringify(r.data)) as VramEstimate;
    expect(data.warnings).toHaveLength(1);
    const zh = await runVram({ model: 'llama-2-7b', mode: 'lora', seq: 8192 }, 'zh');
    expect(zh.paragraphs[1]).toMatch(/^⚠ 注意:seq 8,192 超出/);
    const none = await runVram({ model: 'llama-2-7b', mode: 'lora' });
    expect(none.paragraphs.join('\n')).not.toContain('⚠');
    expect((none.data as VramEstimate).warnings).toEqual([]);
  });

  it('gpu= puts that GPU first in the verdict', async () => {
    const t = await text({ model: 'llama-2-7b', mode: 'full', gpu: 'a100-80gb' });
    expect(t).toMatch(/On A100-80GB: does not fit, \d+\.\d\d GiB short\. Fits on/);
    const ok = await text({ model: 'llama-2-7b', mode: 'lora', gpu: '4090' });
    expect(ok).toMatch(/On RTX-4090-24GB: fits, \d+\.\d\d GiB to spare\./);
  });
});

describe('/vram explain=true (item 7)', () => {
  it('does not say topic 5 multiplies the model by the batch', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const t = await text({ model: 'llama-2-7b', explain: 'true' }, lang);
      expect(t).not.toMatch(/topic 5’s formula multiplies|第 5 题的公式把模型大小乘以批量大小/);
      expect(t).toMatch(
        lang === 'en'
          ? /“VRAM ≈ model size × batch size” \(topic 5 explains why it is wrong\)/
          : /“显存 ≈ 模型大小 × 批量大小”\(第 5 题解释了它错在哪里\)/,
      );
    }
  });
});
