/**
 * Two Slack instances (real Bolt, HTTP mode) that share a store: an event delivered to one and
 * redelivered to the other is answered once — on SQLite (two connections to one file) and on
 * PostgreSQL (two pools on one database), the store's event claims deciding.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPgStore } from '../../../src/store/postgres.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import type { Store } from '../../../src/store/types.js';
import { tempDir } from '../../quiz/helpers.js';
import { freshDatabase, pgServer } from '../../setup/pg-db.js';
import { type Pair, startPair } from './helpers.js';

const tmp = tempDir('llm-tutor-claims-');
afterAll(() => tmp.cleanup());

const kinds: { name: string; skip: boolean; open: () => Promise<[Store, Store]> }[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async () => {
      const file = join(tmp.dir, `${Date.now()}.db`);
      return [new SqliteStore(file), new SqliteStore(file)];
    },
  },
  {
    name: 'PostgreSQL',
    skip: !pgServer,
    open: async () => {
      const url = await freshDatabase('claims');
      return Promise.all([openPgStore(url), openPgStore(url)]);
    },
  },
];

for (const kind of kinds) {
  describe.skipIf(kind.skip)(`two Slack instances on one ${kind.name} store`, () => {
    let pairs: Pair[] = [];
    let stores: Store[] = [];
    afterEach(async () => {
      await Promise.all(pairs.map((p) => p.close()));
      await Promise.all(stores.map((s) => s.close()));
      pairs = [];
      stores = [];
    });

    it('a mention delivered to one and redelivered to the other is answered once', async () => {
      stores = await kind.open();
      pairs = await Promise.all(stores.map((claims) => startPair({ adapter: { claims } })));
      const [a, b] = pairs as [Pair, Pair];
      const event = a.fake.mention('what is continued pretraining?');
      const sends = await Promise.all([
        a.fake.event(event, { eventId: 'EvTWICE0001' }),
        b.fake.event(event, { eventId: 'EvTWICE0001', retryNum: 1 }),
        b.fake.event(event, { eventId: 'EvTWICE0001', retryNum: 2 }),
      ]);
      expect(sends.map((s) => s.status)).toEqual([200, 200, 200]);
      const total = () => a.fake.outgoing.length + b.fake.outgoing.length;
      await a.fake.waitFor(() => total() >= 1, 5000);
      await new Promise((r) => setTimeout(r, 300));
      expect(total()).toBe(1);
      const ignored = pairs
        .flatMap((p) => p.logs)
        .filter((l) => l.msg === 'duplicate Slack event ignored');
      expect(ignored).toHaveLength(2);
      // another event id is another question, wherever it lands
      await b.fake.event(event, { eventId: 'EvTWICE0002' });
      await b.fake.waitFor(() => total() >= 2, 5000);
    });
  });
}
