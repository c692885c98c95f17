/** The kit's event dedupe: `RecentIds` (in memory, bounded) and `ClaimedIds` (the store's claims). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLAIM_TTL_MS,
  ClaimedIds,
  eventDedupe,
  RecentIds,
} from '../../../src/adapters/kit/dedupe.js';
import { SqliteStore } from '../../../src/store/index.js';

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

describe('ClaimedIds (event dedupe in the shared store)', () => {
  it('an id is new for exactly one of several instances sharing a store', async () => {
    const store = new SqliteStore(':memory:');
    const a = new ClaimedIds(store, { platform: 'slack' });
    const b = new ClaimedIds(store, { platform: 'slack' });
    const d = new ClaimedIds(store, { platform: 'discord' });
    const verdicts = await Promise.all([a.isRepeat('Ev1'), b.isRepeat('Ev1'), a.isRepeat('Ev1')]);
    expect(verdicts.filter((repeat) => !repeat)).toHaveLength(1);
    expect(await b.isRepeat('Ev2')).toBe(false);
    // each platform has its own ids
    expect(await d.isRepeat('Ev1')).toBe(false);
    await store.close();
  });

  it('keeps a claim for its ttl (two hours by default), then forgets it', async () => {
    const store = new SqliteStore(':memory:');
    let now = 1_000_000;
    const ids = new ClaimedIds(store, { platform: 'slack', now: () => now });
    expect(await ids.isRepeat('Ev1')).toBe(false);
    now += CLAIM_TTL_MS - 1;
    expect(await ids.isRepeat('Ev1')).toBe(true);
    now += 1;
    expect(await ids.isRepeat('Ev1')).toBe(false);
    expect(CLAIM_TTL_MS).toBeGreaterThanOrEqual(60 * 60_000);
    await store.close();
  });

  it('when the store fails, dedupes in memory and reports the error', async () => {
    const errors: unknown[] = [];
    const broken = {
      claimEvent: async () => {
        throw new Error('database down');
      },
    };
    const ids = new ClaimedIds(broken, { platform: 'slack', onError: (e) => errors.push(e) });
    expect(await ids.isRepeat('Ev1')).toBe(false);
    expect(await ids.isRepeat('Ev1')).toBe(true);
    expect(errors).toHaveLength(2);
    expect(String(errors[0])).toContain('database down');
  });

  it('without a store, the adapter dedupes in memory', () => {
    expect(eventDedupe(undefined, { platform: 'slack' })).toBeInstanceOf(RecentIds);
    const store = new SqliteStore(':memory:');
    expect(eventDedupe(store, { platform: 'slack' })).toBeInstanceOf(ClaimedIds);
    void store.close();
  });
});
