import { describe, expect, it } from 'vitest';
import {
  countParams,
  findPreset,
  linearParams,
  loraParams,
  PRESET_NAMES,
  parseSize,
} from '../../../src/tools/vram/index.js';
import { est } from './helpers.js';

// Exact counts from the issue / vram-notes (published configs; several confirmed by instantiating).
const EXACT: Record<string, number> = {
  'llama-2-7b': 6_738_415_616,
  'llama-2-13b': 13_015_864_320,
  'llama-2-70b': 68_976_648_192,
  'llama-3-8b': 8_030_261_248,
  'llama-3-70b': 70_553_706_496,
  'mistral-7b': 7_241_732_096,
  'qwen2-7b': 7_615_616_512,
  'chatglm3-6b': 6_243_584_000,
  'bert-base': 109_482_240,
  'bert-large': 335_141_888,
};

describe('parameter counts', () => {
  it('has exactly the required presets', () => {
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(EXACT).sort());
  });

  for (const [name, params] of Object.entries(EXACT)) {
    it(`${name} → ${params.toLocaleString('en-US')}`, () => {
      const preset = findPreset(name);
      expect(preset).toBeDefined();
      expect(countParams(preset!.arch)).toBe(params);
      expect(est({ model: name }).params).toBe(params);
    });
  }

  it('resolves aliases and case', () => {
    expect(findPreset('llama2-7b')?.name).toBe('llama-2-7b');
    expect(findPreset('bert-base-uncased')?.name).toBe('bert-base');
    expect(findPreset('bert-large-uncased')?.name).toBe('bert-large');
    expect(findPreset('Llama_2_7B')?.name).toBe('llama-2-7b');
    expect(findPreset('THUDM/chatglm3-6b')?.name).toBe('chatglm3-6b');
    expect(findPreset('gpt-5')).toBeUndefined();
  });

  it('counts an architecture given as options (TinyLlama shape: 1,100,048,384)', () => {
    const e = est({
      layers: 22,
      hidden: 2048,
      heads: 32,
      kv_heads: 4,
      intermediate: 5632,
      vocab: 32000,
    });
    expect(e.params).toBe(1_100_048_384);
    expect(e.model.kind).toBe('architecture');
  });

  it('architecture options override a preset (tied embeddings drop one V·h)', () => {
    const tied = est({ model: 'llama-2-7b', tied: 'true' });
    expect(tied.params).toBe(6_738_415_616 - 32000 * 4096);
    expect(tied.assumptions.join(' ')).toContain('tied');
    // the same architecture spelled out gives the same count
    const spelled = est({
      layers: '32',
      hidden: '4096',
      heads: '32',
      kv_heads: '32',
      intermediate: '11008',
      vocab: '32000',
      tied: 'false',
      qkv_bias: 'false',
    });
    expect(spelled.params).toBe(6_738_415_616);
  });

  it('Linear weights of llama-2-7b (what NF4 quantizes): 6,476,005,376', () => {
    expect(linearParams(findPreset('llama-2-7b')!.arch)).toBe(6_476_005_376);
  });

  it('LoRA r=8 on q_proj,v_proj of llama-2-7b: 4,194,304 trainable, 6,742,609,920 in all', () => {
    const count = loraParams(findPreset('llama-2-7b')!.arch, 8, ['q_proj', 'v_proj']);
    expect(count).toMatchObject({ ok: true, trainable: 4_194_304 });
    const e = est({
      model: 'llama-2-7b',
      mode: 'lora',
      lora_rank: 8,
      lora_targets: 'q_proj,v_proj',
    });
    expect(e.trainableParams).toBe(4_194_304);
    expect(e.params + e.trainableParams).toBe(6_742_609_920);
  });

  it('LoRA on GQA and fused modules uses the real shapes', () => {
    // llama-3-8b k_proj is 4096→1024: r·(4096+1024) per layer
    const k = loraParams(findPreset('llama-3-8b')!.arch, 16, ['k_proj']);
    expect(k).toMatchObject({ ok: true, trainable: 32 * 16 * (4096 + 1024) });
    // chatglm3 fuses q,k,v into query_key_value (4096→4608): counted once
    const glm = loraParams(findPreset('chatglm3-6b')!.arch, 8, ['q_proj', 'v_proj']);
    expect(glm).toMatchObject({ ok: true, trainable: 28 * 8 * (4096 + 4608) });
    expect(glm.ok && glm.modules).toEqual(['query_key_value']);
    const all = est({ model: 'llama-2-7b', mode: 'lora', lora_targets: 'all', lora_rank: 8 });
    expect(all.trainableParams).toBe(32 * 8 * (4 * 8192 + 3 * (4096 + 11008)));
  });

  it('reads raw sizes', () => {
    expect(parseSize('7b')).toBe(7e9);
    expect(parseSize('6.7e9')).toBe(6.7e9);
    expect(parseSize('350m')).toBe(350e6);
    expect(parseSize('1.1B')).toBe(1.1e9);
    expect(parseSize('7,000,000,000')).toBe(7e9);
    expect(parseSize('seven')).toBeUndefined();
  });

  it('a raw size far from every preset keeps Ψ and states the approximate shape', () => {
    for (const [model, params] of [
      ['350m', 350e6],
      ['3b', 3e9],
      ['1t', 1e12],
    ] as const) {
      const e = est({ model });
      expect(e.params).toBe(params);
      expect(e.model.kind).toBe('size');
      expect(e.assumptions[0]).toMatch(/no preset within 25 %.*approximate Llama-like shape/);
      // the approximate shape is within 10 % of Ψ
      expect(Math.abs(countParams(e.model) / params - 1)).toBeLessThan(0.1);
    }
  });
});
