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
import { SqliteStore } from '../src/store/sqlite.js';
import { firstFirst, fixtureBank, tempDir } from './quiz/helpers.js';

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

/** Play a three-question quiz on topic 5 as the terminal's user, its scores kept in `db`. */
async function playInChat(db: string): Promise<void> {
  const store = new SqliteStore(db);
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
