import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide, routeResult, topTwo } from '../../src/knowledge/classifier.js';
import { evaluate, parseEvalSet } from '../../src/knowledge/eval.js';
import { matchQuestion } from '../../src/knowledge/index.js';
import { KnowledgeError } from '../../src/knowledge/load.js';
import { parseModel, type RoutingThresholds, routerModel } from '../../src/knowledge/model.js';

const TH: RoutingThresholds = { answerAt: 0.5, clarifyAt: 0.2, pairAt: 0.7, noneAt: 0.5 };

/** Probabilities with p(none) first, then topics 1–10; the rest spread evenly. */
function probs(none: number, topics: Record<number, number>): number[] {
  const p = [none, ...Array.from({ length: 10 }, (_, i) => topics[i + 1] ?? 0)];
  const rest = 1 - p.reduce((s, x) => s + x, 0);
  const free = p.filter((x, i) => i > 0 && x === 0).length;
  return p.map((x, i) => (i > 0 && x === 0 ? rest / free : x));
}

describe('the routing rule', () => {
  it('answers a likely topic, offers two plausible ones, declines the rest', () => {
    expect(decide(probs(0.05, { 5: 0.8 }), TH)).toMatchObject({ outcome: 'answer', topic: 5 });
    expect(decide(probs(0.05, { 6: 0.4, 10: 0.4 }), TH)).toMatchObject({
      outcome: 'clarify',
      topic: 6,
      second: 10,
    });
    // two candidates that together are not likely enough: decline rather than guess
    expect(decide(probs(0.3, { 3: 0.3, 9: 0.25 }), TH).outcome).toBe('none');
    // "not my topic" is likely, however the best topic scores
    expect(decide(probs(0.55, { 1: 0.4 }), TH).outcome).toBe('none');
    // …but a question that is likely about one of two topics is offered both, not declined
    expect(decide(probs(0.25, { 3: 0.38, 9: 0.34 }), TH)).toMatchObject({
      outcome: 'clarify',
      topic: 3,
      second: 9,
    });
  });

  it('reports the calibrated probability of what it decided', () => {
    expect(decide(probs(0.05, { 5: 0.8 }), TH).confidence).toBeCloseTo(0.8);
    expect(decide(probs(0.7, { 2: 0.2 }), TH).confidence).toBeCloseTo(0.7);
  });

  it('ranks the two best topics, ties to the lower number', () => {
    expect(topTwo(probs(0, { 4: 0.5, 1: 0.3 }))).toEqual([4, 1]);
    expect(topTwo([0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])).toEqual([1, 2]);
  });

  it('never routes a fragment', () => {
    const r = routeResult(probs(0, { 5: 0.99 }), TH, {
      lang: 'en',
      fragment: true,
      section: () => 't5.params',
    });
    expect(r).toMatchObject({ outcome: 'none', topic: null, section: null, confidence: 1 });
  });
});

describe('matchQuestion', () => {
  it('answers clear questions in both languages with topic, section and confidence', () => {
    const zh = matchQuestion('用 Adam 训练时优化器状态要占多少显存?');
    expect(zh).toMatchObject({ outcome: 'answer', topic: 5, section: 't5.optimizer', lang: 'zh' });
    expect(zh.confidence).toBeGreaterThan(0.5);
    expect(zh.confidence).toBeLessThanOrEqual(1);
    const en = matchQuestion('how do I stop catastrophic forgetting when training on domain data?');
    expect(en).toMatchObject({ outcome: 'answer', topic: 10, lang: 'en' });
  });

  it('connects symptoms to their concept', () => {
    expect(matchQuestion('ugh my fine-tuned model got dumber').topic).toBe(6);
    expect(matchQuestion('训完合同数据之后连首诗都不会写了').topic).toBe(6);
    expect(matchQuestion('训练一开始就爆显存了').topic).toBe(5);
    expect(matchQuestion('合同太长了塞不进去怎么办').topic).toBe(4);
  });

  it('picks the section that fits the question', () => {
    expect(matchQuestion('what does gradient checkpointing do to memory').section).toBe(
      't5.activations',
    );
    expect(matchQuestion('保存 checkpoint 文件要多少磁盘').section).toBe('t5.checkpoints');
    expect(matchQuestion('chunk overlap 设多少合适').section).toBe('t4.chunking');
  });

  it('tolerates typos in both scripts', () => {
    expect(matchQuestion('全参微调7b要多少现存').topic).toBe(5);
    expect(matchQuestion('继续预训连的数据怎么选').topic).toBe(9);
    expect(matchQuestion('how to avoid catastrophic forgeting').topic).toBe(10);
    expect(matchQuestion('长文本怎么分快,要不要重叠').topic).toBe(4);
  });

  it('declines what is not one of the topics, near misses included', () => {
    for (const q of [
      '明天北京天气怎么样',
      'how do I rebase my branch in git?',
      'RLHF 和 DPO 的区别是什么',
      'beam search vs sampling',
      'how do I compute perplexity of my model',
      'what is in-context learning',
      '模型蒸馏怎么做',
    ]) {
      const r = matchQuestion(q);
      expect(r.outcome, q).toBe('none');
      expect(r.topic).toBeNull();
      expect(r.section).toBeNull();
    }
  });

  it('handles empty, odd and very long input without throwing', () => {
    for (const q of ['', '   ', '???', '😀😀', '\u200b\u200f', '\ud800abc', 'a'.repeat(100_000)]) {
      expect(matchQuestion(q).outcome, q.slice(0, 10)).toBe('none');
    }
    const long = matchQuestion(`${'全参数微调需要多少显存 '.repeat(2000)}`);
    expect(long.topic).toBe(5);
  });
});

describe('the shipped model', () => {
  it('has consistent thresholds and a calibration temperature', () => {
    const m = routerModel();
    expect(m.thresholds.clarifyAt).toBeLessThanOrEqual(m.thresholds.answerAt);
    expect(m.temperature).toBeGreaterThan(0);
    expect(m.sections.size).toBe(10);
  });

  it('a broken model file stops with a message that says to retrain', () => {
    expect(() => parseModel('{', 'router-model.json')).toThrow(KnowledgeError);
    expect(() => parseModel('{"format": 99}', 'router-model.json')).toThrow(/npm run train/);
  });
});

const devSet = (name: string) =>
  parseEvalSet(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

describe('routing on the dev sets (floors, so the router cannot silently regress)', () => {
  it('dev set 1: answers on-topic questions and declines off-topic ones, calibrated', () => {
    const lines = devSet('routing-dev.jsonl');
    const r = evaluate(lines, matchQuestion);
    expect(lines).toHaveLength(160);
    expect(r.onTopic.correct / r.onTopic.n).toBeGreaterThanOrEqual(0.93);
    expect(r.offTopic.correct / r.offTopic.n).toBeGreaterThanOrEqual(0.85);
    expect(r.calibrationError).toBeLessThanOrEqual(0.05);
  });

  it('dev set 2 (another writer): the same, and sections on the labelled lines', () => {
    const lines = devSet('routing-dev2.jsonl');
    const r = evaluate(lines, matchQuestion);
    expect(lines.length).toBeGreaterThanOrEqual(200);
    expect(lines.filter((l) => l.topic === null).length).toBeGreaterThanOrEqual(60);
    expect(r.onTopic.correct / r.onTopic.n).toBeGreaterThanOrEqual(0.95);
    expect(r.offTopic.correct / r.offTopic.n).toBeGreaterThanOrEqual(0.95);
    expect(r.calibrationError).toBeLessThanOrEqual(0.05);
    expect(r.sections.correct / r.sections.n).toBeGreaterThanOrEqual(0.88);
  });

  it('a third set written apart from both stays accurate', () => {
    const r = evaluate(devSet('routing-extra.jsonl'), matchQuestion);
    expect(r.onTopic.correct / r.onTopic.n).toBeGreaterThanOrEqual(0.9);
    expect(r.offTopic.correct / r.offTopic.n).toBeGreaterThanOrEqual(0.85);
  });
});
