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

  it('cuts a very long Chinese run into pieces without splitting a character', () => {
    const short = '为什么全参数微调需要这么多显存';
    // a short run is one piece: the same terms whether or not it sits in a long text
    const alone = analyze(short).map((t) => t.term);
    expect(alone).toContain('z:微调');
    // 255 BMP characters, then a Han character outside the BMP (a surrogate pair) at the cut
    const long = `${'模'.repeat(255)}𠀀${'型'.repeat(600)}`;
    const terms = analyze(long);
    for (const t of terms) expect(t.term.isWellFormed()).toBe(true);
    expect(terms.some((t) => t.term.includes('𠀀'))).toBe(true);
    // every piece is analysed: the last characters still give terms
    expect(terms.filter((t) => t.term === 'b:型型').length).toBeGreaterThan(500);
  });
});
