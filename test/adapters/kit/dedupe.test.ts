/** The kit's event dedupe: `RecentIds`, bounded in size and in time. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../../src/adapters/kit/dedupe.js';

describe('RecentIds (event_id dedupe)', () => {
  it('remembers ids for the TTL, then forgets them', () => {
    let now = 0;
    const ids = new RecentIds({ ttlMs: 1000, now: () => now });
    expect(ids.isRepeat('a')).toBe(false);
    expect(ids.isRepeat('a')).toBe(true);
    now = 999;
    expect(ids.isRepeat('a')).toBe(true);
    now = 2000;
    expect(ids.isRepeat('a')).toBe(false);
    expect(ids.size).toBe(1);
  });

  it('stays bounded and never reports a fresh id as a duplicate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        (seq, max) => {
          const ids = new RecentIds({ max });
          const seen = new Set<number>();
          for (const n of seq) {
            const dup = ids.isRepeat(String(n));
            if (!seen.has(n)) expect(dup).toBe(false);
            seen.add(n);
            expect(ids.size).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
    // The most recent `max` ids are always remembered.
    const ids = new RecentIds({ max: 3 });
    for (const id of ['a', 'b', 'c', 'd']) ids.isRepeat(id);
    expect(ids.isRepeat('d')).toBe(true);
    expect(ids.isRepeat('b')).toBe(true);
    expect(ids.isRepeat('a')).toBe(false);
  });
});
