import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { vramCommand } from '../../../src/core/commands/vram.js';
import { type VramEstimate, vramOptionsSchema } from '../../../src/tools/vram/index.js';
import { GiB, runVram } from '../../tools/vram/helpers.js';

const OPTIONS = [
  'model',
  'mode',
  'precision',
  'optimizer',
  'batch',
  'seq',
  'checkpointing',
  'attention',
  'gpu',
  'lora_rank',
  'lora_targets',
  'zero',
  'gpus',
  'kv_dtype',
  'explain',
  'layers',
  'hidden',
  'heads',
  'kv_heads',
  'intermediate',
  'vocab',
  'tied',
  'qkv_bias',
];

describe('schema', () => {
  it('has exactly the documented option names, each described in en and zh', () => {
    expect(Object.keys(vramOptionsSchema.shape).sort()).toEqual([...OPTIONS].sort());
    for (const [name, schema] of Object.entries(vramOptionsSchema.shape)) {
      const meta = z.globalRegistry.get(schema) as
        | { description?: string; zh?: string }
        | undefined;
      expect(meta?.description, name).toMatch(/\w{3}/);
      expect(meta?.zh, name).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('reads text and typed values alike, with documented defaults', () => {
    const text = vramOptionsSchema.parse({
      model: 'llama-2-7b',
      seq: '4096',
      batch: '2',
      tied: 'false',
      explain: 'true',
      lora_targets: 'q_proj, v_proj',
      mode: 'LoRA',
      precision: 'BF16',
    });
    const typed = vramOptionsSchema.parse({
      model: 'llama-2-7b',
      seq: 4096,
      batch: 2,
      tied: false,
      explain: true,
      lora_targets: ['q_proj', 'v_proj'],
      mode: 'lora',
      precision: 'bf16',
    });
    expect(text).toEqual(typed);
    expect(vramOptionsSchema.parse(typed)).toEqual(typed); // idempotent
    expect(vramOptionsSchema.parse({})).toMatchObject({
      mode: 'full',
      batch: 1,
      zero: 0,
      gpus: 1,
      explain: false,
    });
    expect(vramOptionsSchema.parse({ optimizer: 'paged_adamw_8bit', seq: '32k' })).toMatchObject({
      optimizer: 'adamw-8bit',
      seq: 32768,
    });
  });
});

describe('/vram reply', () => {
  it('is a positional command: /vram llama-2-7b', () => {
    expect(vramCommand.name).toBe('vram');
    expect(vramCommand.positional).toEqual(['model']);
    expect(vramCommand.description.zh).toMatch(/显存/);
  });

  it('renders title, breakdown table, bars, assumptions and the fits verdict', async () => {
    const r = await runVram({ model: 'llama-2-7b', mode: 'full', attention: 'eager' });
    expect(r.kind).toBe('answer');
    expect(r.title).toBe('GPU memory: llama-2-7b, full fine-tuning');
    expect(r.table?.headers).toEqual(['term', 'GB', 'GiB']);
    expect(r.table?.rows.map((row) => row[0])).toEqual([
      'weights',
      'gradients',
      'optimizer states',
      'activations',
      'logits',
      'KV cache',
      'total per GPU',
    ]);
    expect(r.table?.rows[0]).toEqual(['weights', '13.48', '12.55']);
    expect(r.table?.rows[2]).toEqual(['optimizer states', '80.86', '75.31']);
    const bars = r.code?.text.split('\n') ?? [];
    expect(bars).toHaveLength(6);
    expect(bars[2]).toMatch(/^optimizer states\s+█+·*\s+75\.31 GiB\s+58\.3%$/);
    const text = r.paragraphs.join('\n');
    expect(text).toContain('Assumptions: ');
    expect(text).toMatch(/Fits on .*H200-141GB \(\+11\.\d\d GiB\)/);
    expect(text).toMatch(/Too small .*A100-80GB \(−49\.\d\d GiB\)/);
    expect(text).not.toMatch(/Source:/);
  });

  it('puts the estimate in reply.data as plain JSON numbers', async () => {
    const r = await runVram({ model: 'llama-2-7b', mode: 'full' });
    const data = JSON.parse(JSON.stringify(r.data)) as VramEstimate;
    expect(data).toEqual(r.data);
    expect(data.params).toBe(6_738_415_616);
    expect(data.perGpuBytes).toBe(data.bytes.total);
    expect(Object.keys(data.bytes).sort()).toEqual(
      ['activations', 'gradients', 'kvCache', 'logits', 'optimizer', 'total', 'weights'].sort(),
    );
    expect(data.fits.map((f) => f.gpu)).toEqual([
      'T4-16GB',
      'RTX-3090-24GB',
      'RTX-4090-24GB',
      'A10-24GB',
      'V100-32GB',
      'A100-40GB',
      'A100-80GB',
      'H100-80GB',
      'H200-141GB',
    ]);
    expect(data.fits.find((f) => f.gpu === 'A100-80GB')).toMatchObject({ fits: false });
    expect(Array.isArray(data.assumptions)).toBe(true);
  });

  it('answers in Chinese when ctx.lang is zh', async () => {
    const r = await runVram(
      { model: 'llama-2-7b', mode: 'lora', checkpointing: 'full', attention: 'eager' },
      'zh',
    );
    expect(r.title).toBe('显存估算:llama-2-7b · LoRA 微调');
    expect(r.table?.headers[0]).toBe('项目');
    expect(r.paragraphs.join('')).toMatch(/假设:.*放得下/s);
    // LoRA r=8 with checkpointing fits a T4
    const data = r.data as VramEstimate;
    expect(data.fits.every((f) => f.fits)).toBe(true);
    expect(data.perGpuBytes / GiB).toBeCloseTo(13.36, 2);
  });

  it('explain=true adds each formula with numbers, its source, and why others differ', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const r = await runVram({ model: 'llama-2-7b', zero: 3, gpus: 8, explain: 'true' }, lang);
      const text = r.paragraphs.join('\n');
      expect(text).toContain('(2 B × Ψ) / N → (2 × 6,738,415,616) / 8 = 1.68 GB (1.57 GiB)');
      expect(text).toContain('K × Ψ, K = 12 (fp32 master 4 + m 4 + v 4)');
      expect(text).toContain('arXiv 1910.02054');
      expect(text).toContain('arXiv 2205.05198');
      expect(text).toMatch(
        lang === 'en'
          ? /topic 5.*lm_head.*GiB labelled “GB”.*batch/s
          : /第 5 题.*lm_head.*GiB 标成 “GB”.*batch/s,
      );
    }
  });

  it('says when nothing fits and what to try', async () => {
    const r = await runVram({ model: 'llama-2-70b' });
    expect(r.paragraphs.join(' ')).toMatch(
      /No listed GPU has room for this per-GPU share: try zero=3/,
    );
  });
});

describe('through the core’s text-line parser', () => {
  it('/vram llama-2-7b mode=lora lora_targets=q_proj,v_proj seq=2k', async () => {
    const { parseArgText, validateArgs } = await import('../../../src/core/args.js');
    const raw = parseArgText(vramCommand, 'llama-2-7b mode=lora lora_targets=q_proj,v_proj seq=2k');
    expect(raw.ok).toBe(true);
    const checked = validateArgs(vramCommand, raw.ok ? raw.values : {});
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const reply = await vramCommand.run(
      checked.args as Parameters<typeof vramCommand.run>[0],
      (await import('../../tools/vram/helpers.js')).ctx('en'),
    );
    expect((reply.data as VramEstimate).trainableParams).toBe(4_194_304);
    expect((reply.data as VramEstimate).setup.seq).toBe(2048);
  });

  it('a schema-level error names the option with the accepted range', async () => {
    const { parseArgText, validateArgs } = await import('../../../src/core/args.js');
    const raw = parseArgText(vramCommand, 'llama-2-7b zero=7');
    const checked = validateArgs(vramCommand, raw.ok ? raw.values : {});
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.option).toBe('zero');
    expect(checked.message.en).toContain('0–3');
  });
});

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
