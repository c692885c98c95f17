/** Starting a quiz: `/quiz weak`'s topics, the start announcement, and why a quiz did not start. */
import type { KnowledgeBase } from '../../../knowledge/index.js';
import {
  ALL_TOPICS,
  type Difficulty,
  type Player,
  type QuizBank,
  type QuizKind,
  type QuizService,
  weakestTopics,
} from '../../../quiz/index.js';
import { type Localized, t } from '../../i18n.js';
import type { Lang, Reply } from '../../types.js';
import { errorReply, playerName, plural, quizSubject, SCORING_TEXT, topicTitle } from './text.js';

/** One topic, all, or the caller's weakest topics. */
export type StartTopic = number | 'all' | number[];

/** `/quiz weak` asks for at most this many of the caller's weakest topics. */
export const WEAK_TOPICS = 3;

type Started = Awaited<ReturnType<QuizService['start']>>;

export interface StartContext {
  lang: Lang;
  knowledge: KnowledgeBase;
  player: Player;
  topic: StartTopic;
  kind: QuizKind;
  level?: Difficulty;
  /** How many questions were asked for. */
  asked: number;
}

/** The caller's weakest topics from their stats, or a reply saying why there are none. */
export async function weakTopics(
  quiz: QuizService,
  player: Player,
  lang: Lang,
): Promise<{ ok: true; topics: number[] } | { ok: false; reply: Reply }> {
  const stats = await quiz.stats(player.key);
  const weak = weakestTopics(stats.topics, WEAK_TOPICS);
  if (weak.length > 0) return { ok: true, topics: weak.map((w) => w.topic) };
  if (stats.answered === 0) {
    return {
      ok: false,
      reply: errorReply(lang, {
        en: 'You have no quiz answers yet, so there is no weak topic to practise. Play a quiz first (/quiz 5, /quiz all); /quiz weak then picks the topics you miss most.',
        zh: '你还没有答题记录,所以还没有薄弱主题可练。先玩一次测验(/quiz 5、/quiz all),之后 /quiz weak 会挑出你错得最多的主题。',
      }),
    };
  }
  return {
    ok: false,
    reply: errorReply(lang, {
      en: 'No weak topic yet: every topic you have at least 2 answers in is all right so far. Try /quiz all, or /stats to see your accuracy per topic.',
      zh: '暂时没有薄弱主题:你作答至少 2 题的主题目前全部答对。试试 /quiz all,或用 /stats 查看每个主题的正确率。',
    }),
  };
}

/** `topic 5`, `topics 5, 8`, `all topics` — in a sentence. */
function topicsText(topic: StartTopic): Localized {
  if (topic === 'all') return { en: 'all topics', zh: '全部主题' };
  const list = [topic].flat();
  return list.length === 1
    ? { en: `topic ${list[0]}`, zh: `主题 ${list[0]}` }
    : { en: `topics ${list.join(', ')}`, zh: `主题 ${list.join('、')}` };
}

function levelsOf(items: readonly { difficulty?: Difficulty }[]): string {
  const levels = [...new Set(items.map((x) => x.difficulty).filter((d) => d !== undefined))];
  return levels.sort().join(', ');
}

/** kind=calc without generators, or a level with nothing of the kind asked for. */
function choiceError(c: StartContext, field: 'kind' | 'level', bank: QuizBank): Reply {
  const where = topicsText(c.topic);
  const topics = c.topic === 'all' ? ALL_TOPICS : [c.topic].flat();
  // every topic a generator serves, whatever topics this bank's written questions cover
  const withCalc = ALL_TOPICS.filter((x) => bank.generators(x).length > 0).join(', ');
  if (field === 'kind') {
    return errorReply(c.lang, {
      en: `There are no calculation questions for ${where.en}: kind=calc works for topics ${withCalc} (generated from /vram, /tokens and /chunk). Use kind=written or kind=mixed.`,
      zh: `${where.zh}没有计算题:kind=calc 只适用于主题 ${withCalc}(由 /vram、/tokens 和 /chunk 生成)。请用 kind=written 或 kind=mixed。`,
    });
  }
  const calc = c.kind === 'calc';
  const pool = calc
    ? topics.flatMap((x) => bank.generators(x))
    : topics.flatMap((x) => bank.byTopic(x));
  const what: Localized = calc
    ? { en: 'calculation questions', zh: '计算题' }
    : { en: 'written questions', zh: '书面题' };
  const has = levelsOf(pool);
  return errorReply(c.lang, {
    en: `There are no level-${c.level} ${what.en} for ${where.en}${has ? `; its ${what.en} are at level ${has}` : ''}. Choose another level=1|2|3 or leave it out for every level.`,
    zh: `${where.zh}没有难度 ${c.level} 的${what.zh}${has ? `;已有的${what.zh}难度为 ${has}` : ''}。请换一个 level=1|2|3,或去掉 level 以包含所有难度。`,
  });
}

/** Why a quiz did not start: one is running here already, or nothing matches the choice. */
export function notStartedReply(
  c: StartContext,
  r: Exclude<Started, { status: 'started' }>,
  bank: QuizBank,
): Reply {
  const { lang } = c;
  if (r.status === 'invalid') {
    if (r.field === 'kind' || r.field === 'level') return choiceError(c, r.field, bank);
    const where = topicsText(c.topic);
    const calc = [c.topic].flat().some((x) => x !== 'all' && bank.generators(x).length > 0);
    if (calc) {
      return errorReply(lang, {
        en: `There are no written questions for ${where.en}, only calculation ones: use kind=calc or kind=mixed.`,
        zh: `${where.zh}没有书面题,只有计算题:请用 kind=calc 或 kind=mixed。`,
      });
    }
    return errorReply(lang, {
      en: `There are no questions for ${where.en}. Choose a topic 1–10 or all.`,
      zh: `${where.zh}没有题目。请选择 1–10 或 all。`,
    });
  }
  const s = r.session;
  let detail = '';
  if (s) {
    const by = playerName(s.starter);
    const at = Math.max(1, s.currentIndex + 1);
    detail = t(lang, {
      en: ` (started by ${by}, question ${at} of ${s.count})`,
      zh: `(由 ${by} 发起,第 ${at}/${s.count} 题)`,
    });
  }
  return errorReply(lang, {
    en: `A quiz is already running in this channel${detail}. Play along, wait for it to end, or the starter can end it with /quiz stop.`,
    zh: `本频道已有一个测验在进行${detail}。可以一起答题、等它结束,或由发起人用 /quiz stop 结束。`,
  });
}

const KIND_TEXT: Record<QuizKind, Localized> = {
  written: { en: 'written questions', zh: '书面题' },
  calc: {
    en: 'calculation questions generated from /vram, /tokens and /chunk',
    zh: '由 /vram、/tokens 和 /chunk 生成的计算题',
  },
  mixed: { en: 'written and calculation questions', zh: '书面题和计算题' },
};

/** The quiz's subject in its title: a topic's name, the weak topics, or all topics. */
function subjectOf(c: StartContext, r: Extract<Started, { status: 'started' }>): string {
  if (!Array.isArray(c.topic) || c.topic.length === 1) {
    return quizSubject(c.knowledge, r.session, c.lang);
  }
  const names = c.topic.map((x) => topicTitle(c.knowledge, x, c.lang));
  return t(c.lang, {
    en: `your weakest topics — ${names.join('; ')}`,
    zh: `你最薄弱的主题——${names.join(';')}`,
  });
}

/** The start announcement: who started what, how scoring works, how to stop it. */
export function startedReply(c: StartContext, r: Extract<Started, { status: 'started' }>): Reply {
  const { lang } = c;
  const s = r.session;
  const subject = subjectOf(c, r);
  const name = playerName(c.player);
  const level = c.level ? t(lang, { en: `, level ${c.level}`, zh: `,难度 ${c.level}` }) : '';
  const plain = c.kind === 'written' && !c.level;
  const what = plain
    ? ''
    : t(lang, {
        en: ` (${KIND_TEXT[c.kind].en}${level})`,
        zh: `(${KIND_TEXT[c.kind].zh}${level})`,
      });
  const paragraphs = [
    t(lang, {
      en: `${name} started a quiz: ${plural(s.count, 'question')}${what}, ${s.seconds} s each. Everyone here can play — answer with the buttons (in the terminal, type the letter or number); your first answer counts.`,
      zh: `${name} 发起了测验:共 ${s.count} 题${what},每题 ${s.seconds} 秒。这里的每个人都可以参加——点按钮作答(终端里输入字母或序号);只计第一次作答。`,
    }),
    SCORING_TEXT[lang],
  ];
  if (s.count < c.asked) {
    const where = topicsText(c.topic);
    paragraphs.push(
      t(lang, {
        en: `${where.en[0]!.toUpperCase()}${where.en.slice(1)} has ${r.available} questions${level}, so this quiz has ${s.count}.`,
        zh: `${where.zh} 只有 ${r.available} 道题${level},所以本次测验共 ${s.count} 题。`,
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
    data: {
      quiz: s.id,
      count: s.count,
      seconds: s.seconds,
      topic: Array.isArray(c.topic) ? c.topic : (s.topic ?? 'all'),
      kind: c.kind,
      level: c.level ?? null,
    },
  };
}
