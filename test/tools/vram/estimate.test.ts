import { describe, expect, it } from 'vitest';
import { activationBytes, findPreset } from '../../../src/tools/vram/index.js';
import { est, GiB, relErr } from './helpers.js';

// Issue 14, item 4: sdpa by default, checkpointing on for LoRA/QLoRA, the assumptions in words.

describe('defaults that match how people train today', () => {
  it('llama-3-8b mode=lora seq=4096 is under 30 GB per GPU (was 122.37 GB)', () => {
    const e = est({ model: 'llama-3-8b', mode: 'lora', seq: 4096 });
    expect(e.setup).toMatchObject({ attention: 'sdpa', checkpointing: 'full' });
    expect(e.perGpuBytes).toBeLessThan(30e9);
    expect((e.perGpuBytes / 1e9).toFixed(2)).toBe('19.86');
  });

  it('llama-3-70b mode=qlora is 36–60 GB and fits an 80 GB GPU (was 193.84 GB, fits nowhere)', () => {
    const e = est({ model: 'llama-3-70b', mode: 'qlora' });
    expect(e.perGpuBytes).toBeGreaterThan(36e9);
    expect(e.perGpuBytes).toBeLessThan(60e9);
    expect(e.fits.find((f) => f.gpu === 'A100-80GB')?.fits).toBe(true);
    expect(e.fits.find((f) => f.gpu === 'H100-80GB')?.fits).toBe(true);
  });

  it('llama-2-7b mode=full is no larger than with attention=eager, which stays at 138.68 GB', () => {
    const sdpa = est({ model: 'llama-2-7b', mode: 'full' });
    const eager = est({ model: 'llama-2-7b', mode: 'full', attention: 'eager' });
    expect(sdpa.perGpuBytes).toBeLessThanOrEqual(eager.perGpuBytes);
    expect((eager.perGpuBytes / 1e9).toFixed(2)).toBe('138.68');
    expect(sdpa.setup.checkpointing).toBe('none');
  });

  it('checkpointing defaults: full for lora and qlora, none for full; a given value wins', () => {
    expect(est({ model: 'llama-2-7b', mode: 'lora' }).setup.checkpointing).toBe('full');
    expect(est({ model: 'llama-2-7b', mode: 'qlora' }).setup.checkpointing).toBe('full');
    expect(est({ model: 'llama-2-7b', mode: 'full' }).setup.checkpointing).toBe('none');
    expect(
      est({ model: 'llama-2-7b', mode: 'lora', checkpointing: 'none' }).setup.checkpointing,
    ).toBe('none');
    expect(est({ model: 'llama-2-7b', mode: 'inference' }).setup).toMatchObject({
      attention: 'sdpa',
    });
  });

  it('accepts flash-attention spellings for sdpa; rejects other kernels with the choices', () => {
    for (const v of ['flash', 'flash_attention_2', 'FA2', 'SDPA']) {
      expect(est({ model: 'llama-2-7b', attention: v }).setup.attention).toBe('sdpa');
    }
    expect(() => est({ model: 'llama-2-7b', attention: 'xformers' })).toThrow(
      /attention: got "xformers"; expected one of sdpa, eager/,
    );
  });
});

describe('activations with sdpa (no seq×seq scores kept)', () => {
  const a = findPreset('llama-2-7b')?.arch;
  if (!a) throw new Error('preset missing');
  const sbh = 2048 * 4096;

  it('none and selective both keep 34·s·b·h per layer (8.5 GiB at s = 2048)', () => {
    expect(activationBytes(a, 2048, 1, 'none', 'sdpa')).toBe(32 * 34 * sbh);
    expect(activationBytes(a, 2048, 1, 'selective', 'sdpa')).toBe(32 * 34 * sbh);
    expect(activationBytes(a, 2048, 1, 'none', 'sdpa') / GiB).toBe(8.5);
  });

  it('full checkpointing keeps one input per layer plus the one layer being recomputed', () => {
    expect(activationBytes(a, 2048, 1, 'full', 'sdpa')).toBe(32 * 2 * sbh + 34 * sbh);
    // eager reproduces Korthikanti Table 2 as before
    expect(activationBytes(a, 2048, 1, 'full', 'eager')).toBe(32 * 2 * sbh);
    expect(activationBytes(a, 2048, 1, 'none', 'eager') / GiB).toBe(28.5);
  });

  it('the H200 LoRA run (SDPA, ckpt, s = 2048): 13.93 GiB measured, within 3 % by default', () => {
    const e = est({ model: 'llama-2-7b', mode: 'lora', seq: 2048 });
    expect(relErr(e.perGpuBytes / GiB, 13.93)).toBeLessThan(0.03);
    const s1024 = est({ model: 'llama-2-7b', mode: 'lora', seq: 1024 });
    expect(relErr(s1024.perGpuBytes / GiB, 13.29)).toBeLessThan(0.03);
  });
});

describe('the assumptions say both in words', () => {
  const text = (o: Record<string, string>) => est({ model: 'llama-2-7b', ...o }).assumptions;

  it('names the attention kernel and the checkpointing default with its reason', () => {
    const lora = text({ mode: 'lora' }).join(' ');
    expect(lora).toContain('attention=sdpa (FlashAttention / PyTorch SDPA');
    expect(lora).toContain('no seq×seq attention scores are kept');
    expect(lora).toContain(
      'gradient checkpointing on (checkpointing=full, the default for LoRA/QLoRA',
    );
    const full = text({ mode: 'full' }).join(' ');
    expect(full).toContain(
      'gradient checkpointing off (checkpointing=none, the HF Trainer default',
    );
    const eager = text({ mode: 'full', attention: 'eager' }).join(' ');
    expect(eager).toContain('attention=eager: every layer keeps its seq×seq attention scores');
    const given = text({ mode: 'lora', checkpointing: 'full' }).join(' ');
    expect(given).not.toContain('the default for LoRA');
    const zh = est({ model: 'llama-2-7b', mode: 'qlora' }).assumptionsZh.join(' ');
    expect(zh).toContain('不保存 seq×seq 注意力分数');
    expect(zh).toContain('梯度检查点开启');
  });

  it('knows what checkpointing=full saves when activations are over 20 % of the total', () => {
    const eager = est({ model: 'llama-2-7b', mode: 'full', attention: 'eager' });
    expect(eager.bytes.activations / eager.perGpuBytes).toBeGreaterThan(0.2);
    expect((eager.checkpointingSavesBytes ?? 0) / GiB).toBeCloseTo(28, 2);
    // under 20 %, or already checkpointed, or inference: nothing to say
    expect(est({ model: 'llama-2-7b', mode: 'full' }).checkpointingSavesBytes).toBeUndefined();
    expect(est({ model: 'llama-2-7b', mode: 'lora' }).checkpointingSavesBytes).toBeUndefined();
    expect(
      est({ model: 'llama-2-7b', mode: 'inference', seq: 4096, batch: 64 }).checkpointingSavesBytes,
    ).toBeUndefined();
  });
});
