/**
 * Rendering a Reply for Discord: every message within limits (checked with the fake's own
 * validator), nothing lost, code blocks that cannot be broken, button ids within 100.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionIds } from '../../../src/adapters/discord/actions.js';
import {
  codeBlocks,
  DISCORD_LIMITS,
  type DiscordMessage,
  MAX_MESSAGES_PER_REPLY,
  neutralizeFences,
  renderDiscordReply,
  splitText,
} from '../../../src/adapters/discord/render.js';
import type { Reply } from '../../../src/core/types.js';
import { messageLimitErrors } from '../../fakes/discord.js';

function limitErrors(m: DiscordMessage) {
  return messageLimitErrors({ embeds: m.embeds, components: m.components });
}

/** Visible text with markdown escapes undone and whitespace removed. */
function plain(messages: DiscordMessage[]): string {
  return messages
    .flatMap((m) => m.embeds)
    .flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
      e.footer?.text ?? '',
    ])
    .join('')
    .replace(/\\([\s\S])/g, '$1')
    .replace(/\u200b/g, '')
    .replace(/\s+/g, '');
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** The raw descriptions with code fences and neutralizing spaces removed (code is not escaped). */
function codeText(messages: DiscordMessage[]): string {
  return messages
    .flatMap((m) => m.embeds.map((e) => e.description ?? ''))
    .join('')
    .replace(/```[\w+#-]*/g, '')
    .replace(/\u200b/g, '')
    .replace(/\s+/g, '');
}

const text = (max: number) =>
  fc.string({
    unit: fc.constantFrom(
      'a',
      'b',
      ' ',
      '\n',
      '。',
      '*',
      '_',
      '`',
      '\\',
      '中',
      '😀',
      '.',
      '#',
      '|',
      '~',
      '>',
      '[',
    ),
    maxLength: max,
  });

const replyArb: fc.Arbitrary<Reply> = fc.record(
  {
    kind: fc.constantFrom('answer', 'info', 'error', 'clarify', 'none'),
    lang: fc.constantFrom('en', 'zh'),
    title: text(400),
    paragraphs: fc.array(text(5000), { maxLength: 6 }),
    fields: fc.array(fc.record({ name: text(300), value: text(2500), inline: fc.boolean() }), {
      maxLength: 40,
    }),
    code: fc.record({ text: text(6000) }),
    choices: fc.array(fc.record({ label: text(120), action: text(160) }), { maxLength: 30 }),
    hints: fc.array(text(900), { maxLength: 4 }),
  },
  { requiredKeys: ['kind', 'lang', 'paragraphs'] },
) as fc.Arbitrary<Reply>;

describe('renderDiscordReply', () => {
  it('property: every message is within Discord limits, buttons and files on the last', () => {
    fc.assert(
      fc.property(replyArb, (reply) => {
        const messages = renderDiscordReply(reply);
        expect(messages.length).toBeGreaterThanOrEqual(1);
        expect(messages.length).toBeLessThanOrEqual(MAX_MESSAGES_PER_REPLY);
        for (const m of messages) {
          expect(limitErrors(m)).toEqual({});
          expect(m.embeds.length).toBeGreaterThan(0);
        }
        for (const m of messages.slice(0, -1)) expect(m.components).toEqual([]);
        const buttons = messages.at(-1)!.components.flatMap((r) => r.components);
        expect(buttons.length).toBe(Math.min(25, reply.choices?.length ?? 0));
      }),
      { numRuns: 150 },
    );
  });

  it('property: nothing is lost (paragraphs, field values, code) when under the message cap', () => {
    fc.assert(
      fc.property(replyArb, (reply) => {
        const messages = renderDiscordReply(reply);
        const last = messages.at(-1)!.embeds.at(-1)!;
        fc.pre(!last.description?.includes('not shown'));
        const out = plain(messages);
        for (const p of reply.paragraphs) expect(out).toContain(squash(p));
        for (const f of reply.fields ?? []) expect(out).toContain(squash(f.value));
        if (reply.code) expect(codeText(messages)).toContain(squash(reply.code.text));
      }),
      { numRuns: 150 },
    );
  });

  it('splits a 30 000-character answer into several messages within limits', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `P${i} ${'word '.repeat(199)}`);
    const messages = renderDiscordReply({ kind: 'answer', lang: 'en', title: 'Long', paragraphs });
    expect(messages.length).toBeGreaterThan(5);
    for (const m of messages) expect(limitErrors(m)).toEqual({});
    expect(messages[0]!.embeds[0]!.title).toBe('Long');
    expect(messages.slice(1).every((m) => m.embeds.every((e) => !e.title))).toBe(true);
    const out = plain(messages);
    for (const p of paragraphs) expect(out).toContain(squash(p));
  });

  it('caps a flood at MAX_MESSAGES_PER_REPLY with a note', () => {
    const paragraphs = Array.from({ length: 200 }, () => 'x'.repeat(4000));
    const messages = renderDiscordReply({
      kind: 'answer',
      lang: 'en',
      paragraphs,
      hints: ['hint'],
    });
    expect(messages).toHaveLength(MAX_MESSAGES_PER_REPLY);
    const note = messages.at(-1)!.embeds.at(-1)!;
    expect(note.description).toMatch(/more characters not shown/);
    expect(note.footer?.text).toBe('hint');
    for (const m of messages) expect(limitErrors(m)).toEqual({});
  });

  it('25 fields per embed, long field values continue in a second field', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: `v${i}` }));
    fields.push({ name: 'long', value: 'y '.repeat(800) });
    const messages = renderDiscordReply({ kind: 'info', lang: 'en', paragraphs: [], fields });
    const all = messages.flatMap((m) => m.embeds).flatMap((e) => e.fields ?? []);
    expect(all.map((f) => f.name)).toEqual([
      ...fields.slice(0, 30).map((f) => f.name),
      'long',
      'long (2)',
    ]);
    for (const m of messages) expect(limitErrors(m)).toEqual({});
  });

  it('escapes markdown in plain text; hints go to the footer unescaped', () => {
    const [m] = renderDiscordReply({
      kind: 'answer',
      lang: 'en',
      title: 'q_proj *and* v_proj',
      paragraphs: ['2*7B **bold** [link](http://x) # not a heading'],
      hints: ['/topic 5 <section>'],
    });
    const e = m!.embeds[0]!;
    expect(e.title).toBe('q\\_proj \\*and\\* v\\_proj');
    expect(e.description).toContain('2\\*7B \\*\\*bold\\*\\*');
    expect(e.description).toContain('\\[link\\](http://x) # not a heading');
    const [h] = renderDiscordReply({
      kind: 'answer',
      lang: 'en',
      paragraphs: ['# big\n> quote\n-# small\n- item'],
    });
    expect(h!.embeds[0]!.description).toBe('\\# big\n\\> quote\n\\-# small\n- item');
    expect(e.footer?.text).toBe('/topic 5 <section>');
  });

  it('error replies are red, answers blurple', () => {
    const color = (kind: Reply['kind']) =>
      renderDiscordReply({ kind, lang: 'en', paragraphs: ['x'] })[0]!.embeds[0]!.color;
    expect(color('error')).toBe(0xed4245);
    expect(color('answer')).toBe(0x5865f2);
  });

  it('renders an empty reply as a valid message', () => {
    const [m] = renderDiscordReply({ kind: 'info', lang: 'en', paragraphs: [] });
    expect(m!.embeds[0]!.description).toBe('…');
    expect(limitErrors(m!)).toEqual({});
  });

  it('tables and code become code blocks that user text cannot break out of', () => {
    const [m] = renderDiscordReply({
      kind: 'info',
      lang: 'en',
      paragraphs: [],
      table: { headers: ['a', 'b'], rows: [['```', 'x']] },
      code: { text: 'before\n```\n@everyone **escaped**\n````', lang: 'js; rm' },
    });
    const d = m!.embeds[0]!.description!;
    const fences = d.match(/```/g) ?? [];
    expect(fences).toHaveLength(4); // two blocks, each opened and closed once
    expect(d).toContain('```jsrm\n');
    expect(d).toContain('@everyone **escaped**');
  });

  it('attaches files (≤ 10) to the last message; oversize ones become a note', () => {
    const messages = renderDiscordReply({
      kind: 'answer',
      lang: 'en',
      paragraphs: ['see attached'],
      files: [
        { name: 'chunks.jsonl', content: '{"a":1}\n' },
        { name: '../../etc/passwd', content: 'x' },
        { name: 'huge.txt', content: 'x'.repeat(DISCORD_LIMITS.fileBytes + 1) },
      ],
    });
    const last = messages.at(-1)!;
    expect(last.files.map((f) => f.name)).toEqual(['chunks.jsonl', '.._.._etc_passwd']);
    expect(plain(messages)).toContain('huge.txt');
  });

  it('button custom_ids stay ≤ 100 and unique, long actions resolve through the map', () => {
    const actions = new ActionIds();
    const long = `/ask ${'x'.repeat(200)}`;
    const [m] = renderDiscordReply(
      {
        kind: 'clarify',
        lang: 'en',
        paragraphs: ['pick'],
        choices: [
          { label: 'same', action: '/topic 1' },
          { label: 'same', action: '/topic 1' },
          { label: 'long'.repeat(30), action: long },
        ],
      },
      { actions },
    );
    const ids = m!.components.flatMap((r) => r.components).map((b) => b.custom_id);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => id.length <= 100)).toBe(true);
    expect(actions.actionOf(ids[2]!)).toEqual({ ok: true, action: long, askReason: false });
    expect(actions.actionOf(ids[0]!)).toEqual({ ok: true, action: '/topic 1', askReason: false });
    // a button that asks for a reason first (👎) is marked in its id, short or long
    expect(actions.actionOf(actions.idFor('/rate bad answer=7', 1, true))).toEqual({
      ok: true,
      action: '/rate bad answer=7',
      askReason: true,
    });
    expect(actions.idFor(long, 2, true)).toMatch(/^q2:/);
    expect(actions.actionOf(actions.idFor(long, 2, true))).toMatchObject({ askReason: true });
    expect(m!.components[0]!.components[2]!.label?.length ?? 0).toBeLessThanOrEqual(80);
  });

  it('more than 25 choices: 25 buttons, the rest listed as text', () => {
    const choices = Array.from({ length: 28 }, (_, i) => ({
      label: `c${i}`,
      action: `/topic ${i}`,
    }));
    const [m] = renderDiscordReply({ kind: 'clarify', lang: 'en', paragraphs: ['pick'], choices });
    expect(m!.components).toHaveLength(5);
    expect(m!.components.every((r) => r.components.length === 5)).toBe(true);
    expect(m!.embeds[0]!.description).toContain('c27: /topic 27');
  });
});

describe('ActionIds', () => {
  it('forgets the oldest long actions beyond its capacity; foreign ids are recognised', () => {
    const ids = new ActionIds(3);
    const made = Array.from({ length: 5 }, (_, i) => ids.idFor(`/ask ${String(i).repeat(120)}`, 0));
    expect(ids.size).toBe(3);
    expect(ids.actionOf(made[0]!)).toEqual({ ok: false, reason: 'expired' });
    expect(ids.actionOf(made[4]!).ok).toBe(true);
    expect(ids.actionOf('something-else')).toEqual({ ok: false, reason: 'foreign' });
    // another process (a restart) does not resolve this one's keys
    expect(new ActionIds().actionOf(made[4]!)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('splitText and code blocks', () => {
  it('property: pieces fit, and only whitespace is dropped', () => {
    fc.assert(
      fc.property(text(3000), fc.integer({ min: 8, max: 500 }), (s, max) => {
        const pieces = splitText(s, max);
        for (const p of pieces) expect(p.length).toBeLessThanOrEqual(max);
        expect(squash(pieces.join(''))).toBe(squash(s));
      }),
      { numRuns: 300 },
    );
  });

  it('never cuts a surrogate pair or an escape apart', () => {
    const pieces = splitText('😀'.repeat(10), 5);
    for (const p of pieces) expect(p).toMatch(/^(?:😀)+$/u);
    const escaped = splitText('\\*'.repeat(10), 5);
    for (const p of escaped) expect(p).toMatch(/^(?:\\\*)+$/);
  });

  it('prefers paragraph breaks, then sentence ends', () => {
    expect(splitText('aaaa bbbb.\n\ncccc', 12)).toEqual(['aaaa bbbb.', 'cccc']);
    expect(splitText('一二三四五。六七八九十', 8)).toEqual(['一二三四五。', '六七八九十']);
  });

  it('property: code blocks fit, and no ``` survives inside', () => {
    fc.assert(
      fc.property(text(3000), fc.integer({ min: 30, max: 600 }), (s, max) => {
        for (const block of codeBlocks(s, 'txt', max)) {
          expect(block.length).toBeLessThanOrEqual(max);
          const inner = block.slice('```txt\n'.length, -'\n```'.length);
          expect(inner).not.toContain('```');
        }
      }),
      { numRuns: 200 },
    );
    expect(neutralizeFences('````')).not.toContain('```');
  });
});
