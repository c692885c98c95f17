/**
 * The llm-tutor command (src/cli.ts), built: `run` reads the store the chat writes
 * (LLM_TUTOR_DB), as the terminal's one user in the chat's place.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TERMINAL_CHANNEL, TERMINAL_USER } from '../src/adapters/console/chat.js';
import { renderReply } from '../src/adapters/console/render.js';
import { createRouter } from '../src/compose.js';
import { openPgStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import { firstFirst, fixtureBank, tempDir } from './quiz/helpers.js';
import { freshDatabase, pgServer, pgUrl } from './setup/pg-db.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const tmp = tempDir('llm-tutor-cli-');
afterAll(() => tmp.cleanup());

function run(args: string[], db: string) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    cwd: tmp.dir,
    env: { PATH: process.env.PATH, HOME: tmp.dir, LANG: 'C', LLM_TUTOR_DB: db },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Play a three-question quiz on topic 5 as the terminal's user, its scores kept in `db` (closed after). */
async function playInChat(db: string | Store): Promise<void> {
  const store = typeof db === 'string' ? new SqliteStore(db) : db;
  const router = createRouter({
    store,
    quiz: { bank: fixtureBank(), random: firstFirst, pauseMs: 20 },
    logger: { error: () => {} },
  });
  let posted = '';
  const unregister = router.messenger.register('console', {
    post: async (_to, reply) => {
      posted += `${renderReply(reply)}\n`;
    },
  });
  const said = (text: string) =>
    router.handle({
      platform: 'console',
      user: { id: TERMINAL_USER },
      channel: { id: TERMINAL_CHANNEL, isDM: true },
      text,
    });
  const until = async (pattern: RegExp) => {
    for (const start = Date.now(); !pattern.test(posted); ) {
      if (Date.now() - start > 8000) throw new Error(`timed out on ${pattern}:\n${posted}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  posted += renderReply(await said('/quiz 5 count=3 seconds=10'));
  for (const [answer, next] of [
    ['C', /question 2\/3/],
    ['false', /question 3\/3/],
    ['A', /Quiz over — scoreboard/],
  ] as const) {
    await until(/question \d\/3/);
    await said(`/answer ${answer}`);
    await until(next);
  }
  unregister();
  await store.close();
}

describe.runIf(existsSync(cli))('llm-tutor run (built) with LLM_TUTOR_DB', () => {
  it('/stats and /leaderboard through run show the scores the chat saved', async () => {
    const db = join(tmp.dir, 'data', 'tutor.db');
    await playInChat(db);
    const stats = run(['run', '/stats'], db);
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/You answered 3 questions, 2 right/);
    const json = JSON.parse(run(['run', '--json', '/stats'], db).stdout);
    expect(json).toMatchObject({ answered: 3, correct: 2 });
    expect(run(['run', '/leaderboard'], db).stdout).toMatch(/local/);
  });

  it('a fresh database has no scores yet; an unusable path is explained', () => {
    const fresh = run(['run', '--json', '/stats'], join(tmp.dir, 'fresh', 'tutor.db'));
    expect(fresh.code).toBe(0);
    expect(JSON.parse(fresh.stdout)).toMatchObject({ answered: 0 });
    const bad = run(['run', '/stats'], join(tmp.dir, 'data', 'tutor.db', 'inside-a-file.db'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot open its database LLM_TUTOR_DB=');
  });

  it('quizzes still need the chat', () => {
    const r = run(['run', '/quiz 5'], join(tmp.dir, 'data', 'tutor.db'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Quizzes run in a chat');
  });
});

describe.runIf(existsSync(cli) && pgServer)(
  'llm-tutor run (built) with LLM_TUTOR_DB=postgres://…',
  () => {
    const s = pgServer!;
    /** Nothing the command printed holds the password, and no folder was made of the URL. */
    const noSecrets = (r: ReturnType<typeof run>, password: string) => {
      expect(`${r.stdout}${r.stderr}`).not.toContain(password);
      expect(existsSync(join(tmp.dir, 'postgres:'))).toBe(false);
      expect(existsSync(join(tmp.dir, 'postgresql:'))).toBe(false);
    };

    it('/stats through run reads the scores the chat saved in PostgreSQL', async () => {
      const url = await freshDatabase('cli');
      await playInChat(await openPgStore(url));
      const json = run(['run', '--json', '/stats'], url);
      expect(json.stderr).toBe('');
      expect(JSON.parse(json.stdout)).toMatchObject({ answered: 3, correct: 2 });
      noSecrets(json, s.password);
    });

    it('a database it cannot use stops it with LLM_TUTOR_DB, what failed and the fix; never the password', async () => {
      const name = new URL(await freshDatabase('cli')).pathname.slice(1);
      const cases: [string, string, RegExp][] = [
        [
          `postgres://${s.role}:Hunter2-secret@127.0.0.1:1/${name}`,
          'Hunter2-secret',
          /refused the connection: start it/,
        ],
        [
          pgUrl(s, name, 'Wrong-Secret-9'),
          'Wrong-Secret-9',
          /refused user .*fix the user and password/,
        ],
        [pgUrl(s, 'missing_db'), s.password, /database "missing_db" does not exist/],
        [
          'postgresql://me:Sw0rdfish-x@[::1/db',
          'Sw0rdfish-x',
          /not a valid URL \(expected postgres:\/\//,
        ],
        ['postgres://me:Sw0rdfish-y@localhost', 'Sw0rdfish-y', /names no database/],
      ];
      for (const [url, password, why] of cases) {
        const r = run(['run', '/stats'], url);
        expect(r.code, url).toBe(2);
        expect(r.stderr).toMatch(/^llm-tutor cannot open its database LLM_TUTOR_DB=postgres(ql)?:/);
        expect(r.stderr).toMatch(why);
        noSecrets(r, password);
      }
    });

    it('the bot (npm start) stops at start the same way', () => {
      const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
      const url = `postgres://${s.role}:Hunter3-secret@127.0.0.1:1/x`;
      const r = spawnSync(process.execPath, [main], {
        encoding: 'utf8',
        cwd: tmp.dir,
        input: '',
        timeout: 20_000,
        env: { PATH: process.env.PATH, HOME: tmp.dir, LANG: 'C', LLM_TUTOR_DB: url },
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`LLM_TUTOR_DB=postgres://${s.role}:***@127.0.0.1:1/x`);
      expect(r.stderr).toMatch(/refused the connection: start it, or fix the host and port/);
      noSecrets({ code: r.status, stdout: r.stdout, stderr: r.stderr }, 'Hunter3-secret');
    });

    it('another kind of URL is refused, not taken for a file path', () => {
      const r = run(['run', '/stats'], 'mysql://me:Tr0ub4dor@db/tutor');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/only postgres:\/\/ \(or postgresql:\/\/\) URLs/);
      expect(r.stderr).toContain('LLM_TUTOR_DB=mysql://me:***@db/tutor');
      noSecrets(r, 'Tr0ub4dor');
      expect(existsSync(join(tmp.dir, 'mysql:'))).toBe(false);
    });
  },
);
