/**
 * A bounded slice of `npm run fuzz` (test/fuzz): the regression cases (every input of issue 12,
 * and seeds that once failed), then a few thousand generated messages through the router and
 * the console, Discord and Slack renderers. The time limits here are loose on purpose (the
 * suite shares two cores); they catch a stall, not a slowdown. `npm run fuzz -- --n 300000`
 * is the long run with the real limits.
 */
import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz/harness.js';

describe('fuzz', () => {
  it('regression cases, then 2,500 adversarial messages: no failure', async () => {
    const report = await runFuzz({ seed: 12, n: 2_500, maxMs: 30_000, maxBlockMs: 1_500 });
    expect(report.failures).toEqual([]);
    expect(report.messages).toBeGreaterThan(2_500);
  }, 240_000);
});
