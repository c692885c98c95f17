import { describe, expect, it } from 'vitest';
import { matchGpus } from '../../../src/tools/vram/gpus.js';

describe('matchGpus', () => {
  const names = (s: string) => matchGpus(s).map((g) => g.name);
  it('reads the names people use', () => {
    expect(names('a100')).toEqual(['A100-40GB', 'A100-80GB']);
    expect(names('A100-80GB')).toEqual(['A100-80GB']);
    expect(names('a100 80g')).toEqual(['A100-80GB']);
    expect(names('A10')).toEqual(['A10-24GB']);
    expect(names('RTX 4090')).toEqual(['RTX-4090-24GB']);
    expect(names('4090')).toEqual(['RTX-4090-24GB']);
    expect(names('nvidia h100')).toEqual(['H100-80GB']);
    expect(names('T4')).toEqual(['T4-16GB']);
  });
  it('matches nothing for unknown or empty names', () => {
    expect(names('h300')).toEqual([]);
    expect(names('a100-40gbx')).toEqual([]);
    expect(names('---')).toEqual([]);
    expect(names('')).toEqual([]);
  });
});
