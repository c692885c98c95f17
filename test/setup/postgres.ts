/**
 * A throw-away PostgreSQL cluster for the tests (vitest `globalSetup`) and the bench: when
 * PostgreSQL's binaries are installed (the newest /usr/lib/postgresql/N/bin, else `initdb` on
 * PATH), `initdb` a temp folder, start the server on a free loopback port with its Unix socket
 * in that folder, and create a login role with a password that is NOT a superuser. Tests get
 * the connection data through `inject('pg')` and make a fresh database each (`pg-db.ts`), which
 * that role owns. Stopped (`pg_ctl stop -m fast`) and removed at teardown, also when tests fail.
 *
 * PostgreSQL refuses to run as root: as root, initdb and the server run as the `postgres` user
 * (`runuser`), as anyone else they run as that user. Without the binaries the PostgreSQL tests
 * are skipped with one notice that says how to install them; under CI=true that fails the run.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** What a test needs to reach the cluster (`inject('pg')`); null when it is not running. */
export interface PgTestServer {
  /** The folder of the server's Unix socket: the superuser connects there (trust). */
  socketDir: string;
  port: number;
  superuser: string;
  /** The login role tests connect as over TCP (owner of each test database, no superuser). */
  role: string;
  password: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pg: PgTestServer | null;
  }
}

export const INSTALL_HINT =
  'install PostgreSQL to run them: apt-get install postgresql (Debian/Ubuntu), then npm test';

/** The folder of the newest PostgreSQL's binaries, or undefined when none is installed. */
export function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  return onPath ? join(onPath, '..') : undefined;
}

const asRoot = () => process.getuid?.() === 0;

/** Run a PostgreSQL binary as the user it accepts; throws with its output when it fails. */
function runPg(bin: string, tool: string, args: string[], cwd: string): void {
  const command = asRoot() ? 'runuser' : join(bin, tool);
  const argv = asRoot() ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
  const r = spawnSync(command, argv, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(`${tool} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`.trim());
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running cluster and how to stop it (idempotent; also runs at process exit). */
export interface PgCluster {
  server: PgTestServer;
  stop(): void;
}

/** Start a cluster as described at the top of this file (bin: `findPgBin()`). */
export async function startPgCluster(bin: string): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'llm-tutor-pg-'));
  const data = join(dir, 'data');
  const superuser = 'postgres';
  if (asRoot()) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pw.stdout), Number(gid.stdout));
  }
  chmodSync(dir, 0o700);
  let running = false;
  const stop = () => {
    if (running) {
      try {
        runPg(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], dir);
      } catch {
        // already stopped: nothing to do
      }
      running = false;
    }
    rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', stop);
  };
  process.once('exit', stop);
  try {
    const initdb = ['-D', data, '-U', superuser, '--auth-local=trust'];
    initdb.push('--auth-host=scram-sha-256', '--no-sync', '--no-locale', '-E', 'UTF8');
    runPg(bin, 'initdb', initdb, dir);
    const port = await startServer(bin, data, dir);
    running = true;
    const server = await createRole({ socketDir: dir, port, superuser });
    return { server, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

/** Start the server on a free port (another one if that port was taken meanwhile). */
async function startServer(bin: string, data: string, dir: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-h 127.0.0.1',
      // a throw-away cluster: durability off, start and tests fast
      '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    try {
      runPg(
        bin,
        'pg_ctl',
        ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', settings, 'start'],
        dir,
      );
      return port;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/** The login role the tests use: a password, the right to log in, nothing more. */
async function createRole(
  base: Pick<PgTestServer, 'socketDir' | 'port' | 'superuser'>,
): Promise<PgTestServer> {
  const role = 'llm_tutor_test';
  const password = randomBytes(12).toString('hex');
  const admin = adminClient(base);
  await admin.connect();
  try {
    await admin.query(
      `CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`,
    );
  } finally {
    await admin.end();
  }
  return { ...base, role, password };
}

/** A superuser connection over the Unix socket (create and drop test databases). */
export function adminClient(s: Pick<PgTestServer, 'socketDir' | 'port' | 'superuser'>): pg.Client {
  return new pg.Client({
    host: s.socketDir,
    port: s.port,
    user: s.superuser,
    database: 'postgres',
  });
}

/** vitest `globalSetup`: start the cluster (or explain why not) and provide it to the tests. */
export default async function setup(project: {
  provide(key: 'pg', value: PgTestServer | null): void;
}): Promise<() => void> {
  const bin = findPgBin();
  if (!bin) {
    if (process.env.CI === 'true') {
      throw new Error(`CI=true but PostgreSQL is not installed: ${INSTALL_HINT}`);
    }
    process.stderr.write(
      `\nNOTICE: PostgreSQL tests are skipped (no initdb found): ${INSTALL_HINT}\n\n`,
    );
    project.provide('pg', null);
    return () => undefined;
  }
  const cluster = await startPgCluster(bin);
  project.provide('pg', cluster.server);
  return () => cluster.stop();
}
