/** /leaderboard (points in this channel) and /stats (your accuracy per topic). */
import { z } from 'zod';
import type { KnowledgeBase } from '../../../knowledge/index.js';
import {
  formatPoints,
  type Period,
  type QuizService,
  type ReviewService,
  WEAKEST_MIN_ANSWERS,
} from '../../../quiz/index.js';
import { defineCommand, option } from '../../command.js';
import { type Localized, t } from '../../i18n.js';
import type { Lang, Reply } from '../../types.js';
import { langOption, placeOf, playerOf, type QuizDeps } from './shared.js';
import { percent, plural, topicTitle, who } from './text.js';

// ——— /leaderboard ———

const PERIODS = ['week', 'month', 'all'] as const satisfies readonly Period[];

const PERIOD_TEXT: Record<Period, Localized> = {
  week: { en: 'last 7 days', zh: '最近 7 天' },
  month: { en: 'last 30 days', zh: '最近 30 天' },
  all: { en: 'all time', zh: '全部时间' },
};

export function leaderboardCommand({ service, guarded }: QuizDeps) {
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
          z.enum(PERIODS).default('week'),
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
      const period: Period = args.period;
      const rows = await service().leaderboard(placeOf(ctx.incoming), period);
      const title = t(lang, {
        en: `Leaderboard — this channel, ${PERIOD_TEXT[period].en}`,
        zh: `排行榜 — 本频道,${PERIOD_TEXT[period].zh}`,
      });
      const others = PERIODS.filter((p) => p !== period)
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

type Stats = Awaited<ReturnType<QuizService['stats']>>;
type Queue = Awaited<ReturnType<ReviewService['queue']>>;

/** Your answers so far, your weakest topic, your review queue: a private reply with a table. */
function statsReply(lang: Lang, knowledge: KnowledgeBase, stats: Stats, queue: Queue): Reply {
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
  const accuracy = percent(stats.correct, stats.answered);
  const paragraphs = [
    t(lang, {
      en: `You answered ${plural(stats.answered, 'question')}, ${stats.correct} right (${accuracy}).`,
      zh: `你共回答 ${stats.answered} 题,答对 ${stats.correct} 题(${accuracy})。`,
    }),
  ];
  const hints: string[] = [];
  const weak = stats.weakest;
  if (weak) {
    const topic = topicTitle(knowledge, weak.topic, lang);
    const weakAccuracy = percent(weak.correct, weak.answered);
    paragraphs.push(
      t(lang, {
        en: `Your weakest topic: ${topic} (${weakAccuracy} right). Read it with /topic ${weak.topic}, then try /quiz ${weak.topic}.`,
        zh: `你最薄弱的主题:${topic}(正确率 ${weakAccuracy})。先用 /topic ${weak.topic} 读一读,再试试 /quiz ${weak.topic}。`,
      }),
    );
    hints.push(`/topic ${weak.topic}`);
  }
  if (stats.topics.some((s) => s.answered < WEAKEST_MIN_ANSWERS)) {
    paragraphs.push(
      t(lang, {
        en: `A topic with fewer than ${WEAKEST_MIN_ANSWERS} answers is not ranked as weakest.`,
        zh: `作答少于 ${WEAKEST_MIN_ANSWERS} 题的主题不参与"最薄弱"排名。`,
      }),
    );
  }
  if (reviewLine) paragraphs.push(reviewLine);
  return {
    kind: 'info',
    lang,
    ephemeral: true,
    title,
    paragraphs,
    table: statsTable(lang, knowledge, stats),
    ...(hints.length ? { hints } : {}),
    data: {
      answered: stats.answered,
      correct: stats.correct,
      weakest: weak?.topic ?? null,
      topics: stats.topics,
      review: { due: queue.due, total: queue.total },
    },
  };
}

function statsTable(
  lang: Lang,
  knowledge: KnowledgeBase,
  stats: Stats,
): NonNullable<Reply['table']> {
  return {
    headers:
      lang === 'zh'
        ? ['主题', '作答', '答对', '正确率']
        : ['topic', 'answered', 'right', 'accuracy'],
    rows: stats.topics.map((s) => [
      s.topic === stats.weakest?.topic
        ? `${topicTitle(knowledge, s.topic, lang)} ${t(lang, { en: '← weakest', zh: '← 最薄弱' })}`
        : topicTitle(knowledge, s.topic, lang),
      String(s.answered),
      String(s.correct),
      percent(s.correct, s.answered),
    ]),
  };
}

export function statsCommand({ service, review, knowledge, guarded }: QuizDeps) {
  return defineCommand({
    name: 'stats',
    description: {
      en: 'Your quiz accuracy per topic, your weakest topic, your review queue',
      zh: '你每个主题的答题正确率、最薄弱的主题和复习队列',
    },
    schema: z.object({ lang: langOption }),
    examples: ['/stats'],
    run: guarded(async (_args, ctx) => {
      const player = playerOf(ctx.incoming);
      const stats = await service().stats(player.key);
      const queue = await review().queue(player.key);
      return statsReply(ctx.lang, knowledge, stats, queue);
    }),
  });
}
