import { describe, expect, it } from 'vitest';
import {
  ConceptLexicon,
  conceptLexicon,
  conceptTokens,
  parseConcepts,
} from '../../src/knowledge/concepts.js';
import { KnowledgeError } from '../../src/knowledge/load.js';

describe('concept lexicon', () => {
  const lexicon = new ConceptLexicon({
    forgetting: ["can't write a poem", '通用能力下降', '不会闲聊'],
    'gpu-memory': ['OOM', 'CUDA out of memory', '爆显存', 'VRAM'],
    ci: ['ci'],
  });

  it('maps symptoms in either language to one concept', () => {
    expect(lexicon.match('after training on contracts it CAN’T write a poem any more')).toEqual([
      'forgetting',
    ]);
    expect(lexicon.match("after training on contracts it can't write a poem any more")).toEqual([
      'forgetting',
    ]);
    expect(lexicon.match('训完之后通用能力下降,也不会闲聊了')).toEqual(['forgetting']);
    expect(lexicon.match('训练一开始就爆显存,CUDA Out Of Memory')).toEqual(['gpu-memory']);
  });

  it('matches whole, stemmed words in Latin script and substrings in Chinese', () => {
    expect(lexicon.match('the circle of life')).toEqual([]);
    expect(lexicon.match('our CI is red')).toEqual(['ci']);
    expect(lexicon.match('ＶＲＡＭ not enough')).toEqual(['gpu-memory']); // full-width folded
    expect(conceptTokens('Fine-tuned 7B models')).toEqual(['fin', 'tun', '7b', 'model']);
  });

  it('is linear on long input and never throws on odd text', () => {
    const long = `${'显存'.repeat(20_000)} ${'oom '.repeat(20_000)}`;
    expect(lexicon.match(long)).toEqual(['gpu-memory']);
    for (const odd of ['', '\ud800', '😀'.repeat(100), '\u200b\u200f']) {
      expect(lexicon.match(odd)).toEqual([]);
    }
  });

  it('the bundled lexicon loads, near-miss concepts included', () => {
    const bundled = conceptLexicon();
    expect(bundled.ids.length).toBeGreaterThan(50);
    expect(bundled.match('RLHF和DPO有啥区别')).toContain('alignment');
    expect(bundled.match('7B 全参微调爆显存了')).toContain('gpu-memory');
  });

  it('rejects a broken file with the field named', () => {
    expect(() => parseConcepts('concepts:\n  Bad Id: [a]\n', 'concepts.yaml')).toThrow(
      KnowledgeError,
    );
    expect(() => parseConcepts('concepts:\n  ok: []\n', 'concepts.yaml')).toThrow(/concepts\.ok/);
    expect(() => parseConcepts('concepts: [', 'concepts.yaml')).toThrow(/invalid YAML/);
  });
});
