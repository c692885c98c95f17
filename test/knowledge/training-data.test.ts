import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  inputsHash,
  knowledgeLines,
  leaks,
  parseTrainingFile,
  type TrainLine,
  trainingFiles,
} from '../../scripts/routing/data.js';
import { parseEvalSet } from '../../src/knowledge/eval.js';
import { knowledgeBase } from '../../src/knowledge/index.js';
import { routerModel } from '../../src/knowledge/model.js';

const kb = knowledgeBase();
const lines: TrainLine[] = trainingFiles().flatMap((f) => parseTrainingFile(f, kb));
const dev = ['routing-dev.jsonl', 'routing-dev2.jsonl', 'routing-extra.jsonl'].flatMap((f) =>
  parseEvalSet(readFileSync(new URL(`../fixtures/${f}`, import.meta.url), 'utf8')),
);

describe('routing training data', () => {
  it('has at least 150 distinct questions per topic per language, from several writers', () => {
    for (let topic = 1; topic <= 10; topic++) {
      for (const lang of ['zh', 'en']) {
        const distinct = new Set(
          lines.filter((l) => l.topic === topic && l.lang === lang).map((l) => l.q),
        );
        expect(distinct.size, `topic ${topic} ${lang}`).toBeGreaterThanOrEqual(150);
      }
    }
    expect(new Set(lines.map((l) => l.group)).size).toBeGreaterThanOrEqual(5);
    expect(lines.length).toBeGreaterThanOrEqual(3000);
  });

  it('has at least 600 off-topic lines, half of them near misses, and fragments', () => {
    const off = lines.filter((l) => l.topic === 0);
    expect(off.length).toBeGreaterThanOrEqual(600);
    expect(off.filter((l) => l.kind === 'nearmiss').length).toBeGreaterThanOrEqual(300);
    expect(off.filter((l) => l.kind === 'fragment').length).toBeGreaterThanOrEqual(30);
  });

  it('aims at the hard kinds: symptoms and colloquial lines are a third of each topic', () => {
    for (let topic = 1; topic <= 10; topic++) {
      const own = lines.filter((l) => l.topic === topic);
      const hard = own.filter((l) => l.kind === 'symptom' || l.kind === 'colloquial');
      expect(hard.length / own.length, `topic ${topic}`).toBeGreaterThanOrEqual(1 / 3);
    }
  });

  it('labels sections on part of the lines', () => {
    const onTopic = lines.filter((l) => l.topic > 0);
    expect(onTopic.filter((l) => l.section).length / onTopic.length).toBeGreaterThan(0.4);
  });

  it('shares no written line with a dev set (character-bigram Jaccard < 0.65)', () => {
    // the knowledge base's own titles and headings are the content, not written lines: a dev
    // question that paraphrases a topic's title is the dev writer's choice
    expect(leaks(lines, dev)).toEqual([]);
    expect(knowledgeLines(kb).length).toBeGreaterThan(100);
  });

  it('the shipped model was trained on exactly these inputs (run `npm run train` if not)', () => {
    expect(routerModel().inputsHash).toBe(inputsHash());
  });
});
