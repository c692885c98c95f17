import { describe, expect, it } from 'vitest';
import { findPreset } from '../../../src/tools/vram/presets.js';
import { presetShapeFor } from '../../../src/tools/vram/resolve.js';
import { est } from './helpers.js';

// Issue 14, item 6: a bare size borrows the nearest preset's real shape, and says so.

describe('a bare size uses a real shape', () => {
  it('maps common sizes to the nearest preset (by Ψ ratio)', () => {
    expect(presetShapeFor(70e9)?.name).toBe('llama-3-70b');
    expect(presetShapeFor(69e9)?.name).toBe('llama-2-70b');
    expect(presetShapeFor(13e9)?.name).toBe('llama-2-13b');
    expect(presetShapeFor(8e9)?.name).toBe('llama-3-8b');
    expect(presetShapeFor(6.7e9)?.name).toBe('llama-2-7b');
    expect(presetShapeFor(6e9)?.name).toBe('chatglm3-6b');
    // no decoder preset within 25 %: none (encoders are never borrowed)
    expect(presetShapeFor(350e6)).toBeUndefined();
    expect(presetShapeFor(110e6)).toBeUndefined();
    expect(presetShapeFor(30e9)).toBeUndefined();
  });

  it('/vram 70b: Ψ as given, llama-3-70b’s shape, stated in the assumptions', () => {
    const e = est({ model: '70b', mode: 'qlora' });
    expect(e.params).toBe(70e9);
    expect(e.model).toMatchObject({ kind: 'size', layers: 80, hidden: 8192, kvHeads: 8 });
    expect(e.model.vocab).toBe(findPreset('llama-3-70b')?.arch.vocab);
    expect(e.model.source).toMatch(/^raw size; shape of llama-3-70b/);
    expect(e.assumptions[0]).toMatch(
      /^70b: Ψ = 70,000,000,000 as given; shape of the nearest preset, llama-3-70b \(L=80, h=8192, heads=64, kv_heads=8/,
    );
    expect(e.assumptionsZh[0]).toMatch(/最接近的预设 llama-3-70b/);
    // before: a generic shape (h=9088, 71 heads) with 193 GB of QLoRA activations
    expect(e.perGpuBytes).toBeLessThan(60e9);
  });

  it('architecture options still override the borrowed shape', () => {
    const e = est({ model: '70b', layers: 40 });
    expect(e.model).toMatchObject({ layers: 40, hidden: 8192, heads: 64, kvHeads: 8 });
    expect(e.assumptions.join(' ')).toContain('changed from the defaults: layers');
  });
});
