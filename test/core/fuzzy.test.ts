import { describe, expect, it } from 'vitest';
import { closest } from '../../src/core/fuzzy.js';

const items = [
  { id: 'optimizer', names: ['optimizer', 'Optimizer states', '优化器状态'] },
  { id: 'activations', names: ['activations', 'Activations', '激活值'] },
];
const names = (i: (typeof items)[number]) => i.names;

describe('closest (fuse.js)', () => {
  it('finds a name by a typo, a part of it, or in Chinese', () => {
    expect(closest(items, 'optimiser', names)?.id).toBe('optimizer');
    expect(closest(items, 'activatoins', names)?.id).toBe('activations');
    expect(closest(items, '优化器', names)?.id).toBe('optimizer');
    expect(closest(items, '激活', names)?.id).toBe('activations');
  });

  it('finds nothing for unrelated or empty queries', () => {
    expect(closest(items, 'zzzz', names)).toBeUndefined();
    expect(closest(items, '水果', names)).toBeUndefined();
    expect(closest(items, '', names)).toBeUndefined();
    expect(closest(items, '   ', names)).toBeUndefined();
    expect(closest([], 'optimizer', names)).toBeUndefined();
  });
});
