/**
 * Replies built from the knowledge base: a short answer, "did you mean", "not one of my
 * topics", the topic list, a full topic and a single section.
 */
import type { KnowledgeBase, MatchResult, Section, Topic } from '../knowledge/index.js';
import { t } from './i18n.js';
import type { Lang, Reply } from './types.js';

/** The `/topic` section value that asks for the short answer only. */
export const SHORT = 'short';

export function topicTitle(topic: Topic, lang: Lang): string {
  return topic.docs[lang].title;
}

function findTopic(kb: KnowledgeBase, id: number): Topic {
  const topic = kb.topics.find((x) => x.id === id);
  if (!topic) throw new Error(`no topic ${id}`);
  return topic;
}

function sectionParagraph(section: Section): string {
  return `${section.heading}\n${section.text}`;
}

/** How to read on under a short answer: "more", the whole topic, the other sections. */
function moreHint(topic: Topic, lang: Lang, others: readonly string[]): string {
  return t(lang, {
    en: `More: reply "more", or /topic ${topic.id} for the whole answer (${others.length} more sections: ${others.slice(0, 4).join(', ')}${others.length > 4 ? ', …' : ''}).`,
    zh: `想看更多:回复"详细",或发送 /topic ${topic.id} 查看完整回答(另有 ${others.length} 节:${others.slice(0, 4).join('、')}${others.length > 4 ? '……' : ''})。`,
  });
}

/** Short first: the short answer plus the best-matching section, and how to get more. */
export function answerReply(kb: KnowledgeBase, match: MatchResult, lang: Lang): Reply {
  const topic = findTopic(kb, match.topic!);
  const doc = topic.docs[lang];
  const section = doc.sections.find((s) => s.id === match.section) ?? doc.sections[0]!;
  const others = doc.sections.filter((s) => s.id !== section.id).map((s) => s.heading);
  return {
    kind: 'answer',
    lang,
    title: `${topic.id}. ${doc.title}`,
    paragraphs: [doc.short, sectionParagraph(section)],
    hints: [moreHint(topic, lang, others)],
    data: match,
  };
}

/** A topic's short answer alone (what picking a did-you-mean shows: `/topic N short`). */
export function shortReply(topic: Topic, lang: Lang): Reply {
  const doc = topic.docs[lang];
  return {
    kind: 'answer',
    lang,
    title: `${topic.id}. ${doc.title}`,
    paragraphs: [doc.short],
    hints: [
      moreHint(
        topic,
        lang,
        doc.sections.map((s) => s.heading),
      ),
    ],
    data: { topic: topic.id, sections: [] },
  };
}

export function clarifyReply(kb: KnowledgeBase, match: MatchResult, lang: Lang): Reply {
  const ids = [match.topic!, ...match.alternatives.map((a) => a.topic)];
  return {
    kind: 'clarify',
    lang,
    title: t(lang, { en: 'Did you mean…', zh: '你想问的是……' }),
    paragraphs: [
      t(lang, {
        en: 'Your question fits more than one topic. Pick one:',
        zh: '这个问题和好几个主题都相关,选一个吧:',
      }),
    ],
    choices: ids.map((id) => ({
      label: `${id}. ${topicTitle(findTopic(kb, id), lang)}`,
      action: `/topic ${id} ${SHORT}`,
    })),
    data: match,
  };
}

export function topicListLines(kb: KnowledgeBase, lang: Lang): string[] {
  return kb.topics.map((topic) => `${topic.id}. ${topicTitle(topic, lang)}`);
}

export function noneReply(kb: KnowledgeBase, match: MatchResult, lang: Lang): Reply {
  return {
    kind: 'none',
    lang,
    title: t(lang, { en: 'Not one of my topics', zh: '这个不在我的主题范围内' }),
    paragraphs: [
      t(lang, {
        en: "I can't answer that reliably — I only teach these ten topics:",
        zh: '这个问题我没法可靠地回答——我只讲下面这十个主题:',
      }),
      topicListLines(kb, lang).join('\n'),
    ],
    hints: [
      t(lang, {
        en: 'Ask about one of them, or send /topic N to read one.',
        zh: '可以换个问法问其中一个,或发送 /topic N 直接阅读。',
      }),
    ],
    data: match,
  };
}

export function topicsReply(kb: KnowledgeBase, lang: Lang): Reply {
  return {
    kind: 'info',
    lang,
    title: t(lang, { en: 'The ten topics', zh: '十个主题' }),
    paragraphs: [topicListLines(kb, lang).join('\n')],
    choices: kb.topics.map((topic) => ({ label: String(topic.id), action: `/topic ${topic.id}` })),
    hints: [
      t(lang, {
        en: 'Read one with /topic N, or just ask a question.',
        zh: '发送 /topic N 阅读某个主题,或直接提问。',
      }),
    ],
    data: kb.topics.map((topic) => ({ id: topic.id, title: topicTitle(topic, lang) })),
  };
}

/** The closing paragraph of a whole topic: its references, numbered. */
function sourcesParagraph(sources: readonly string[], lang: Lang): string {
  const heading = t(lang, { en: 'Sources', zh: '参考资料' });
  return `${heading}\n${sources.map((s, i) => `${i + 1}. ${s}`).join('\n')}`;
}

/** A whole topic (ending with its sources), or one section of it when `sectionId` is given. */
export function topicReply(topic: Topic, lang: Lang, sectionId?: string): Reply {
  const doc = topic.docs[lang];
  const sections = sectionId ? doc.sections.filter((s) => s.id === sectionId) : doc.sections;
  return {
    kind: 'answer',
    lang,
    title: `${topic.id}. ${doc.title}`,
    paragraphs: sectionId
      ? sections.map(sectionParagraph)
      : [doc.short, ...sections.map(sectionParagraph), sourcesParagraph(doc.sources, lang)],
    hints: sectionId
      ? [
          t(lang, {
            en: `Whole topic: /topic ${topic.id}`,
            zh: `完整主题:/topic ${topic.id}`,
          }),
        ]
      : [
          t(lang, {
            en: `One section: /topic ${topic.id} <section> (${doc.sections.map((s) => s.id.split('.')[1]).join(', ')})`,
            zh: `只看一节:/topic ${topic.id} <小节>(${doc.sections.map((s) => s.id.split('.')[1]).join('、')})`,
          }),
        ],
    data: { topic: topic.id, sections: sections.map((s) => s.id) },
  };
}
