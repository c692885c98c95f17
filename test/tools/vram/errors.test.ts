import { describe, expect, it } from 'vitest';
import {
  estimateMemory,
  safeEstimateMemory,
  VramInputError,
} from '../../../src/tools/vram/index.js';
import { runVram } from './helpers.js';

type Case = [string, Record<string, unknown>, string, RegExp];

// [what, input, option named, text the English message must contain (the accepted range)]
const CASES: Case[] = [
  ['negative batch', { model: 'llama-2-7b', batch: -1 }, 'batch', /1 to 4,096/],
  ['absurd batch', { model: 'llama-2-7b', batch: '1e6' }, 'batch', /1 to 4,096/],
  ['infinite batch', { model: 'llama-2-7b', batch: 'Infinity' }, 'batch', /1 to 4,096/],
  ['fractional batch', { model: 'llama-2-7b', batch: 1.5 }, 'batch', /integer/],
  ['zero seq', { model: 'llama-2-7b', seq: 0 }, 'seq', /1 to 1,048,576/],
  ['text seq', { model: 'llama-2-7b', seq: 'long' }, 'seq', /4k = 4096/],
  ['absurd seq', { model: 'llama-2-7b', seq: 1e9 }, 'seq', /1,048,576/],
  ['ZeRO stage 4', { model: 'llama-2-7b', zero: 4 }, 'zero', /0 to 3/],
  ['negative ZeRO', { model: 'llama-2-7b', zero: '-1' }, 'zero', /0 to 3/],
  ['0 GPUs', { model: 'llama-2-7b', zero: 3, gpus: 0 }, 'gpus', /1 to 100,000/],
  ['unknown preset', { model: 'gpt-5' }, 'model', /llama-2-7b.*bert-large.*layers=/],
  ['size without unit', { model: '7' }, 'model', /1m \(1e6\) to 10t/],
  ['absurd size', { model: '1000t' }, 'model', /1m \(1e6\) to 10t/],
  ['no model at all', {}, 'model', /layers= and hidden=/],
  ['architecture without hidden', { layers: 32 }, 'hidden', /layers= and hidden=/],
  ['unknown mode', { model: 'llama-2-7b', mode: 'train' }, 'mode', /full, lora, qlora, inference/],
  ['unknown precision', { model: 'llama-2-7b', precision: 'int3' }, 'precision', /fp32, mixed/],
  ['quantized full FT', { model: 'llama-2-7b', precision: 'int4' }, 'precision', /mode=qlora/],
  [
    '16-bit QLoRA',
    { model: 'llama-2-7b', mode: 'qlora', precision: 'bf16' },
    'precision',
    /nf4, int4, int8/,
  ],
  [
    'mixed inference',
    { model: 'llama-2-7b', mode: 'inference', precision: 'mixed' },
    'precision',
    /fp32, bf16/,
  ],
  [
    'LoRA rank with mode=full',
    { model: 'llama-2-7b', lora_rank: 8 },
    'lora_rank',
    /mode=lora or mode=qlora/,
  ],
  [
    'LoRA targets with mode=full',
    { model: 'llama-2-7b', mode: 'full', lora_targets: 'q_proj' },
    'lora_targets',
    /mode=lora/,
  ],
  [
    'LoRA targets with inference',
    { model: 'llama-2-7b', mode: 'inference', lora_targets: 'all' },
    'lora_targets',
    /mode=lora/,
  ],
  ['rank 0', { model: 'llama-2-7b', mode: 'lora', lora_rank: 0 }, 'lora_rank', /1 to 4,096/],
  [
    'rank above hidden',
    { model: 'bert-base', mode: 'lora', lora_rank: 1000 },
    'lora_rank',
    /1 to 768/,
  ],
  [
    'unknown target',
    { model: 'llama-2-7b', mode: 'lora', lora_targets: 'q_proj,foo' },
    'lora_targets',
    /q_proj, k_proj/,
  ],
  [
    'gate_proj on BERT',
    { model: 'bert-base', mode: 'lora', lora_targets: 'gate_proj' },
    'lora_targets',
    /no gate_proj/,
  ],
  [
    'kv_dtype when training',
    { model: 'llama-2-7b', kv_dtype: 'fp8' },
    'kv_dtype',
    /mode=inference/,
  ],
  [
    'unknown kv_dtype',
    { model: 'llama-2-7b', mode: 'inference', kv_dtype: 'int2' },
    'kv_dtype',
    /fp8/,
  ],
  [
    'optimizer at inference',
    { model: 'llama-2-7b', mode: 'inference', optimizer: 'adamw' },
    'optimizer',
    /training/,
  ],
  [
    'checkpointing at inference',
    { model: 'llama-2-7b', mode: 'inference', checkpointing: 'full' },
    'checkpointing',
    /training/,
  ],
  [
    'ZeRO at inference',
    { model: 'llama-2-7b', mode: 'inference', zero: 3, gpus: 8 },
    'zero',
    /zero=0/,
  ],
  ['BERT beyond 512 tokens', { model: 'bert-base', seq: 1024 }, 'seq', /1 to 512/],
  ['heads not dividing hidden', { layers: 4, hidden: 1000, heads: 3 }, 'heads', /divisible/],
  ['kv_heads not dividing heads', { model: 'llama-2-7b', kv_heads: 5 }, 'kv_heads', /1 to 32/],
  ['negative hidden', { layers: 2, hidden: -5 }, 'hidden', /1 to 262,144/],
  ['absurd vocab', { model: 'llama-2-7b', vocab: 1e9 }, 'vocab', /1 to 4,000,000/],
  ['absurd layers', { model: 'llama-2-7b', layers: 100000 }, 'layers', /1 to 1,024/],
  ['bad boolean', { model: 'llama-2-7b', tied: 'maybe' }, 'tied', /true or false/],
  ['bad explain', { model: 'llama-2-7b', explain: 'sure' }, 'explain', /true or false/],
];

it('a misspelt option is named (library entry; the router rejects it on a command line)', () => {
  const r = safeEstimateMemory({ model: 'llama-2-7b', lora_rnk: 8 });
  expect(r.ok === false && r.error.option).toBe('lora_rnk');
  expect(r.ok === false && r.error.message_en).toMatch(/unknown option.*lora_rank/);
});

describe('bad input', () => {
  it.each(CASES)('%s → names %2$o', (_what, input, option, accepted) => {
    const r = safeEstimateMemory(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.option).toBe(option);
    expect(r.error.message_en.startsWith(`${option}:`)).toBe(true);
    expect(r.error.message_zh.startsWith(`${option}:`)).toBe(true);
    expect(r.error.message_en).toMatch(accepted);
    expect(r.error.message_zh).toMatch(/[\u4e00-\u9fff]/);
    expect(() => estimateMemory(input)).toThrow(VramInputError);
  });

  it.each(CASES)('%s → an error reply from /vram', async (_what, input, option) => {
    for (const lang of ['en', 'zh'] as const) {
      const reply = await runVram(input, lang);
      expect(reply.kind).toBe('error');
      expect(reply.lang).toBe(lang);
      expect(reply.title).toContain(option);
      expect(reply.paragraphs.join(' ')).toContain(`${option}:`);
      if (lang === 'zh') expect(reply.paragraphs.join(' ')).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('the thrown error carries the same fields', () => {
    try {
      estimateMemory({ model: 'llama-2-7b', zero: 9 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VramInputError);
      expect((e as VramInputError).detail.option).toBe('zero');
      expect((e as VramInputError).message).toContain('0 to 3');
    }
  });

  it('the schema’s own messages are language-neutral ranges (the router wraps them)', async () => {
    const { vramOptionsSchema } = await import('../../../src/tools/vram/index.js');
    const r = vramOptionsSchema.safeParse({ zero: '7' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['zero']);
    expect(r.error?.issues[0]?.message).toBe('0–3');
    const m = vramOptionsSchema.safeParse({ mode: 'train' });
    expect(m.error?.issues[0]?.message).toBe('full | lora | qlora | inference');
  });
});
