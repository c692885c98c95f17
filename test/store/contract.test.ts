/**
 * The `Store` contract (`contract.ts`) against every implementation. A new store plugs in
 * with one line here. PostgreSQL runs on the throw-away cluster of `test/setup/postgres.ts`,
 * a fresh database per test; it is skipped (with a notice) where PostgreSQL is not installed.
 */
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/index.js';
import { openPgStore } from '../../src/store/postgres.js';
import { freshDatabase, pgServer } from '../setup/pg-db.js';
import { type StoreImplementation, storeContract } from './contract.js';

/** The database each PostgreSQL contract test made, by its temp folder (for `connect`). */
const pgDatabases = new Map<string, string>();

const IMPLEMENTATIONS: StoreImplementation[] = [
  {
    name: 'SqliteStore (file)',
    open: (dir) => new SqliteStore(join(dir, 'contract.db')),
    connect: (dir) => new SqliteStore(join(dir, 'contract.db')),
  },
  { name: 'SqliteStore (:memory:)', open: () => new SqliteStore(':memory:') },
  {
    name: 'PgStore',
    open: async (dir) => {
      pgDatabases.set(dir, await freshDatabase('contract'));
      return openPgStore(pgDatabases.get(dir)!);
    },
    connect: (dir) => openPgStore(pgDatabases.get(dir)!),
    skip: !pgServer,
  },
];

for (const implementation of IMPLEMENTATIONS) storeContract(implementation);
