/** Reading option schemas with zod's public API: kinds, bounds, defaults, choices. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { option } from '../../src/core/command.js';
import { optionInfo, optionsOf, usageLine } from '../../src/core/options.js';

describe('optionInfo', () => {
  it('reads integer bounds, defaults and descriptions through coercion and default', () => {
    const size = option(z.coerce.number().int().min(1).max(10).default(5), 'Size', '大小');
    expect(optionInfo('size', size)).toEqual({
      name: 'size',
      kind: 'integer',
      required: false,
      defaultValue: 5,
      min: 1,
      max: 10,
      description: { en: 'Size', zh: '大小' },
    });
  });

  it('shows no bound that only .int() implies, and an exclusive bound as the bound', () => {
    const int = optionInfo('n', z.number().int());
    expect(int).toMatchObject({ kind: 'integer', required: true });
    expect(int.min).toBeUndefined();
    expect(int.max).toBeUndefined();
    expect(optionInfo('x', z.number().gt(0).lt(1))).toMatchObject({
      kind: 'number',
      min: 0,
      max: 1,
    });
  });

  it('reads enums, literals and booleans, also behind optional, nullable and preprocess', () => {
    expect(optionInfo('mode', z.enum(['full', 'lora']).optional())).toMatchObject({
      kind: 'enum',
      choices: ['full', 'lora'],
      required: false,
    });
    expect(optionInfo('lit', z.literal(3).nullable()).choices).toEqual(['3']);
    const flag = z.preprocess((v) => v === 'yes', z.boolean());
    expect(optionInfo('flag', flag)).toMatchObject({ kind: 'boolean', required: true });
  });

  it('calls a default given as a function, and treats anything else as a string', () => {
    expect(
      optionInfo(
        'd',
        z.string().default(() => 'now'),
      ).defaultValue,
    ).toBe('now');
    expect(optionInfo('tags', z.array(z.string()))).toMatchObject({
      kind: 'string',
      required: true,
    });
    expect(optionInfo('plain', z.string()).description).toEqual({ en: '', zh: '' });
  });
});

describe('optionsOf and usageLine', () => {
  const schema = z.object({
    n: z.coerce.number().int(),
    mode: z.enum(['a', 'b']).optional(),
    verbose: z.boolean().default(false),
  });

  it('lists every option in order', () => {
    expect(optionsOf(schema).map((o) => [o.name, o.kind, o.required])).toEqual([
      ['n', 'integer', true],
      ['mode', 'enum', false],
      ['verbose', 'boolean', false],
    ]);
  });

  it('writes positional and named options', () => {
    expect(usageLine('demo', schema, ['n'])).toBe('/demo <n> [mode=a|b] [verbose=true|false]');
  });
});
