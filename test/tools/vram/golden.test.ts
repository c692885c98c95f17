import { describe, expect, it } from 'vitest';
import { est, GiB, MiB, relErr } from './helpers.js';

// Golden vectors of issue 4 (values copied from vram-notes §3; GB = 1e9, GiB = 2^30).
const Ψ7 = 6_738_415_616;

describe('1. ZeRO paper: Ψ = 7.5B, mixed-precision Adam', () => {
  const states = (zero: number, gpus: number) =>
    est({ model: '7.5b', mode: 'full', zero, gpus }).modelStatesBytes;

  it('one GPU: 120 GB of model states', () => {
    expect(states(0, 1)).toBe(120e9);
    const e = est({ model: '7.5b' });
    expect(e.bytes).toMatchObject({ weights: 15e9, gradients: 15e9, optimizer: 90e9 });
  });

  it('64 GPUs: ZeRO-1 31.4, ZeRO-2 16.6, ZeRO-3 1.9 GB (exact 31.40625 / 16.640625 / 1.875)', () => {
    expect(states(1, 64)).toBe(31.40625e9);
    expect(states(2, 64)).toBe(16.640625e9);
    expect(states(3, 64)).toBe(1.875e9);
    expect((states(1, 64) / 1e9).toFixed(1)).toBe('31.4');
    expect((states(2, 64) / 1e9).toFixed(1)).toBe('16.6');
    expect((states(3, 64) / 1e9).toFixed(1)).toBe('1.9');
  });

  it('4 GPUs: 52.5 / 41.25 / 30 GB', () => {
    expect(states(1, 4)).toBe(52.5e9);
    expect(states(2, 4)).toBe(41.25e9);
    expect(states(3, 4)).toBe(30e9);
  });

  it('ZeRO on its own GPU, or data parallel without ZeRO, changes nothing', () => {
    expect(states(3, 1)).toBe(120e9);
    expect(states(0, 64)).toBe(120e9);
  });
});

describe('2. llama-2-7b model states', () => {
  it('bf16 weights: 13.48 GB = 12.55 GiB', () => {
    const w = est({ model: 'llama-2-7b', mode: 'inference', precision: 'bf16' }).bytes.weights;
    expect(w).toBe(2 * Ψ7);
    expect((w / 1e9).toFixed(2)).toBe('13.48');
    expect((w / GiB).toFixed(2)).toBe('12.55');
  });

  it('full fine-tuning, mixed AdamW: 107.8 GB = 100.4 GiB', () => {
    const s = est({ model: 'llama-2-7b', mode: 'full' }).modelStatesBytes;
    expect(s).toBe(16 * Ψ7);
    expect((s / 1e9).toFixed(1)).toBe('107.8');
    expect((s / GiB).toFixed(1)).toBe('100.4');
  });

  it('8 GPUs, ZeRO-1/2/3: 37.06 / 25.27 / 13.48 GB', () => {
    const gb = (zero: number) =>
      (est({ model: 'llama-2-7b', zero, gpus: 8 }).modelStatesBytes / 1e9).toFixed(2);
    expect([gb(1), gb(2), gb(3)]).toEqual(['37.06', '25.27', '13.48']);
  });

  it('8-bit Adam 10Ψ = 67.4 GB; SGD with momentum 12Ψ = 80.9 GB (TM101)', () => {
    const gb = (optimizer: string) =>
      (est({ model: 'llama-2-7b', optimizer }).modelStatesBytes / 1e9).toFixed(1);
    expect(gb('adamw-8bit')).toBe('67.4');
    expect(gb('sgd-momentum')).toBe('80.9');
  });

  it('pure bf16 (LLaMA-Factory pure_bf16) is 8Ψ, fp32 is 16Ψ', () => {
    expect(est({ model: 'llama-2-7b', precision: 'bf16' }).modelStatesBytes).toBe(8 * Ψ7);
    expect(est({ model: 'llama-2-7b', precision: 'fp32' }).modelStatesBytes).toBe(16 * Ψ7);
  });
});

describe('3. KV cache, fp16, exact', () => {
  const kv = (model: string, seq: number, batch = 1) =>
    est({ model, mode: 'inference', seq, batch, kv_dtype: 'fp16' }).bytes.kvCache;

  it('llama-2-7b at 4,096 tokens: 2.0 GiB (512 KiB/token)', () => {
    expect(kv('llama-2-7b', 4096)).toBe(2 * GiB);
  });
  it('llama-3-8b at 8,192 tokens: 1.0 GiB', () => expect(kv('llama-3-8b', 8192)).toBe(GiB));
  it('llama-2-70b at 4,096 tokens × batch 32: 40 GiB (GQA)', () => {
    expect(kv('llama-2-70b', 4096, 32)).toBe(40 * GiB);
  });
  it('qwen2-7b at 32,768 tokens: 1.75 GiB', () => expect(kv('qwen2-7b', 32768)).toBe(1.75 * GiB));
  it('chatglm3-6b at 8,192 tokens: 224 MiB', () => expect(kv('chatglm3-6b', 8192)).toBe(224 * MiB));
  it('mistral-7b at 32,768 tokens: 4 GiB stored, 0.5 GiB with a rolling buffer (stated)', () => {
    const e = est({ model: 'mistral-7b', mode: 'inference', seq: '32k' });
    expect(e.bytes.kvCache).toBe(4 * GiB);
    expect(e.assumptions.join(' ')).toContain('rolling-buffer runtime would need 0.50 GiB');
  });
  it('seq accepts 4k = 4096 and kv_dtype scales the cache', () => {
    expect(kv('llama-2-7b', 4096)).toBe(
      est({ model: 'llama-2-7b', mode: 'inference', seq: '4k' }).bytes.kvCache,
    );
    const fp8 = est({ model: 'llama-2-7b', mode: 'inference', seq: 4096, kv_dtype: 'fp8' });
    expect(fp8.bytes.kvCache).toBe(GiB);
  });
  it('an encoder (bert) keeps no KV cache', () => expect(kv('bert-base', 512)).toBe(0));
});

describe('4. activations (Korthikanti et al.), h=4096, a=32, L=32, b=1, attention=eager', () => {
  const act = (seq: number, checkpointing: string, model?: string) =>
    est(
      model
        ? { model, seq, checkpointing, attention: 'eager' }
        : { layers: 32, hidden: 4096, heads: 32, seq, checkpointing, attention: 'eager' },
    ).bytes.activations / GiB;

  it('s = 2048: 28.5 / 8.5 / 0.5 GiB', () => {
    expect([act(2048, 'none'), act(2048, 'selective'), act(2048, 'full')]).toEqual([
      28.5, 8.5, 0.5,
    ]);
    expect(act(2048, 'none', 'llama-2-7b')).toBe(28.5);
  });

  it('s = 4096: 97 / 17 / 1 GiB', () => {
    expect([act(4096, 'none'), act(4096, 'selective'), act(4096, 'full')]).toEqual([97, 17, 1]);
  });

  it('logits are 4·s·b·V bytes in fp32', () => {
    const e = est({ model: 'llama-3-8b', seq: 2048, batch: 2 });
    expect(e.bytes.logits).toBe(4 * 2048 * 2 * 128256);
  });
});

describe('5. LoRA and QLoRA', () => {
  it('LoRA r=8 on q_proj,v_proj of llama-2-7b: 4,194,304 trainable, 16 B each', () => {
    const e = est({
      model: 'llama-2-7b',
      mode: 'lora',
      lora_rank: 8,
      lora_targets: 'q_proj,v_proj',
    });
    expect(e.trainableParams).toBe(4_194_304);
    expect(e.bytes.weights).toBe(2 * Ψ7 + 4 * 4_194_304);
    expect(e.bytes.gradients + e.bytes.optimizer).toBe(12 * 4_194_304);
  });

  it('QLoRA base (NF4 + double quantization, bf16 embeddings/head): 3.60 GiB', () => {
    const e = est({ model: 'llama-2-7b', mode: 'qlora' });
    const base = e.bytes.weights - 4 * e.trainableParams;
    expect(relErr(base / GiB, 3.6)).toBeLessThan(0.05);
    expect(Math.abs(base - (6_476_005_376 * 4.127) / 8 - 262_410_240 * 2)).toBeLessThan(1);
  });
});

describe('peer tables (±25 %, folklore): LLaMA-Factory 7B', () => {
  // Full AMP 120, pure_bf16 60, LoRA 16, QLoRA-8 10, QLoRA-4 6 GB; checkpointing full, s = 2048.
  const gb = (o: Record<string, string>) =>
    est({ model: '7b', checkpointing: 'full', ...o }).perGpuBytes / 1e9;
  it.each([
    [{ mode: 'full' }, 120],
    [{ mode: 'full', precision: 'bf16' }, 60],
    [{ mode: 'lora' }, 16],
    [{ mode: 'qlora', precision: 'int8' }, 10],
    [{ mode: 'qlora', precision: 'nf4' }, 6],
  ])('%o ≈ %d GB', (o, expected) => {
    expect(relErr(gb(o), expected)).toBeLessThan(0.25);
  });
});
