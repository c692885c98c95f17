/** /topics, /topic, /ask: reading and asking the knowledge base. */
import { z } from 'zod';
import type { Section, Topic } from '../../knowledge/index.js';
import {
  answerReply,
  clarifyReply,
  noneReply,
  SHORT,
  shortReply,
  topicReply,
  topicsReply,
} from '../answers.js';
import { type CommandContext, defineCommand, option } from '../command.js';
import { userError } from '../errors.js';
import { showsRatingButtons } from '../feedback.js';
import { closest } from '../fuzzy.js';
import { quoteValue } from '../sanitize.js';
import type { Choice, Lang, Reply } from '../types.js';

/** The longest question the tutor answers. */
export const MAX_QUESTION_CHARS = 4000;

const langOption = option(
  z.enum(['zh', 'en']).optional(),
  'Reply language for this command (zh or en)',
  '本次回复的语言(zh 或 en)',
);

export const topicsCommand = defineCommand({
  name: 'topics',
  description: { en: 'List the ten topics', zh: '列出十个主题' },
  schema: z.object({ lang: langOption }),
  run: (_args, ctx) => topicsReply(ctx.knowledge, ctx.lang),
});

function errorReply(lang: Lang, en: string, zh: string, usage: string): Reply {
  return userError(lang, { en, zh }, [usage]);
}

/** A section's short name: `t5.optimizer` → `optimizer`. */
const shortId = (id: string) => id.split('.')[1] ?? id;

/**
 * The section a user named: its number, id (t5.optimizer), short name (optimizer) or heading in
 * either language (优化器状态 / Optimizer states), exactly or nearly (优化器, optimiser).
 */
export function findSection(topic: Topic, named: string): Section | undefined {
  // the ids are the same in both languages: the English list stands for both
  const sections = topic.docs.en.sections;
  const wanted = named.trim().toLowerCase();
  const byId = (id: string | undefined) => sections.find((s) => s.id === id);
  const headings = (s: Section) =>
    [topic.docs.en, topic.docs.zh].map((d) => d.sections.find((x) => x.id === s.id)?.heading ?? '');
  return (
    (/^\d+$/.test(wanted) ? sections[Number(wanted) - 1] : undefined) ??
    byId(wanted) ??
    byId(`t${topic.id}.${wanted}`) ??
    sections.find((s) => headings(s).some((h) => h.toLowerCase() === wanted)) ??
    closest(sections, wanted, (s) => [shortId(s.id), ...headings(s)])
  );
}

export const topicCommand = defineCommand({
  name: 'topic',
  description: {
    en: 'Read one topic in full, or one section of it',
    zh: '阅读一个主题的全文或其中一节',
  },
  schema: z.object({
    n: option(z.coerce.number().int().min(1).max(10), 'Topic number, 1–10', '主题编号,1–10'),
    section: option(
      z.string().optional(),
      'A section: its number, id (t5.optimizer), short name (optimizer) or heading in English or Chinese (优化器); short = the short answer only',
      '小节:序号、id(t5.optimizer)、简称(optimizer)或中英文标题(优化器);short = 只看简要回答',
    ),
    lang: langOption,
  }),
  positional: ['n', 'section'],
  examples: ['/topic 5', '/topic 5 optimizer', '/topic 5 优化器', '/topic 5 short'],
  run: async (args, ctx) => {
    const topic = ctx.knowledge.topics.find((x) => x.id === args.n)!;
    ctx.conversation.lastTopic = topic.id;
    if (args.section === undefined) return topicReply(topic, ctx.lang);
    if (args.section.trim().toLowerCase() === SHORT) {
      await recordPick(ctx, topic.id);
      return shortReply(topic, ctx.lang);
    }
    const sections = topic.docs[ctx.lang].sections;
    const section = findSection(topic, args.section);
    if (!section) {
      const names = sections.map((s, i) => `${i + 1}=${shortId(s.id)}`).join(', ');
      return errorReply(
        ctx.lang,
        `Topic ${topic.id} has no section ${quoteValue(args.section)}. Sections: ${names}.`,
        `主题 ${topic.id} 没有 ${quoteValue(args.section, 'zh')} 这一节。可选:${names}。`,
        `/topic ${topic.id} <section>`,
      );
    }
    ctx.conversation.lastSection = section.id;
    return topicReply(topic, ctx.lang, section.id);
  },
});

/** 👍/👎 under an answer on Discord and Slack; the 👎 asks for an optional reason. */
function ratingChoices(logId: number): Choice[] {
  return [
    { label: '👍', action: `/rate good answer=${logId}` },
    { label: '👎', action: `/rate bad answer=${logId}`, askReason: true },
  ];
}

/**
 * Answer a free-text question: an answer, a "did you mean", or "not one of my topics". The
 * question goes to the log (`ctx.feedback`); an answer shown on Discord or Slack gets 👍/👎.
 */
export async function answerQuestion(question: string, ctx: CommandContext): Promise<Reply> {
  const match = ctx.matcher.match(question);
  const logId = await ctx.feedback?.logQuestion(ctx.incoming, question, match);
  if (match.outcome === 'none') return noneReply(ctx.knowledge, match, ctx.lang);
  if (match.outcome === 'clarify') {
    const topics = [match.topic!, ...match.alternatives.map((a) => a.topic)];
    if (logId === undefined) delete ctx.conversation.lastClarify;
    else ctx.conversation.lastClarify = { log: logId, topics };
    return clarifyReply(ctx.knowledge, match, ctx.lang);
  }
  ctx.conversation.lastTopic = match.topic!;
  ctx.conversation.lastSection = match.section ?? undefined;
  const reply = answerReply(ctx.knowledge, match, ctx.lang);
  if (logId === undefined) {
    delete ctx.conversation.lastAnswerLog;
    return reply;
  }
  ctx.conversation.lastAnswerLog = logId;
  return showsRatingButtons(ctx.incoming.platform)
    ? { ...reply, choices: ratingChoices(logId) }
    : reply;
}

/** A did-you-mean's topic picked (`/topic N short`): recorded once, as explicit feedback. */
async function recordPick(ctx: CommandContext, topic: number): Promise<void> {
  const offered = ctx.conversation.lastClarify;
  if (!offered?.topics.includes(topic)) return;
  delete ctx.conversation.lastClarify;
  await ctx.feedback?.pick(offered.log, topic);
}

export const askCommand = defineCommand({
  name: 'ask',
  description: { en: 'Ask a question (same as just typing it)', zh: '提问(和直接输入问题一样)' },
  schema: z.object({
    question: option(
      z.string().trim().min(1).max(MAX_QUESTION_CHARS),
      `Your question (at most ${MAX_QUESTION_CHARS} characters)`,
      `你的问题(最多 ${MAX_QUESTION_CHARS} 个字符)`,
    ),
  }),
  rest: 'question',
  examples: ['/ask 为什么SFT之后模型变笨了', '/ask how much VRAM to fine-tune a 7B model?'],
  run: (args, ctx) => answerQuestion(args.question, ctx),
});
