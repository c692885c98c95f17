/**
 * The "done when": a 10-question `/quiz 5 kind=calc` in the terminal chat asks ten
 * different questions, and each answer is what the built `llm-tutor run --json "/vram …"`
 * prints (the generator replayed with a fixed seed against the calculator).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TERMINAL_CHANNEL, TERMINAL_USER } from '../../src/adapters/console/chat.js';
import { createRouter } from '../../src/compose.js';
import type { Reply } from '../../src/core/types.js';
import { correctAnswer, defaultBank, seededRandom } from '../../src/quiz/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { atPath, tempDir } from './helpers.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const run = promisify(execFile);

const tmp = tempDir('llm-tutor-calc-');
const cliRouter = createRouter({ logger: { error: () => {} } });
afterAll(() => tmp.cleanup());

/** Play `/quiz 5 kind=calc count=10` in the terminal's place; the question replies posted. */
async function playCalcQuiz(seed: number): Promise<Reply[]> {
  const store = new SqliteStore(join(tmp.dir, `calc-${seed}.db`));
  const router = createRouter({
    store,
    quiz: { bank: defaultBank(), random: seededRandom(seed), pauseMs: 10 },
    logger: { error: () => {} },
  });
  const posted: Reply[] = [];
  const unregister = router.messenger.register('console', {
    post: async (_to, reply) => {
      posted.push(reply);
    },
  });
  const said = (text: string) =>
    router.handle({
      platform: 'console',
      user: { id: TERMINAL_USER },
      channel: { id: TERMINAL_CHANNEL, isDM: true },
      text,
    });
  const questions = () => posted.filter((r) => /^Quiz · question/.test(r.title ?? ''));
  const until = async (done: () => boolean) => {
    for (const start = Date.now(); !done(); ) {
      if (Date.now() - start > 15_000) throw new Error(`timed out: ${posted.length} posts`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const start = await said('/quiz 5 kind=calc count=10 seconds=10');
  expect(start.paragraphs.join(' ')).toMatch(/10 questions \(calculation questions/);
  for (let i = 1; i <= 10; i++) {
    await until(() => questions().length >= i);
    const id = String((questions()[i - 1]!.data as { id: string }).id);
    const q = defaultBank().get(id)!;
    await said(`/answer ${correctAnswer(q)}`);
  }
  await until(() => posted.some((r) => /^Quiz over/.test(r.title ?? '')));
  unregister();
  await store.close();
  return questions();
}

describe.runIf(existsSync(cli))('/quiz 5 kind=calc in the terminal', () => {
  it('asks ten different calculation questions whose answers match /vram … --json', async () => {
    const asked = await playCalcQuiz(17);
    const ids = asked.map((r) => String((r.data as { id: string }).id));
    expect(new Set(ids).size).toBe(10);
    expect(asked.every((r) => /· calculated$/.test(r.title ?? ''))).toBe(true);
    // every kind of /vram question turns up: generators are taken in turn
    expect(new Set(ids.map((id) => id.split(':')[1])).size).toBe(5);
    // each answer is what the command prints as --json: through the router (what `run --json`
    // prints is the reply's data) for all ten, and through the built CLI for the first
    for (const id of ids) {
      const q = defaultBank().get(id)!;
      expect(q.generated!.command).toMatch(/^\/vram /);
      const reply = await cliRouter.handle({
        platform: 'cli',
        user: { id: 'me' },
        channel: { id: 'cli', isDM: true },
        text: q.generated!.command!,
      });
      const printed = atPath(reply.data, q.generated!.jsonPath!);
      expect(printed, id).toBe(q.type === 'truefalse' ? q.answer : q.generated!.value);
    }
    const first = defaultBank().get(ids[0]!)!;
    const { stdout } = await run(
      process.execPath,
      [cli, 'run', '--json', first.generated!.command!],
      {
        encoding: 'utf8',
        cwd: tmp.dir,
        env: {
          PATH: process.env.PATH,
          HOME: tmp.dir,
          LANG: 'C',
          LLM_TUTOR_DB: join(tmp.dir, 'run.db'),
        },
      },
    );
    const printed = atPath(JSON.parse(stdout), first.generated!.jsonPath!);
    expect(printed).toBe(first.type === 'truefalse' ? first.answer : first.generated!.value);
  }, 120_000);
});
