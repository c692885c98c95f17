/**
 * Two quiz instances on one database (two connections to one SQLite file, one hand-driven
 * clock): answers through a non-owner, the owner's tick, takeover after a crash, a network
 * blip that costs the owner its lease, and bad lease settings.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ManualScheduler,
  type QuizEvent,
  QuizService,
  type QuizServiceOptions,
} from '../../src/quiz/index.js';
import { SqliteStore, type Store } from '../../src/store/index.js';
import { alice, bob, channel, dm, firstFirst, fixtureBank, tempDir } from './helpers.js';

const LEASE = { leaseMs: 15_000, tickMs: 5000 };

interface Instance {
  name: string;
  store: SqliteStore;
  service: QuizService;
  events: QuizEvent[];
  /** While true, every store call of this instance fails (its network is cut). */
  cut: Cut;
}

interface Cut {
  on: boolean;
  /**
   * While set, this instance's lease renewals wait for it (a slow database round trip); when it
   * resolves with ids, the renewal answers those instead of the database's.
   */
  renewal?: Promise<number[] | undefined>;
  /** Called when a renewal starts waiting on `renewal`. */
  renewing?: () => void;
}

let tmp: ReturnType<typeof tempDir>;
let scheduler: ManualScheduler;
const instances: Instance[] = [];

afterEach(async () => {
  for (const i of instances.splice(0)) {
    i.service.close();
    await i.store.close();
  }
  tmp?.cleanup();
});

/**
 * A store whose calls fail while `cut.on` (a network blip between instance and database), and
 * whose lease renewals can be held (`cut.renewal`).
 */
function cuttable(store: Store, cut: Cut): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (cut.on) throw new Error('connection to the database lost');
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (prop === 'renewLeases' && cut.renewal) {
          cut.renewing?.();
          return (await cut.renewal) ?? result;
        }
        return result;
      };
    },
  });
}

function instance(name: string, extra: Partial<QuizServiceOptions> = {}): Instance {
  tmp ??= tempDir('llm-tutor-lease-');
  const store = new SqliteStore(join(tmp.dir, 'shared.db'), { clock: () => scheduler.now() });
  const events: QuizEvent[] = [];
  const cut: Cut = { on: false };
  const options: QuizServiceOptions = {
    store: cuttable(store, cut),
    bank: fixtureBank(),
    publish: async (e) => {
      events.push(e);
    },
    scheduler,
    random: firstFirst,
    pauseMs: 2000,
    owner: name,
    lease: LEASE,
    logger: { error: () => {} },
    ...extra,
  };
  let service: QuizService;
  try {
    service = new QuizService(options);
  } catch (err) {
    store.db.close();
    throw err;
  }
  const made = { name, store, service, events, cut };
  instances.push(made);
  return made;
}

const count = (events: QuizEvent[], type: QuizEvent['type'], index?: number) =>
  events.filter(
    (e) => e.type === type && (index === undefined || ('index' in e && e.index === index)),
  ).length;

/** Every question, reveal and scoreboard across the instances, each exactly once. */
function expectEachPostedOnce(all: QuizEvent[], questions: number): void {
  for (let i = 0; i < questions; i++) {
    expect(count(all, 'question', i), `question ${i + 1}`).toBe(1);
    expect(count(all, 'reveal', i), `reveal ${i + 1}`).toBe(1);
  }
  expect(count(all, 'end')).toBe(1);
}

async function start(a: Instance, place = channel, count = 2) {
  const started = await a.service.start({
    place,
    starter: alice,
    lang: 'en',
    topic: 5,
    count,
    seconds: 30,
  });
  if (started.status !== 'started') throw new Error(`not started: ${started.status}`);
  await scheduler.runDue();
  return started.session;
}

describe('quiz leases across instances', () => {
  it('an answer through a non-owner is recorded there; the owner reveals on its next tick', async () => {
    scheduler = new ManualScheduler();
    const a = instance('A');
    const b = instance('B');
    await b.service.recover();
    const s = await start(a, dm, 1);
    expect(a.service.armed(s.id)).toBe(true);
    expect(b.service.armed(s.id)).toBe(false);
    await scheduler.advance(1000);
    // the DM's only player answered, through B: B records it but runs no timer
    expect(await b.service.answer({ place: dm, player: alice, value: 'C' })).toMatchObject({
      status: 'recorded',
    });
    expect(b.service.armed(s.id)).toBe(false);
    expect(count(a.events, 'reveal')).toBe(0);
    await scheduler.advance(LEASE.tickMs - 1000); // A's first tick since the start
    expect(count(a.events, 'reveal')).toBe(1);
    expect(count(a.events, 'end')).toBe(1);
    expect([...a.events, ...b.events].filter((e) => e.type !== 'question')).toHaveLength(2);
    expect(b.events).toEqual([]);
  });

  it('kill -9 of the owner: another instance takes over within lease + tick and ends it once', async () => {
    scheduler = new ManualScheduler();
    const a = instance('A');
    const b = instance('B');
    await a.service.recover();
    await b.service.recover();
    const s = await start(a);
    await scheduler.advance(1000);
    await b.service.answer({ place: channel, player: bob, value: 'C' }); // through B
    const died = scheduler.now();
    a.service.close(); // dies: no release, no more renewals
    const lease = (await b.store.getSession(s.id))?.leaseUntil ?? 0;
    expect(lease).toBeLessThanOrEqual(died + LEASE.leaseMs);
    await scheduler.advance(lease - scheduler.now() - 1);
    expect((await b.store.getSession(s.id))?.owner).toBe('A');
    await scheduler.advance(LEASE.tickMs);
    expect((await b.store.getSession(s.id))?.owner).toBe('B');
    expect(scheduler.now() - died).toBeLessThanOrEqual(LEASE.leaseMs + LEASE.tickMs);
    await scheduler.advance(120_000);
    const all = [...a.events, ...b.events];
    expectEachPostedOnce(all, 2);
    const end = all.find((e) => e.type === 'end');
    expect(end).toMatchObject({
      reason: 'completed',
      scoreboard: [{ userKey: bob.key, correct: 1, answered: 1 }],
    });
    // question 1 kept its closing time: revealed by B at start + 30 s, not later
    const reveal = b.events.find((e) => e.type === 'reveal' && e.index === 0);
    expect(reveal).toBeDefined();
    expect((await b.store.getQuestion(s.id, 0))?.revealedAt).toBe(s.startedAt + 30_000);
  });

  /**
   * Instance A dies while posting its first event of `type`: the post never arrives (its
   * process is gone: store cut, timers stopped) although the step before it was stored.
   */
  function dyingOn(type: QuizEvent['type']): Instance {
    const events: QuizEvent[] = [];
    let a: Instance | undefined;
    const made = instance('A', {
      publish: async (e) => {
        if (e.type === type && a && !a.cut.on) {
          a.cut.on = true;
          a.service.close();
          throw new Error('killed mid-post');
        }
        events.push(e);
      },
    });
    a = { ...made, events };
    return a;
  }

  for (const [type, reason] of [
    ['question', 'its question'],
    ['reveal', 'its reveal'],
    ['end', 'its scoreboard'],
  ] as const) {
    it(`the owner dies between storing a step and posting ${reason}: the new owner posts it once`, async () => {
      scheduler = new ManualScheduler();
      const a = dyingOn(type);
      const b = instance('B');
      await a.service.recover();
      await b.service.recover();
      if (type === 'question') {
        await a.service.start({
          place: dm,
          starter: alice,
          lang: 'en',
          topic: 5,
          count: 1,
          seconds: 30,
        });
        await scheduler.runDue();
      } else {
        await start(a, dm, 1);
        await scheduler.advance(1000);
        await a.service.answer({ place: dm, player: alice, value: 'C' });
        await scheduler.runDue(); // everyone answered: revealed at once, then the end
      }
      expect(a.cut.on).toBe(true); // died
      expect(a.events.filter((e) => e.type === type)).toEqual([]);
      await scheduler.advance(LEASE.leaseMs + LEASE.tickMs);
      if (type === 'question') {
        // the question came late but keeps its closing time; nobody answers
        await b.service.answer({ place: dm, player: alice, value: 'C' });
      }
      await scheduler.advance(120_000);
      const all = [...a.events, ...b.events];
      expectEachPostedOnce(all, 1);
      expect(all.find((e) => e.type === 'end')).toMatchObject({
        reason: 'completed',
        scoreboard: [{ userKey: alice.key, answered: 1 }],
      });
      expect((await b.store.runningSessions()).length).toBe(0);
      expect(await b.store.claimExpired('C', 1000, 5)).toEqual([]); // nothing owed now
    });
  }

  it('a stop through another instance hands it the quiz; if it dies before posting, the end still comes once', async () => {
    scheduler = new ManualScheduler();
    const a = instance('A');
    const b = instance('B');
    await a.service.recover();
    await b.service.recover();
    const s = await start(a, channel, 2);
    await scheduler.advance(1000);
    await a.service.answer({ place: channel, player: bob, value: 'C' });
    expect(await b.service.stop(channel, alice)).toMatchObject({ status: 'stopping' });
    expect(await a.store.getSession(s.id)).toMatchObject({ status: 'stopped', owner: 'B' });
    b.cut.on = true; // B dies before its stop step runs: no reveal, no scoreboard posted
    b.service.close();
    await scheduler.advance(LEASE.leaseMs + 2 * LEASE.tickMs);
    await scheduler.advance(10_000);
    expect(b.events.filter((e) => e.type !== 'question')).toEqual([]);
    expect(count(a.events, 'reveal', 0)).toBe(1);
    expect(count(a.events, 'end')).toBe(1);
    expect(a.events.find((e) => e.type === 'end')).toMatchObject({
      reason: 'stopped',
      scoreboard: [{ userKey: bob.key, answered: 1 }],
    });
    expect(await a.store.getSession(s.id)).toMatchObject({
      owner: 'A',
      endPostedAt: expect.any(Number),
    });
  });

  it('an instance takes over only quizzes on the platforms it posts to', async () => {
    scheduler = new ManualScheduler();
    const a = instance('A');
    const slackOnly = instance('S', { platforms: ['slack'] });
    await a.service.recover();
    await slackOnly.service.recover();
    const s = await start(a); // on platform "test"
    a.service.close();
    await scheduler.advance(LEASE.leaseMs + 3 * LEASE.tickMs);
    expect((await slackOnly.store.getSession(s.id))?.owner).toBe('A'); // left for another
    expect(slackOnly.events).toEqual([]);
    const other = instance('T', { platforms: ['test', 'slack'] });
    await other.service.recover();
    expect((await other.store.getSession(s.id))?.owner).toBe('T');
    await scheduler.advance(120_000);
    expectEachPostedOnce([...a.events, ...other.events], 2);
  });

  it('a network blip longer than the lease: the owner loses the quiz and stops its timers', async () => {
    scheduler = new ManualScheduler();
    const a = instance('A');
    const b = instance('B');
    await a.service.recover();
    await b.service.recover();
    const s = await start(a, channel, 3);
    a.cut.on = true; // A keeps its timers but cannot reach the database
    await scheduler.advance(LEASE.leaseMs + LEASE.tickMs);
    expect((await b.store.getSession(s.id))?.owner).toBe('B');
    a.cut.on = false; // back: A's next renewal no longer includes the quiz
    await scheduler.advance(LEASE.tickMs);
    expect(a.service.armed(s.id)).toBe(false);
    expect(b.service.armed(s.id)).toBe(true);
    await scheduler.advance(200_000);
    expectEachPostedOnce([...a.events, ...b.events], 3);
  });

  it('a renewal that drops a quiz cancels only the timers armed before it: a stop meanwhile still posts', async () => {
    scheduler = new ManualScheduler();
    const a = instance('A');
    await a.service.recover();
    await start(a, channel, 3);
    let release: (ids: number[]) => void = () => {};
    a.cut.renewal = new Promise<number[]>((r) => {
      release = r;
    });
    const renewing = new Promise<void>((r) => {
      a.cut.renewing = r;
    });
    const ticking = scheduler.advance(LEASE.tickMs); // the tick's renewal waits on the database
    await renewing;
    expect(await a.service.stop(channel, alice)).toMatchObject({ status: 'stopping' });
    // the renewal answers after the stop, without the quiz: the question's timer goes, the
    // stop's final step (armed meanwhile) stays
    a.cut.renewal = undefined;
    release([]);
    await ticking;
    await scheduler.advance(1000);
    await a.service.idle();
    expect(count(a.events, 'reveal', 0)).toBe(1);
    expect(count(a.events, 'end')).toBe(1);
  });

  it('two sweeping instances never both take one quiz', async () => {
    scheduler = new ManualScheduler();
    const a = instance('A');
    const b = instance('B');
    const c = instance('C');
    for (const i of [a, b, c]) await i.service.recover();
    const places = ['c1', 'c2', 'c3', 'c4'].map((id) => ({ ...channel, channelId: id }));
    for (const p of places) await start(a, p, 2);
    a.service.close();
    await scheduler.advance(LEASE.leaseMs + LEASE.tickMs);
    const owners = (await b.store.runningSessions()).map((x) => x.owner);
    expect(owners).toHaveLength(4);
    expect(owners.every((o) => o === 'B' || o === 'C')).toBe(true);
    await scheduler.advance(200_000);
    const all = [...a.events, ...b.events, ...c.events];
    for (const p of places) {
      const here = all.filter((e) => e.session.place.channelId === p.channelId);
      expectEachPostedOnce(here, 2);
    }
  });

  it('refuses lease settings that cannot work, saying why', () => {
    scheduler = new ManualScheduler();
    expect(() => instance('x', { lease: { leaseMs: 10_000, tickMs: 5000 } })).toThrow(
      /below half the lease \(10000 ms\), got 5000/,
    );
    expect(() => instance('y', { lease: { leaseMs: 100 } })).toThrow(
      /from 150 to 86400000, got 100/,
    );
    expect(() => instance('z', { lease: { staleMs: -1 } })).toThrow(/stale limit/);
  });
});
