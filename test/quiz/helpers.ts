import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadBank,
  ManualScheduler,
  type QuizBank,
  type QuizEvent,
  type QuizPlace,
  QuizService,
} from '../../src/quiz/index.js';
import { SqliteStore } from '../../src/store/index.js';

export const FIXTURE_BANK_DIR = fileURLToPath(new URL('../fixtures/quiz-bank', import.meta.url));

let bank: QuizBank | undefined;
/** The small test bank: topics 1 and 5, four questions each (choice, truefalse, choice, numeric). */
export function fixtureBank(): QuizBank {
  bank ??= loadBank({ dir: FIXTURE_BANK_DIR, topics: [1, 5], minPerTopic: 4 });
  return bank;
}

/** The value at `counts[1].tokens` of a command's --json data. */
export function atPath(data: unknown, path: string): unknown {
  let v: unknown = data;
  for (const key of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A temp folder removed by `cleanup()`. */
export function tempDir(prefix = 'llm-tutor-quiz-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Always pick the items in bank order (sample() with random() = 0 keeps the order). */
export const firstFirst = () => 0;

export interface Rig {
  store: SqliteStore;
  scheduler: ManualScheduler;
  service: QuizService;
  events: QuizEvent[];
  cleanup: () => Promise<void>;
}

/**
 * A quiz service over a real SQLite file (in a temp folder, or `path`), with a hand-driven clock
 * (from `start`).
 */
export function rig(
  options: {
    pauseMs?: number;
    owner?: string;
    path?: string;
    start?: number;
    bank?: QuizBank;
    random?: () => number;
  } = {},
): Rig {
  const tmp = tempDir();
  const scheduler = new ManualScheduler(options.start);
  // lease times on the same hand-driven clock, as one host's clock is for a SQLite file
  const store = new SqliteStore(options.path ?? join(tmp.dir, 'quiz.db'), {
    clock: () => scheduler.now(),
  });
  const events: QuizEvent[] = [];
  const service = new QuizService({
    store,
    bank: options.bank ?? fixtureBank(),
    publish: async (e) => {
      events.push(e);
    },
    scheduler,
    random: options.random ?? firstFirst,
    pauseMs: options.pauseMs ?? 2000,
    ...(options.owner ? { owner: options.owner } : {}),
    logger: { error: () => {} },
  });
  return {
    store,
    scheduler,
    service,
    events,
    cleanup: async () => {
      service.close();
      await store.close();
      tmp.cleanup();
    },
  };
}

export const channel: QuizPlace = { platform: 'test', channelId: 'c1', isDM: false };
export const dm: QuizPlace = { platform: 'test', channelId: 'd1', isDM: true };
export const alice = { key: 'test:alice', name: 'Alice' };
export const bob = { key: 'test:bob', name: 'Bob' };
export const carol = { key: 'test:carol', name: 'Carol' };
