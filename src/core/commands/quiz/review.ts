/** /review: your due review questions (spaced repetition), answered privately. */
import { z } from 'zod';
import {
  answerLabel,
  type BankQuestion,
  correctAnswer,
  type ReviewService,
} from '../../../quiz/index.js';
import { defineCommand, option } from '../../command.js';
import { t } from '../../i18n.js';
import type { Lang, Reply } from '../../types.js';
import { langOption, playerOf, type QuizDeps } from './shared.js';
import {
  ANSWER_HELP,
  errorReply,
  expectedAnswer,
  inTime,
  plural,
  questionBody,
  sectionHint,
  topicTitle,
  truncate,
} from './text.js';

type Grade = Awaited<ReturnType<ReviewService['grade']>>;
type Queue = Awaited<ReturnType<ReviewService['queue']>>;

/** What every /review reply of one request shares. */
interface ReviewView {
  lang: Lang;
  /** "in 3 days" for a due time. */
  when(due: number): string;
  /** The due question as a private card with answer buttons. */
  card(
    q: BankQuestion,
    due: number,
  ): { title: string; paragraphs: string[]; choices: Reply['choices'] & {} };
}

const PRIVATE = { ephemeral: true } as const;

/** /review without an answer: the next due question, or when the next one is due. */
function queueReply(view: ReviewView, queue: Queue): Reply {
  const { lang } = view;
  const data = { due: queue.due, total: queue.total };
  if (!queue.question) {
    const next = view.when(queue.nextDue ?? 0);
    const text =
      queue.total === 0
        ? t(lang, {
            en: 'Your review queue is empty. Questions you miss in a quiz are added to it automatically.',
            zh: '你的复习队列是空的。测验中答错的题会自动加入。',
          })
        : t(lang, {
            en: `Nothing to review right now — the next review is ${next} (${plural(queue.total, 'question')} in your queue).`,
            zh: `现在没有要复习的题——下一次复习在 ${next}(队列中共 ${queue.total} 题)。`,
          });
    return { ...PRIVATE, lang, kind: 'info', paragraphs: [text], data };
  }
  const c = view.card(queue.question, queue.due);
  return {
    ...PRIVATE,
    lang,
    kind: 'info',
    title: c.title,
    paragraphs: c.paragraphs,
    ...(c.choices.length ? { choices: c.choices } : {}),
    data: { ...data, question: queue.question.id },
  };
}

/** Why an answer was not graded, as an error reply. */
function refusal(
  view: ReviewView,
  r: Exclude<Grade, { status: 'graded' }>,
  args: { question: string; answer: string },
): Reply {
  const { lang } = view;
  switch (r.status) {
    case 'unknown':
      return errorReply(lang, {
        en: `"${truncate(args.question, 40)}" is not in your review queue. Send /review to see your due questions.`,
        zh: `"${truncate(args.question, 40)}" 不在你的复习队列中。发送 /review 查看到期的题。`,
      });
    case 'not-due': {
      const next = view.when(r.due);
      return errorReply(lang, {
        en: `That question is not due yet (reviewed already?) — its next review is ${next}.`,
        zh: `这道题还没到复习时间(已经复习过了?)——下一次复习在 ${next}。`,
      });
    }
    case 'raced':
      return errorReply(lang, {
        en: 'That question was just graded; send /review for the next one.',
        zh: '这道题刚刚已评分;发送 /review 看下一题。',
      });
    case 'invalid': {
      const expected = expectedAnswer(r.question.type);
      return errorReply(lang, {
        en: `"${truncate(args.answer, 20)}" is not an answer to this question: ${expected.en}.`,
        zh: `"${truncate(args.answer, 20)}" 不是这道题的有效答案:${expected.zh}。`,
      });
    }
  }
}

/** A graded answer: right or not, the explanation, the next review, then the next due question. */
function gradedReply(view: ReviewView, r: Extract<Grade, { status: 'graded' }>): Reply {
  const { lang } = view;
  const q = r.question;
  const mine = answerLabel(q, r.value, lang);
  const right = answerLabel(q, correctAnswer(q), lang);
  const next = view.when(r.card.due);
  const paragraphs = [
    r.correct
      ? t(lang, { en: `Right: ${mine}.`, zh: `答对了:${mine}。` })
      : t(lang, {
          en: `Not quite: you answered ${mine}; the answer is ${right}.`,
          zh: `不对:你的答案是 ${mine},正确答案是 ${right}。`,
        }),
    q.text[lang].explanation,
    t(lang, {
      en: `Next review of this question: ${next}.`,
      zh: `这道题的下次复习:${next}。`,
    }),
  ];
  const reply: Reply = {
    ...PRIVATE,
    lang,
    kind: 'info',
    title: r.correct
      ? t(lang, { en: 'Right!', zh: '答对了!' })
      : t(lang, { en: 'Review', zh: '复习' }),
    paragraphs,
    hints: [sectionHint(q, lang)],
    data: { question: q.id, correct: r.correct, nextReview: r.card.due, due: r.queue.due },
  };
  if (r.queue.question) {
    const c = view.card(r.queue.question, r.queue.due);
    reply.paragraphs.push(`${c.title}\n${c.paragraphs.join('\n')}`);
    if (c.choices.length) reply.choices = c.choices;
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

export function reviewCommand({ review, knowledge, guarded }: QuizDeps) {
  const viewOf = (lang: Lang, reviews: ReviewService): ReviewView => ({
    lang,
    when: (due) => inTime(due - reviews.now(), lang),
    card: (q, due) => ({
      title: t(lang, {
        en: `Review · ${due} due · ${topicTitle(knowledge, q.topic, lang)}`,
        zh: `复习 · 待复习 ${due} 题 · ${topicTitle(knowledge, q.topic, lang)}`,
      }),
      ...questionBody(q, lang, `/review ${q.id}`, (value) => `/review ${q.id} ${value}`),
    }),
  });

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
      answer: option(z.string().trim().max(40).optional(), ANSWER_HELP.en, ANSWER_HELP.zh),
      lang: langOption,
    }),
    positional: ['question', 'answer'],
    examples: ['/review', '/review t5-states-gb 120'],
    run: guarded(async (args, ctx) => {
      const lang = ctx.lang;
      const player = playerOf(ctx.incoming);
      const reviews = review();
      const view = viewOf(lang, reviews);
      const { question, answer } = args;
      if (question !== undefined && answer === undefined) {
        return errorReply(lang, {
          en: `Give your answer too: /review ${question} <answer>.`,
          zh: `请同时给出答案:/review ${question} <答案>。`,
        });
      }
      if (question === undefined || answer === undefined) {
        return queueReply(view, await reviews.queue(player.key));
      }
      const r = await reviews.grade(player.key, question, answer);
      return r.status === 'graded' ? gradedReply(view, r) : refusal(view, r, { question, answer });
    }),
  });
}
