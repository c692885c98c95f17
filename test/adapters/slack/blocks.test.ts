/** Block Kit rendering: limits, escaping and "nothing lost", checked by the fake's validator. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  fallbackText,
  renderReply,
  SLACK_LIMITS,
  splitText,
  unescapeSlack,
} from '../../../src/adapters/slack/blocks.js';
import type { Reply } from '../../../src/core/types.js';
import { router, say } from '../../core/helpers.js';
import { type Block, validateMessage, visibleText } from '../../fakes/slack.js';

/** Text that stresses the renderer: control characters for Slack, CJK, emoji, long runs. */
const piece = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('<!channel>', '<@U123>', '&', '<', '>', '&amp;', '```', '*', '\n', '\n\n', ' '),
  fc.constantFrom('中文句子。', '😀', '𝄞', 'ﬁ', 'a'.repeat(500), '长'.repeat(700)),
);
const text = (max: number) => fc.array(piece, { maxLength: max }).map((parts) => parts.join(''));

const replyArb: fc.Arbitrary<Reply> = fc.record(
  {
    kind: fc.constantFrom('answer', 'clarify', 'none', 'info', 'error'),
    lang: fc.constantFrom('en', 'zh'),
    title: text(30),
    paragraphs: fc.array(text(40), { maxLength: 30 }),
    fields: fc.array(fc.record({ name: text(5), value: text(20) }), { maxLength: 30 }),
    code: fc.record({ text: text(60) }),
    choices: fc.array(fc.record({ label: text(8), action: text(8) }), { maxLength: 60 }),
    hints: fc.array(text(10), { maxLength: 25 }),
  },
  { requiredKeys: ['kind', 'lang', 'paragraphs'] },
) as fc.Arbitrary<Reply>;

/** Every mrkdwn string must be escaped: no raw < or >, every & starts an entity. */
function assertEscaped(s: string): void {
  const rest = s.replace(/&(amp|lt|gt);/g, '');
  expect(rest).not.toMatch(/[<>&]/);
}

function mrkdwnTexts(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.text?.type === 'mrkdwn') out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) {
      if (e.type === 'mrkdwn' && typeof e.text === 'string') out.push(e.text);
    }
  }
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** What a reader sees: mrkdwn unescaped (Slack decodes it), plain_text as is. */
function readable(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.text) out.push(b.text.type === 'mrkdwn' ? unescapeSlack(b.text.text) : b.text.text);
    for (const f of b.fields ?? []) out.push(unescapeSlack(f.text));
    for (const e of b.elements ?? []) {
      if (typeof e.text === 'string') out.push(unescapeSlack(e.text));
      else if (e.text) out.push(e.text.text);
    }
  }
  return out.join('\n');
}

describe('escaping', () => {
  it('escapes exactly &, < and >, and unescaping gives the text back', () => {
    expect(escapeMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
    expect(escapeMrkdwn('*bold* _it_ `code`')).toBe('*bold* _it_ `code`');
    fc.assert(fc.property(fc.string(), (s) => unescapeSlack(escapeMrkdwn(s)) === s));
  });
});

describe('splitText', () => {
  it('pieces fit, join back to the input, and never cut an entity or a surrogate pair', () => {
    fc.assert(
      fc.property(text(80), fc.integer({ min: 8, max: 400 }), (raw, max) => {
        const escaped = escapeMrkdwn(raw);
        const pieces = splitText(escaped, max);
        expect(pieces.join('')).toBe(escaped);
        for (const p of pieces) {
          expect(p.length).toBeLessThanOrEqual(max);
          expect(p.length).toBeGreaterThan(0);
          expect(p.isWellFormed()).toBe(true);
          expect(escapeMrkdwn(unescapeSlack(p))).toBe(p);
        }
      }),
    );
  });

  it('prefers paragraph, line and sentence breaks', () => {
    const a = 'a'.repeat(60);
    expect(splitText(`${a}\n\n${a}`, 100)).toEqual([`${a}\n\n`, a]);
    expect(splitText(`${a}\n${a}`, 100)).toEqual([`${a}\n`, a]);
    expect(splitText(`${'长'.repeat(60)}。${'长'.repeat(60)}`, 100)[0]).toMatch(/。$/);
    expect(() => splitText('x', 3)).toThrow(RangeError);
  });
});

describe('renderReply', () => {
  it('every message of any reply passes the fake Slack validator (limits, types)', () => {
    fc.assert(
      fc.property(replyArb, (reply) => {
        const messages = renderReply(reply);
        expect(messages.length).toBeGreaterThan(0);
        for (const m of messages) {
          const checked = validateMessage(m as unknown as Record<string, unknown>);
          expect(checked.problems, JSON.stringify(checked)).toEqual([]);
          expect(checked.error).toBeUndefined();
          expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
          expect(m.text.trim().length).toBeGreaterThan(0);
          assertEscaped(m.text);
          for (const s of mrkdwnTexts(m.blocks as unknown as Block[])) assertEscaped(s);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('loses nothing: every paragraph, field and hint is in the messages, in order', () => {
    fc.assert(
      fc.property(replyArb, (reply) => {
        const all = renderReply(reply)
          .map((m) => readable(m.blocks as unknown as Block[]))
          .join('\n');
        const flat = squash(all);
        let at = 0;
        for (const p of reply.paragraphs) {
          const i = flat.indexOf(squash(p), at);
          expect(i, JSON.stringify(p).slice(0, 80)).toBeGreaterThanOrEqual(0);
          at = i;
        }
        for (const f of reply.fields ?? []) expect(flat).toContain(squash(f.value));
        for (const h of reply.hints ?? []) expect(flat).toContain(squash(h));
        if (reply.title?.trim()) expect(flat).toContain(squash(reply.title));
        for (const c of reply.choices ?? []) {
          if (c.action.trim() && c.action.length <= SLACK_LIMITS.buttonValue) {
            const values = renderReply(reply).flatMap((m) =>
              (m.blocks as unknown as Block[]).flatMap((b) =>
                (b.elements ?? []).map((e) => e.value),
              ),
            );
            expect(values).toContain(c.action);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('renders each part as the right block', () => {
    const [m, ...rest] = renderReply({
      kind: 'answer',
      lang: 'en',
      title: 'T',
      paragraphs: ['p1', 'p2'],
      fields: [{ name: 'f', value: 'v' }],
      table: { headers: ['a', 'bb'], rows: [['中文', '2']] },
      code: { text: 'x ``` y' },
      choices: [{ label: 'one', action: '/topic 1' }],
      hints: ['h'],
      files: [{ name: 'out.jsonl', content: 'x'.repeat(3000) }],
    });
    expect(rest).toEqual([]);
    const blocks = m!.blocks as unknown as Block[];
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'section',
      'actions',
      'context',
    ]);
    expect(blocks[1]!.text!.text).toBe('p1\n\np2');
    expect(blocks[2]!.fields![0]!.text).toBe('*f*\nv');
    expect(blocks[3]!.text!.text).toBe('```\na     bb\n----  --\n中文  2\n```');
    expect(blocks[4]!.text!.text).not.toContain('x ``` y');
    expect(blocks[5]!.elements![0]).toMatchObject({
      value: '/topic 1',
      action_id: 'llm-tutor.choice.0',
    });
    expect(blocks[6]!.elements!.map((e) => e.text)).toEqual([
      'h',
      expect.stringMatching(/out\.jsonl \(3 KB\) cannot be attached/),
    ]);
    expect(m!.text).toBe('T — p1');
    expect(blocks[1]!.text!.verbatim).toBe(true);
  });

  it('keeps buttons, fields and context within their per-block limits', () => {
    const [m] = renderReply({
      kind: 'clarify',
      lang: 'zh',
      title: 'x'.repeat(400),
      paragraphs: [],
      fields: Array.from({ length: 23 }, (_, i) => ({ name: `n${i}`, value: 'v' })),
      choices: [
        ...Array.from({ length: 30 }, (_, i) => ({
          label: `L${i} ${'y'.repeat(100)}`,
          action: `/topic ${i}`,
        })),
        { label: 'too long', action: `/ask ${'q'.repeat(2500)}` },
      ],
      hints: Array.from({ length: 12 }, (_, i) => `hint ${i}`),
    });
    const blocks = m!.blocks as unknown as Block[];
    const header = blocks[0]!;
    expect(header.text!.text.length).toBe(150);
    expect(blocks[1]!.text!.text).toBe('x'.repeat(400)); // the full title, once
    const fieldCounts = blocks.filter((b) => b.fields).map((b) => b.fields!.length);
    expect(fieldCounts).toEqual([10, 10, 3]);
    const actions = blocks.filter((b) => b.type === 'actions').map((b) => b.elements!.length);
    expect(actions).toEqual([25, 5]);
    const labels = blocks.flatMap((b) => (b.type === 'actions' ? b.elements! : []));
    for (const l of labels)
      expect((l.text as { text: string }).text.length).toBeLessThanOrEqual(75);
    expect(new Set(labels.map((l) => l.action_id)).size).toBe(30);
    const context = blocks.filter((b) => b.type === 'context').map((b) => b.elements!.length);
    expect(context).toEqual([2, 10, 2]);
    expect(visibleText(blocks)).toContain('也可以直接输入');
  });

  it('splits a reply over the 50-block limit into several messages', () => {
    const reply: Reply = {
      kind: 'info',
      lang: 'en',
      paragraphs: [],
      fields: Array.from({ length: 700 }, (_, i) => ({ name: `n${i}`, value: 'v' })),
    };
    const messages = renderReply(reply);
    expect(messages.length).toBe(2); // 70 field sections
    expect(messages.map((m) => m.blocks.length)).toEqual([50, 20]);
    expect(messages[1]!.text).toMatch(/^\(2\/2\) /);
  });

  it('a fallback is short, escaped and never empty', () => {
    expect(fallbackText({ kind: 'info', lang: 'en', paragraphs: [] })).toBe('llm-tutor');
    expect(
      fallbackText({ kind: 'info', lang: 'en', paragraphs: ['<!here> '.repeat(100)] }),
    ).toMatch(/^&lt;!here&gt; .*…$/);
    expect(
      fallbackText({ kind: 'info', lang: 'en', paragraphs: ['a'.repeat(5000)] }).length,
    ).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it('every reply the core gives today renders within the limits', async () => {
    const lines = [
      '/help',
      '/topics',
      ...Array.from({ length: 10 }, (_, i) => `/topic ${i + 1}`),
      ...Array.from({ length: 10 }, (_, i) => `/topic ${i + 1} lang=zh`),
      ...router.commands.map((c) => `/help ${c.name}`),
      '/vram model=llama-2-7b',
      '/topic 99',
      'what is the weather',
    ];
    for (const line of lines) {
      const reply = await say(line);
      const messages = renderReply(reply);
      expect(messages, line).toHaveLength(1);
      expect(
        validateMessage(messages[0] as unknown as Record<string, unknown>).error,
        line,
      ).toBeUndefined();
    }
  });
});
