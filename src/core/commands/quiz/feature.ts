/** `createQuiz`: the quiz and review services, wired lazily to a store, a bank and the messenger. */
import type { KnowledgeBase } from '../../../knowledge/index.js';
import {
  defaultBank,
  type LeaseTiming,
  type QuizBank,
  QuizService,
  type QuizSession,
  ReviewService,
  type Scheduler,
} from '../../../quiz/index.js';
import type { Platform, Store } from '../../../store/types.js';
import type { AnyCommand } from '../../command.js';
import { consoleErrors, type Logger } from '../../log.js';
import type { Incoming, Lang, Outbox, Reply } from '../../types.js';
import { leaderboardCommand, statsCommand } from './boards.js';
import { answerCommand, quizCommand, typedAnswer } from './play.js';
import { renderQuizEvent } from './render.js';
import { reviewCommand } from './review.js';
import { bankGuard, destinationOfPlace, type QuizDeps } from './shared.js';

export interface QuizFeatureOptions {
  /** Where questions, reveals and scoreboards are posted (the router's messenger). */
  messenger: Outbox;
  knowledge: KnowledgeBase;
  /**
   * Where sessions, answers, scores and review cards are kept: a store, or a function that
   * opens one on first use (the feature then closes it). The composition root chooses it
   * (`src/compose.ts`); the core knows only the `Store` interface.
   */
  store: Store | (() => Store);
  /** Default: the bundled bank, loaded and validated on first use (a function is called then). */
  bank?: QuizBank | (() => QuizBank);
  scheduler?: Scheduler;
  random?: () => number;
  /** This instance's name among those sharing the store (default `instanceName()`). */
  owner?: string;
  /** Quiz lease timing (default `DEFAULT_LEASE`; see src/quiz/lease.ts). */
  lease?: Partial<LeaseTiming>;
  /** The platforms this instance posts to; it takes over only their quizzes (default: all). */
  platforms?: readonly Platform[];
  /** Pause between a reveal and the next question, ms (default 3000). */
  pauseMs?: number;
  /** May this person stop someone else's quiz? (Default: `incoming.user.moderator`, set by adapters.) */
  isModerator?: (incoming: Incoming) => boolean;
  logger?: Pick<Logger, 'error'>;
  /** FSRS interval fuzz for /review (default on). */
  fuzz?: boolean;
}

export interface QuizFeature {
  readonly commands: readonly AnyCommand[];
  /** A message that is only an answer to the open question, answered (see `typedAnswer`). */
  readonly typedAnswer: (incoming: Incoming, lang: Lang) => Promise<Reply | undefined>;
  /** The engine (loads the bank on first use; throws `BankError` if it is broken). */
  service(): QuizService;
  review(): ReviewService;
  store(): Store;
  /**
   * Start the quiz lease heartbeat and take over the quizzes whose lease has expired (a
   * restart's own, or a dead instance's); returns them.
   */
  recover(): Promise<QuizSession[]>;
  /** Resolve once every stopped quiz has posted its reveal and scoreboard. */
  settle(): Promise<void>;
  /**
   * Cancel timers, give up this instance's quiz leases (another instance, or the next start,
   * takes them over at once), and close the store if this feature opened it.
   */
  close(): Promise<void>;
}

/** The quiz service's optional settings, passed on as given. */
function serviceSettings(o: QuizFeatureOptions) {
  return {
    ...(o.scheduler ? { scheduler: o.scheduler } : {}),
    ...(o.random ? { random: o.random } : {}),
    ...(o.owner ? { owner: o.owner } : {}),
    ...(o.lease ? { lease: o.lease } : {}),
    ...(o.platforms ? { platforms: o.platforms } : {}),
    ...(o.pauseMs !== undefined ? { pauseMs: o.pauseMs } : {}),
  };
}

export function createQuiz(options: QuizFeatureOptions): QuizFeature {
  const { knowledge, scheduler } = options;
  const logger = options.logger ?? consoleErrors;
  let ownStore: Store | undefined;
  let service: QuizService | undefined;
  let review: ReviewService | undefined;
  let bank: QuizBank | undefined = typeof options.bank === 'function' ? undefined : options.bank;
  const loadBank = typeof options.bank === 'function' ? options.bank : defaultBank;

  const { store } = options;
  const getStore = (): Store => {
    if (typeof store !== 'function') return store;
    ownStore ??= store();
    return ownStore;
  };
  const getBank = (): QuizBank => {
    bank ??= loadBank();
    return bank;
  };
  const getService = (): QuizService => {
    service ??= new QuizService({
      store: getStore(),
      bank: getBank(),
      publish: (event) =>
        options.messenger.post(
          destinationOfPlace(event.session.place),
          renderQuizEvent(event, knowledge),
        ),
      ...serviceSettings(options),
      logger,
    });
    return service;
  };
  const getReview = (): ReviewService => {
    review ??= new ReviewService({
      store: getStore(),
      bank: getBank(),
      ...(scheduler ? { scheduler } : {}),
      ...(options.fuzz !== undefined ? { fuzz: options.fuzz } : {}),
    });
    return review;
  };

  const deps: QuizDeps = {
    service: getService,
    review: getReview,
    knowledge,
    isModerator: options.isModerator ?? ((incoming) => incoming.user.moderator === true),
    guarded: bankGuard(logger),
  };
  const commands = [
    quizCommand(deps),
    answerCommand(deps),
    leaderboardCommand(deps),
    statsCommand(deps),
    reviewCommand(deps),
  ];

  return {
    commands,
    typedAnswer: typedAnswer(deps),
    service: getService,
    review: getReview,
    store: getStore,
    recover: () => getService().recover(),
    settle: async () => service?.settle(),
    close: async () => {
      service?.close();
      await service?.idle();
      // another instance (or the next start) takes this one's quizzes over at once
      await service?.release().catch((err: unknown) => {
        logger.error({ err }, 'could not release the quiz leases');
      });
      if (ownStore) await ownStore.close();
    },
  };
}
