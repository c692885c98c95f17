/** /topic: sections by number, id, short name or heading in either language; the short answer. */
import { describe, expect, it } from 'vitest';
import { clarifyReply } from '../../../src/core/answers.js';
import { findSection } from '../../../src/core/commands/knowledge.js';
import { router, say, textOf } from '../helpers.js';

const topic5 = router.knowledge.topics.find((t) => t.id === 5)!;
const sectionsOf = async (line: string) =>
  ((await say(line)).data as { sections: string[] }).sections;

describe('/topic N <section>', () => {
  it('takes a Chinese section name as the English one', async () => {
    const en = await sectionsOf('/topic 5 optimizer');
    expect(en).toEqual(['t5.optimizer']);
    expect(await sectionsOf('/topic 5 优化器')).toEqual(en);
    expect(await sectionsOf('/topic 5 优化器状态')).toEqual(en);
    expect(await sectionsOf('/topic 5 激活值')).toEqual(['t5.activations']);
    const zh = await say('/topic 5 优化器');
    expect(zh.lang).toBe('zh');
    expect(textOf(zh)).toContain('优化器状态');
  });

  it('takes a number, an id, a heading in either language, or a near spelling', () => {
    const id = (named: string) => findSection(topic5, named)?.id;
    expect(id('5')).toBe('t5.optimizer');
    expect(id('t5.optimizer')).toBe('t5.optimizer');
    expect(id('Optimizer states')).toBe('t5.optimizer');
    expect(id('optimiser')).toBe('t5.optimizer');
    expect(id('  GRADIENTS ')).toBe('t5.gradients');
    expect(id('梯度')).toBe('t5.gradients');
  });

  it('a section that is not there gets the list of sections', async () => {
    expect(findSection(topic5, '水果沙拉')).toBeUndefined();
    expect(findSection(topic5, '99')).toBeUndefined();
    expect(findSection(topic5, 'nosuch')).toBeUndefined();
    expect(findSection(topic5, 'memory')).toBeUndefined();
    const reply = await say('/topic 5 qwertyuiop');
    expect(reply.kind).toBe('error');
    expect(textOf(reply)).toMatch(/Topic 5 has no section "qwertyuiop"\. Sections: 1=params/);
    const zh = await say('/topic 5 水果沙拉');
    expect(zh.kind).toBe('error');
    expect(textOf(zh)).toContain('主题 5 没有');
  });
});

describe('/topic N short', () => {
  it('is the short answer alone, with how to read more', async () => {
    const reply = await say('/topic 5 short');
    expect(reply.kind).toBe('answer');
    expect(reply.paragraphs).toEqual([topic5.docs.en.short]);
    expect(reply.hints?.[0]).toContain('/topic 5 for the whole answer');
  });

  it('is what a did-you-mean choice asks for, not the whole topic', async () => {
    const match = {
      outcome: 'clarify',
      topic: 5,
      section: null,
      score: 0.4,
      confidence: 0.4,
      lang: 'en',
      alternatives: [{ topic: 6, score: 0.3 }],
    } as unknown as Parameters<typeof clarifyReply>[1];
    const choices = clarifyReply(router.knowledge, match, 'en').choices!;
    expect(choices.map((c) => c.action)).toEqual(['/topic 5 short', '/topic 6 short']);
    const picked = await say(choices[0]!.action);
    expect(picked.paragraphs).toHaveLength(1);
    expect(textOf(picked).split('\n').length).toBeLessThan(15);
  });
});
