import { describe, expect, it } from 'vitest';
import { renderReply as renderConsole } from '../../src/adapters/console/render.js';
import { renderDiscordReply } from '../../src/adapters/discord/render.js';
import { renderReply as renderSlack } from '../../src/adapters/slack/blocks.js';
import {
  bytesOverLimit,
  cutIndex,
  quoteValue,
  sanitizeReply,
  truncateText,
} from '../../src/core/sanitize.js';
import type { Reply } from '../../src/core/types.js';
import { msg, router, textOf } from './helpers.js';

/** Every string in a JSON-able value, flattened. */
function allStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(allStrings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(allStrings);
  return [];
}

describe('quoteValue', () => {
  it('quotes short values whole and long ones as 80 characters, "…" and the length', () => {
    expect(quoteValue('abc')).toBe('"abc"');
    expect(quoteValue('a\nb')).toBe('"a\\nb"');
    expect(quoteValue(42)).toBe('42');
    const long = quoteValue('x'.repeat(40_000));
    expect(long).toBe(`"${'x'.repeat(80)}…" (40,000 characters)`);
    expect(quoteValue('字'.repeat(100), 'zh')).toBe(`"${'字'.repeat(80)}…"(共 100 个字符)`);
  });

  it('cuts by grapheme clusters, never inside a surrogate pair, and escapes lone surrogates', () => {
    const q = quoteValue(`${'a'.repeat(79)}😀😀`);
    expect(q.isWellFormed()).toBe(true);
    expect(q).toBe(`"${'a'.repeat(79)}😀…" (81 characters)`);
    const flags = quoteValue(`${'a'.repeat(79)}🇨🇳`);
    expect(flags).toBe(`"${'a'.repeat(79)}…" (81 characters)`);
    expect(quoteValue('\ud800x')).toBe('"\\ud800x"');
    expect(quoteValue(10n)).toBe('[object BigInt]');
  });
});

describe('cutting text', () => {
  it('cuts at a grapheme boundary within the room, or a code point inside a giant cluster', () => {
    expect(cutIndex('ab😀', 3)).toBe(2);
    expect(cutIndex('e\u0301e\u0301', 3)).toBe(2);
    expect(cutIndex(`a${'\u0301'.repeat(10)}`, 4)).toBe(4);
    expect(truncateText('hello world', 6)).toBe('hello…');
    expect(truncateText('😀😀😀', 4)).toBe('😀…');
  });

  it('says sizes over a limit exactly', () => {
    expect(bytesOverLimit(2_097_153, 2_097_152).en).toBe(
      '2,097,153 bytes; the limit is 2,097,152 bytes (2 MiB)',
    );
    expect(bytesOverLimit(undefined, 2_097_152).en).toBe(
      'more than 2,097,152 bytes, the limit (2 MiB)',
    );
  });
});

describe('sanitizeReply', () => {
  it('replaces lone surrogates everywhere and keeps what is well-formed', () => {
    const bad = 'x\ud83d';
    const reply: Reply = {
      kind: 'answer',
      lang: 'en',
      title: bad,
      paragraphs: [bad, 'ok 😀'],
      fields: [{ name: bad, value: bad }],
      table: { headers: [bad], rows: [[bad]] },
      code: { text: bad },
      choices: [{ label: bad, action: bad }],
      hints: [bad],
      files: [{ name: 'f.txt', content: bad }],
    };
    const clean = sanitizeReply(reply);
    for (const s of allStrings({ ...clean, data: undefined })) expect(s.isWellFormed()).toBe(true);
    expect(clean.paragraphs).toEqual(['x\ufffd', 'ok 😀']);
  });

  it('turns anything into a reply with something to show', () => {
    for (const junk of [undefined, null, 42, 'text', [], { kind: 'nope', paragraphs: [1, null] }]) {
      const r = sanitizeReply(junk);
      expect(['answer', 'clarify', 'none', 'info', 'error']).toContain(r.kind);
      expect(['en', 'zh']).toContain(r.lang);
      expect(textOf(r).trim()).not.toBe('');
    }
  });

  it('is applied by the router and by all three renderers', () => {
    const bad: Reply = { kind: 'info', lang: 'en', title: 'a\udc00', paragraphs: ['b\ud800'] };
    expect(renderConsole(bad).isWellFormed()).toBe(true);
    expect(JSON.stringify(renderDiscordReply(bad)).includes('\\ud')).toBe(false);
    expect(allStrings(renderDiscordReply(bad)).every((s) => s.isWellFormed())).toBe(true);
    expect(allStrings(renderSlack(bad)).every((s) => s.isWellFormed())).toBe(true);
  });
});

describe('echoed values are quoted short and well-formed', () => {
  it('a 40,000-character /ask comes back as a short error, not 40,000 characters', async () => {
    const r = await router.handle(msg(`/ask ${'x'.repeat(40_000)}`));
    expect(r.kind).toBe('error');
    expect(textOf(r).length).toBeLessThan(600);
    expect(textOf(r)).toContain('…" (40,000 characters)');
    expect(renderDiscordReply(r)).toHaveLength(1);
    expect(renderSlack(r)).toHaveLength(1);
  });

  it('/chunk size=<junk> quotes at most 80 characters of a 1 MB value', async () => {
    const r = await router.handle(msg(`/chunk size=${'z'.repeat(1_000_000)} hello`));
    expect(r.kind).toBe('error');
    expect(textOf(r).length).toBeLessThan(800);
    expect(textOf(r)).toContain('(1,000,000 characters)');
  });

  it('an unknown command, option or section of any length is quoted short', async () => {
    const name = 'q'.repeat(3_000);
    for (const line of [
      `/${name}`,
      `/help ${name}`,
      `/topic 5 ${name}`,
      `/topic 5 ${name}=1`,
      `/vram model=${name}`,
      `/chunk tokenizer=${name} unit=tokens text`,
    ]) {
      const r = await router.handle(msg(line));
      expect(r.kind, line.slice(0, 20)).toBe('error');
      expect(textOf(r).length, line.slice(0, 20)).toBeLessThan(1200);
      expect(textOf(r), line.slice(0, 20)).toMatch(/…" \(3,00\d characters\)/);
    }
  });

  it('/vram model= + 39 × a + 😀 never replies with half an emoji', async () => {
    const r = await router.handle(msg(`/vram model=${'a'.repeat(39)}😀`));
    expect(r.kind).toBe('error');
    for (const s of allStrings({ ...r, data: undefined })) expect(s.isWellFormed()).toBe(true);
    expect(textOf(r)).toContain(`"${'a'.repeat(39)}😀"`);
  });

  it('attached text and pre-parsed options with lone surrogates give well-formed replies', async () => {
    const file = await router.handle(
      msg('/chunk size=5 overlap=0', {
        files: [{ name: 'a\ud800.txt', text: 'ab\ud800cd\udfffef' }],
      }),
    );
    expect(file.kind).toBe('answer');
    for (const s of allStrings(file)) expect(s.isWellFormed()).toBe(true);
    const options = await router.handle({
      ...msg(''),
      command: { name: 'topic', options: { n: 5, section: 'x\ud800' } },
    });
    expect(options.kind).toBe('error');
    for (const s of allStrings(options)) expect(s.isWellFormed()).toBe(true);
  });
});
