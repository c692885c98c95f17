import { type KnowledgeBase, knowledgeBase } from '../knowledge/index.js';
import { feedbackCommands } from './commands/feedback.js';
import { createQuiz, type QuizFeature, type QuizFeatureOptions } from './commands/quiz.js';
import { DEFAULT_KEEP_DAYS, FeedbackLog } from './feedback.js';
import { Messenger } from './messenger.js';
import { defaultCommands } from './registry.js';
import { Router, type RouterOptions } from './router.js';

export type { AnyCommand, CommandContext, CommandDef } from './command.js';
export { defineCommand, option } from './command.js';
export { REASON_PROMPT } from './commands/feedback.js';
export {
  createQuiz,
  type QuizFeature,
  type QuizFeatureOptions,
  renderQuizEvent,
} from './commands/quiz.js';
export { DEFAULT_KEEP_DAYS, FeedbackLog, type FeedbackOptions } from './feedback.js';
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

/** The quiz feature's options that a router fills in itself. */
type QuizSettings = Omit<Partial<QuizFeatureOptions>, 'messenger' | 'knowledge' | 'store'>;

/**
 * What `assembleRouter` needs besides the router's own options: a quiz feature built with
 * `createQuiz` (sharing this router's messenger), or the store for one and its settings.
 */
export type AssembleRouterOptions = Partial<RouterOptions> & {
  /** Days the question log keeps a question (`LLM_TUTOR_KEEP_DAYS`, default 30; 0: no log). */
  keepDays?: number;
} & (
    | { quiz: QuizFeature; store?: undefined }
    | { store: QuizFeatureOptions['store']; quiz?: QuizSettings | undefined }
  );

/**
 * A router over the bundled knowledge base and every command, quizzes included, with the
 * store it is given. The core opens no database: `src/compose.ts` (`createRouter`) and
 * `src/main.ts` choose the store.
 */
export function assembleRouter(options: AssembleRouterOptions): Router {
  const { store, quiz, keepDays, ...rest } = options;
  const knowledge: KnowledgeBase = rest.knowledge ?? knowledgeBase();
  const messenger = rest.messenger ?? new Messenger();
  const feature =
    quiz && 'commands' in quiz
      ? quiz
      : createQuiz({
          ...(rest.logger ? { logger: rest.logger } : {}),
          ...quiz,
          store: store!,
          messenger,
          knowledge,
        });
  const feedback =
    rest.feedback ??
    new FeedbackLog({
      store: feature.store,
      keepDays: keepDays ?? DEFAULT_KEEP_DAYS,
      ...(rest.logger ? { logger: rest.logger } : {}),
    });
  return new Router({
    knowledge,
    messenger,
    ...rest,
    feedback,
    commands: rest.commands ?? [
      ...defaultCommands,
      ...feature.commands,
      ...feedbackCommands(feedback),
    ],
    openAnswer: rest.openAnswer ?? feature.typedAnswer,
  });
}
