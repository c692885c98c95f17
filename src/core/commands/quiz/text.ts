/** Shared wording for the quiz commands: names, numbers, times, question bodies, error replies. */

import type { KnowledgeBase } from '../../../knowledge/index.js';
import {
  answerChoices,
  type BankQuestion,
  type Player,
  type QuizSession,
} from '../../../quiz/index.js';
import { type Localized, t } from '../../i18n.js';
import { truncateText } from '../../sanitize.js';
import type { Choice, Lang, Reply } from '../../types.js';

export const SCORING_TEXT: Localized = {
  en: 'Scoring: a correct answer scores 1 point plus a speed bonus of up to 0.5 (0.5 if you answer at once, shrinking to 0 as time runs out); a wrong answer scores 0. Only your first answer to each question counts. Questions you miss go to your personal /review queue.',
  zh: '计分:答对得 1 分,另有最多 0.5 分的速度奖励(立即作答得 0.5,随时间线性减少,到时为 0);答错 0 分。每题只计第一次作答。答错的题会自动加入你的个人复习队列(/review)。',
};

/** Said by /quiz stop and /answer when there is nothing to stop or answer. */
export const NO_QUIZ_TEXT: Localized = {
  en: 'No quiz is running here. Start one with /quiz (e.g. /quiz 5).',
  zh: '这里没有正在进行的测验。用 /quiz 开始一个(例如 /quiz 5)。',
};

/** The description of the answer option of /answer and /review. */
export const ANSWER_HELP: Localized = {
  en: 'Your answer: A–D, true/false, or a number',
  zh: '你的答案:A–D、对/错 或数字',
};

/** A person's display name: the name we were given, else the id without the platform. */
export function who(key: string, name?: string): string {
  const raw = (name ?? key.slice(key.indexOf(':') + 1)).replace(/\s+/g, ' ').trim();
  return truncateText(raw, 40) || '?';
}

/** A player's display name (see `who`). */
export function playerName(player: Player): string {
  return who(player.key, player.name);
}

/** `s` in at most `max` UTF-16 units, cut at a grapheme cluster, with `…` when cut. */
export function truncate(s: string, max: number): string {
  return truncateText(s, max);
}

export function percent(n: number, d: number): string {
  return d > 0 ? `${Math.round((100 * n) / d)} %` : '–';
}

/** English count with a plural `s`: `1 question`, `3 questions`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3/10`: question `index` (0-based) of `count`. */
export function questionNo(index: number, count: number): string {
  return `${index + 1}/${count}`;
}

export function topicTitle(knowledge: KnowledgeBase, topic: number, lang: Lang): string {
  const doc = knowledge.topics.find((x) => x.id === topic)?.docs[lang];
  return doc ? `${topic}. ${doc.title}` : String(topic);
}

export function quizSubject(knowledge: KnowledgeBase, session: QuizSession, lang: Lang): string {
  return session.topic === null
    ? t(lang, { en: 'all topics', zh: '全部主题' })
    : topicTitle(knowledge, session.topic, lang);
}

/** `in 10 min`, `in 3 h`, `in 2 days`. */
export function inTime(ms: number, lang: Lang): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return t(lang, { en: `in ${min} min`, zh: `${min} 分钟后` });
  const h = Math.round(min / 60);
  if (h < 24) return t(lang, { en: `in ${h} h`, zh: `${h} 小时后` });
  const d = Math.round(h / 24);
  return t(lang, { en: `in ${plural(d, 'day')}`, zh: `${d} 天后` });
}

/** A one-paragraph reply only the asker sees. */
export function privateReply(lang: Lang, text: Localized, kind: Reply['kind'] = 'info'): Reply {
  return { kind, lang, ephemeral: true, paragraphs: [text[lang]] };
}

/**
 * What an answer to a question of this type looks like. With `command` (the /answer of a
 * running quiz) the words name the command's own example; without it (/review), they are short.
 */
export function expectedAnswer(type: BankQuestion['type'], command?: string): Localized {
  if (type === 'choice') return { en: 'choose A–D', zh: '请选择 A–D' };
  if (type === 'truefalse') {
    return {
      en: 'answer true or false',
      zh: command ? '请回答 对 或 错(true/false)' : '请回答 对 或 错',
    };
  }
  return command
    ? { en: `give a number, e.g. ${command} 120`, zh: `请给出一个数字,例如 ${command} 120` }
    : { en: 'give a number', zh: '请给出一个数字' };
}

export function errorReply(lang: Lang, text: Localized): Reply {
  return privateReply(lang, text, 'error');
}

/** `/topic 5 optimizer`: the section a question tests (its own topic's, e.g. t1.compute). */
export function sectionCommand(q: BankQuestion): string {
  const m = /^t(\d+)\.(.+)$/.exec(q.section);
  return m ? `/topic ${m[1]} ${m[2]}` : `/topic ${q.topic}`;
}

export function sectionHint(q: BankQuestion, lang: Lang): string {
  const command = sectionCommand(q);
  return t(lang, { en: `Read more: ${command}`, zh: `延伸阅读:${command}` });
}

/** `(calculated)` after the title of a generated question. */
export function generatedMark(q: BankQuestion, lang: Lang): string {
  return q.generated ? t(lang, { en: ' · calculated', zh: ' · 计算题' }) : '';
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

/**
 * A question as paragraphs and buttons: the question text, its options as lines when a label
 * had to be cut for its button, and for numeric questions how to type the answer (`command`).
 */
export function questionBody(
  q: BankQuestion,
  lang: Lang,
  command: string,
  action: (value: string) => string,
): { paragraphs: string[]; choices: Choice[] } {
  const options = answerChoices(q, lang);
  const paragraphs = [q.text[lang].question];
  if (options.some((o) => o.label.length > 80)) {
    paragraphs.push(options.map((o) => o.label).join('\n'));
  }
  const howTo = answerHowTo(q, lang, command);
  if (howTo) paragraphs.push(howTo);
  return {
    paragraphs,
    choices: options.map((o) => ({ label: truncate(o.label, 80), action: action(o.value) })),
  };
}
