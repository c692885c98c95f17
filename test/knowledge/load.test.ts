import { describe, expect, it } from 'vitest';
import {
  assembleKnowledge,
  KnowledgeError,
  knowledgeBase,
  MAX_SOURCES,
  MIN_SOURCES,
  parseTopicFile,
} from '../../src/knowledge/load.js';

const kb = knowledgeBase();

describe('the bundled knowledge base', () => {
  it('has the ten topics in Chinese and English', () => {
    expect(kb.topics.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const topic of kb.topics) {
      expect(topic.docs.zh.lang).toBe('zh');
      expect(topic.docs.en.lang).toBe('en');
      expect(/\p{Script=Han}/u.test(topic.docs.zh.title)).toBe(true);
      expect(/\p{Script=Han}/u.test(topic.docs.en.title + topic.docs.en.short)).toBe(false);
    }
  });

  it('has every section in both languages, with text, keywords and 8+ examples', () => {
    for (const topic of kb.topics) {
      const zh = topic.docs.zh.sections.map((s) => s.id);
      const en = topic.docs.en.sections.map((s) => s.id);
      expect(en).toEqual(zh);
      expect(zh.length).toBeGreaterThanOrEqual(3);
      for (const doc of Object.values(topic.docs)) {
        expect(doc.examples.length).toBeGreaterThanOrEqual(8);
        expect(doc.keywords.length).toBeGreaterThanOrEqual(8);
        const sentences = doc.short.split(/[.!?。!?]+/).filter((s) => s.trim());
        expect(sentences.length, `${doc.file} short answer`).toBeGreaterThanOrEqual(1);
        for (const s of doc.sections) {
          expect(s.text.trim().length, `${doc.file} ${s.id}`).toBeGreaterThan(40);
          expect(s.heading.trim()).not.toBe('');
          expect(s.id.startsWith(`t${topic.id}.`)).toBe(true);
        }
      }
    }
  });

  it('has the sections the issue names for topic 5', () => {
    const ids = kb.topics[4]!.docs.en.sections.map((s) => s.id);
    for (const id of [
      'params',
      'batch',
      'dtype',
      'gradients',
      'optimizer',
      'activations',
      'checkpoints',
      'headroom',
    ]) {
      expect(ids).toContain(`t5.${id}`);
    }
  });

  it('teaches what is right where the source is wrong', () => {
    const t5 = kb.topics[4]!.docs;
    const t5en = t5.en.sections.map((s) => s.text).join('\n');
    expect(t5en).toMatch(/16/);
    expect(t5en).toMatch(/ZeRO/);
    expect(t5en).toMatch(/Rajbhandari/);
    expect(t5.zh.sections.map((s) => s.text).join('\n')).toMatch(/16/);
    for (const n of [0, 3]) {
      const text = kb.topics[n]!.docs.en.sections.map((s) => s.text).join('\n');
      expect(text).toMatch(/RoPE|position interpolation/i);
      expect(text).toMatch(/KV cache/i);
      expect(text).toMatch(/overlap|chunk/i);
    }
    expect(kb.topics[0]!.docs.en.sections.map((s) => s.text).join('\n')).toMatch(
      /square|quadratic/i,
    );
  });

  it('cites 3-6 sources per topic, as many in Chinese as in English', () => {
    for (const topic of kb.topics) {
      const { zh, en } = topic.docs;
      expect(en.sources.length, en.file).toBeGreaterThanOrEqual(MIN_SOURCES);
      expect(en.sources.length, en.file).toBeLessThanOrEqual(MAX_SOURCES);
      expect(zh.sources.length, zh.file).toBe(en.sources.length);
      for (const s of [...zh.sources, ...en.sources]) {
        // a paper with its year and arXiv id, or official documentation with its address
        expect(s, `${en.file}: ${s}`).toMatch(
          /(\b(19|20)\d\d\b.*arXiv:\d{4}\.\d{4,5})|documentation|github\.com/,
        );
      }
    }
  });
});

const good = `---
topic: 3
lang: en
slug: domain-models
title: Title
short: Short answer.
keywords: [a, b, c, d, e, f, g, h]
examples: [q1, q2, q3, q4, q5, q6, q7, q8]
section_keywords:
  t3.one: [x]
sources:
  - "Author et al. 2020, A Paper, arXiv:2001.00001"
  - "Author et al. 2021, Another Paper, arXiv:2101.00001"
  - Some official documentation
---

## One {#t3.one}
Some text.

## Two {#t3.two}
More text.
`;

function errorOf(fn: () => unknown): KnowledgeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KnowledgeError) return err;
    throw err;
  }
  throw new Error('expected a KnowledgeError');
}

describe('a broken content file fails loudly, naming the file and the field', () => {
  it('parses a good file', () => {
    const doc = parseTopicFile(good, 'en/03-x.md');
    expect(doc.sections.map((s) => s.id)).toEqual(['t3.one', 't3.two']);
    expect(doc.sections[0]!.keywords).toEqual(['x']);
    expect(doc.sections[1]!.text).toBe('More text.');
    expect(doc.sources).toEqual([
      'Author et al. 2020, A Paper, arXiv:2001.00001',
      'Author et al. 2021, Another Paper, arXiv:2101.00001',
      'Some official documentation',
    ]);
  });

  it.each([
    ['no front matter', good.replace(/^---\n/, ''), 'front matter'],
    ['invalid YAML', good.replace('title: Title', 'title: [oops'), 'front matter'],
    ['empty title', good.replace('title: Title', 'title: "  "'), 'title'],
    ['missing short', good.replace('short: Short answer.\n', ''), 'short'],
    ['too few examples', good.replace('q7, q8', ''), 'examples'],
    ['unknown field', good.replace('slug:', 'colour: red\nslug:'), '(front matter)'],
    ['no sections', good.split('## One')[0]!, 'sections'],
    ['section of another topic', good.replace('{#t3.two}', '{#t4.two}'), 'section t4.two'],
    ['empty section', good.replace('More text.', ''), 'section t3.two'],
    ['duplicate section', good.replace('{#t3.two}', '{#t3.one}'), 'section t3.one'],
    [
      'keywords for a missing section',
      good.replace('t3.one: [x]', 't3.zzz: [x]'),
      'section_keywords.t3.zzz',
    ],
    ['no sources', good.replace(/sources:\n( {2}- .*\n)+/, ''), 'sources'],
    ['too few sources', good.replace('  - Some official documentation\n', ''), 'sources'],
    [
      'too many sources',
      good.replace(
        '  - Some official documentation\n',
        '  - Some official documentation\n  - d\n  - e\n  - f\n  - g\n',
      ),
      'sources',
    ],
    ['an empty source', good.replace('  - Some official documentation', '  - "  "'), 'sources.2'],
    [
      'sources not a list',
      good.replace(/sources:\n( {2}- .*\n)+/, 'sources: one paper\n'),
      'sources',
    ],
  ])('%s', (_name, source, field) => {
    const err = errorOf(() => parseTopicFile(source, 'en/03-x.md'));
    expect(err.file).toBe('en/03-x.md');
    expect(err.field).toBe(field);
    expect(err.message).toContain('en/03-x.md');
  });

  it('rejects a knowledge base with a missing topic or mismatched sections', () => {
    const docs = kb.topics.flatMap((t) => [t.docs.zh, t.docs.en]);
    expect(errorOf(() => assembleKnowledge(docs.slice(2))).field).toBe('topic 1');
    const broken = docs.map((d) =>
      d.topic === 2 && d.lang === 'en' ? { ...d, sections: d.sections.slice(1) } : d,
    );
    const err = errorOf(() => assembleKnowledge(broken));
    expect(err.field).toBe('sections');
    expect(err.file).toContain('02-');
  });

  it('rejects a topic whose languages cite a different number of sources', () => {
    const docs = kb.topics.flatMap((t) => [t.docs.zh, t.docs.en]);
    const broken = docs.map((d) =>
      d.topic === 4 && d.lang === 'zh' ? { ...d, sources: d.sources.slice(1) } : d,
    );
    const err = errorOf(() => assembleKnowledge(broken));
    expect(err.field).toBe('sources');
    expect(err.file).toContain('04-');
    expect(err.message).toMatch(/sources/);
  });
});
