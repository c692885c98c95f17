/**
 * The parts the composition roots (`main.ts`, `cli.ts`, the library entry) put together:
 * which store backs the quizzes. The core depends only on the `Store` interface; the
 * concrete store is chosen here, from the configuration or, for a library user and the
 * tests, in memory.
 *
 * @example
 * const router = createRouter(); // quizzes kept in an in-memory SQLite database
 * const reply = await router.handle({ platform: 'test', user: { id: 'u' }, channel: { id: 'c', isDM: true }, text: '/help' });
 */
import dotenv from 'dotenv';
import { type Config, parseConfig } from './core/config.js';
import { assembleRouter, type QuizFeature, type QuizFeatureOptions } from './core/index.js';
import type { RouterOptions } from './core/router.js';
import { isPostgresUrl, looksLikeUrl, shownDbValue } from './store/db-url.js';
import { SqliteStore } from './store/sqlite.js';
import { type Store, StoreError } from './store/types.js';

/** A fresh in-memory SQLite store (scores last for the life of the process). */
export function memoryStore(): Store {
  return new SqliteStore(':memory:');
}

/**
 * The store the configuration names: PostgreSQL when `LLM_TUTOR_DB` is a `postgres://` or
 * `postgresql://` URL (connected and migrated; never a file), else SQLite at that path (its
 * folder is created). Any other URL is refused rather than taken for a path.
 */
export async function configuredStore(config: { LLM_TUTOR_DB: string }): Promise<Store> {
  const db = config.LLM_TUTOR_DB;
  if (isPostgresUrl(db)) {
    // loaded only here: the SQLite default never loads the PostgreSQL driver
    const { openPgStore } = await import('./store/postgres.js');
    return openPgStore(db);
  }
  if (looksLikeUrl(db)) {
    throw new StoreError(
      'only postgres:// (or postgresql://) URLs are supported; for SQLite give a file path',
    );
  }
  return new SqliteStore(db);
}

/** Read and validate the configuration (.env first), or explain what is wrong and exit. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  dotenv.config({ quiet: true });
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    process.stderr.write(
      `llm-tutor cannot start:\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}\n`,
    );
    process.exit(2);
  }
  return parsed.config;
}

/**
 * `configuredStore` for a composition root: a store that cannot be opened is explained (what
 * failed, how to fix it; a URL's password is never shown), then exit.
 */
export async function openConfiguredStore(config: Config): Promise<Store> {
  try {
    return await configuredStore(config);
  } catch (err) {
    process.stderr.write(
      `llm-tutor cannot open its database LLM_TUTOR_DB=${shownDbValue(config.LLM_TUTOR_DB)}: ${(err as Error).message}\n`,
    );
    process.exit(2);
  }
}

export interface CreateRouterOptions extends Partial<RouterOptions> {
  /** Where quizzes, scores and review cards are kept (default: in-memory SQLite, opened on first use). */
  store?: Store | (() => Store);
  /** A quiz feature built with `createQuiz` (sharing this router's messenger), or its options. */
  quiz?: QuizFeature | Omit<Partial<QuizFeatureOptions>, 'messenger' | 'knowledge' | 'store'>;
  /** Days the question log keeps questions (default 30; 0: no log). */
  keepDays?: number;
}

/**
 * A router over the bundled knowledge base and every command, quizzes included. Without a
 * `store`, quiz scores live in an in-memory SQLite database for the life of the process.
 */
export function createRouter(options: CreateRouterOptions = {}) {
  const { quiz, store, ...rest } = options;
  if (quiz && 'commands' in quiz) return assembleRouter({ ...rest, quiz });
  return assembleRouter({ ...rest, store: store ?? memoryStore, ...(quiz ? { quiz } : {}) });
}
