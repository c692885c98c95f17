/** /rate, /forget-me, /privacy: 👍/👎 on answers, and what is kept about a user. */
import { z } from 'zod';
import type { ForgetCounts, RateOutcome } from '../../store/types.js';
import { defineCommand, option } from '../command.js';
import type { FeedbackLog } from '../feedback.js';
import { type Localized, t } from '../i18n.js';
import type { Lang, Reply } from '../types.js';

/** What a 👎 button's modal asks. */
export const REASON_PROMPT: Readonly<Record<Lang, { title: string; label: string }>> = {
  en: { title: 'What was wrong?', label: 'Reason (optional, one line)' },
  zh: { title: '哪里不对?', label: '原因(可选,一行)' },
};

function privateInfo(lang: Lang, text: Localized, extra: Partial<Reply> = {}): Reply {
  return { kind: 'info', lang, ephemeral: true, paragraphs: [t(lang, text)], ...extra };
}

const RATED: Record<RateOutcome, (good: boolean, days: number) => Localized> = {
  recorded: (good) => ({
    en: `Thanks — your ${good ? '👍' : '👎'} is recorded.`,
    zh: `谢谢——已记下你的 ${good ? '👍' : '👎'}。`,
  }),
  duplicate: () => ({
    en: 'You have already rated this answer (one rating per answer).',
    zh: '你已经评过这个回答了(每个回答只能评一次)。',
  }),
  missing: (_good, days) => ({
    en: `That answer is no longer kept (answers are kept ${days} days), so there is nothing to rate.`,
    zh: `这个回答已经不在记录里了(回答保留 ${days} 天),没有可评的内容。`,
  }),
};

export function rateCommand(log: FeedbackLog) {
  return defineCommand({
    name: 'rate',
    description: {
      en: 'Rate your last answer: good or bad (a bad one may say why)',
      zh: '给上一个回答评分:good 或 bad(bad 可以附上原因)',
    },
    schema: z.object({
      verdict: option(z.enum(['good', 'bad']), 'good (👍) or bad (👎)', 'good(👍)或 bad(👎)'),
      answer: option(
        z.coerce.number().int().min(1).optional(),
        'Which answer (set by the 👍/👎 buttons; default: your last answer)',
        '哪个回答(👍/👎 按钮会填上;默认:你的上一个回答)',
      ),
      reason: option(
        z.string().optional(),
        'Why the answer was bad (optional, one line)',
        '回答哪里不对(可选,一行)',
      ),
    }),
    positional: ['verdict'],
    rest: 'reason',
    examples: ['/rate good', '/rate bad wrong section'],
    run: async (args, ctx) => {
      if (!log.enabled) {
        return privateInfo(ctx.lang, {
          en: 'Ratings are off: this bot keeps no log of answers (LLM_TUTOR_KEEP_DAYS=0).',
          zh: '评分功能已关闭:这个机器人不保留回答记录(LLM_TUTOR_KEEP_DAYS=0)。',
        });
      }
      const id = args.answer ?? ctx.conversation.lastAnswerLog;
      if (id === undefined) {
        return privateInfo(ctx.lang, {
          en: 'There is no answer to rate yet: ask a question first, then /rate good or /rate bad <reason>.',
          zh: '还没有可以评分的回答:先问一个问题,然后发送 /rate good 或 /rate bad <原因>。',
        });
      }
      const good = args.verdict === 'good';
      const outcome = await log.rate(ctx.incoming, id, good, args.reason);
      return privateInfo(ctx.lang, RATED[outcome](good, log.keepDays));
    },
  });
}

/** "3 logged questions, 1 rating, …" — the kinds that had something. */
function countsText(c: ForgetCounts, lang: Lang): string {
  const parts: [number, string, string][] = [
    [c.questions, 'logged question', '条提问记录'],
    [c.ratings, 'rating', '个评分'],
    [c.quizAnswers, 'quiz answer', '个测验作答'],
    [c.scores, 'quiz score', '个测验得分'],
    [c.reviewCards, 'review card', '张复习卡片'],
    [c.reviewLogs, 'review log line', '条复习记录'],
    [c.quizSessions, 'quiz that named you as starter', '个记有你发起的测验'],
  ];
  const had = parts.filter(([n]) => n > 0);
  if (had.length === 0) return t(lang, { en: 'nothing', zh: '没有任何数据' });
  return had
    .map(([n, en, zh]) => (lang === 'zh' ? `${n} ${zh}` : `${n} ${en}${n === 1 ? '' : 's'}`))
    .join(lang === 'zh' ? '、' : ', ');
}

export function forgetMeCommand(log: FeedbackLog) {
  return defineCommand({
    name: 'forget-me',
    description: {
      en: 'Delete everything kept about you (asks to confirm)',
      zh: '删除关于你的全部数据(需要确认)',
    },
    schema: z.object({
      confirm: option(z.enum(['confirm']).optional(), 'confirm: delete now', 'confirm:立即删除'),
    }),
    positional: ['confirm'],
    examples: ['/forget-me', '/forget-me confirm'],
    run: async (args, ctx) => {
      if (args.confirm !== 'confirm') {
        return privateInfo(
          ctx.lang,
          {
            en: 'This deletes your logged questions, your ratings, your quiz answers and scores, and your review cards, for good. Send /forget-me confirm (or press the button) to do it.',
            zh: '这会永久删除你的提问记录、评分、测验作答和得分,以及复习卡片。发送 /forget-me confirm(或点按钮)确认删除。',
          },
          {
            choices: [
              {
                label: t(ctx.lang, { en: 'Delete my data', zh: '删除我的数据' }),
                action: '/forget-me confirm',
              },
            ],
          },
        );
      }
      const counts = await log.forget(ctx.incoming);
      delete ctx.conversation.lastAnswerLog;
      delete ctx.conversation.lastClarify;
      return privateInfo(
        ctx.lang,
        { en: `Deleted: ${countsText(counts, 'en')}.`, zh: `已删除:${countsText(counts, 'zh')}。` },
        { data: counts },
      );
    },
  });
}

export function privacyCommand(log: FeedbackLog) {
  return defineCommand({
    name: 'privacy',
    description: {
      en: 'What is kept about you, and for how long',
      zh: '保留了你的哪些数据、保留多久',
    },
    schema: z.object({}),
    run: (_args, ctx) => {
      const days = log.keepDays;
      const text: Localized = log.enabled
        ? {
            en: `I keep your questions, how I routed them and your 👍/👎 for ${days} days under a salted hash of your user id (never the id itself), so whoever runs this bot can see what I could not answer. Quiz answers, scores and review cards are kept until you delete them, and /forget-me deletes all of it now.`,
            zh: `你的提问、我如何分流它们以及你的 👍/👎 会以加盐哈希后的用户 id(从不保存 id 本身)保留 ${days} 天,让维护这个机器人的人看到我答不上来的问题。测验作答、得分和复习卡片会一直保留到你删除为止,发送 /forget-me 可以立即全部删除。`,
          }
        : {
            en: 'This bot keeps no log of your questions or ratings. Quiz answers, scores and review cards are kept until you delete them, and /forget-me deletes them now.',
            zh: '这个机器人不保留你的提问和评分记录。测验作答、得分和复习卡片会保留到你删除为止,发送 /forget-me 可以立即删除。',
          };
      return privateInfo(ctx.lang, text);
    },
  });
}

/** The three commands over one log. */
export function feedbackCommands(log: FeedbackLog) {
  return [rateCommand(log), forgetMeCommand(log), privacyCommand(log)];
}
