/**
 * Several instances on one PostgreSQL (issue 15 item 5): two Slack instances (HTTP mode, the
 * real Bolt app through the adapter) on one throw-away PostgreSQL cluster, each with its own
 * Slack stand-in (`test/fakes/slack.ts`) on 127.0.0.1. Every mention is delivered to one
 * instance and redelivered (same event_id, X-Slack-Retry-Num) to the other at once, a few in
 * flight at a time. Reports events/s, p50/p99 acknowledgement time (the HTTP round trip of
 * each delivery), and duplicates (an event answered by both instances) and lost events (never
 * answered); the goal is 0 of each. The peer, measured first in the same run: one instance,
 * each event delivered once; the ratios compare the two. Bounded: at most `count` events and
 * `seconds` of sending, and 30 s of waiting for answers, per part.
 *
 *
 * Then button presses: quizzes started on the first instance (one per channel), each pressed
 * by `players` users, every press delivered to both instances (the first press of a user
 * through one, the same press again through the other), a few in flight. Reports deliveries/s,
 * p50/p99 acknowledgement time, answers recorded vs users who pressed (lost answers: a user
 * whose press was acknowledged but is not in the database), and users acknowledged "Got it"
 * twice for one question (duplicate answers). Goal: 0 lost, 0 duplicates.
 *
 * The cluster is started as the tests start theirs (`test/setup/postgres.ts`); without
 * PostgreSQL the bench says so and is skipped. Run: `npx tsx bench/instances.ts` or `npm run bench`.
 */
import { pathToFileURL } from 'node:url';
import { type RunningSlack, startSlack } from '../src/adapters/slack/index.js';
import { parseConfig } from '../src/core/config.js';
import { assembleRouter, createQuiz, Messenger, type QuizFeature } from '../src/core/index.js';
import { createLogger } from '../src/core/log.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { channelKeyOf } from '../src/store/index.js';
import { openPgStore, type PgStore } from '../src/store/postgres.js';
import { type Block, FakeSlack, type Outgoing, visibleText } from '../test/fakes/slack.js';
import {
  adminClient,
  findPgBin,
  INSTALL_HINT,
  type PgTestServer,
  startPgCluster,
} from '../test/setup/postgres.js';

interface Instance {
  store: PgStore;
  quiz: QuizFeature;
  fake: FakeSlack;
  slack: RunningSlack;
}

/** A database owned by the cluster's login role, and its URL. */
async function createDatabase(s: PgTestServer): Promise<string> {
  const admin = adminClient(s);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE bench OWNER ${s.role}`);
  } finally {
    await admin.end();
  }
  return `postgres://${s.role}:${s.password}@127.0.0.1:${s.port}/bench`;
}

async function startInstance(url: string): Promise<Instance> {
  const store = await openPgStore(url);
  const fake = await new FakeSlack().start();
  const logger = createLogger({ level: 'silent' });
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: fake.signingSecret,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const messenger = new Messenger();
  const quiz = createQuiz({ store, messenger, knowledge: knowledgeBase(), logger });
  const router = assembleRouter({ logger, messenger, quiz });
  const slack = await startSlack({
    router,
    config: parsed.config,
    logger,
    host: '127.0.0.1',
    claims: store,
  });
  fake.appUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  return { store, quiz, fake, slack };
}

/**
 * One delivery; a connection the server reset is sent again (Slack retries too), counted in
 * `resent`. Returns its status and acknowledgement time.
 */
async function deliver(
  to: Instance,
  event: Record<string, unknown>,
  eventId: string,
  retryNum: number,
  resent: { n: number },
): Promise<{ status: number; ms: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await to.fake.event(event, { eventId, ...(retryNum ? { retryNum } : {}) });
    } catch (err) {
      if (attempt >= 3) throw err;
      resent.n++;
    }
  }
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * Send each event to both instances (a delivery and a redelivery) — or, when `a` is `b`, once
 * to that one (the peer) — a few in flight; returns the ack times and the events' ts.
 */
async function feed(a: Instance, b: Instance, count: number, seconds: number, tag: string) {
  const acks: number[] = [];
  const events: string[] = [];
  const statuses = new Map<number, number>();
  const resent = { n: 0 };
  const end = Date.now() + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (next < count && Date.now() < end) {
      const i = next++;
      const event = a.fake.mention(`/topic ${(i % 10) + 1}`, { user: `U0B${i}` });
      const eventId = `Ev${tag}${i}`;
      const [first, second] = i % 2 ? [a, b] : [b, a];
      const sent = await Promise.all([
        deliver(first, event, eventId, 0, resent),
        ...(a === b ? [] : [deliver(second, event, eventId, 1, resent)]),
      ]);
      events.push(String(event.ts));
      for (const s of sent) {
        acks.push(s.ms);
        statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { acks, events, statuses, resent: resent.n };
}

export async function runInstancesBench(count = 400, seconds = 60): Promise<void> {
  console.log('\n## Two Slack instances on one PostgreSQL (each event delivered twice)');
  const bin = findPgBin();
  if (!bin) {
    console.log(`skipped: PostgreSQL is not installed; ${INSTALL_HINT}`);
    return;
  }
  const cluster = await startPgCluster(bin);
  const instances: Instance[] = [];
  try {
    const url = await createDatabase(cluster.server);
    instances.push(await startInstance(url), await startInstance(url));
    const [a, b] = instances as [Instance, Instance];
    const peer = await measure(a, a, count, seconds, 'PEER');
    print('peer: one instance, each event once', peer);
    const pair = await measure(a, b, count, seconds, 'PAIR');
    print('two instances, each event delivered to one and redelivered to the other', pair);
    console.log(
      `ratios (two instances / peer): events/s ${(pair.rate / peer.rate).toFixed(2)}, ack p50 ${(pair.p50 / peer.p50).toFixed(2)}, p99 ${(pair.p99 / peer.p99).toFixed(2)}`,
    );
    const pressPeer = await measurePresses(a, a, 'PEER');
    printPresses('peer: one instance, each press once', pressPeer);
    const pressPair = await measurePresses(a, b, 'PAIR');
    printPresses('two instances, each press delivered to both', pressPair);
    console.log(
      `ratios (two instances / peer): deliveries/s ${(pressPair.rate / pressPeer.rate).toFixed(2)}, ack p50 ${(pressPair.p50 / pressPeer.p50).toFixed(2)}, p99 ${(pressPair.p99 / pressPeer.p99).toFixed(2)}`,
    );
  } finally {
    for (const i of instances) {
      await i.slack.stop();
      await i.fake.stop();
      await i.quiz.close(); // its timers and steps end before the store closes
      await i.store.close();
    }
    cluster.stop();
  }
}

interface Figures {
  events: number;
  deliveries: number;
  statuses: string;
  resent: number;
  elapsed: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  duplicates: number;
  lost: number;
}

/** Feed the events, wait for every answer (30 s at most), count duplicates and losses. */
async function measure(
  a: Instance,
  b: Instance,
  count: number,
  seconds: number,
  tag: string,
): Promise<Figures> {
  const before = [a.fake.outgoing.length, b.fake.outgoing.length] as const;
  const started = performance.now();
  const { acks, events, statuses, resent } = await feed(a, b, count, seconds, tag);
  // the threads each instance answered in (an answer may take several messages)
  const answeredBy = (i: Instance) =>
    new Set(i.fake.outgoing.slice(before[i === a ? 0 : 1]).map((m) => m.thread_ts));
  const unanswered = () => {
    const [byA, byB] = [answeredBy(a), answeredBy(b)];
    return events.filter((ts) => !byA.has(ts) && !byB.has(ts));
  };
  await a.fake.waitFor(() => unanswered().length === 0, 30_000).catch(() => undefined);
  const elapsed = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 500)); // a late duplicate would show up here
  const [byA, byB] = [answeredBy(a), answeredBy(b)];
  const duplicates = a === b ? 0 : events.filter((ts) => byA.has(ts) && byB.has(ts)).length;
  const lost = unanswered().length;
  acks.sort((x, y) => x - y);
  return {
    events: events.length,
    deliveries: acks.length,
    statuses: [...statuses].map(([s, n]) => `${s}×${n}`).join(' '),
    resent,
    elapsed,
    rate: (events.length - lost) / elapsed,
    p50: quantile(acks, 0.5),
    p99: quantile(acks, 0.99),
    max: acks.at(-1) ?? Number.NaN,
    duplicates,
    lost,
  };
}

function print(title: string, f: Figures): void {
  console.log(
    [
      `${title}:`,
      `  events: ${f.events} (${f.deliveries} deliveries, HTTP ${f.statuses}; ${f.resent} resent after a reset connection)`,
      `  answered: ${f.events - f.lost} in ${f.elapsed.toFixed(1)} s = ${f.rate.toFixed(1)} events/s`,
      `  ack time: p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms`,
      `  duplicates: ${f.duplicates}, lost events: ${f.lost}`,
    ].join('\n'),
  );
}

// ——— button presses ———

interface PressFigures {
  quizzes: number;
  users: number;
  deliveries: number;
  elapsed: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  recorded: number;
  lost: number;
  duplicates: number;
}

const QUIZZES = 10;
const PLAYERS = 20;

const firstButton = (o: Outgoing) =>
  o.blocks
    .filter((x: Block) => x.type === 'actions')
    .flatMap((x: Block) => x.elements ?? [])
    .find((e) => e.type === 'button');

/**
 * Start a one-question quiz on `a` in a fresh channel `base-n` whose drawn question has buttons
 * (a numeric one has none: that quiz is stopped and the next channel tried); returns the
 * channel and the button.
 */
async function buttonQuiz(a: Instance, base: string) {
  for (let n = 1; n <= 20; n++) {
    const channel = `${base}-${n}`;
    const command = (text: string) =>
      a.fake.slashCommand('/quiz', text, { user_id: 'U0HOST', channel_id: channel });
    await command('5 count=1 seconds=120');
    const question = await a.fake.waitFor(
      () =>
        a.fake.outgoing.find(
          (o) => o.channel === channel && /question 1\/1/.test(visibleText(o.blocks)),
        ),
      10_000,
    );
    const button = firstButton(question);
    if (button?.value) return { channel, value: button.value, actionId: button.action_id ?? '' };
    await command('stop');
  }
  throw new Error('twenty numeric questions in a row');
}

/** The private acknowledgement of one press (its response_url call). */
async function ackOf(to: Instance, responseUrl: string): Promise<string> {
  const call = await to.fake.waitFor(
    () => to.fake.responses.find((x) => responseUrl.endsWith(`/${x.id}`)),
    10_000,
  );
  return visibleText((call.body as { blocks?: Block[] }).blocks ?? []);
}

/**
 * QUIZZES quizzes on `a`, PLAYERS users pressing in each; each press sent to `a` and `b` (or
 * once, when `a` is `b`). Lost answers and duplicates are read from the shared database and
 * from the acknowledgements.
 */
async function measurePresses(a: Instance, b: Instance, tag: string): Promise<PressFigures> {
  const quizzes = [];
  for (let q = 0; q < QUIZZES; q++) quizzes.push(await buttonQuiz(a, `C0${tag}Q${q}`));
  const presses = quizzes.flatMap((quiz, q) =>
    Array.from({ length: PLAYERS }, (_, p) => ({ quiz, user: `U0${tag}${q}P${p}` })),
  );
  const acks: number[] = [];
  const gotIt = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < presses.length) {
      const { quiz, user } = presses[next++]!;
      const targets = a === b ? [a] : next % 2 ? [a, b] : [b, a];
      for (const to of targets) {
        const r = await to.fake.blockAction(quiz.value, {
          actionId: quiz.actionId,
          user,
          userName: user.toLowerCase(),
          channel: quiz.channel,
        });
        acks.push(r.ms);
        if (/Got it/.test(await ackOf(to, r.payload.response_url))) {
          gotIt.set(user, (gotIt.get(user) ?? 0) + 1);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const elapsed = (performance.now() - started) / 1000;
  let recorded = 0;
  const recordedUsers = new Set<string>();
  for (const quiz of quizzes) {
    const session = await a.store.runningSession(channelKeyOf('slack', quiz.channel));
    const answers = session ? await a.store.answers(session.id, 0) : [];
    recorded += answers.length;
    for (const x of answers) recordedUsers.add(x.userKey.slice(x.userKey.indexOf(':') + 1));
    await a.fake.slashCommand('/quiz', 'stop', { user_id: 'U0HOST', channel_id: quiz.channel });
  }
  acks.sort((x, y) => x - y);
  const users = presses.length;
  return {
    quizzes: quizzes.length,
    users,
    deliveries: acks.length,
    elapsed,
    rate: acks.length / elapsed,
    p50: quantile(acks, 0.5),
    p99: quantile(acks, 0.99),
    max: acks.at(-1) ?? Number.NaN,
    recorded,
    lost: [...gotIt.keys()].filter((u) => !recordedUsers.has(u)).length + (users - gotIt.size),
    duplicates: [...gotIt.values()].filter((n) => n > 1).length,
  };
}

function printPresses(title: string, f: PressFigures): void {
  console.log(
    [
      `${title}:`,
      `  presses: ${f.users} users in ${f.quizzes} quizzes, ${f.deliveries} deliveries in ${f.elapsed.toFixed(1)} s = ${f.rate.toFixed(1)} deliveries/s`,
      `  ack time: p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms`,
      `  answers recorded: ${f.recorded} of ${f.users}; lost answers: ${f.lost}, acknowledged twice: ${f.duplicates}`,
    ].join('\n'),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runInstancesBench();
}
