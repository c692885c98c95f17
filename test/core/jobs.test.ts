/**
 * Heavy commands of chat platforms run in the worker pool: same replies as in-process, a time
 * budget that cancels a job (its thread is replaced), a bounded queue that answers "busy", and
 * local platforms (terminal, tests) that keep running in-process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../src/compose.js';
import type { JobInputs, JobName } from '../../src/core/jobs/jobs.js';
import { WorkerPool } from '../../src/core/jobs/pool.js';
import { inProcessJobs, type JobRunner } from '../../src/core/jobs/runner.js';
import type { Incoming, Platform } from '../../src/core/types.js';
import { textOf } from './helpers.js';

const pool = new WorkerPool({ threads: 1, maxQueue: 1, budgetMs: 30_000 });
const tight = new WorkerPool({ threads: 1, maxQueue: 0, budgetMs: 300 });
afterAll(async () => {
  await pool.close();
  await tight.close();
});

const msg = (text: string, platform: Platform = 'discord'): Incoming => ({
  platform,
  user: { id: 'u' },
  channel: { id: 'c', isDM: false },
  text,
});

const doc = '大模型的上下文窗口有限。长文本要先切块。Long English text works the same way. '.repeat(
  40,
);
const heavy = `/tokens ${'large language model, context window. '.repeat(5_000)}`;

describe('the worker pool', () => {
  it('answers /chunk and /tokens for Discord and Slack like the terminal does', async () => {
    const router = createRouter({ logger: { error: () => {} }, jobs: pool });
    const local = await router.handle(msg(`/chunk size=100 overlap=10 ${doc}`, 'test'));
    const remote = await router.handle(msg(`/chunk size=100 overlap=10 ${doc}`, 'discord'));
    expect(remote.kind).toBe('answer');
    expect(remote.paragraphs).toEqual(local.paragraphs);
    expect(remote.files).toEqual(local.files);
    // The full chunk list stays in the file for chat platforms (data is for `run --json`).
    expect((local.data as { chunks?: unknown[] }).chunks?.length).toBeGreaterThan(10);
    expect((remote.data as { chunks?: unknown[] }).chunks).toBeUndefined();
    const tokens = await router.handle(msg('/tokens 大语言模型 large language models', 'slack'));
    expect(tokens.kind).toBe('answer');
    expect(tokens.table?.rows[3]?.[1]).toBe('27');
  });

  it('cancels a job over its time budget with a clear reply, and keeps working', async () => {
    const router = createRouter({ logger: { error: () => {} }, jobs: tight });
    const r = await router.handle(msg(heavy));
    expect(r.kind).toBe('error');
    expect(textOf(r)).toContain('This text is too heavy to count in 0.3 s');
    const small = await router.handle(msg('/chunk size=5 短短的一句话。再来一句。'));
    expect(small.kind).toBe('answer');
  });

  it('answers "busy, try again" when the queue is full instead of queueing without bound', async () => {
    const router = createRouter({ logger: { error: () => {} }, jobs: tight });
    const first = router.handle(msg(heavy));
    const second = await router.handle(msg('/tokens hello'));
    expect(second.kind).toBe('error');
    expect(second.title).toBe('/tokens: busy');
    expect(textOf(second)).toContain('Please try /tokens again in a minute.');
    expect((await first).kind).toBe('error'); // over the budget
  });

  it('runs heavy work in-process for the terminal, the CLI and tests, in the pool otherwise', async () => {
    const seen: string[] = [];
    const spy: JobRunner = {
      local: false,
      run<K extends JobName>(name: K, input: JobInputs[K]) {
        seen.push(name);
        return inProcessJobs.run(name, input);
      },
      close: async () => {},
    };
    const router = createRouter({ logger: { error: () => {} }, jobs: spy });
    for (const platform of ['console', 'cli', 'test'] as const) {
      expect((await router.handle(msg('/tokens hi', platform))).kind).toBe('answer');
    }
    expect(seen).toEqual([]);
    for (const platform of ['discord', 'slack'] as const) {
      expect((await router.handle(msg('/chunk size=3 abcdef', platform))).kind).toBe('answer');
      expect((await router.handle(msg('/tokens hi', platform))).kind).toBe('answer');
    }
    expect(seen).toEqual(['chunk', 'tokens', 'chunk', 'tokens']);
  });
});
