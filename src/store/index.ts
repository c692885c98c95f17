/** Persistence behind a small interface; SQLite by default. */
export { MIGRATIONS, type Migration, SCHEMA_VERSION } from './migrations.js';
export { migrate, openStore, SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export * from './types.js';
