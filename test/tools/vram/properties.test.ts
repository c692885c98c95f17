import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LORA_TARGETS,
  PRESET_NAMES,
  safeEstimateMemory,
  type VramEstimate,
} from '../../../src/tools/vram/index.js';
import { OPTION_NAMES } from '../../../src/tools/vram/schema.js';

const MODELS = [...PRESET_NAMES, '350m', '1.1b', '7b', '13b', '180b'];
const RUNS = { numRuns: 150 };

function run(o: Record<string, unknown>): VramEstimate {
  const r = safeEstimateMemory(o);
  if (!r.ok) throw new Error(`unexpected error: ${r.error.message_en}`);
  return r.value;
}

/** A training setup: BERT caps seq at 512. */
const setup = fc
  .record({
    model: fc.constantFrom(...MODELS),
    seq: fc.integer({ min: 1, max: 8192 }),
    batch: fc.integer({ min: 1, max: 16 }),
    checkpointing: fc.constantFrom('none', 'selective', 'full'),
    optimizer: fc.constantFrom('adamw', 'adamw-8bit', 'sgd-momentum', 'sgd'),
  })
  .map((s) => (s.model.startsWith('bert') ? { ...s, seq: Math.min(s.seq, 512) } : s));

const trainMode = fc.constantFrom(
  { mode: 'full', precision: 'mixed' },
  { mode: 'full', precision: 'bf16' },
  { mode: 'full', precision: 'fp32' },
  { mode: 'lora' },
  { mode: 'qlora' },
);

describe('properties', () => {
  it('memory per GPU never grows with a higher ZeRO stage', () => {
    fc.assert(
      fc.property(
        setup,
        trainMode,
        fc.integer({ min: 1, max: 1024 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (s, m, gpus, z1, z2) => {
          const [lo, hi] = z1 <= z2 ? [z1, z2] : [z2, z1];
          const a = run({ ...s, ...m, gpus, zero: lo });
          const b = run({ ...s, ...m, gpus, zero: hi });
          expect(b.perGpuBytes).toBeLessThanOrEqual(a.perGpuBytes);
        },
      ),
      RUNS,
    );
  });

  it('memory per GPU never grows with more GPUs (training with any stage, and inference)', () => {
    fc.assert(
      fc.property(
        setup,
        fc.oneof(trainMode, fc.constant({ mode: 'inference' })),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 1, max: 512 }),
        (s, m, zero, g1, g2) => {
          const inference = m.mode === 'inference';
          const base = inference ? { model: s.model, seq: s.seq, batch: s.batch } : { ...s, zero };
          const a = run({ ...base, ...m, gpus: Math.min(g1, g2) });
          const b = run({ ...base, ...m, gpus: Math.max(g1, g2) });
          expect(b.perGpuBytes).toBeLessThanOrEqual(a.perGpuBytes);
        },
      ),
      RUNS,
    );
  });

  /** QLoRA ≤ LoRA ≤ full for one setup; returns false when LoRA cannot apply (BERT has no gate_proj). */
  function ordered(
    shared: Record<string, unknown>,
    precision: string,
    quant: string,
    lora: Record<string, unknown>,
  ): boolean {
    const l = safeEstimateMemory({ ...shared, ...lora, mode: 'lora', precision });
    if (!l.ok) return false;
    const full = run({ ...shared, mode: 'full', precision });
    const q = run({ ...shared, ...lora, mode: 'qlora', precision: quant });
    expect(l.value.perGpuBytes).toBeLessThanOrEqual(full.perGpuBytes);
    expect(q.perGpuBytes).toBeLessThanOrEqual(l.value.perGpuBytes);
    return true;
  }
  const precision = fc.constantFrom('fp32', 'mixed', 'bf16', 'fp16');
  const quant = fc.constantFrom('nf4', 'int4', 'int8');
  const targets = fc.subarray([...LORA_TARGETS], { minLength: 1 }).map((t) => t.join(','));

  it('QLoRA ≤ LoRA ≤ full for the same setup (any optimizer, no ZeRO)', () => {
    fc.assert(
      fc.property(
        setup,
        precision,
        quant,
        fc.integer({ min: 1, max: 64 }),
        targets,
        fc.integer({ min: 1, max: 64 }),
        (s, p, qt, lora_rank, lora_targets, gpus) => {
          fc.pre(ordered({ ...s, gpus }, p, qt, { lora_rank, lora_targets }));
        },
      ),
      RUNS,
    );
  });

  it('QLoRA ≤ LoRA ≤ full under ZeRO 1–3 (AdamW, r ≤ 16, up to 64 GPUs)', () => {
    fc.assert(
      fc.property(
        setup.map((s) => ({ ...s, optimizer: 'adamw' })),
        precision,
        quant,
        fc.integer({ min: 1, max: 16 }),
        targets,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 64 }),
        (s, p, qt, lora_rank, lora_targets, zero, gpus) => {
          fc.pre(ordered({ ...s, zero, gpus }, p, qt, { lora_rank, lora_targets }));
        },
      ),
      RUNS,
    );
  });

  it('documented corner: under ZeRO-2 on many GPUs, unsharded adapters can outweigh full FT', () => {
    // Full FT shards its gradients and states; LoRA's adapter weights stay whole until ZeRO-3.
    const o = {
      model: 'llama-2-7b',
      optimizer: 'sgd',
      zero: 2,
      gpus: 512,
      precision: 'fp32',
      checkpointing: 'none',
    };
    const full = run({ ...o, mode: 'full' });
    const lora = run({ ...o, mode: 'lora', lora_rank: 64, lora_targets: 'all' });
    expect(lora.perGpuBytes).toBeGreaterThan(full.perGpuBytes);
    // …and ZeRO-3 restores the order
    expect(
      run({ ...o, zero: 3, mode: 'lora', lora_rank: 64, lora_targets: 'all' }).perGpuBytes,
    ).toBeLessThanOrEqual(run({ ...o, zero: 3, mode: 'full' }).perGpuBytes);
  });

  it('checkpointing: full ≤ selective ≤ none', () => {
    fc.assert(
      fc.property(setup, trainMode, (s, m) => {
        const at = (checkpointing: string) => run({ ...s, ...m, checkpointing }).perGpuBytes;
        expect(at('full')).toBeLessThanOrEqual(at('selective'));
        expect(at('selective')).toBeLessThanOrEqual(at('none'));
      }),
      RUNS,
    );
  });

  it('the KV cache is linear in tokens × batch', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS.filter((m) => !m.startsWith('bert'))),
        fc.integer({ min: 1, max: 16384 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom('fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'),
        (model, seq, batch, kv_dtype) => {
          const kv = (s: number, b: number) =>
            run({ model, mode: 'inference', seq: s, batch: b, kv_dtype }).bytes.kvCache;
          const one = kv(1, 1);
          expect(one).toBeGreaterThan(0);
          expect(kv(seq, batch)).toBe(one * seq * batch);
          expect(kv(seq, batch)).toBe(kv(seq * batch, 1));
        },
      ),
      RUNS,
    );
  });

  it('weights: int4 < nf4 < int8 < fp16 = bf16 < fp32', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), (model) => {
        const w = (precision: string) =>
          run({ model, mode: 'inference', seq: 128, precision }).bytes.weights;
        expect(w('int4')).toBeLessThan(w('nf4'));
        expect(w('nf4')).toBeLessThan(w('int8'));
        expect(w('int8')).toBeLessThan(w('fp16'));
        expect(w('fp16')).toBe(w('bf16'));
        expect(w('bf16')).toBeLessThan(w('fp32'));
      }),
    );
  });

  it('the breakdown adds up, terms are integers, and the result survives JSON', () => {
    fc.assert(
      fc.property(setup, trainMode, fc.integer({ min: 0, max: 3 }), (s, m, zero) => {
        const e = run({ ...s, ...m, zero, gpus: 8 });
        const { total, ...terms } = e.bytes;
        expect(Object.values(terms).reduce((a, b) => a + b, 0)).toBe(total);
        expect(e.perGpuBytes).toBe(total);
        for (const v of Object.values(e.bytes)) expect(Number.isInteger(v)).toBe(true);
        expect(JSON.parse(JSON.stringify(e))).toEqual(e);
      }),
      RUNS,
    );
  });

  it('never throws, whatever the input', () => {
    const value = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constantFrom('-1', '0', '1e400', 'NaN', 'Infinity', '', 'true', 'all', '4k'),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...OPTION_NAMES), value), (input) => {
        const r = safeEstimateMemory(input);
        if (!r.ok) {
          expect(r.error.option.length).toBeGreaterThan(0);
          expect(r.error.message_en).toContain(r.error.option);
          expect(r.error.message_zh).toContain(r.error.option);
        }
      }),
      { numRuns: 300 },
    );
    for (const bad of [null, undefined, 42, 'llama-2-7b', [], [1, 2]]) {
      expect(safeEstimateMemory(bad).ok).toBe(false);
    }
  });
});
