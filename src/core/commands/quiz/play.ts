/** /quiz (start or stop a quiz in this channel) and /answer (answer its open question). */
import { z } from 'zod';
import { isFragment } from '../../../knowledge/index.js';
import {
  answerLabel,
  BankError,
  type Difficulty,
  parseAnswer,
  QUIZ_KINDS,
  QUIZ_LIMITS,
  type QuizKind,
  type QuizService,
} from '../../../quiz/index.js';
import { defineCommand, option } from '../../command.js';
import { type Localized, t } from '../../i18n.js';
import type { Incoming, Lang, Reply } from '../../types.js';
import { langOption, placeOf, playerOf, type QuizDeps } from './shared.js';
import { notStartedReply, type StartTopic, startedReply, weakTopics } from './start.js';
import {
  ANSWER_HELP,
  errorReply,
  expectedAnswer,
  NO_QUIZ_TEXT,
  playerName,
  privateReply,
  questionNo,
  SCORING_TEXT,
  truncate,
} from './text.js';

const TOPIC_VALUES = [
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '10',
  'all',
  'weak',
  'stop',
] as const;
const TOPIC_ALIASES: Record<string, string> = {
  全部: 'all',
  所有: 'all',
  停止: 'stop',
  结束: 'stop',
  end: 'stop',
  weakest: 'weak',
  薄弱: 'weak',
  弱项: 'weak',
};
const LEVEL_VALUES = ['1', '2', '3'] as const;
const KIND_ALIASES: Record<string, QuizKind> = {
  calculation: 'calc',
  calculated: 'calc',
  计算: 'calc',
  计算题: 'calc',
  mix: 'mixed',
  混合: 'mixed',
  书面: 'written',
};

/** A string option's value as typed: NFKC, trimmed, lower case, through its aliases. */
function normalizeWith(aliases: Record<string, string>) {
  return (v: unknown): unknown => {
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string') return v;
    const s = v.normalize('NFKC').trim().toLowerCase();
    return aliases[s] ?? s;
  };
}

function normalizeTopic(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return v;
  const s = v.normalize('NFKC').trim().toLowerCase();
  return TOPIC_ALIASES[s] ?? (/^0*\d+$/.test(s) ? String(Number(s)) : s);
}

// ——— /quiz ———

type Stopped = Awaited<ReturnType<QuizService['stop']>>;
type Answered = Awaited<ReturnType<QuizService['answer']>>;

const { count, seconds } = QUIZ_LIMITS;

const quizSchema = z.object({
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
  level: option(
    z.preprocess(normalizeWith({}), z.enum(LEVEL_VALUES).optional()),
    'Difficulty: 1 basic, 2 practitioner, 3 expert (default: all levels)',
    '难度:1 基础、2 实践、3 专家(默认:全部)',
  ),
  kind: option(
    z.preprocess(normalizeWith(KIND_ALIASES), z.enum(QUIZ_KINDS).default('written')),
    'written (the bank), calc (generated from /vram, /tokens, /chunk) or mixed',
    'written(题库)、calc(由 /vram、/tokens、/chunk 生成的计算题)或 mixed(混合)',
  ),
  lang: langOption,
});

/** /quiz stop: stopped, or why not. */
function stoppedReply(lang: Lang, r: Stopped): Reply {
  if (r.status === 'no-quiz') return errorReply(lang, NO_QUIZ_TEXT);
  if (r.status === 'forbidden') {
    const name = playerName(r.session.starter);
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

export function quizCommand({ service, isModerator, knowledge, guarded }: QuizDeps) {
  return defineCommand({
    name: 'quiz',
    description: {
      en: 'Start a quiz in this channel (or /quiz stop); answers score 1 point + a speed bonus',
      zh: '在本频道开始测验(或 /quiz stop 结束);答对 1 分 + 速度奖励',
    },
    schema: quizSchema,
    positional: ['topic'],
    examples: [
      '/quiz',
      '/quiz 5',
      '/quiz 6 count=10 seconds=20',
      '/quiz 5 level=1',
      '/quiz 5 kind=calc count=10',
      '/quiz all kind=mixed level=2',
      '/quiz weak',
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
        return stoppedReply(lang, await quiz.stop(place, player, isModerator(incoming)));
      }
      let topic: StartTopic = args.topic === 'all' ? 'all' : Number(args.topic);
      if (args.topic === 'weak') {
        const weak = await weakTopics(quiz, player, lang);
        if (!weak.ok) return weak.reply;
        topic = weak.topics;
      }
      const { count: asked, seconds, kind } = args;
      const level = args.level === undefined ? undefined : (Number(args.level) as Difficulty);
      const choice = { topic, kind, ...(level ? { level } : {}) };
      const r = await quiz.start({
        place,
        starter: player,
        lang,
        count: asked,
        seconds,
        ...choice,
      });
      const c = { lang, knowledge, player, asked, ...choice };
      if (r.status !== 'started') return notStartedReply(c, r, quiz.bank);
      return startedReply(c, r);
    }),
  });
}

// ——— /answer ———

/** "Question 2 is closed", with what the player answered and what is open now. */
function closedReply(lang: Lang, r: Extract<Answered, { status: 'closed' }>): Reply {
  const parts: Localized[] = [
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
  } else {
    parts.push({
      en: 'Wait for the next question, or start a new quiz with /quiz if this one is over.',
      zh: '请等待下一题;如果测验已结束,可用 /quiz 开始新的测验。',
    });
  }
  return errorReply(lang, {
    en: parts.map((p) => p.en).join(' '),
    zh: parts.map((p) => p.zh).join(''),
  });
}

/** What an answer did: recorded, a duplicate, not an answer, or too late. */
function answeredReply(lang: Lang, r: Answered, value: string): Reply {
  switch (r.status) {
    case 'no-quiz':
      return errorReply(lang, NO_QUIZ_TEXT);
    case 'recorded': {
      const label = answerLabel(r.question, r.value, lang);
      const n = questionNo(r.index, r.session.count);
      return privateReply(lang, {
        en: `Got it: ${label} for question ${n}. The answer is revealed when time is up.`,
        zh: `已收到:第 ${n} 题你的答案是 ${label}。时间到后公布答案。`,
      });
    }
    case 'duplicate': {
      const label = answerLabel(r.question, r.first, lang);
      return privateReply(lang, {
        en: `You already answered question ${r.index + 1} (${label}); only your first answer counts.`,
        zh: `你已经回答过第 ${r.index + 1} 题(${label});只计第一次作答。`,
      });
    }
    case 'invalid': {
      const expected = expectedAnswer(r.question.type, '/answer');
      return errorReply(lang, {
        en: `"${truncate(value, 20)}" is not an answer to question ${r.index + 1}: ${expected.en}.`,
        zh: `"${truncate(value, 20)}" 不是第 ${r.index + 1} 题的有效答案:${expected.zh}。`,
      });
    }
    case 'closed':
      return closedReply(lang, r);
  }
}

export function answerCommand({ service, guarded }: QuizDeps) {
  return defineCommand({
    name: 'answer',
    description: {
      en: 'Answer the current quiz question: A–D, true/false, or a number',
      zh: '回答当前测验题:A–D、对/错 或数字',
    },
    schema: z.object({
      value: option(z.string().trim().min(1), ANSWER_HELP.en, ANSWER_HELP.zh),
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
      const [sid, qn] = args.q ? args.q.split('.').map(Number) : [];
      const r = await service().answer({
        place: placeOf(ctx.incoming),
        player: playerOf(ctx.incoming),
        value: args.value,
        ...(sid !== undefined && qn !== undefined
          ? { ref: { sessionId: sid, index: qn - 1 } }
          : {}),
      });
      return answeredReply(ctx.lang, r, args.value);
    }),
  });
}

/** The longest message read as a typed answer (`1,200 GB`, `B)`, `正确`). */
const MAX_TYPED_ANSWER = 24;

/**
 * The one rule, for every platform, of what a typed message is: while a quiz question is open
 * in the message's channel, a message that is only an answer to it (`parseAnswer`: a letter or
 * choice number, true/false words, a number with an optional unit) is that person's answer,
 * whatever was posted in between, acknowledged like /answer. A fragment that is no answer to it
 * (`E`, `ok`) sent to the bot is told what an answer looks like. Anything else is not an answer
 * (undefined) and is routed as usual. A quiz bank that fails to load takes no answers (/quiz
 * says why).
 */
export function typedAnswer({ service }: QuizDeps) {
  return async (incoming: Incoming, lang: Lang): Promise<Reply | undefined> => {
    const text = incoming.text.trim();
    if (!text || text.length > MAX_TYPED_ANSWER || incoming.command || incoming.files?.length) {
      return undefined;
    }
    let quiz: QuizService;
    try {
      quiz = service();
    } catch (err) {
      if (err instanceof BankError) return undefined;
      throw err;
    }
    const place = placeOf(incoming);
    const open = await quiz.openQuestion(place);
    if (!open) return undefined;
    const value = parseAnswer(open.question, text);
    if (value === undefined && (incoming.overheard || !isFragment(text))) return undefined;
    const r = await quiz.answer({
      place,
      player: playerOf(incoming),
      value: text,
      ref: { sessionId: open.session.id, index: open.index },
    });
    return answeredReply(lang, r, text);
  };
}
