import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandUsage, parseArgText, splitCommandLine, validateArgs } from '../../src/core/args.js';
import { defineCommand, option } from '../../src/core/command.js';

const demo = defineCommand({
  name: 'demo',
  description: { en: 'Demo', zh: '演示' },
  schema: z.object({
    model: option(z.string().optional(), 'Model', '模型'),
    seq: option(
      z.coerce.number().int().min(1).max(100_000).default(2048),
      'Sequence length',
      '序列长度',
    ),
    mode: option(z.enum(['full', 'lora']).default('full'), 'Mode', '模式'),
  }),
  positional: ['model'],
  run: () => ({ kind: 'info', lang: 'en', paragraphs: [] }),
});

const withRest = defineCommand({
  name: 'say',
  description: { en: 'Say', zh: '说' },
  schema: z.object({
    loud: option(z.enum(['yes', 'no']).default('no'), 'Loud', '大声'),
    text: option(z.string().min(1), 'Text', '文本'),
  }),
  rest: 'text',
  run: () => ({ kind: 'info', lang: 'en', paragraphs: [] }),
});

describe('splitCommandLine', () => {
  it('splits a command from its arguments', () => {
    expect(splitCommandLine('/vram model=x')).toEqual({ name: 'vram', argText: 'model=x' });
    expect(splitCommandLine('  /TOPIC   5 ')).toEqual({ name: 'topic', argText: '5' });
    expect(splitCommandLine('／topics')).toEqual({ name: 'topics', argText: '' });
    expect(splitCommandLine('what is /vram')).toBeNull();
    expect(splitCommandLine('/')).toBeNull();
  });
});

describe('parseArgText', () => {
  it('reads a line full of unclosed quotes in linear time (each quote is looked for once)', () => {
    const rest = parseArgText(withRest, '「'.repeat(1_000_000));
    expect(rest.ok && (rest.values.text as string).length).toBe(1_000_000);
    const words = parseArgText(demo, `${'「 '.repeat(200_000)}`);
    expect(words.ok).toBe(false);
    const quoted = parseArgText(demo, `"a b" ${'" '.repeat(100_000)}`);
    expect(quoted.ok).toBe(false);
  });

  it('reads key=value, key:value, full-width colon, positional and quoted values', () => {
    expect(parseArgText(demo, 'llama-2-7b seq=4096 mode:lora')).toEqual({
      ok: true,
      values: { model: 'llama-2-7b', seq: '4096', mode: 'lora' },
    });
    expect(parseArgText(demo, 'model="my model" seq：8')).toEqual({
      ok: true,
      values: { model: 'my model', seq: '8' },
    });
    expect(parseArgText(demo, '“big model”')).toEqual({ ok: true, values: { model: 'big model' } });
  });

  it('gives the rest of the line verbatim to the rest option', () => {
    const r = parseArgText(withRest, 'loud=yes hello  world\n  line two: x=1');
    expect(r).toEqual({ ok: true, values: { loud: 'yes', text: 'hello  world\n  line two: x=1' } });
  });

  it('accepts lang=zh|en on every command, apart from its own options', () => {
    expect(parseArgText(demo, 'x lang=zh seq=5')).toEqual({
      ok: true,
      values: { model: 'x', seq: '5' },
      lang: 'zh',
    });
    // inside the rest of the line it is text, not an option
    expect(parseArgText(withRest, 'hello lang=zh')).toEqual({
      ok: true,
      values: { text: 'hello lang=zh' },
    });
    expect(parseArgText(demo, 'lang=fr').ok).toBe(false);
  });

  it('names an unknown or repeated option', () => {
    const unknown = parseArgText(demo, 'colour=red');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.option).toBe('colour');
      expect(unknown.message.en).toContain('model, seq, mode');
    }
    const twice = parseArgText(demo, 'seq=1 seq=2');
    expect(twice.ok === false && twice.option).toBe('seq');
    const extra = parseArgText(demo, 'a b');
    expect(extra.ok).toBe(false);
  });
});

describe('validateArgs', () => {
  it('coerces and fills defaults', () => {
    expect(validateArgs(demo, { seq: '4096' })).toEqual({
      ok: true,
      args: { seq: 4096, mode: 'full' },
    });
  });

  it.each([
    [{ seq: '-5' }, 'seq', '1–100000'],
    [{ seq: 'lots' }, 'seq', 'whole number'],
    [{ mode: 'half' }, 'mode', 'full, lora'],
  ])('names the option and the accepted values for %j', (values, option, expected) => {
    const r = validateArgs(demo, values);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.option).toBe(option);
      expect(r.message.en).toContain(`"${option}"`);
      expect(r.message.en).toContain(expected);
      expect(r.message.zh).toContain(option);
    }
  });

  it('says when a required option is missing', () => {
    const r = validateArgs(withRest, {});
    expect(r.ok === false && r.message.en).toContain('"text" is required');
  });
});

describe('usage lines derive from the schema', () => {
  it('shows positional, choices and kinds', () => {
    expect(commandUsage(demo)).toBe('/demo [model] [seq=integer] [mode=full|lora]');
    expect(commandUsage(withRest)).toBe('/say [loud=yes|no] <text>');
  });
});
