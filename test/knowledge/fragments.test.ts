import { describe, expect, it } from 'vitest';
import { isFragment } from '../../src/knowledge/fragments.js';
import { matchQuestion } from '../../src/knowledge/index.js';

const FRAGMENTS = [
  'ok',
  'OK!',
  'okkk',
  'Okay.',
  'thanks',
  'thank you',
  'thx 🙏',
  'lol',
  '👍',
  '👍👍',
  '🙂',
  '?',
  '???',
  '...',
  '+1',
  '1',
  '4',
  'B',
  'c)',
  'd.',
  '120',
  '1,200',
  '120 GB',
  '3.5',
  '80%',
  '好的',
  '好',
  '收到',
  '收到!',
  '好的谢谢',
  '嗯嗯',
  '哈哈哈哈',
  '谢谢',
  '对',
  '错',
  '是',
  '否',
  '正确',
  'true',
  'False',
  'yes',
  'no',
  't',
  'f',
  '在吗',
  'hi',
  'hello!',
  'ok thanks',
  'got it',
];

const QUESTIONS = [
  'vram for 7b?',
  '7b 全参要多少显存',
  'why does my model forget things after sft',
  'sft数据怎么做',
  'ok so how do I split a long pdf',
  '好的,那继续预训练的数据怎么选',
  'LoRA',
  'rag',
];

describe('fragments', () => {
  it('are recognised: letters, numbers, acknowledgements, emoji, punctuation', () => {
    for (const f of FRAGMENTS) expect(isFragment(f), f).toBe(true);
  });

  it('are never routed to a topic', () => {
    for (const f of FRAGMENTS) {
      const r = matchQuestion(f);
      expect(r.outcome, f).toBe('none');
      expect(r.topic, f).toBeNull();
    }
  });

  it('do not swallow real questions, however short', () => {
    for (const q of QUESTIONS) expect(isFragment(q), q).toBe(false);
  });
});
