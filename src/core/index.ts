import { type KnowledgeBase, knowledgeBase } from '../knowledge/index.js';
import type { Store } from '../store/types.js';
import { createQuiz, type QuizFeature, type QuizFeatureOptions } from './commands/quiz.js';
import { Messenger } from './messenger.js';
import { defaultCommands } from './registry.js';
import { Router, type RouterOptions } from './router.js';

export type { AnyCommand, CommandContext, CommandDef } from './command.js';
export { defineCommand, option } from './command.js';
export {
  createQuiz,
  type QuizFeature,
  type QuizFeatureOptions,
  renderQuizEvent,
} from './commands/quiz.js';
export type { JobInputs, JobName, JobOutputs } from './jobs/jobs.js';
export {
  DEFAULT_JOB_BUDGET_MS,
  sharedWorkerPool,
  WorkerPool,
  type WorkerPoolOptions,
} from './jobs/pool.js';
export { inProcessJobs, type JobOutcome, type JobRunner } from './jobs/runner.js';
export { type LoopDelay, type LoopMonitor, watchEventLoop } from './loop-monitor.js';
export { destinationOf, Messenger } from './messenger.js';
export { defaultCommands } from './registry.js';
export { Router } from './router.js';
export { quoteValue, sanitizeReply } from './sanitize.js';
export type { Choice, Field, Incoming, Lang, Platform, Reply, ReplyKind, Table } from './types.js';

export interface CreateRouterOptions extends Partial<RouterOptions> {
  /** Where quizzes, scores and review cards are kept (default: in-memory SQLite). */
  store?: Store;
  /** A quiz feature built with `createQuiz` (sharing this router's messenger), or its options. */
  quiz?: QuizFeature | Omit<Partial<QuizFeatureOptions>, 'messenger' | 'knowledge'>;
}

/**
 * A router over the bundled knowledge base and every command, quizzes included. Without a
 * `store`, quiz scores live in an in-memory SQLite database for the life of the process.
 */
export function createRouter(options: CreateRouterOptions = {}): Router {
  const { store, quiz, ...rest } = options;
  const knowledge: KnowledgeBase = rest.knowledge ?? knowledgeBase();
  const messenger = rest.messenger ?? new Messenger();
  const feature =
    quiz && 'commands' in quiz
      ? quiz
      : createQuiz({
          ...(rest.logger ? { logger: rest.logger } : {}),
          ...(store ? { store } : {}),
          ...quiz,
          messenger,
          knowledge,
        });
  return new Router({
    knowledge,
    messenger,
    ...rest,
    commands: rest.commands ?? [...defaultCommands, ...feature.commands],
  });
}
