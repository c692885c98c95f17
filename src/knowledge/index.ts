import { knowledgeBase } from './load.js';
import { type MatchResult, TopicMatcher } from './matcher.js';

export type { KnowledgeBase, Section, Topic, TopicDoc } from './load.js';
export { KnowledgeError, knowledgeBase, loadKnowledge, parseTopicFile } from './load.js';
export type { MatchOutcome, MatchResult, TopicScore } from './matcher.js';
export { MATCH_SETTINGS, TopicMatcher } from './matcher.js';
export { detectLang, type Lang } from './text.js';

let matcher: TopicMatcher | undefined;

/** The matcher over the bundled knowledge base, built on first use. */
export function defaultMatcher(): TopicMatcher {
  matcher ??= new TopicMatcher(knowledgeBase());
  return matcher;
}

/**
 * Map a chat question (Chinese, English or mixed) to a topic and section.
 *
 * @example
 * matchQuestion('全参数微调 7B 要多少显存?')
 * // → { outcome: 'answer', topic: 5, section: 't5.…', score: 0.6, lang: 'zh', alternatives: [] }
 */
export function matchQuestion(text: string): MatchResult {
  return defaultMatcher().match(text);
}
