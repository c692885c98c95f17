import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/compose.js';
import { MAX_QUESTION_CHARS } from '../../src/core/router.js';
import { TopicClassifier } from '../../src/knowledge/classifier.js';
import { msg, router, say, textOf } from './helpers.js';

describe('free-text questions', () => {
  it('answers short first, in the language of the question, with a way to get more', async () => {
    const zh = await say('为什么SFT之后模型变笨了');
    expect(zh.kind).toBe('answer');
    expect(zh.lang).toBe('zh');
    expect(zh.title).toMatch(/^6\./);
    expect(zh.paragraphs).toHaveLength(2);
    expect(textOf(zh)).toContain('/topic 6');
    expect(textOf(zh).length).toBeLessThan(2000);

    const en = await say('How much GPU memory does full fine-tuning of a 7B model need?', {
      user: { id: 'en1' },
    });
    expect(en.kind).toBe('answer');
    expect(en.lang).toBe('en');
    expect(en.title).toMatch(/^5\./);
    expect(textOf(en)).not.toMatch(/\p{Script=Han}/u);
  });

  it('continues the last topic on "more" / "详细"', async () => {
    const user = { id: 'more-user' };
    await say('灾难性遗忘怎么缓解', { user });
    const more = await say('详细', { user });
    expect(more.title).toMatch(/^10\./);
    expect(more.paragraphs.length).toBeGreaterThan(4);
    const nothing = await say('more', { user: { id: 'fresh' } });
    expect(nothing.kind).toBe('info');
  });

  it('says "not one of my topics" with the topic list', async () => {
    const r = await say("what's the weather like in Berlin tomorrow?");
    expect(r.kind).toBe('none');
    expect(textOf(r)).toContain('10.');
  });

  it('offers choices that route back as commands', async () => {
    const reply = await say('微调 数据');
    if (reply.kind === 'clarify') {
      expect(reply.choices!.length).toBeGreaterThanOrEqual(2);
      for (const c of reply.choices!) expect((await say(c.action)).kind).toBe('answer');
    } else {
      expect(['answer', 'none']).toContain(reply.kind);
    }
  });

  it('gives a hint for empty input and refuses overlong questions', async () => {
    for (const empty of ['', '   ', '\n\t', '。。。']) {
      const r = await say(empty);
      expect(r.kind, JSON.stringify(empty)).toBe('info');
      expect(textOf(r)).toContain('/help');
    }
    const long = await say('显存'.repeat(MAX_QUESTION_CHARS));
    expect(long.kind).toBe('error');
    expect(long.lang).toBe('zh');
    expect(textOf(long)).toContain(String(MAX_QUESTION_CHARS));
  });
});

describe('commands', () => {
  it('/help lists every command; /help <cmd> shows its options', async () => {
    const help = await say('/help');
    for (const c of router.commands) expect(textOf(help)).toContain(`/${c.name}`);
    const topic = await say('/help topic');
    expect(topic.fields!.map((f) => f.name)).toEqual(['n', 'section', 'lang']);
    const missing = await say('/help nosuch');
    expect(missing.kind).toBe('error');
  });

  it('/topics lists the ten topics in the user language', async () => {
    const en = await say('/topics');
    expect(en.paragraphs[0]!.split('\n')).toHaveLength(10);
    const zh = await say('/topics lang=zh');
    expect(zh.lang).toBe('zh');
    expect(zh.paragraphs[0]).toMatch(/\p{Script=Han}/u);
  });

  it('/topic N shows a topic; /topic N section shows one section', async () => {
    const full = await say('/topic 5');
    expect(full.paragraphs.length).toBeGreaterThanOrEqual(9);
    const one = await say('/topic 5 optimizer');
    expect(one.paragraphs).toHaveLength(1);
    expect(one.data).toEqual({ topic: 5, sections: ['t5.optimizer'] });
    expect((await say('/topic 5 t5.dtype')).data).toEqual({ topic: 5, sections: ['t5.dtype'] });
    expect((await say('/topic 5 2')).data).toEqual({ topic: 5, sections: ['t5.batch'] });
  });

  it("/topic N ends with the topic's sources; one section and a short answer do not", async () => {
    const en = await say('/topic 5');
    const last = en.paragraphs.at(-1)!;
    expect(last.split('\n')[0]).toBe('Sources');
    expect(last).toContain('1. Rajbhandari et al. 2020, ZeRO');
    expect(last).toMatch(/arXiv:1910\.02054/);
    const zh = await say('/topic 9 lang=zh');
    const zhLast = zh.paragraphs.at(-1)!;
    expect(zhLast.split('\n')[0]).toBe('参考资料');
    expect(zhLast).toContain('DoReMi');
    for (const reply of [
      await say('/topic 5 optimizer'),
      await say('How much GPU memory does full fine-tuning of a 7B model need?', {
        user: { id: 'sources-en' },
      }),
    ]) {
      expect(reply.paragraphs.join('\n')).not.toMatch(/^Sources$|^参考资料$/m);
    }
  });

  it.each([
    ['/topic', '"n" is required'],
    ['/topic 11', '1–10'],
    ['/topic five', 'whole number'],
    ['/topic 5 nosuch', 'no section "nosuch"'],
    ['/topic 5 optimizer lang=fr', 'zh, en'],
    ['/topic 5 colour=red', 'unknown option "colour"'],
    ['/nosuch', 'I don\'t know the command "/nosuch"'],
    ['/ask', '"question" is required'],
    ['/lang klingon', 'zh, en, auto'],
    ['/vram llama-2-7b zero=9', '"zero"'],
    ['/vram model=gpt-5', 'unknown preset'],
    ['/chunk size=10 overlap=10 some text', 'overlap'],
    ['/chunk size=10', 'Nothing to split'],
    ['/tokens', 'text'],
  ])('%s → a clear error', async (line, expected) => {
    const r = await say(line);
    expect(r.kind).toBe('error');
    expect(textOf(r)).toContain(expected);
  });

  it('/vram computes through the router, from text or structured options', async () => {
    const text = await say('/vram llama-2-7b mode=full zero=3 gpus=8');
    const structured = await router.handle({
      ...msg(''),
      command: { name: 'vram', options: { model: 'llama-2-7b', mode: 'full', zero: 3, gpus: 8 } },
    });
    expect(text.kind).toBe('answer');
    expect(text.data).toEqual(structured.data);
    expect((text.data as { params: number }).params).toBe(6_738_415_616);
  });

  it('/chunk splits pasted text, or an attached file, and attaches the full result', async () => {
    const pasted = await say('/chunk size=20 overlap=5 第一句话在这里。第二句话也在这里。第三句。');
    expect(pasted.kind).toBe('answer');
    expect(pasted.files?.[0]?.name).toBe('chunks.jsonl');
    const lines = pasted.files![0]!.content.trim().split('\n');
    expect(lines.length).toBe((pasted.data as { count: number }).count);
    const attached = await say('/chunk size=20 overlap=5', {
      files: [{ name: 'notes.md', text: 'One sentence here. Another one there. And a third.' }],
    });
    expect((attached.data as { source: string }).source).toBe('notes.md');
    const tooBig = await say('/chunk size=100', {
      files: [{ name: 'big.txt', text: 'x'.repeat(3_000_000) }],
    });
    expect(tooBig.kind).toBe('error');
    expect(textOf(tooBig)).toContain('3,000,000 bytes; the limit is 2,097,152 bytes (2 MiB)');
  });

  it('/tokens counts under several tokenizers', async () => {
    const r = await say('/tokens 大模型的上下文窗口有多长? How long is the context window?');
    expect(r.kind).not.toBe('error');
    expect(textOf(r)).toMatch(/o200k/);
  });

  it('lang= overrides the reply language of any command', async () => {
    const r = await say('/vram llama-2-7b mode=lora lang=zh');
    expect(r.lang).toBe('zh');
    expect(textOf(r)).toMatch(/\p{Script=Han}/u);
    expect((await say('/help lang=zh')).lang).toBe('zh');
    expect((await say('/topics lang=en', { lang: 'zh' })).lang).toBe('en');
  });

  it('errors carry the usage line', async () => {
    expect(textOf(await say('/topic 0'))).toContain('/topic <n> [section]');
  });

  it('/ask is the same as free text', async () => {
    const a = await say('/ask 继续预训练的数据怎么选');
    const b = await say('继续预训练的数据怎么选');
    expect(a.title).toBe(b.title);
    expect(a.title).toMatch(/^9\./);
  });

  it('/lang sets the reply language per user until auto', async () => {
    const user = { id: 'lang-user' };
    expect((await say('/lang zh', { user })).lang).toBe('zh');
    expect((await say('what is catastrophic forgetting', { user })).lang).toBe('zh');
    expect((await say('/lang auto', { user })).kind).toBe('info');
    expect((await say('what is catastrophic forgetting', { user })).lang).toBe('en');
    // other users are unaffected
    expect((await say('what is catastrophic forgetting', { user: { id: 'other' } })).lang).toBe(
      'en',
    );
  });

  it('accepts structured options from platforms (Discord slash options)', async () => {
    const r = await router.handle({ ...msg(''), command: { name: 'topic', options: { n: 3 } } });
    expect(r.title).toMatch(/^3\./);
    const bad = await router.handle({ ...msg(''), command: { name: 'topic', options: { n: 99 } } });
    expect(bad.kind).toBe('error');
  });
});

describe('the router never throws', () => {
  it('answers arbitrary Unicode with a Reply', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.constantFrom(
            '\u200b\u200c\u200d',
            '\u202e\u0645\u0631\u062d\u0628\u0627',
            '\ud800',
            '\udfff/topic',
            '/',
            '/topic \ud83d',
            '/ask "',
            '/help "unclosed',
            '👨‍👩‍👧‍👦'.repeat(50),
          ),
          fc.string({ unit: 'binary', maxLength: 50 }).map((s) => `/topic ${s}`),
          fc.string({ unit: 'binary', maxLength: 50 }).map((s) => `/${s}`),
        ),
        async (text) => {
          const reply = await router.handle(msg(text));
          expect(['answer', 'clarify', 'none', 'info', 'error']).toContain(reply.kind);
          expect(['zh', 'en']).toContain(reply.lang);
          expect(Array.isArray(reply.paragraphs)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles a 100 kB message', async () => {
    const big = 'a'.repeat(50_000) + '显存'.repeat(25_000);
    expect((await router.handle(msg(big))).kind).toBe('error');
    expect((await router.handle(msg(`/ask ${big}`))).kind).toBe('error');
  });
});

describe('warming the router before a platform connects', () => {
  it('loads the matcher once, up front, and routes as before afterwards', async () => {
    let warmed = 0;
    let matched = 0;
    const warmRouter = createRouter({
      logger: { error: () => {} },
      matcher: {
        warm: () => void warmed++,
        match: (text) => {
          matched++;
          return router.matcher.match(text);
        },
      },
    });
    warmRouter.warm();
    expect([warmed, matched]).toEqual([1, 0]);
    const r = await warmRouter.handle(msg('为什么SFT之后模型变笨了'));
    expect(r.title).toMatch(/^6\./);
    expect([warmed, matched]).toEqual([1, 1]);
    // a matcher without warm() is fine too
    expect(() =>
      createRouter({ matcher: { match: () => router.matcher.match('') } }).warm(),
    ).not.toThrow();
  });

  it('the topic classifier has its model loaded after warm()', () => {
    const c = new TopicClassifier();
    c.warm();
    expect(Object.getOwnPropertyDescriptor(c, 'loaded')?.value).toBeDefined();
  });
});
