/**
 * /quiz, /answer, /leaderboard, /stats, /review: study-group quizzes and personal review.
 *
 * `createQuiz` wires the quiz engine (src/quiz) to a store (src/store) and to the router's
 * messenger: questions, reveals and scoreboards are posted to the channel; answers and
 * acknowledgements are private replies. Quiz buttons are `/answer <A|true|120> q=<quiz>.<n>`,
 * review buttons `/review <question id> <answer>` (both well under Discord's 100-character
 * custom_id).
 */
import { z } from 'zod';
import type { KnowledgeBase } from '../../knowledge/index.js';
import {
  answerChoices,
  answerLabel,
  BankError,
  type BankQuestion,
  correctAnswer,
  defaultBank,
  type EndReason,
  formatPoints,
  formatSeconds,
  type Period,
  type Player,
  QUIZ_LIMITS,
  type QuizBank,
  type QuizEvent,
  type QuizPlace,
  QuizService,
  type QuizSession,
  ReviewService,
  type Scheduler,
} from '../../quiz/index.js';
import { SqliteStore } from '../../store/sqlite.js';
import type { Store } from '../../store/types.js';
import { userKeyOf } from '../../store/types.js';
import { type AnyCommand, type CommandContext, defineCommand, option } from '../command.js';
import { t } from '../i18n.js';
import type { Choice, Destination, Incoming, Lang, Outbox, Platform, Reply } from '../types.js';

type Text = Record<Lang, string>;

export const SCORING_TEXT: Text = {
  en: 'Scoring: a correct answer scores 1 point plus a speed bonus of up to 0.5 (0.5 if you answer at once, shrinking to 0 as time runs out); a wrong answer scores 0. Only your first answer to each question counts. Questions you miss go to your personal /review queue.',
  zh: '计分:答对得 1 分,另有最多 0.5 分的速度奖励(立即作答得 0.5,随时间线性减少,到时为 0);答错 0 分。每题只计第一次作答。答错的题会自动加入你的个人复习队列(/review)。',
};

export interface QuizFeatureOptions {
  /** Where questions, reveals and scoreboards are posted (the router's messenger). */
  messenger: Outbox;
  knowledge: KnowledgeBase;
  /** Default: an in-memory SQLite store, opened on first use (scores last for this process). */
  store?: Store;
  /** Default: the bundled bank, loaded and validated on first use (a function is called then). */
  bank?: QuizBank | (() => QuizBank);
  scheduler?: Scheduler;
  random?: () => number;
  /** This process's name for recovery (default `main`). */
  owner?: string;
  /** Pause between a reveal and the next question, ms (default 3000). */
  pauseMs?: number;
  /** May this person stop someone else's quiz? (Default: `incoming.user.moderator`, set by adapters.) */
  isModerator?: (incoming: Incoming) => boolean;
  logger?: { error(obj: object, msg: string): void };
  /** FSRS interval fuzz for /review (default on). */
  fuzz?: boolean;
}

export interface QuizFeature {
  readonly commands: readonly AnyCommand[];
  /** The engine (loads the bank on first use; throws `BankError` if it is broken). */
  service(): QuizService;
  review(): ReviewService;
  store(): Store;
  /** Close the quizzes a restart interrupted and post their scoreboards. */
  recover(): Promise<QuizSession[]>;
  /** Cancel timers (and close the store if this feature opened it). */
  close(): Promise<void>;
}

const langOption = option(
  z.enum(['zh', 'en']).optional(),
  'Reply language for this command (zh or en)',
  '本次回复的语言(zh 或 en)',
);

const TOPIC_VALUES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'all', 'stop'] as const;
const TOPIC_ALIASES: Record<string, string> = {
  全部: 'all',
  所有: 'all',
  停止: 'stop',
  结束: 'stop',
  end: 'stop',
};

function normalizeTopic(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return v;
  const s = v.normalize('NFKC').trim().toLowerCase();
  return TOPIC_ALIASES[s] ?? (/^0*\d+$/.test(s) ? String(Number(s)) : s);
}

function placeOf(incoming: Incoming): QuizPlace {
  return {
    platform: incoming.platform,
    channelId: incoming.channel.id,
    ...(incoming.channel.threadId ? { threadId: incoming.channel.threadId } : {}),
    isDM: incoming.channel.isDM,
  };
}

function playerOf(incoming: Incoming): Player {
  const p: Player = { key: userKeyOf(incoming.platform, incoming.user.id) };
  if (incoming.user.name) p.name = incoming.user.name;
  return p;
}

function destinationOfPlace(place: QuizPlace): Destination {
  return {
    platform: place.platform as Platform,
    channelId: place.channelId,
    ...(place.threadId ? { threadId: place.threadId } : {}),
  };
}

/** A person's display name: the name we were given, else the id without the platform. */
function who(key: string, name?: string): string {
  const raw = (name ?? key.slice(key.indexOf(':') + 1)).replace(/\s+/g, ' ').trim();
  return raw.length > 40 ? `${raw.slice(0, 39)}…` : raw || '?';
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function percent(n: number, d: number): string {
  return d > 0 ? `${Math.round((100 * n) / d)} %` : '–';
}

function topicTitle(knowledge: KnowledgeBase, topic: number, lang: Lang): string {
  const doc = knowledge.topics.find((x) => x.id === topic)?.docs[lang];
  return doc ? `${topic}. ${doc.title}` : String(topic);
}

function quizSubject(knowledge: KnowledgeBase, session: QuizSession, lang: Lang): string {
  return session.topic === null
    ? t(lang, { en: 'all topics', zh: '全部主题' })
    : topicTitle(knowledge, session.topic, lang);
}

/** `in 10 min`, `in 3 h`, `in 2 days`. */
function inTime(ms: number, lang: Lang): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return t(lang, { en: `in ${min} min`, zh: `${min} 分钟后` });
  const h = Math.round(min / 60);
  if (h < 24) return t(lang, { en: `in ${h} h`, zh: `${h} 小时后` });
  const d = Math.round(h / 24);
  return t(lang, { en: `in ${d} day${d === 1 ? '' : 's'}`, zh: `${d} 天后` });
}

function errorReply(lang: Lang, text: Text, hints: string[] = []): Reply {
  return {
    kind: 'error',
    lang,
    ephemeral: true,
    paragraphs: [text[lang]],
    ...(hints.length ? { hints } : {}),
  };
}

function sectionHint(q: BankQuestion, lang: Lang): string {
  const short = q.section.slice(q.section.indexOf('.') + 1);
  return t(lang, {
    en: `Read more: /topic ${q.topic} ${short}`,
    zh: `延伸阅读:/topic ${q.topic} ${short}`,
  });
}

function answerHowTo(q: BankQuestion, lang: Lang, command: string): string | undefined {
  if (q.type !== 'numeric') return undefined;
  const tol = Math.round((q.tolerance ?? 0) * 100);
  const unit = q.unit ? t(lang, { en: ` in ${q.unit}`, zh: `,单位 ${q.unit}` }) : '';
  return t(lang, {
    en: `Type ${command} <number>${unit}; within ±${tol} % counts as right.`,
    zh: `请输入 ${command} <数字>${unit};误差在 ±${tol}% 以内算对。`,
  });
}

/** The question text, its options (as buttons, and as lines when a label had to be cut). */
function questionParts(
  q: BankQuestion,
  lang: Lang,
  action: (value: string) => string,
): { paragraphs: string[]; choices: Choice[] } {
  const options = answerChoices(q, lang);
  const cut = options.some((o) => o.label.length > 80);
  const paragraphs = [q.text[lang].question];
  if (cut) paragraphs.push(options.map((o) => o.label).join('\n'));
  return {
    paragraphs,
    choices: options.map((o) => ({ label: truncate(o.label, 80), action: action(o.value) })),
  };
}

// ——— rendering quiz events ———

function questionReply(
  e: Extract<QuizEvent, { type: 'question' }>,
  knowledge: KnowledgeBase,
): Reply {
  const { session, index, question } = e;
  const lang = session.lang;
  const n = `${index + 1}/${session.count}`;
  const parts = questionParts(
    question,
    lang,
    (value) => `/answer ${value} q=${session.id}.${index + 1}`,
  );
  const howTo = answerHowTo(question, lang, '/answer');
  return {
    kind: 'info',
    lang,
    title: t(lang, {
      en: `Quiz · question ${n} · ${topicTitle(knowledge, question.topic, lang)}`,
      zh: `测验 · 第 ${n} 题 · ${topicTitle(knowledge, question.topic, lang)}`,
    }),
    paragraphs: [
      ...parts.paragraphs,
      ...(howTo ? [howTo] : []),
      t(lang, {
        en: `${session.seconds} s to answer — your first answer counts.`,
        zh: `限时 ${session.seconds} 秒,只计第一次作答。`,
      }),
    ],
    ...(parts.choices.length ? { choices: parts.choices } : {}),
    data: {
      quiz: session.id,
      question: index + 1,
      of: session.count,
      id: question.id,
      closesAt: e.closesAt,
    },
  };
}

function revealReply(e: Extract<QuizEvent, { type: 'reveal' }>): Reply {
  const { session, index, question, answers, right } = e;
  const lang = session.lang;
  const n = `${index + 1}/${session.count}`;
  const correct = answerLabel(question, correctAnswer(question), lang);
  const names = right.map((a) => who(a.userKey, a.userName));
  const paragraphs = [
    t(lang, { en: `Correct answer: ${correct}`, zh: `正确答案:${correct}` }),
    question.text[lang].explanation,
  ];
  if (answers.length === 0) {
    paragraphs.push(t(lang, { en: 'Nobody answered.', zh: '没有人作答。' }));
  } else if (right.length === 0) {
    paragraphs.push(
      t(lang, {
        en: `Nobody got it right (${answers.length} answered).`,
        zh: `无人答对(共 ${answers.length} 人作答)。`,
      }),
    );
  } else {
    paragraphs.push(
      t(lang, {
        en: `Right (${right.length} of ${answers.length}): ${names.join(', ')}`,
        zh: `答对(${answers.length} 人中 ${right.length} 人):${names.join('、')}`,
      }),
    );
    const fastest = right[0]!;
    const name = who(fastest.userKey, fastest.userName);
    const secs = formatSeconds(fastest.elapsedMs);
    const pts = formatPoints(fastest.points);
    paragraphs.push(
      t(lang, {
        en: `Fastest: ${name} (${secs}, +${pts})`,
        zh: `最快:${name}(${secs.replace(' s', ' 秒')},+${pts} 分)`,
      }),
    );
  }
  if (e.nextInMs !== undefined) {
    const s = Math.round(e.nextInMs / 1000);
    paragraphs.push(t(lang, { en: `Next question in ${s} s.`, zh: `下一题 ${s} 秒后开始。` }));
  }
  return {
    kind: 'info',
    lang,
    title: t(lang, { en: `Question ${n} — the answer`, zh: `第 ${n} 题 — 答案揭晓` }),
    paragraphs,
    hints: [sectionHint(question, lang)],
    data: {
      quiz: session.id,
      question: index + 1,
      correct: correctAnswer(question),
      right: right.map((a) => a.userKey),
      answered: answers.length,
    },
  };
}

const END_TITLE: Record<EndReason, Text> = {
  completed: { en: 'Quiz over — scoreboard', zh: '测验结束 — 计分板' },
  stopped: { en: 'Quiz stopped — scoreboard', zh: '测验已停止 — 计分板' },
  interrupted: { en: 'Quiz interrupted — scoreboard', zh: '测验中断 — 计分板' },
};

function endReply(e: Extract<QuizEvent, { type: 'end' }>, knowledge: KnowledgeBase): Reply {
  const { session, scoreboard, asked } = e;
  const lang = session.lang;
  const subject = quizSubject(knowledge, session, lang);
  const paragraphs: string[] = [];
  if (e.reason === 'completed') {
    paragraphs.push(
      t(lang, {
        en: `${asked} question${asked === 1 ? '' : 's'} on ${subject}. Thanks for playing!`,
        zh: `共 ${asked} 题,主题:${subject}。谢谢参与!`,
      }),
    );
  } else if (e.reason === 'stopped') {
    const by = who(e.by ?? '?');
    paragraphs.push(
      t(lang, {
        en: `Stopped by ${by} after ${asked} of ${session.count} questions (${subject}).`,
        zh: `${by} 在第 ${asked}/${session.count} 题时停止了测验(${subject})。`,
      }),
    );
  } else {
    paragraphs.push(
      t(lang, {
        en: `The bot restarted during this quiz (question ${asked} of ${session.count}, ${subject}), so the quiz was closed. Answers recorded before the restart count.`,
        zh: `机器人在测验进行中重启了(第 ${asked}/${session.count} 题,${subject}),所以测验已结束。重启前记录的答案照常计分。`,
      }),
    );
  }
  const top = scoreboard[0];
  if (!top) {
    paragraphs.push(t(lang, { en: 'Nobody scored.', zh: '没有人得分。' }));
  } else if (top.points > 0) {
    const name = who(top.userKey, top.userName);
    paragraphs.push(
      t(lang, {
        en: `Winner: ${name} with ${formatPoints(top.points)} points.`,
        zh: `冠军:${name},${formatPoints(top.points)} 分。`,
      }),
    );
  }
  return {
    kind: 'info',
    lang,
    title: END_TITLE[e.reason][lang],
    paragraphs,
    ...(scoreboard.length
      ? {
          table: {
            headers:
              lang === 'zh'
                ? ['#', '玩家', '得分', '答对', '最快']
                : ['#', 'player', 'points', 'right', 'fastest'],
            rows: scoreboard.map((s, i) => [
              String(i + 1),
              who(s.userKey, s.userName),
              formatPoints(s.points),
              `${s.correct}/${s.answered}`,
              s.bestMs !== undefined ? formatSeconds(s.bestMs) : '–',
            ]),
          },
        }
      : {}),
    hints: [
      t(lang, { en: '/leaderboard — scores of the week', zh: '/leaderboard — 本周排行' }),
      t(lang, {
        en: '/review — practise the questions you missed',
        zh: '/review — 复习答错的题',
      }),
    ],
    data: {
      quiz: session.id,
      reason: e.reason,
      asked,
      scoreboard: scoreboard.map((s) => ({
        user: s.userKey,
        points: s.points / 100,
        correct: s.correct,
        answered: s.answered,
      })),
    },
  };
}

/** Turn a quiz event into the reply posted to the channel. */
export function renderQuizEvent(event: QuizEvent, knowledge: KnowledgeBase): Reply {
  switch (event.type) {
    case 'question':
      return questionReply(event, knowledge);
    case 'reveal':
      return revealReply(event);
    case 'end':
      return endReply(event, knowledge);
  }
}

// ——— the feature ———

export function createQuiz(options: QuizFeatureOptions): QuizFeature {
  const { knowledge } = options;
  const logger = options.logger ?? { error: (obj, msg) => console.error(msg, obj) };
  const isModerator =
    options.isModerator ?? ((incoming: Incoming) => incoming.user.moderator === true);
  let ownStore: SqliteStore | undefined;
  let service: QuizService | undefined;
  let review: ReviewService | undefined;
  let bank: QuizBank | undefined = typeof options.bank === 'function' ? undefined : options.bank;
  const loadBank = typeof options.bank === 'function' ? options.bank : defaultBank;

  const getStore = (): Store => {
    if (options.store) return options.store;
    ownStore ??= new SqliteStore(':memory:');
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
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.pauseMs !== undefined ? { pauseMs: options.pauseMs } : {}),
      logger,
    });
    return service;
  };
  const getReview = (): ReviewService => {
    review ??= new ReviewService({
      store: getStore(),
      bank: getBank(),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(options.fuzz !== undefined ? { fuzz: options.fuzz } : {}),
    });
    return review;
  };

  /** Run a command body; a broken bank becomes a clear reply instead of an apology. */
  const guarded =
    <A>(body: (args: A, ctx: CommandContext) => Promise<Reply>) =>
    async (args: A, ctx: CommandContext): Promise<Reply> => {
      try {
        return await body(args, ctx);
      } catch (err) {
        if (!(err instanceof BankError)) throw err;
        logger.error({ err }, 'quiz bank failed to load');
        return errorReply(ctx.lang, {
          en: 'Quizzes are unavailable right now: the quiz bank failed to load. The log names the problem.',
          zh: '测验暂时不可用:题库加载失败,具体问题见日志。',
        });
      }
    };

  const commands = [
    quizCommand(getService, isModerator, knowledge, guarded),
    answerCommand(getService, guarded),
    leaderboardCommand(getService, guarded),
    statsCommand(getService, getReview, knowledge, guarded),
    reviewCommand(getReview, knowledge, guarded),
  ];

  return {
    commands,
    service: getService,
    review: getReview,
    store: getStore,
    recover: () => getService().recover(),
    close: async () => {
      service?.close();
      await service?.idle();
      if (ownStore) await ownStore.close();
    },
  };
}

type Guard = <A>(
  body: (args: A, ctx: CommandContext) => Promise<Reply>,
) => (args: A, ctx: CommandContext) => Promise<Reply>;

// ——— /quiz ———

function quizCommand(
  service: () => QuizService,
  isModerator: (incoming: Incoming) => boolean,
  knowledge: KnowledgeBase,
  guarded: Guard,
) {
  const { count, seconds } = QUIZ_LIMITS;
  return defineCommand({
    name: 'quiz',
    description: {
      en: 'Start a quiz in this channel (or /quiz stop); answers score 1 point + a speed bonus',
      zh: '在本频道开始测验(或 /quiz stop 结束);答对 1 分 + 速度奖励',
    },
    schema: z.object({
      topic: option(
        z.preprocess(normalizeTopic, z.enum(TOPIC_VALUES).default('all')),
        'Topic 1–10 or all; or stop to end the running quiz',
        '主题 1–10 或 all(全部);或 stop 结束正在进行的测验',
      ),
      count: option(
        z.coerce.number().int().min(count.min).max(count.max).default(count.default),
        `Number of questions, ${count.min}–${count.max}`,
        `题数,${count.min}–${count.max}`,
      ),
      seconds: option(
        z.coerce.number().int().min(seconds.min).max(seconds.max).default(seconds.default),
        `Seconds per question, ${seconds.min}–${seconds.max}`,
        `每题秒数,${seconds.min}–${seconds.max}`,
      ),
      lang: langOption,
    }),
    positional: ['topic'],
    examples: [
      '/quiz',
      '/quiz 5',
      '/quiz 6 count=10 seconds=20',
      '/quiz all lang=zh',
      '/quiz stop',
      `# ${SCORING_TEXT.en}`,
      `# ${SCORING_TEXT.zh}`,
    ],
    run: guarded(async (args, ctx) => {
      const lang = ctx.lang;
      const incoming = ctx.incoming;
      const place = placeOf(incoming);
      const player = playerOf(incoming);
      if (incoming.platform === 'cli') {
        return errorReply(lang, {
          en: 'Quizzes run in a chat: start the terminal chat with "llm-tutor" (or npm start), or play on Discord or Slack.',
          zh: '测验需要在聊天中进行:用 "llm-tutor"(或 npm start)打开终端聊天,或在 Discord / Slack 上玩。',
        });
      }
      const quiz = service();
      if (args.topic === 'stop') {
        const r = await quiz.stop(place, player, isModerator(incoming));
        if (r.status === 'no-quiz') {
          return errorReply(lang, {
            en: 'No quiz is running here. Start one with /quiz (e.g. /quiz 5).',
            zh: '这里没有正在进行的测验。用 /quiz 开始一个(例如 /quiz 5)。',
          });
        }
        if (r.status === 'forbidden') {
          const name = who(r.session.starter.key, r.session.starter.name);
          return errorReply(lang, {
            en: `Only ${name}, who started this quiz, or a moderator can stop it.`,
            zh: `只有发起测验的 ${name} 或管理员可以停止它。`,
          });
        }
        return {
          kind: 'info',
          lang,
          paragraphs: [
            t(lang, {
              en: 'Stopping the quiz — the scoreboard follows.',
              zh: '正在停止测验——计分板随后发布。',
            }),
          ],
        };
      }
      const topic = args.topic === 'all' ? 'all' : Number(args.topic);
      const r = await quiz.start({
        place,
        starter: player,
        lang,
        topic,
        count: args.count,
        seconds: args.seconds,
      });
      if (r.status === 'busy') {
        const s = r.session;
        const detail = s
          ? t(lang, {
              en: ` (started by ${who(s.starter.key, s.starter.name)}, question ${Math.max(1, s.currentIndex + 1)} of ${s.count})`,
              zh: `(由 ${who(s.starter.key, s.starter.name)} 发起,第 ${Math.max(1, s.currentIndex + 1)}/${s.count} 题)`,
            })
          : '';
        return errorReply(lang, {
          en: `A quiz is already running in this channel${detail}. Play along, wait for it to end, or the starter can end it with /quiz stop.`,
          zh: `本频道已有一个测验在进行${detail}。可以一起答题、等它结束,或由发起人用 /quiz stop 结束。`,
        });
      }
      if (r.status === 'invalid') {
        return errorReply(lang, {
          en: `There are no questions for topic ${String(topic)}. Choose a topic 1–10 or all.`,
          zh: `主题 ${String(topic)} 没有题目。请选择 1–10 或 all。`,
        });
      }
      const s = r.session;
      const subject = quizSubject(knowledge, s, lang);
      const name = who(player.key, player.name);
      const paragraphs = [
        t(lang, {
          en: `${name} started a quiz: ${s.count} question${s.count === 1 ? '' : 's'}, ${s.seconds} s each. Everyone here can play — answer with the buttons (in the terminal, type the letter or number); your first answer counts.`,
          zh: `${name} 发起了测验:共 ${s.count} 题,每题 ${s.seconds} 秒。这里的每个人都可以参加——点按钮作答(终端里输入字母或序号);只计第一次作答。`,
        }),
        SCORING_TEXT[lang],
      ];
      if (s.count < args.count) {
        paragraphs.push(
          t(lang, {
            en: `Topic ${String(topic)} has ${r.available} questions, so this quiz has ${s.count}.`,
            zh: `主题 ${String(topic)} 只有 ${r.available} 道题,所以本次测验共 ${s.count} 题。`,
          }),
        );
      }
      return {
        kind: 'info',
        lang,
        title: t(lang, { en: `Quiz: ${subject}`, zh: `测验:${subject}` }),
        paragraphs,
        hints: [
          t(lang, {
            en: '/quiz stop — end it early (the starter or a moderator)',
            zh: '/quiz stop — 提前结束(发起人或管理员)',
          }),
        ],
        data: { quiz: s.id, count: s.count, seconds: s.seconds, topic: s.topic ?? 'all' },
      };
    }),
  });
}

// ——— /answer ———

function answerCommand(service: () => QuizService, guarded: Guard) {
  return defineCommand({
    name: 'answer',
    description: {
      en: 'Answer the current quiz question: A–D, true/false, or a number',
      zh: '回答当前测验题:A–D、对/错 或数字',
    },
    schema: z.object({
      value: option(
        z.string().trim().min(1),
        'Your answer: A–D, true/false, or a number',
        '你的答案:A–D、对/错 或数字',
      ),
      q: option(
        z
          .string()
          .regex(/^\d{1,12}\.\d{1,3}$/, 'must look like 12.3 (quiz.question)')
          .optional(),
        'Which question (set by the buttons): quiz.question',
        '哪一题(按钮自带):测验号.题号',
      ),
      lang: langOption,
    }),
    positional: ['value'],
    examples: ['/answer B', '/answer 120', '/answer true'],
    run: guarded(async (args, ctx) => {
      const lang = ctx.lang;
      const [sid, qn] = args.q ? args.q.split('.').map(Number) : [];
      const r = await service().answer({
        place: placeOf(ctx.incoming),
        player: playerOf(ctx.incoming),
        value: args.value,
        ...(sid !== undefined && qn !== undefined
          ? { ref: { sessionId: sid, index: qn - 1 } }
          : {}),
      });
      const ack = (text: Text, kind: Reply['kind'] = 'info'): Reply => ({
        kind,
        lang,
        ephemeral: true,
        paragraphs: [text[lang]],
      });
      switch (r.status) {
        case 'no-quiz':
          return ack(
            {
              en: 'No quiz is running here. Start one with /quiz (e.g. /quiz 5).',
              zh: '这里没有正在进行的测验。用 /quiz 开始一个(例如 /quiz 5)。',
            },
            'error',
          );
        case 'recorded': {
          const label = answerLabel(r.question, r.value, lang);
          const n = `${r.index + 1}/${r.session.count}`;
          return ack({
            en: `Got it: ${label} for question ${n}. The answer is revealed when time is up.`,
            zh: `已收到:第 ${n} 题你的答案是 ${label}。时间到后公布答案。`,
          });
        }
        case 'duplicate': {
          const label = answerLabel(r.question, r.first, lang);
          return ack({
            en: `You already answered question ${r.index + 1} (${label}); only your first answer counts.`,
            zh: `你已经回答过第 ${r.index + 1} 题(${label});只计第一次作答。`,
          });
        }
        case 'invalid': {
          const expected: Text =
            r.question.type === 'choice'
              ? { en: 'choose A–D', zh: '请选择 A–D' }
              : r.question.type === 'truefalse'
                ? { en: 'answer true or false', zh: '请回答 对 或 错(true/false)' }
                : { en: 'give a number, e.g. /answer 120', zh: '请给出一个数字,例如 /answer 120' };
          return ack(
            {
              en: `"${truncate(args.value, 20)}" is not an answer to question ${r.index + 1}: ${expected.en}.`,
              zh: `"${truncate(args.value, 20)}" 不是第 ${r.index + 1} 题的有效答案:${expected.zh}。`,
            },
            'error',
          );
        }
        case 'closed': {
          const over = r.session.status !== 'running' || r.openIndex === undefined;
          const parts: Text[] = [
            {
              en: `Question ${r.index + 1} is closed — answers are no longer accepted.`,
              zh: `第 ${r.index + 1} 题已关闭,不再接受作答。`,
            },
          ];
          if (r.answered !== undefined) {
            parts.push({
              en: `Your answer to it was ${r.answered}.`,
              zh: `你对这题的答案是 ${r.answered}。`,
            });
          }
          if (r.openIndex !== undefined) {
            parts.push({
              en: `Question ${r.openIndex + 1} is open now — use its buttons.`,
              zh: `现在进行的是第 ${r.openIndex + 1} 题,请用它的按钮作答。`,
            });
          } else if (over) {
            parts.push({
              en: 'Wait for the next question, or start a new quiz with /quiz if this one is over.',
              zh: '请等待下一题;如果测验已结束,可用 /quiz 开始新的测验。',
            });
          }
          return ack(
            {
              en: parts.map((p) => p.en).join(' '),
              zh: parts.map((p) => p.zh).join(''),
            },
            'error',
          );
        }
      }
    }),
  });
}

// ——— /leaderboard ———

const PERIOD_TEXT: Record<Period, Text> = {
  week: { en: 'last 7 days', zh: '最近 7 天' },
  month: { en: 'last 30 days', zh: '最近 30 天' },
  all: { en: 'all time', zh: '全部时间' },
};

function leaderboardCommand(service: () => QuizService, guarded: Guard) {
  return defineCommand({
    name: 'leaderboard',
    description: {
      en: 'Quiz points in this channel: week, month or all time',
      zh: '本频道的测验积分榜:周、月或全部',
    },
    schema: z.object({
      period: option(
        z.preprocess(
          (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
          z.enum(['week', 'month', 'all']).default('week'),
        ),
        'week (last 7 days), month (last 30 days) or all',
        'week(最近 7 天)、month(最近 30 天)或 all(全部)',
      ),
      lang: langOption,
    }),
    positional: ['period'],
    examples: ['/leaderboard', '/leaderboard month', '/leaderboard all'],
    run: guarded(async (args, ctx) => {
      const lang = ctx.lang;
      const period = args.period as Period;
      const rows = await service().leaderboard(placeOf(ctx.incoming), period);
      const title = t(lang, {
        en: `Leaderboard — this channel, ${PERIOD_TEXT[period].en}`,
        zh: `排行榜 — 本频道,${PERIOD_TEXT[period].zh}`,
      });
      const others = (['week', 'month', 'all'] as const)
        .filter((p) => p !== period)
        .map((p) => `/leaderboard ${p}`)
        .join('  ');
      if (rows.length === 0) {
        return {
          kind: 'info',
          lang,
          title,
          paragraphs: [
            t(lang, {
              en: 'No quiz answers here in this period yet. Start a quiz with /quiz.',
              zh: '这段时间里本频道还没有人答题。用 /quiz 开始一个测验吧。',
            }),
          ],
          hints: [others],
          data: { period, rows: [] },
        };
      }
      return {
        kind: 'info',
        lang,
        title,
        paragraphs: [],
        table: {
          headers:
            lang === 'zh'
              ? ['#', '玩家', '得分', '答对', '正确率', '测验数']
              : ['#', 'player', 'points', 'right', 'accuracy', 'quizzes'],
          rows: rows.map((r, i) => [
            String(i + 1),
            who(r.userKey, r.userName),
            formatPoints(r.points),
            `${r.correct}/${r.answered}`,
            percent(r.correct, r.answered),
            String(r.quizzes),
          ]),
        },
        hints: [others],
        data: {
          period,
          rows: rows.map((r) => ({
            user: r.userKey,
            points: r.points / 100,
            correct: r.correct,
            answered: r.answered,
            quizzes: r.quizzes,
          })),
        },
      };
    }),
  });
}

// ——— /stats ———

function statsCommand(
  service: () => QuizService,
  review: () => ReviewService,
  knowledge: KnowledgeBase,
  guarded: Guard,
) {
  return defineCommand({
    name: 'stats',
    description: {
      en: 'Your quiz accuracy per topic, your weakest topic, your review queue',
      zh: '你每个主题的答题正确率、最薄弱的主题和复习队列',
    },
    schema: z.object({ lang: langOption }),
    examples: ['/stats'],
    run: guarded(async (_args, ctx) => {
      const lang = ctx.lang;
      const player = playerOf(ctx.incoming);
      const stats = await service().stats(player.key);
      const queue = await review().queue(player.key);
      const title = t(lang, { en: 'Your quiz stats', zh: '你的测验统计' });
      const reviewLine =
        queue.total > 0
          ? t(lang, {
              en: `Review queue: ${queue.due} due now, ${queue.total} in all — /review`,
              zh: `复习队列:${queue.due} 题待复习,共 ${queue.total} 题 — /review`,
            })
          : undefined;
      if (stats.answered === 0) {
        return {
          kind: 'info',
          lang,
          ephemeral: true,
          title,
          paragraphs: [
            t(lang, {
              en: 'No answers yet. Play a quiz (/quiz) and your accuracy per topic shows up here.',
              zh: '还没有答题记录。玩一次测验(/quiz)后,这里会显示你每个主题的正确率。',
            }),
            ...(reviewLine ? [reviewLine] : []),
          ],
          data: { answered: 0, correct: 0, topics: [] },
        };
      }
      const paragraphs = [
        t(lang, {
          en: `You answered ${stats.answered} question${stats.answered === 1 ? '' : 's'}, ${stats.correct} right (${percent(stats.correct, stats.answered)}).`,
          zh: `你共回答 ${stats.answered} 题,答对 ${stats.correct} 题(${percent(stats.correct, stats.answered)})。`,
        }),
      ];
      const hints: string[] = [];
      const weak = stats.weakest;
      if (weak) {
        paragraphs.push(
          t(lang, {
            en: `Your weakest topic: ${topicTitle(knowledge, weak.topic, lang)} (${percent(weak.correct, weak.answered)} right). Read it with /topic ${weak.topic}, then try /quiz ${weak.topic}.`,
            zh: `你最薄弱的主题:${topicTitle(knowledge, weak.topic, lang)}(正确率 ${percent(weak.correct, weak.answered)})。先用 /topic ${weak.topic} 读一读,再试试 /quiz ${weak.topic}。`,
          }),
        );
        hints.push(`/topic ${weak.topic}`);
      }
      if (reviewLine) paragraphs.push(reviewLine);
      return {
        kind: 'info',
        lang,
        ephemeral: true,
        title,
        paragraphs,
        table: {
          headers:
            lang === 'zh'
              ? ['主题', '作答', '答对', '正确率']
              : ['topic', 'answered', 'right', 'accuracy'],
          rows: stats.topics.map((s) => [
            topicTitle(knowledge, s.topic, lang),
            String(s.answered),
            String(s.correct),
            percent(s.correct, s.answered),
          ]),
        },
        ...(hints.length ? { hints } : {}),
        data: {
          answered: stats.answered,
          correct: stats.correct,
          weakest: weak?.topic ?? null,
          topics: stats.topics,
          review: { due: queue.due, total: queue.total },
        },
      };
    }),
  });
}

// ——— /review ———

function reviewCommand(review: () => ReviewService, knowledge: KnowledgeBase, guarded: Guard) {
  /** The due question as a private card with answer buttons. */
  const cardParts = (q: BankQuestion, lang: Lang, due: number) => {
    const parts = questionParts(q, lang, (value) => `/review ${q.id} ${value}`);
    const howTo = answerHowTo(q, lang, `/review ${q.id}`);
    return {
      title: t(lang, {
        en: `Review · ${due} due · ${topicTitle(knowledge, q.topic, lang)}`,
        zh: `复习 · 待复习 ${due} 题 · ${topicTitle(knowledge, q.topic, lang)}`,
      }),
      paragraphs: [...parts.paragraphs, ...(howTo ? [howTo] : [])],
      choices: parts.choices,
    };
  };

  return defineCommand({
    name: 'review',
    description: {
      en: 'Your due review questions (spaced repetition, FSRS), privately',
      zh: '你的到期复习题(间隔重复,FSRS),仅自己可见',
    },
    schema: z.object({
      question: option(
        z.string().trim().max(80).optional(),
        'A question id (set by the buttons)',
        '题目 id(按钮自带)',
      ),
      answer: option(
        z.string().trim().max(40).optional(),
        'Your answer: A–D, true/false, or a number',
        '你的答案:A–D、对/错 或数字',
      ),
      lang: langOption,
    }),
    positional: ['question', 'answer'],
    examples: ['/review', '/review t5-states-gb 120'],
    run: guarded(async (args, ctx) => {
      const lang = ctx.lang;
      const player = playerOf(ctx.incoming);
      const reviews = review();
      const base = { lang, ephemeral: true } as const;

      if (args.question === undefined || args.answer === undefined) {
        if (args.question !== undefined) {
          return errorReply(lang, {
            en: `Give your answer too: /review ${args.question} <answer>.`,
            zh: `请同时给出答案:/review ${args.question} <答案>。`,
          });
        }
        const queue = await reviews.queue(player.key);
        if (!queue.question) {
          const text: Text =
            queue.total === 0
              ? {
                  en: 'Your review queue is empty. Questions you miss in a quiz are added to it automatically.',
                  zh: '你的复习队列是空的。测验中答错的题会自动加入。',
                }
              : {
                  en: `Nothing to review right now — the next review is ${inTime((queue.nextDue ?? 0) - reviews.now(), 'en')} (${queue.total} question${queue.total === 1 ? '' : 's'} in your queue).`,
                  zh: `现在没有要复习的题——下一次复习在 ${inTime((queue.nextDue ?? 0) - reviews.now(), 'zh')}(队列中共 ${queue.total} 题)。`,
                };
          return {
            ...base,
            kind: 'info',
            paragraphs: [text[lang]],
            data: { due: queue.due, total: queue.total },
          };
        }
        const card = cardParts(queue.question, lang, queue.due);
        return {
          ...base,
          kind: 'info',
          title: card.title,
          paragraphs: card.paragraphs,
          ...(card.choices.length ? { choices: card.choices } : {}),
          data: { due: queue.due, total: queue.total, question: queue.question.id },
        };
      }

      const r = await reviews.grade(player.key, args.question, args.answer);
      switch (r.status) {
        case 'unknown':
          return errorReply(lang, {
            en: `"${truncate(args.question, 40)}" is not in your review queue. Send /review to see your due questions.`,
            zh: `"${truncate(args.question, 40)}" 不在你的复习队列中。发送 /review 查看到期的题。`,
          });
        case 'not-due':
          return errorReply(lang, {
            en: `That question is not due yet (reviewed already?) — its next review is ${inTime(r.due - reviews.now(), 'en')}.`,
            zh: `这道题还没到复习时间(已经复习过了?)——下一次复习在 ${inTime(r.due - reviews.now(), 'zh')}。`,
          });
        case 'raced':
          return errorReply(lang, {
            en: 'That question was just graded; send /review for the next one.',
            zh: '这道题刚刚已评分;发送 /review 看下一题。',
          });
        case 'invalid': {
          const expected: Text =
            r.question.type === 'choice'
              ? { en: 'choose A–D', zh: '请选择 A–D' }
              : r.question.type === 'truefalse'
                ? { en: 'answer true or false', zh: '请回答 对 或 错' }
                : { en: 'give a number', zh: '请给出一个数字' };
          return errorReply(lang, {
            en: `"${truncate(args.answer, 20)}" is not an answer to this question: ${expected.en}.`,
            zh: `"${truncate(args.answer, 20)}" 不是这道题的有效答案:${expected.zh}。`,
          });
        }
        case 'graded': {
          const q = r.question;
          const mine = answerLabel(q, r.value, lang);
          const right = answerLabel(q, correctAnswer(q), lang);
          const paragraphs = [
            r.correct
              ? t(lang, { en: `Right: ${mine}.`, zh: `答对了:${mine}。` })
              : t(lang, {
                  en: `Not quite: you answered ${mine}; the answer is ${right}.`,
                  zh: `不对:你的答案是 ${mine},正确答案是 ${right}。`,
                }),
            q.text[lang].explanation,
            t(lang, {
              en: `Next review of this question: ${inTime(r.card.due - reviews.now(), 'en')}.`,
              zh: `这道题的下次复习:${inTime(r.card.due - reviews.now(), 'zh')}。`,
            }),
          ];
          const next = r.queue.question;
          const reply: Reply = {
            ...base,
            kind: 'info',
            title: r.correct
              ? t(lang, { en: 'Right!', zh: '答对了!' })
              : t(lang, { en: 'Review', zh: '复习' }),
            paragraphs,
            hints: [sectionHint(q, lang)],
            data: {
              question: q.id,
              correct: r.correct,
              nextReview: r.card.due,
              due: r.queue.due,
            },
          };
          if (next) {
            const card = cardParts(next, lang, r.queue.due);
            reply.paragraphs.push(`${card.title}\n${card.paragraphs.join('\n')}`);
            if (card.choices.length) reply.choices = card.choices;
          } else {
            reply.paragraphs.push(
              t(lang, {
                en: 'That was the last due question — well done.',
                zh: '到期的题都复习完了——做得好。',
              }),
            );
          }
          return reply;
        }
      }
    }),
  });
}
