/**
 * The keeper's report from a question log (src/report/build.ts, text.ts, export.ts, html.ts):
 * what it counts, lists and exports, and that user text cannot escape into the page.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryStore } from '../../src/compose.js';
import { evalLineSchema } from '../../src/knowledge/eval.js';
import { knowledgeBase } from '../../src/knowledge/index.js';
import { buildReport, LOW_CONFIDENCE } from '../../src/report/build.js';
import { trainingLines } from '../../src/report/export.js';
import { escapeHtml, renderHtmlReport, scriptJson } from '../../src/report/html.js';
import { renderTextReport } from '../../src/report/text.js';
import type { NewLoggedQuestion, Store } from '../../src/store/types.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 12);

function q(text: string, extra: Partial<NewLoggedQuestion> = {}): NewLoggedQuestion {
  return {
    askedAt: NOW - DAY,
    platform: 'discord',
    channelKind: 'channel',
    userHash: 'h1',
    text,
    lang: 'en',
    outcome: 'answer',
    topic: 5,
    section: 't5.optimizer',
    confidence: 0.95,
    ...extra,
  };
}

const none = { outcome: 'none', topic: null, section: null, confidence: 0.9 } as const;

/** A week of a channel: answers, declines (two kinds), a did-you-mean picked, a 👎. */
async function week(store: Store): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  ids.answer = await store.logQuestion(q('how much memory for adam states'));
  ids.low = await store.logQuestion(
    q('lora vs full?', { topic: 10, section: 't10.architecture', confidence: 0.5 }),
  );
  ids.zh = await store.logQuestion(
    q('为什么SFT之后模型变笨了', { lang: 'zh', topic: 6, section: 't6.forgetting' }),
  );
  for (const [i, text] of [
    "what's the weather in Paris today",
    'weather in paris today?',
    'how do I cook rice',
  ].entries()) {
    await store.logQuestion(q(text, { ...none, askedAt: NOW - (3 - i) * DAY }));
  }
  ids.clarify = await store.logQuestion(
    q('corpus for a legal model?', {
      outcome: 'clarify',
      topic: 9,
      section: null,
      confidence: 0.4,
    }),
  );
  await store.recordPick(ids.clarify, 3, NOW - DAY + 5);
  await store.logQuestion(q('too old to count', { ...none, askedAt: NOW - 40 * DAY }));
  await store.rate({
    questionId: ids.answer,
    userHash: 'h2',
    good: false,
    reason: 'wrong section',
    ratedAt: NOW - DAY + 10,
  });
  await store.rate({ questionId: ids.zh, userHash: 'h2', good: true, ratedAt: NOW - DAY + 10 });
  return ids;
}

async function report(days = 30) {
  const store = memoryStore();
  const ids = await week(store);
  const r = await buildReport(store, { days, now: NOW, knowledge: knowledgeBase() });
  await store.close();
  return { r, ids };
}

describe('the report', () => {
  it('counts outcomes, ratings, topics and languages over the period', async () => {
    const { r } = await report();
    expect(r.totals).toEqual({
      questions: 7,
      answered: 3,
      clarified: 1,
      declined: 3,
      declinedShare: 3 / 7,
      good: 1,
      bad: 1,
    });
    expect(r.perTopic.filter((t) => t.answers > 0).map((t) => [t.topic, t.answers])).toEqual([
      [5, 1],
      [6, 1],
      [10, 1],
    ]);
    expect(r.perLang).toEqual([
      { lang: 'en', questions: 6, answered: 2, declined: 3 },
      { lang: 'zh', questions: 1, answered: 1, declined: 0 },
    ]);
    expect(r.perDay).toHaveLength(31);
    expect(r.perDay.at(-2)).toEqual({ day: '2026-12-02', answer: 3, clarify: 1, none: 1 });
    expect((await report(2)).r.totals.questions).toBe(6);
  });

  it('clusters declined questions and lists low-confidence answers, 👎 with reasons and picks', async () => {
    const { r, ids } = await report();
    expect(r.declinedClusters.map((c) => c.questions.map((x) => x.text))).toEqual([
      ["what's the weather in Paris today", 'weather in paris today?'],
      ['how do I cook rice'],
    ]);
    expect(r.lowConfidence.map((x) => [x.text, x.confidence])).toEqual([['lora vs full?', 0.5]]);
    expect(r.lowConfidenceBelow).toBe(LOW_CONFIDENCE);
    expect(r.thumbsDown).toMatchObject([
      {
        question: { id: ids.answer, text: 'how much memory for adam states' },
        reason: 'wrong section',
      },
    ]);
    expect(r.picks).toMatchObject([{ question: { id: ids.clarify }, offered: 9, picked: 3 }]);
  });

  it('prints a text report with every part', async () => {
    const text = renderTextReport((await report()).r);
    expect(text).toContain(
      '7 questions: 3 answered (43%), 1 did-you-mean (14%), 3 declined (43%). Ratings: 1 👍, 1 👎.',
    );
    expect(text).toMatch(
      / {3}2× {2}"what's the weather in Paris today"\n {8}· "weather in paris today\?"/,
    );
    expect(text).toContain('"how much memory for adam states"  — reason: wrong section');
    expect(text).toContain('offered topic 9 first → picked 3');
    expect(text).toMatch(/en: 6 questions, 2 answered, 3 declined \(50%\)/);
  });

  it('strips control characters from user text in the terminal', async () => {
    const store = memoryStore();
    await store.logQuestion(q('evil \u001b[31mred\u0007 question', none));
    const text = renderTextReport(
      await buildReport(store, { days: 30, now: NOW, knowledge: knowledgeBase() }),
    );
    expect(text).toContain('"evil [31mred question"');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking none is left
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('exports training lines in the routing data format, a topic (or none) proposed for each', async () => {
    const lines = trainingLines((await report()).r);
    const schema = z.strictObject(evalLineSchema.omit({ id: true, alt: true }).shape);
    for (const line of lines)
      expect(schema.safeParse(line).success, JSON.stringify(line)).toBe(true);
    expect(lines).toEqual([
      { q: 'corpus for a legal model?', topic: 3, lang: 'en', kind: 'did-you-mean' },
      {
        q: 'how much memory for adam states',
        topic: 5,
        section: 't5.optimizer',
        lang: 'en',
        kind: 'thumbs-down',
      },
      {
        q: 'lora vs full?',
        topic: 10,
        section: 't10.architecture',
        lang: 'en',
        kind: 'low-confidence',
      },
      { q: "what's the weather in Paris today", topic: null, lang: 'en', kind: 'declined' },
      { q: 'weather in paris today?', topic: null, lang: 'en', kind: 'declined' },
      { q: 'how do I cook rice', topic: null, lang: 'en', kind: 'declined' },
    ]);
  });

  it('writes one offline page with Chart.js inlined and every user text escaped', async () => {
    const store = memoryStore();
    const evil = '</script><img src=x onerror=alert(1)> & "quotes"';
    await store.logQuestion(q(evil, none));
    const id = await store.logQuestion(q('a fine question'));
    await store.rate({
      questionId: id,
      userHash: 'h2',
      good: false,
      reason: '<b>bold</b>',
      ratedAt: NOW - 5,
    });
    const html = renderHtmlReport(
      await buildReport(store, { days: 30, now: NOW, knowledge: knowledgeBase() }),
    );
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('Chart.js v4'); // the library's own banner
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain(escapeHtml(evil));
    expect(html).not.toMatch(/src=["']?https?:|href=["']?https?:/);
    // the data block is JSON that cannot close its script element
    expect(scriptJson({ t: '</script>\u2028' })).toBe('{"t":"\\u003c/script>\\u2028"}');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });
});
