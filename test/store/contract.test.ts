/**
 * The `Store` contract (`contract.ts`) against every implementation. A new store plugs in
 * with one line here: `{ name: 'PostgresStore', open: () => new PostgresStore(url) }`.
 */
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/index.js';
import { type StoreImplementation, storeContract } from './contract.js';

const IMPLEMENTATIONS: StoreImplementation[] = [
  {
    name: 'SqliteStore (file)',
    open: (dir) => new SqliteStore(join(dir, 'contract.db')),
    connect: (dir) => new SqliteStore(join(dir, 'contract.db')),
  },
  { name: 'SqliteStore (:memory:)', open: () => new SqliteStore(':memory:') },
];

for (const implementation of IMPLEMENTATIONS) storeContract(implementation);
