/** The per-user token buckets of the adapter kit (src/adapters/kit/limit.ts), on an injected clock. */
import { describe, expect, it } from 'vitest';
import { limitKindOf, RateLimiter, rateLimiterOf } from '../../../src/adapters/kit/index.js';
import { parseConfig } from '../../../src/core/config.js';
import type { Incoming } from '../../../src/core/types.js';

function incoming(text: string, extra: Partial<Incoming> = {}): Incoming {
  return {
    platform: 'slack',
    user: { id: 'U1' },
    channel: { id: 'C1', isDM: false },
    text,
    ...extra,
  };
}

function limiter(questionsPerMinute = 3, ratingsPerMinute = 2) {
  let now = 1_000_000;
  const limits = new RateLimiter({ questionsPerMinute, ratingsPerMinute, now: () => now });
  return { limits, tick: (ms: number) => (now += ms) };
}

describe('rate limits', () => {
  it('allows a burst of N, then one more every 60/N seconds', () => {
    const { limits, tick } = limiter(3);
    expect([1, 2, 3].map(() => limits.take('u', 'question'))).toEqual(['ok', 'ok', 'ok']);
    expect(limits.take('u', 'question')).toBe('notice');
    expect(limits.waitSeconds('u', 'question')).toBe(20);
    tick(19_999);
    expect(limits.take('u', 'question')).toBe('quiet');
    tick(1);
    expect(limits.take('u', 'question')).toBe('ok');
    expect(limits.take('u', 'question')).toBe('notice');
    tick(60_000); // a full minute refills the whole burst, no more
    expect([1, 2, 3, 4].map(() => limits.take('u', 'question'))).toEqual([
      'ok',
      'ok',
      'ok',
      'notice',
    ]);
  });

  it('counts users and kinds apart', () => {
    const { limits } = limiter(1, 1);
    expect(limits.take('a', 'question')).toBe('ok');
    expect(limits.take('a', 'question')).toBe('notice');
    expect(limits.take('b', 'question')).toBe('ok');
    expect(limits.take('a', 'rating')).toBe('ok');
    expect(limits.take('a', 'rating')).toBe('notice');
  });

  it('0 turns a limit off', () => {
    const { limits } = limiter(0, 0);
    for (let i = 0; i < 1000; i++) expect(limits.take('u', 'question')).toBe('ok');
  });

  it('one short private notice per window, then silence', () => {
    const { limits, tick } = limiter(1);
    expect(limits.refusal(incoming('how much VRAM for 7B?'))).toBeUndefined();
    const notice = limits.refusal(incoming('and for 13B?'));
    expect(notice).toMatchObject({ kind: 'info', ephemeral: true });
    expect(notice?.paragraphs.join(' ')).toBe(
      'You are asking faster than I answer (at most 1 question a minute). Try again in 60 s.',
    );
    expect(limits.refusal(incoming('and 70B?'))?.kind).toBe('silent');
    expect(limits.refusal(incoming('还有 70B 呢?'))?.kind).toBe('silent');
    tick(60_000);
    expect(limits.refusal(incoming('ok, 70B?'))).toBeUndefined();
    expect(limits.refusal(incoming('70B 呢?'))?.paragraphs.join('')).toMatch(/你提问太快了/);
  });

  it('limits questions and ratings, not other commands, quiz letters or overheard chat', () => {
    expect(limitKindOf(incoming('how does LoRA work'))).toBe('question');
    expect(limitKindOf(incoming('/ask how does LoRA work'))).toBe('question');
    expect(limitKindOf(incoming('/rate bad answer=3'))).toBe('rating');
    expect(limitKindOf(incoming('', { command: { name: 'rate', options: {} } }))).toBe('rating');
    expect(limitKindOf(incoming('', { command: { name: 'ask', options: {} } }))).toBe('question');
    expect(limitKindOf(incoming('/topic 5'))).toBeUndefined();
    expect(limitKindOf(incoming('B'))).toBeUndefined();
    expect(limitKindOf(incoming('  '))).toBeUndefined();
    expect(limitKindOf(incoming('what a day', { overheard: true }))).toBeUndefined();
  });

  it('takes its numbers from the configuration', () => {
    const parsed = parseConfig({
      LLM_TUTOR_QUESTIONS_PER_MINUTE: '2',
      LLM_TUTOR_RATINGS_PER_MINUTE: '0',
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const limits = rateLimiterOf(parsed.config);
    expect([1, 2, 3].map(() => limits.take('u', 'question'))).toEqual(['ok', 'ok', 'notice']);
    expect(limits.take('u', 'rating')).toBe('ok');
  });

  it('forgets the least recently seen users beyond its bound', () => {
    let now = 0;
    const limits = new RateLimiter({
      questionsPerMinute: 1,
      ratingsPerMinute: 1,
      now: () => now,
      maxUsers: 2,
    });
    limits.take('a', 'question');
    limits.take('b', 'question');
    limits.take('c', 'question'); // a is forgotten: a new bucket, full
    now += 1;
    expect(limits.take('a', 'question')).toBe('ok');
    expect(limits.take('c', 'question')).toBe('notice');
  });
});
