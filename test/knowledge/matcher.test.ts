import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseEvalSet } from '../../src/knowledge/eval.js';
import { matchQuestion } from '../../src/knowledge/index.js';
import { editDistance } from '../../src/knowledge/matcher.js';
import { analyze, detectLang, stem } from '../../src/knowledge/text.js';

describe('text analysis', () => {
  it('stems English word families to one stem', () => {
    expect(stem('tuning')).toBe(stem('tune'));
    expect(stem('tuned')).toBe(stem('tunes'));
    expect(stem('forgetting')).toBe(stem('forget'));
    expect(stem('memories')).toBe(stem('memory'));
    expect(stem('limits')).toBe(stem('limit'));
  });

  it('segments Chinese, keeps pinyin of bigrams, and splits mixed text', () => {
    const terms = analyze('全参数微调要多少显存 VRAM?').map((t) => t.term);
    expect(terms).toContain('z:微调');
    expect(terms).toContain('b:显存');
    expect(terms).toContain('p:xiancun');
    expect(terms).toContain('w:vram');
    // 现存 is a homophone typo of 显存: same pinyin term
    expect(analyze('现存').map((t) => t.term)).toContain('p:xiancun');
  });

  it('drops stop words and punctuation, and joins hyphenated words', () => {
    const terms = analyze('What is the fine-tuning?!').map((t) => t.term);
    expect(terms).not.toContain('w:what');
    expect(terms).toContain(`w:${stem('finetuning')}`);
  });

  it('detects the reply language', () => {
    expect(detectLang('how much VRAM')).toBe('en');
    expect(detectLang('SFT 之后变笨')).toBe('zh');
  });
});

describe('matchQuestion', () => {
  it('answers clear questions in both languages with topic and section', () => {
    const zh = matchQuestion('用 Adam 训练时优化器状态要占多少显存?');
    expect(zh).toMatchObject({ outcome: 'answer', topic: 5, section: 't5.optimizer', lang: 'zh' });
    const en = matchQuestion('how do I stop catastrophic forgetting after domain training?');
    expect(en.outcome).toBe('answer');
    expect([6, 10]).toContain(en.topic);
    expect(en.lang).toBe('en');
    expect(en.score).toBeGreaterThan(0);
    expect(en.score).toBeLessThanOrEqual(1);
  });

  it('answers a question about the whole topic from its first section', () => {
    expect(matchQuestion('为什么SFT之后模型变笨了').section).toBe('t6.overfitting');
    expect(matchQuestion('LLaMA输入长度理论上可以无限长吗').section).toBe('t1.theory');
  });

  it('tolerates typos in both scripts', () => {
    expect(matchQuestion('全参微调7b要多少现存').topic).toBe(5);
    // a bare homophone typo of a keyword is only matched through pinyin (现存 = xiancun = 显存)
    expect(matchQuestion('现存')).toMatchObject({ outcome: 'answer', topic: 5 });
    // 训连 is nobody's word but sounds like 训练: its stray 连 must not pull elsewhere
    expect(matchQuestion('继续预训连的数据').topic).toBe(9);
    expect(matchQuestion('how to avoid catastrophic forgeting').topic).toBe(10);
    expect(matchQuestion('长文本怎么分快,要不要重叠').topic).toBe(4);
  });

  it('corrects typos only within one or two edits that keep the first letter', () => {
    expect(editDistance('tunning', 'tuning')).toBe(1);
    expect(editDistance('forgeting', 'forgetting')).toBe(1);
    expect(editDistance('practcal', 'practical')).toBe(1);
    expect(editDistance('sentimnet', 'sentiment')).toBe(1); // a transposition
    expect(editDistance('game', 'name')).toBe(1);
    // ordinary words are not turned into topic words (night → weight, last → lost)
    expect(matchQuestion('who won the game last night').outcome).toBe('none');
    expect(matchQuestion('is full fine tunning worth it vs lora for forgeting').outcome).toBe(
      'answer',
    );
  });

  it('declines questions that are not one of the topics', () => {
    for (const q of [
      '明天北京天气怎么样',
      'how do I rebase my branch in git?',
      'RLHF 和 DPO 的区别是什么',
      'beam search vs sampling',
    ]) {
      const r = matchQuestion(q);
      expect(r.outcome, q).toBe('none');
      expect(r.topic).toBeNull();
      expect(r.section).toBeNull();
    }
  });

  it('handles empty and odd input without throwing', () => {
    for (const q of ['', '   ', '???', '😀😀', '\u200b\u200f', '\ud800abc']) {
      expect(matchQuestion(q).outcome).toBe('none');
    }
  });
});

describe('routing accuracy on the dev set (floor, so the matcher cannot silently regress)', () => {
  const lines = parseEvalSet(
    readFileSync(new URL('../fixtures/routing-dev.jsonl', import.meta.url), 'utf8'),
  );
  const report = evaluate(lines, matchQuestion);

  it('keeps on-topic top-1 accuracy at or above 92%', () => {
    expect(lines).toHaveLength(160);
    expect(report.onTopic.correct / report.onTopic.n).toBeGreaterThanOrEqual(0.92);
  });

  it('keeps off-topic rejection at or above 85%', () => {
    expect(report.offTopic.correct / report.offTopic.n).toBeGreaterThanOrEqual(0.85);
  });

  it('does well in every language', () => {
    for (const [lang, t] of Object.entries(report.byLang)) {
      expect(t.correct / t.n, lang).toBeGreaterThanOrEqual(0.85);
    }
  });
});

describe('routing on questions written apart from the dev set', () => {
  const lines = parseEvalSet(
    readFileSync(new URL('../fixtures/routing-extra.jsonl', import.meta.url), 'utf8'),
  );
  const report = evaluate(lines, matchQuestion);

  it('stays accurate (a second, independent floor)', () => {
    expect(report.onTopic.correct / report.onTopic.n).toBeGreaterThanOrEqual(0.9);
    expect(report.offTopic.correct / report.offTopic.n).toBeGreaterThanOrEqual(0.85);
  });
});
