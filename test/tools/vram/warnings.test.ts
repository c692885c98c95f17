import { describe, expect, it } from 'vitest';
import { GPUS } from '../../../src/tools/vram/index.js';
import { est } from './helpers.js';

// Issue 14, item 5: warnings in the result (and so in --json) and in the reply.

const H200 = GPUS.find((g) => g.name === 'H200-141GB');

describe('warnings', () => {
  it('is an empty list when nothing is off', () => {
    const e = est({ model: 'llama-2-7b', mode: 'lora', seq: 4096 });
    expect(e.warnings).toEqual([]);
    expect(e.warningsZh).toEqual([]);
  });

  it('a seq past the preset’s trained context names that length and topics 1 and 4', () => {
    const e = est({ model: 'llama-2-7b', mode: 'lora', seq: 8192 });
    expect(e.warnings).toHaveLength(1);
    expect(e.warnings[0]).toMatch(/seq 8,192 is beyond llama-2-7b’s trained context of 4,096/);
    expect(e.warnings[0]).toMatch(/\/topic 1.*\/topic 4/);
    expect(e.warningsZh[0]).toMatch(
      /超出 llama-2-7b 训练时的上下文长度 4,096.*\/topic 1.*\/topic 4/,
    );
    expect(est({ model: 'llama-3-8b', seq: 8192 }).warnings).toEqual([]);
    expect(est({ model: 'llama-3-8b', seq: 8193 }).warnings[0]).toMatch(/8,192 tokens/);
    // a raw size is no particular model: no context to check
    expect(est({ model: '7b', seq: 32768, mode: 'qlora' }).warnings).toEqual([]);
  });

  it('batch × seq far beyond what fits names the largest batch that fits the largest GPU', () => {
    const o = { model: 'llama-3-8b', mode: 'lora', seq: 4096 } as const;
    const e = est({ ...o, batch: 512 });
    const w = e.warnings.find((x) => x.startsWith('batch 512 × seq 4,096'));
    expect(w).toMatch(/more than the largest listed GPU \(H200-141GB\)/);
    const max = Number(/batch (\d+) is the most that fits there/.exec(w ?? '')?.[1]);
    expect(max).toBeGreaterThan(1);
    const fitsH200 = (batch: number) =>
      est({ ...o, batch }).fits.find((f) => f.gpu === H200?.name)?.fits;
    expect(fitsH200(max)).toBe(true);
    expect(fitsH200(max + 1)).toBe(false);
    // within what fits: no such warning
    expect(est({ ...o, batch: 4 }).warnings).toEqual([]);
  });

  it('even batch 1 too big: says to shorten seq (and checkpointing=full when it is off)', () => {
    const e = est({ model: 'llama-2-7b', mode: 'full', seq: 262144, attention: 'eager' });
    const w = e.warnings.find((x) => x.startsWith('batch 1 × seq 262,144'));
    expect(w).toMatch(/Even batch 1 does not fit there: shorten seq or use checkpointing=full\./);
  });

  it('an unknown gpu= is a warning that lists the known GPUs, not an error', () => {
    const e = est({ model: 'llama-2-7b', mode: 'lora', gpu: 'h300' });
    expect(e.gpu).toEqual([]);
    expect(e.warnings[0]).toMatch(
      /^unknown GPU "h300": the verdict lists every known GPU \(T4-16GB, .*H200-141GB\)/,
    );
    expect(e.warningsZh[0]).toMatch(/^未知的 GPU/);
    const known = est({ model: 'llama-2-7b', mode: 'lora', gpu: 'A100 80GB' });
    expect(known.warnings).toEqual([]);
    expect(known.gpu.map((f) => f.gpu)).toEqual(['A100-80GB']);
  });

  it('a gpu= that is empty or too long is an input error naming the option', () => {
    expect(() => est({ model: 'llama-2-7b', gpu: '' })).toThrow(
      /^gpu: got ""; expected a GPU name/,
    );
    expect(() => est({ model: 'llama-2-7b', gpu: 'x'.repeat(41) })).toThrow(/^gpu: got/);
  });
});
