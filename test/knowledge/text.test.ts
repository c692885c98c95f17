import { describe, expect, it } from 'vitest';
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
