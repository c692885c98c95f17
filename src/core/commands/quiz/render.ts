/** Quiz events (question, reveal, end) as the replies posted to the channel. */
import type { KnowledgeBase } from '../../../knowledge/index.js';
import {
  answerLabel,
  correctAnswer,
  type EndReason,
  formatPoints,
  formatSeconds,
  type QuizEvent,
} from '../../../quiz/index.js';
import { type Localized, t } from '../../i18n.js';
import type { Reply } from '../../types.js';
import {
  generatedMark,
  playerName,
  plural,
  questionBody,
  questionNo,
  quizSubject,
  sectionCommand,
  sectionHint,
  topicTitle,
  truncate,
  who,
} from './text.js';

type EventOf<T extends QuizEvent['type']> = Extract<QuizEvent, { type: T }>;

function questionReply(e: EventOf<'question'>, knowledge: KnowledgeBase): Reply {
  const { session, index, question } = e;
  const lang = session.lang;
  const n = questionNo(index, session.count);
  const body = questionBody(
    question,
    lang,
    '/answer',
    (value) => `/answer ${value} q=${session.id}.${index + 1}`,
  );
  return {
    kind: 'info',
    lang,
    title: t(lang, {
      en: `Quiz · question ${n} · ${topicTitle(knowledge, question.topic, lang)}${generatedMark(question, lang)}`,
      zh: `测验 · 第 ${n} 题 · ${topicTitle(knowledge, question.topic, lang)}${generatedMark(question, lang)}`,
    }),
    paragraphs: [
      ...body.paragraphs,
      t(lang, {
        en: `${session.seconds} s to answer — your first answer counts.`,
        zh: `限时 ${session.seconds} 秒,只计第一次作答。`,
      }),
    ],
    ...(body.choices.length ? { choices: body.choices } : {}),
    data: {
      quiz: session.id,
      question: index + 1,
      of: session.count,
      id: question.id,
      closesAt: e.closesAt,
      ...(question.generated ? { generated: question.generated.generator } : {}),
    },
  };
}

function revealReply(e: EventOf<'reveal'>): Reply {
  const { session, index, question, answers, right } = e;
  const lang = session.lang;
  const n = questionNo(index, session.count);
  const correct = answerLabel(question, correctAnswer(question), lang);
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
    const names = right.map((a) => who(a.userKey, a.userName));
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

const END_TITLE: Record<EndReason, Localized> = {
  completed: { en: 'Quiz over — scoreboard', zh: '测验结束 — 计分板' },
  stopped: { en: 'Quiz stopped — scoreboard', zh: '测验已停止 — 计分板' },
  interrupted: { en: 'Quiz interrupted — scoreboard', zh: '测验中断 — 计分板' },
};

/** Why the quiz ended, as the first paragraph of the scoreboard. */
function endSummary(e: EventOf<'end'>, subject: string): Localized {
  const { session, asked } = e;
  switch (e.reason) {
    case 'completed':
      return {
        en: `${plural(asked, 'question')} on ${subject}. Thanks for playing!`,
        zh: `共 ${asked} 题,主题:${subject}。谢谢参与!`,
      };
    case 'stopped': {
      const by = e.by ? playerName(e.by) : '?';
      return {
        en: `Stopped by ${by} after ${asked} of ${session.count} questions (${subject}).`,
        zh: `${by} 在第 ${asked}/${session.count} 题时停止了测验(${subject})。`,
      };
    }
    case 'interrupted':
      return {
        en: `The bot restarted during this quiz (question ${asked} of ${session.count}, ${subject}), so the quiz was closed. Answers recorded before the restart count.`,
        zh: `机器人在测验进行中重启了(第 ${asked}/${session.count} 题,${subject}),所以测验已结束。重启前记录的答案照常计分。`,
      };
  }
}

/** A quiz over several topics (weakest topics, a short "all") names them when they are few. */
function endSubject(e: EventOf<'end'>, knowledge: KnowledgeBase): string {
  const lang = e.session.lang;
  if (e.session.topic !== null || e.topics.length === 0 || e.topics.length > 3) {
    return quizSubject(knowledge, e.session, lang);
  }
  return e.topics.map((x) => topicTitle(knowledge, x, lang)).join(lang === 'zh' ? ';' : '; ');
}

/** The scoreboard teaches: the question most players missed, and the section to read. */
function missedParagraph(e: EventOf<'end'>): string | undefined {
  const m = e.missed;
  if (!m) return undefined;
  const lang = e.session.lang;
  const text = truncate(m.question.text[lang].question.split('\n')[0] ?? '', 140);
  const read = sectionCommand(m.question);
  return t(lang, {
    en: `Most missed: question ${m.index + 1} (${m.wrong} of ${m.answered} wrong) — "${text}" Read up on it: ${read}`,
    zh: `错得最多的是第 ${m.index + 1} 题(${m.answered} 人中 ${m.wrong} 人答错)——"${text}" 建议阅读:${read}`,
  });
}

function endReply(e: EventOf<'end'>, knowledge: KnowledgeBase): Reply {
  const { session, scoreboard, asked } = e;
  const lang = session.lang;
  const paragraphs = [t(lang, endSummary(e, endSubject(e, knowledge)))];
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
  const missed = missedParagraph(e);
  if (missed) paragraphs.push(missed);
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
      ...(e.missed ? [sectionHint(e.missed.question, lang)] : []),
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
      ...(e.missed
        ? {
            missed: {
              question: e.missed.index + 1,
              id: e.missed.question.id,
              wrong: e.missed.wrong,
              answered: e.missed.answered,
              read: sectionCommand(e.missed.question),
            },
          }
        : {}),
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
