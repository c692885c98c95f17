import { afterEach, describe, expect, it } from 'vitest';
import {
  type BankQuestion,
  correctAnswer,
  type Difficulty,
  defaultBank,
  newReviewCard,
  planQuiz,
  type QuizBank,
  type QuizPlace,
  ReviewService,
  seededRandom,
} from '../../src/quiz/index.js';
import { alice, bob, carol, channel, fixtureBank, type Rig, rig } from './helpers.js';

type Setup = Rig;

let s: Setup | undefined;
afterEach(async () => {
  await s?.cleanup();
  s = undefined;
});

function setup(bank: QuizBank, seed = 7): Setup {
  s = rig({ bank, random: seededRandom(seed), pauseMs: 0 });
  return s;
}

/** Play one quiz to its end with nobody answering; the ids asked, in order. */
async function playQuiz(
  x: Setup,
  request: { topic: number | 'all'; count: number; level?: Difficulty },
  place: QuizPlace = channel,
): Promise<string[]> {
  const before = x.events.length;
  const r = await x.service.start({ place, starter: alice, lang: 'en', seconds: 10, ...request });
  if (r.status !== 'started') throw new Error(`not started: ${JSON.stringify(r)}`);
  for (let i = 0; i < r.session.count; i++) await x.scheduler.advance(10_000);
  await x.scheduler.runDue();
  return x.events.slice(before).flatMap((e) => (e.type === 'question' ? [e.question.id] : []));
}

/** Assert the least-asked rule: each id is asked only when no id of the pool was asked fewer times. */
function expectNoEarlyRepeat(asked: readonly string[], pool: readonly BankQuestion[]) {
  const times = new Map(pool.map((q) => [q.id, 0]));
  for (const id of asked) {
    const fewest = Math.min(...times.values());
    expect(times.get(id), `${id} asked again before the bank was used up`).toBe(fewest);
    times.set(id, (times.get(id) ?? 0) + 1);
  }
}

describe('no repeats', () => {
  it('30 quizzes in a row in one channel: no written question twice before the level is used up', async () => {
    const bank = defaultBank();
    const x = setup(bank);
    const pool = bank.byTopic(5).filter((q) => q.difficulty === 2);
    const asked: string[] = [];
    for (let i = 0; i < 30; i++)
      asked.push(...(await playQuiz(x, { topic: 5, count: 4, level: 2 })));
    expect(asked).toHaveLength(120);
    expect(asked.every((id) => bank.get(id)?.difficulty === 2)).toBe(true);
    expectNoEarlyRepeat(asked, pool);
    // every question of the level was asked, each 120 / pool times give or take one
    const counts = new Map<string, number>();
    for (const id of asked) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(pool.length);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
  }, 60_000);

  it('holds over all topics too, and another channel keeps its own history', async () => {
    const bank = defaultBank();
    const x = setup(bank, 11);
    const pool = bank.questions.filter((q) => q.difficulty === 3);
    const asked: string[] = [];
    for (let i = 0; i < 30; i++) {
      asked.push(...(await playQuiz(x, { topic: 'all', count: 5, level: 3 })));
    }
    expectNoEarlyRepeat(asked, pool);
    expect(new Set(asked.slice(0, pool.length)).size).toBe(pool.length);
    // a fresh channel may start anywhere: it has seen nothing
    const elsewhere: QuizPlace = { platform: 'test', channelId: 'c2', isDM: false };
    const first = await playQuiz(x, { topic: 'all', count: 5, level: 3 }, elsewhere);
    expect(first).toHaveLength(5);
  }, 60_000);

  it('a question planned but never asked (quiz stopped) does not count as seen', async () => {
    const x = setup(fixtureBank(), 1);
    const r = await x.service.start({
      place: channel,
      starter: alice,
      lang: 'en',
      topic: 5,
      count: 4,
      seconds: 10,
    });
    expect(r.status).toBe('started');
    await x.scheduler.runDue(); // question 1 opens
    await x.service.stop(channel, alice);
    await x.scheduler.runDue();
    const opened = x.events.flatMap((e) => (e.type === 'question' ? [e.question.id] : []));
    expect(opened).toHaveLength(1);
    const next = await playQuiz(x, { topic: 5, count: 3 });
    expect(next).not.toContain(opened[0]);
    expect(new Set(next).size).toBe(3);
  });
});

describe('levels and kinds', () => {
  const bank = defaultBank();
  const none = async () => new Map<string, number>();

  it('plans written, calc and mixed quizzes at a level', async () => {
    const random = seededRandom(3);
    const written = await planQuiz(
      bank,
      { topics: [5], kind: 'written', count: 6, level: 1 },
      none,
      random,
    );
    expect(written.ok && written.questions.every((q) => !q.generated && q.difficulty === 1)).toBe(
      true,
    );
    const calc = await planQuiz(bank, { topics: [5], kind: 'calc', count: 10 }, none, random);
    expect(calc.ok && calc.questions.length).toBe(10);
    expect(calc.ok && new Set(calc.questions.map((q) => q.id)).size).toBe(10);
    expect(calc.ok && calc.questions.every((q) => q.generated)).toBe(true);
    const mixed = await planQuiz(bank, { topics: [4], kind: 'mixed', count: 9 }, none, random);
    expect(mixed.ok && mixed.questions.filter((q) => q.generated).length).toBe(3);
    const level3 = await planQuiz(
      bank,
      { topics: [5], kind: 'calc', count: 4, level: 3 },
      none,
      random,
    );
    expect(level3.ok && level3.questions.every((q) => q.id.startsWith('gen:vram-kv:'))).toBe(true);
    // topics without a generator: a mixed quiz is all written
    const seven = await planQuiz(bank, { topics: [7], kind: 'mixed', count: 5 }, none, random);
    expect(seven.ok && seven.questions.every((q) => !q.generated)).toBe(true);
  });

  it('says which choice leaves nothing to ask', async () => {
    const random = seededRandom(4);
    expect(await planQuiz(bank, { topics: [7], kind: 'calc', count: 5 }, none, random)).toEqual({
      ok: false,
      field: 'kind',
    });
    expect(
      await planQuiz(bank, { topics: [1], kind: 'calc', count: 5, level: 3 }, none, random),
    ).toEqual({ ok: false, field: 'level' });
    expect(await planQuiz(bank, { topics: [42], kind: 'written', count: 5 }, none, random)).toEqual(
      { ok: false, field: 'topic' },
    );
  });
});

describe('the scoreboard teaches', () => {
  it('names the question most players missed', async () => {
    const x = setup(fixtureBank(), 1);
    const r = await x.service.start({
      place: channel,
      starter: alice,
      lang: 'en',
      topic: 5,
      count: 3,
      seconds: 10,
    });
    if (r.status !== 'started') throw new Error('not started');
    await x.scheduler.runDue();
    const answer = async (values: string[]) => {
      const open = await x.service.openQuestion(channel);
      const players = [alice, bob, carol];
      for (const [i, v] of values.entries()) {
        await x.service.answer({ place: channel, player: players[i]!, value: v });
      }
      await x.scheduler.runDue();
      const still = await x.service.openQuestion(channel);
      if (still?.index === open!.index) await x.scheduler.advance(10_000);
    };
    const asked = () => x.events.flatMap((e) => (e.type === 'question' ? [e.question] : []));
    const right = (i: number) => correctAnswer(asked()[i]!);
    const wrongOf = (q: BankQuestion) =>
      q.type === 'truefalse' ? String(q.answer !== true) : 'A' === correctAnswer(q) ? 'B' : 'A';
    await answer([right(0), right(0), right(0)]);
    await answer([wrongOf(asked()[1]!), wrongOf(asked()[1]!), right(1)]);
    await answer([wrongOf(asked()[2]!), right(2)]);
    const end = x.events.find((e) => e.type === 'end');
    expect(end?.type === 'end' && end.missed).toMatchObject({ index: 1, wrong: 2, answered: 3 });
    expect(end?.type === 'end' && end.topics).toEqual([5]);
  });

  it('names none when nobody missed', async () => {
    const x = setup(fixtureBank(), 1);
    await playQuiz(x, { topic: 5, count: 2 });
    const end = x.events.find((e) => e.type === 'end');
    expect(end?.type === 'end' && end.missed).toBeUndefined();
  });
});

describe('review of generated questions', () => {
  it('a missed calculation question becomes a review card, shown and graded by its id', async () => {
    const bank = defaultBank();
    const x = setup(bank, 5);
    const r = await x.service.start({
      place: channel,
      starter: alice,
      lang: 'en',
      topic: 5,
      count: 1,
      seconds: 10,
      kind: 'calc',
    });
    if (r.status !== 'started') throw new Error('not started');
    await x.scheduler.runDue();
    const open = await x.service.openQuestion(channel);
    const q = open!.question;
    expect(q.id).toMatch(/^gen:vram-/);
    const wrong =
      q.type === 'truefalse' ? String(q.answer !== true) : correctAnswer(q) === 'A' ? 'B' : 'A';
    await x.service.answer({ place: channel, player: bob, value: wrong });
    await x.scheduler.advance(10_000);
    const review = new ReviewService({ store: x.store, bank, scheduler: x.scheduler, fuzz: false });
    const queue = await review.queue(bob.key);
    expect(queue.question).toEqual(q);
    const graded = await review.grade(bob.key, q.id, correctAnswer(q));
    expect(graded).toMatchObject({ status: 'graded', correct: true });
  });

  it('a card whose question left the bank (a retired generator) is dropped, so counts agree', async () => {
    const bank = defaultBank();
    const x = setup(bank, 5);
    const review = new ReviewService({ store: x.store, bank, scheduler: x.scheduler, fuzz: false });
    const now = x.scheduler.now();
    const kept = bank.get('gen:vram-states:llama-2-7b')!;
    const card = (questionId: string, due: number) => ({
      ...newReviewCard(bob.key, { ...kept, id: questionId }, due, 'quiz'),
    });
    // 25 retired ids due first: more than one page of due cards
    for (let i = 0; i < 25; i++)
      await x.store.addCard(card(`gen:chunk:en.${1000 + i}.100.10`, now - 1000));
    await x.store.addCard(card(kept.id, now - 10));
    const queue = await review.queue(bob.key);
    expect(queue).toMatchObject({ due: 1, total: 1, question: kept });
    expect(await x.store.getCard(bob.key, 'gen:chunk:en.1000.100.10')).toBeUndefined();
  });
});
