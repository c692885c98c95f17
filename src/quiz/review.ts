/**
 * Personal spaced review with FSRS (ts-fsrs). A question someone missed in a channel quiz
 * becomes a card in their queue (due when the question closes); `/review` shows the due
 * cards privately and grades each from the answer: right → Good, wrong → Again.
 */
import {
  type Card,
  createEmptyCard,
  type FSRS,
  fsrs,
  generatorParameters,
  Rating,
  type State,
} from 'ts-fsrs';
import type { CardRow, Store } from '../store/types.js';
import { isCorrect, parseAnswer } from './answer.js';
import type { BankQuestion, QuizBank } from './bank.js';
import { realScheduler, type Scheduler } from './clock.js';

/** Due cards read per store query while looking for the first one still in the bank. */
const DUE_PAGE = 20;

/** A new card for `question` in `userKey`'s queue, due at `due`. */
export function newReviewCard(
  userKey: string,
  question: BankQuestion,
  due: number,
  source: string,
): CardRow {
  const c = createEmptyCard(new Date(due));
  return { ...rowOf(c, userKey, question.id, question.topic, source, due), addedAt: due };
}

function rowOf(
  c: Card,
  userKey: string,
  questionId: string,
  topic: number,
  source: string,
  addedAt: number,
): CardRow {
  const row: CardRow = {
    userKey,
    questionId,
    topic,
    due: c.due.getTime(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    addedAt,
    source,
  };
  if (c.last_review) row.lastReview = c.last_review.getTime();
  return row;
}

function cardOf(r: CardRow): Card {
  return {
    due: new Date(r.due),
    stability: r.stability,
    difficulty: r.difficulty,
    elapsed_days: r.elapsedDays,
    scheduled_days: r.scheduledDays,
    learning_steps: r.learningSteps,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state as State,
    ...(r.lastReview !== undefined ? { last_review: new Date(r.lastReview) } : {}),
  };
}

export interface ReviewQueue {
  /** The first due card's question, if any. */
  question?: BankQuestion;
  card?: CardRow;
  due: number;
  total: number;
  nextDue?: number;
}

export type GradeResult =
  | {
      status: 'graded';
      question: BankQuestion;
      value: string;
      correct: boolean;
      card: CardRow;
      queue: ReviewQueue;
    }
  | { status: 'unknown' }
  | { status: 'not-due'; question: BankQuestion; due: number }
  | { status: 'invalid'; question: BankQuestion }
  /** Someone (a double click) graded this card at the same moment. */
  | { status: 'raced'; question: BankQuestion };

export interface ReviewServiceOptions {
  store: Store;
  bank: QuizBank;
  scheduler?: Pick<Scheduler, 'now'>;
  /** FSRS interval fuzz (default on, as in Anki); tests turn it off. */
  fuzz?: boolean;
}

export class ReviewService {
  private readonly store: Store;
  private readonly bank: QuizBank;
  private readonly clock: Pick<Scheduler, 'now'>;
  private readonly fsrs: FSRS;

  constructor(options: ReviewServiceOptions) {
    this.store = options.store;
    this.bank = options.bank;
    this.clock = options.scheduler ?? realScheduler;
    this.fsrs = fsrs(generatorParameters({ enable_fuzz: options.fuzz ?? true }));
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * The user's queue: counts and the first due card. A due card whose question is no longer in
   * the bank (a question removed or a generator retired in an upgrade) is dropped first, so the
   * counts never promise a card that cannot be shown.
   */
  async queue(userKey: string): Promise<ReviewQueue> {
    const now = this.clock.now();
    const first = await this.firstDue(userKey, now);
    const counts = await this.store.cardCounts(userKey, now);
    const queue: ReviewQueue = { due: counts.due, total: counts.total, ...first };
    if (counts.nextDue !== undefined) queue.nextDue = counts.nextDue;
    return queue;
  }

  private async firstDue(
    userKey: string,
    now: number,
  ): Promise<Pick<ReviewQueue, 'card' | 'question'>> {
    for (;;) {
      const cards = await this.store.dueCards(userKey, now, DUE_PAGE);
      for (const card of cards) {
        const question = this.bank.get(card.questionId);
        if (question) return { card, question };
        await this.store.dropCard(userKey, card.questionId);
      }
      if (cards.length < DUE_PAGE) return {};
    }
  }

  /** Grade the user's answer to a due card; returns the new card and the rest of the queue. */
  async grade(userKey: string, questionId: string, raw: string): Promise<GradeResult> {
    const question = this.bank.get(questionId);
    const card = question ? await this.store.getCard(userKey, questionId) : undefined;
    if (!question || !card) return { status: 'unknown' };
    const now = this.clock.now();
    if (card.due > now) return { status: 'not-due', question, due: card.due };
    const value = parseAnswer(question, raw);
    if (value === undefined) return { status: 'invalid', question };
    const correct = isCorrect(question, value);
    const rating = correct ? Rating.Good : Rating.Again;
    const next = this.fsrs.next(cardOf(card), new Date(now), rating).card;
    const row = rowOf(next, userKey, questionId, question.topic, card.source, card.addedAt);
    const saved = await this.store.saveReview(row, card.reps, {
      userKey,
      questionId,
      topic: question.topic,
      answer: value,
      correct,
      rating,
      reviewedAt: now,
    });
    if (!saved) return { status: 'raced', question };
    return {
      status: 'graded',
      question,
      value,
      correct,
      card: row,
      queue: await this.queue(userKey),
    };
  }

  /** Put a question in the user's queue (due now unless `due` is given). */
  async add(
    userKey: string,
    questionId: string,
    source = 'manual',
    due?: number,
  ): Promise<boolean> {
    const question = this.bank.get(questionId);
    if (!question) return false;
    await this.store.addCard(newReviewCard(userKey, question, due ?? this.clock.now(), source));
    return true;
  }
}
