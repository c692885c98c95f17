/**
 * A fresh PostgreSQL database per test file or suite, on the cluster `postgres.ts` started:
 * created by the superuser, owned by the tests' login role, reached over TCP with its
 * password — as the bot reaches a real server. `pgServer` is null (and the PostgreSQL tests
 * skip) when PostgreSQL is not installed.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { adminClient, type PgTestServer } from './postgres.js';

export const pgServer: PgTestServer | null = inject('pg');

/** The URL of a new, empty database that the tests' role owns (needs `pgServer`). */
export async function freshDatabase(prefix = 't'): Promise<string> {
  const s = pgServer;
  if (!s) throw new Error('no PostgreSQL test server (guard the suite with pgServer)');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = adminClient(s);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} OWNER ${s.role}`);
  } finally {
    await admin.end();
  }
  return pgUrl(s, name);
}

/** The URL of database `name` for the tests' role over TCP. */
export function pgUrl(s: PgTestServer, name: string, password = s.password): string {
  return `postgres://${s.role}:${password}@127.0.0.1:${s.port}/${name}`;
}
